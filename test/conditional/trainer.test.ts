/**
 * The trainer with conditioning (train/conditioner.ts): labels ride from the data to G and D, the
 * auxiliary losses are reported, a run resumes bit for bit, the tensor count stays flat, and a
 * class-conditional G learns to put each class at its own mode of a labelled 2-D mixture.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../src/backend/index.js';
import { openDataSource } from '../../src/data/index.js';
import { ConfigError } from '../../src/errors.js';
import { GanTrainer, resolveConfig } from '../../src/train/trainer.js';
import { Conditioner, disposeCondBatch } from '../../src/train/conditioner.js';
import { Rng } from '../../src/train/rng.js';
import type { DOutput } from '../../src/models/types.js';
import { labelledBlobs } from '../helpers/labelled-points.js';
import type { TrainConfig } from '../../src/defaults.js';

await useBackend('wasm', { threads: 1 });

const small: Partial<TrainConfig> = { batch: 32, width: 32, depth: 2, seed: 3, lrD: 1e-3, lrG: 1e-3 };

test('a conditional run on data without labels: one sentence naming the labelled sources', async () => {
  const ring = await openDataSource('ring8');
  assert.throws(() => new GanTrainer(ring, { conditional: 'acgan' }), (e: unknown) =>
    e instanceof ConfigError && /--conditional acgan needs labelled data but ring8 has no labels; use one of mnist, idx:PATH with its labels file, cifar10:DIR, images:DIR with one subfolder per class\./.test(e.message));
  // InfoGAN needs no labels.
  const t = new GanTrainer(ring, { ...small, infoCategorical: 4 });
  t.trainStep();
  t.dispose();
  assert.throws(() => new GanTrainer(ring, { ...small, infoLambdaCat: -1, infoCategorical: 3 }), /--info-lambda-cat/);
});

for (const mode of ['cgan', 'acgan', 'projection'] as const) {
  test(`--conditional ${mode} (+ InfoGAN 3 + 1): steps report finite losses and the heads' metrics`, () => {
    const t = new GanTrainer(labelledBlobs(), { ...small, conditional: mode, infoCategorical: 3, infoContinuous: 1 });
    let m = t.trainStep();
    m = t.trainStep();
    for (const k of ['loss_d', 'loss_g', 'mi_lower_bound', 'info_cat_acc'] as const) assert.ok(Number.isFinite(m[k]), `${k} = ${m[k]}`);
    assert.equal('aux_real_acc' in m, mode === 'acgan');
    assert.ok(m.mi_lower_bound! <= Math.log(3) + Math.log(2) - 0.5 * Math.log(2 * Math.PI) + 1e-6, 'L_I ≤ H(c) + max log Q');
    const d = t.stepDiscriminator();
    assert.ok(Number.isFinite(d.loss_d));
    assert.ok(Number.isFinite(t.stepGenerator().loss_g));
    const z = t.noise(8);
    const x = t.sample(z);
    assert.deepEqual(x.shape, [8, 2]);
    tf.dispose([z, x]);
    t.dispose();
  });
}

test('acgan + InfoGAN: a resumed trainer continues bit for bit (weights, optimisers, code stream)', () => {
  const opts = { ...small, conditional: 'acgan' as const, infoCategorical: 3, infoContinuous: 2 };
  const a = new GanTrainer(labelledBlobs(), opts);
  for (let i = 0; i < 6; i++) a.trainStep();
  const b1 = new GanTrainer(labelledBlobs(), opts);
  for (let i = 0; i < 3; i++) b1.trainStep();
  const ck = b1.getCheckpoint();
  b1.dispose();
  const b = new GanTrainer(labelledBlobs(), opts);
  b.loadCheckpoint(ck);
  for (let i = 0; i < 3; i++) b.trainStep();
  const wa = a.getCheckpoint().tensors;
  const wb = b.getCheckpoint().tensors;
  assert.deepEqual([...wa.keys()], [...wb.keys()]);
  for (const [k, v] of wa) assert.ok(Buffer.from(v.values.buffer).equals(Buffer.from(wb.get(k)!.values.buffer)), `tensor ${k} differs`);
  assert.deepEqual(a.getCheckpoint().state, b.getCheckpoint().state);
  a.dispose(); b.dispose();
});

test('conditional steps leave the tensor count flat (every mode, InfoGAN alone and with labels, grids, checkpoints)', () => {
  for (const mode of ['none', 'cgan', 'acgan', 'projection'] as const) {
    const start = tf.memory().numTensors;
    const t = new GanTrainer(labelledBlobs(), { ...small, conditional: mode, infoCategorical: 2, infoContinuous: 1 });
    const z = t.fixedNoise(16);
    for (let i = 0; i < 3; i++) t.trainStep();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 30; i++) {
      t.trainStep();
      t.stepDiscriminator();
      t.stepGenerator();
      t.sample(z).dispose();
      if (i % 10 === 0) t.loadCheckpoint(t.getCheckpoint());
    }
    assert.equal(tf.memory().numTensors, before, mode);
    z.dispose();
    t.dispose();
    assert.equal(tf.memory().numTensors, start, `${mode}: dispose frees everything`);
  }
});

/** Fraction of G(z, k) samples whose nearest mode is k, over every class. */
function classHitRate(t: GanTrainer, modes: [number, number][], n = 64): number {
  let hits = 0;
  for (let k = 0; k < modes.length; k++) {
    const z = t.noise(n);
    const labels = tf.fill([n], k, 'int32') as tf.Tensor1D;
    const cb = t.cond!.batch(labels, n);
    const x = t.sample(z, cb).dataSync();
    tf.dispose([z, labels, cb.y!, cb.labels!]);
    for (let i = 0; i < n; i++) {
      const d = modes.map(([mx, my]) => (x[2 * i]! - mx) ** 2 + (x[2 * i + 1]! - my) ** 2);
      if (d.indexOf(Math.min(...d)) === k) hits++;
    }
  }
  return hits / (n * modes.length);
}

