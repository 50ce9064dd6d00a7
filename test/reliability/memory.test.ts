/**
 * Long-run hygiene (issue 6.7), the short check: the live tensor count (tf.memory().numTensors)
 * stays flat over a few hundred training iterations of a small model with each loss family that
 * keeps extra state or builds extra graphs — non-saturating (the baseline), WGAN-GP (a gradient
 * of a gradient, its own RNG stream, 5 critic steps), feature matching (D's intermediate
 * features) — including checkpoint save/load and the divergence check on the way, and over
 * sampling (the trainer's and a saved generator's). The long check is `npm run soak`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../src/backend/index.js';
import { openDataSource } from '../../src/data/index.js';
import { GanTrainer } from '../../src/train/trainer.js';
import { saveLayersModel } from '../../src/io/tfjs-format.js';
import { loadRunGenerator, sampleGenerator } from '../../src/sampling/sampler.js';

await useBackend('wasm', { threads: 1 }); // the default backend, whose kernels ganbox extends

const WARMUP = 10; // first steps create the optimisers' slots and compile kernels

for (const [loss, steps] of [['non-saturating', 300], ['wasserstein-gp', 150], ['feature-matching', 300]] as const) {
  test(`${loss}: ${steps} training steps leave the tensor count flat (checkpoints and sampling on the way)`, async () => {
    const data = await openDataSource('ring8');
    const start = tf.memory().numTensors;
    const trainer = new GanTrainer(data, { loss, batch: 16, width: 16, seed: 1, lrD: 1e-3, lrG: 1e-3 });
    const z = trainer.fixedNoise(64);
    for (let i = 0; i < WARMUP; i++) trainer.trainStep();
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    for (let i = WARMUP; i < steps; i++) {
      trainer.trainStep();
      if (i % 50 === 0) {
        const ck = trainer.getCheckpoint();
        assert.ok(trainer.weightsFinite());
        trainer.loadCheckpoint(ck);
        trainer.sample(z).dispose();
        counts.push(tf.memory().numTensors);
      }
    }
    assert.equal(tf.memory().numTensors, before, `tensors after ${steps} steps (per 50 steps: ${counts.join(', ')})`);
    z.dispose();
    trainer.dispose();
    assert.equal(tf.memory().numTensors, start, 'dispose() frees the models, optimiser slots and loss state');
  });
}

test('sampling a saved generator 200 times leaves the tensor count flat', async () => {
  const data = await openDataSource('ring8');
  const trainer = new GanTrainer(data, { batch: 16, width: 16, seed: 2 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-mem-'));
  await saveLayersModel(trainer.generator.model, path.join(dir, 'generator'));
  trainer.dispose();
  const g = await loadRunGenerator(dir);
  sampleGenerator(g, 100, 0);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 200; i++) sampleGenerator(g, 300, i, 128); // 3 batches each, the last partial
  assert.equal(tf.memory().numTensors, before);
  g.model.dispose();
});
