/**
 * Every registered loss trains the ring8 MLP (20 steps) and a tiny MNIST DCGAN (batch 8, 2 steps)
 * on the onnxruntime engine and on wasm with finite losses (perceptual: the DCGAN only, with the shipped
 * MNIST classifier); and WGAN-GP (penalty draws from a saved Rng,
 * 5 critic steps) resumes bit for bit. About 35 s on a loaded 2-core machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useBackend } from '../../src/backend/index.js';
import { openDataSource } from '../../src/data/index.js';
import { LOSS_NAMES } from '../../src/losses/index.js';
import { GanTrainer } from '../../src/train/trainer.js';
import { loadPerceptualModel } from '../../src/losses/perceptual-files.js';
import { runTraining } from '../../src/train/run.js';
import { decodeCheckpoint, listCheckpoints } from '../../src/train/checkpoint.js';
import { ConfigError } from '../../src/errors.js';

const BACKENDS = ['onnxruntime', 'wasm'] as const;
await useBackend(BACKENDS[0]);
const ring = await openDataSource('ring8');
const mnist = await openDataSource('mnist');
await loadPerceptualModel('mnist'); // the perceptual loss's fixed network, read from disk once

for (const backend of BACKENDS) for (const loss of LOSS_NAMES) {
  const images = loss === 'perceptual'; // a fixed image network: images only (ring8 is refused below)
  test(`${backend}, ${loss}: ${images ? '' : 'ring8 MLP 20 steps and '}MNIST DCGAN 2 steps, finite losses`, async () => {
    await useBackend(backend);
    const runs = [[ring, { batch: 32 }, 20], [mnist, { batch: 8 }, 2]] as const;
    for (const [data, opts, steps] of images ? runs.slice(1) : runs) {
      const t = new GanTrainer(data, { loss, seed: 1, ...opts });
      for (let i = 0; i < steps; i++) {
        const m = t.trainStep();
        for (const k of ['loss_d', 'loss_g', 'value', 'd_real', 'd_fake'] as const) {
          assert.ok(Number.isFinite(m[k]), `${loss} ${data.spec} step ${m.step}: ${k} = ${m[k]}`);
        }
      }
      assert.ok(t.weightsFinite());
      t.dispose();
    }
  });
}

test('perceptual on 2-D points: the trainer refuses it with a ConfigError', () => {
  assert.throws(() => new GanTrainer(ring, { loss: 'perceptual' }), (e: unknown) => e instanceof ConfigError && /images/.test(e.message));
});

for (const backend of BACKENDS) test(`${backend}, wasserstein-gp on ring8: checkpoint then resume equals an uninterrupted run, bit for bit`, async () => {
  await useBackend(backend);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-gp-'));
  const quiet = { onInfo: () => {} };
  const options = { data: 'ring8', loss: 'wasserstein-gp', batch: 16, steps: 8, checkpointEvery: 4, logEvery: 1, sampleEvery: 8, seed: 7 };
  await runTraining(options, { out: path.join(dir, 'a'), ...quiet });
  await runTraining({ ...options, steps: 4 }, { out: path.join(dir, 'b'), ...quiet });
  await runTraining({ steps: 8 }, { resume: path.join(dir, 'b'), ...quiet });
  const last = (d: string) => {
    const f = listCheckpoints(path.join(dir, d, 'checkpoints')).at(-1)!;
    return decodeCheckpoint(fs.readFileSync(f), f);
  };
  const a = last('a');
  const b = last('b');
  assert.equal(a.step, 8);
  assert.equal(b.step, 8);
  for (const [k, v] of a.tensors) {
    assert.ok(Buffer.from(v.values.buffer).equals(Buffer.from(b.tensors.get(k)!.values.buffer)), `tensor ${k} differs`);
  }
  const { config: ca, ...sa } = a.state as Record<string, unknown>;
  const { config: cb, ...sb } = b.state as Record<string, unknown>;
  assert.ok('penaltyRng' in sa);
  assert.deepEqual(sa, sb);
  assert.deepEqual(ca, cb);
  const metrics = (d: string) => fs.readFileSync(path.join(dir, d, 'metrics.jsonl'), 'utf8').trim().split('\n')
    .map((l) => { const { images_per_s: _i, time: _t, ...rest } = JSON.parse(l); return rest; });
  assert.deepEqual(metrics('b'), metrics('a'));
  assert.equal((ca as { dSteps: number }).dSteps, 5, 'the paper default n_critic = 5 was applied and saved');
});