for (const mode of ['cgan', 'acgan', 'projection'] as const) {
  test(`--conditional ${mode} learns: G(z, k) lands at mode k of 4 labelled blobs`, () => {
    const data = labelledBlobs(4);
    const t = new GanTrainer(data, { ...small, batch: 64, width: 64, conditional: mode });
    const before = classHitRate(t, data.modes);
    for (let i = 0; i < 400; i++) t.trainStep();
    const after = classHitRate(t, data.modes);
    // Chance is 1/4; an unconditional G would score about that. Bar: most samples at their own mode.
    assert.ok(after >= 0.8, `${mode}: ${after} of samples at their class's mode after 400 steps (before: ${before})`);
    t.dispose();
  });
}

test('InfoGAN learns: a 4-way categorical code picks one of 4 blobs (no labels used), matched accuracy ≥ 0.8', async () => {
  const { matchedAccuracy } = await import('../../src/metrics/accuracy.js');
  const data = labelledBlobs(4);
  const unlabelled = { ...data, numClasses: undefined, take: (ix: ArrayLike<number>) => ({ ...data.take(ix), labels: undefined }) };
  const t = new GanTrainer(unlabelled, { ...small, batch: 64, width: 64, infoCategorical: 4 });
  for (let i = 0; i < 400; i++) t.trainStep();
  const n = 256;
  const z = t.noise(n);
  const cb = t.cond!.batch(undefined, n);
  const x = t.sample(z, cb).dataSync();
  const codes = cb.cat!.dataSync() as Int32Array;
  const nearest = Int32Array.from({ length: n }, (_, i) => {
    const d = data.modes.map(([mx, my]) => (x[2 * i]! - mx) ** 2 + (x[2 * i + 1]! - my) ** 2);
    return d.indexOf(Math.min(...d));
  });
  tf.dispose([z, cb.c!, cb.cat!]);
  const acc = matchedAccuracy(codes, nearest, 4, 4).accuracy;
  assert.ok(acc >= 0.8, `code → blob accuracy ${acc} after matching (chance 0.25–0.4)`);
  t.dispose();
});

test('conditioning composes with the other loss families (WGAN-GP through the label inputs, feature matching, hinge)', () => {
  for (const conditional of ['cgan', 'acgan', 'projection'] as const) {
    for (const loss of ['wasserstein-gp', 'feature-matching', 'hinge']) {
      const t = new GanTrainer(labelledBlobs(), { batch: 16, width: 16, conditional, loss, infoContinuous: 1 });
      const m = t.trainStep();
      assert.ok(Number.isFinite(m.loss_d) && Number.isFinite(m.loss_g), `${conditional} + ${loss}`);
      assert.ok(Number.isFinite(t.stepGenerator().loss_g));
      t.dispose();
    }
  }
});

test('conditional and InfoGAN runs default to 5,000 steps unless told; acgan D\'s classifier loss is on real digits unless --aux-fake-weight', () => {
  assert.equal(resolveConfig({ conditional: 'acgan' }).steps, 5000);
  assert.equal(resolveConfig({ conditional: 'cgan', steps: 40 }).steps, 40);
  assert.equal(resolveConfig({}).steps, 3000);
  assert.equal(resolveConfig({ infoCategorical: 10 }).steps, 5000);
  assert.equal(resolveConfig({ infoContinuous: 1, steps: 70 }).steps, 70);

  // D's extra term: λ·(CE(real) + w·CE(fake)), CE by hand: −log softmax(logits)[label], batch mean.
  const realLogits = [[2, 0, -1], [0, 1, 0]];
  const fakeLogits = [[0, 0, 3], [1, 2, 0]];
  const labels = [0, 2];
  const ce = (rows: number[][]) => rows.reduce((s, r, i) => s + Math.log(r.reduce((a, v) => a + Math.exp(v), 0)) - r[labels[i]!]!, 0) / rows.length;
  for (const w of [0, 1, 0.5]) {
    const config = resolveConfig({ conditional: 'acgan', auxWeight: 3, auxFakeWeight: w });
    const cond = new Conditioner({ mode: 'acgan', classes: 3, codes: { categorical: 0, continuous: 0 } }, config, new Rng(1));
    const got = tf.tidy(() => {
      const b = cond.batch(tf.tensor1d(labels, 'int32'), 2);
      const out = (l: number[][]) => ({ logit: tf.zeros([2, 1]), classLogits: tf.tensor2d(l) }) as unknown as DOutput;
      const loss = cond.discriminatorLoss(out(realLogits), out(fakeLogits), b)!.dataSync()[0]!;
      disposeCondBatch(b);
      return loss;
    });
    cond.dispose();
    assert.ok(Math.abs(got - 3 * (ce(realLogits) + w * ce(fakeLogits))) < 1e-5, `w = ${w}: ${got}`);
  }
});
