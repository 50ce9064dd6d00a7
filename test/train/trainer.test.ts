import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../src/backend/index.js';
import { openDataSource } from '../../src/data/index.js';
import type { FiniteSource } from '../../src/data/source.js';
import { GanTrainer } from '../../src/train/trainer.js';
import { runTraining } from '../../src/train/run.js';
import { decodeCheckpoint, listCheckpoints } from '../../src/train/checkpoint.js';
import { NumericalError } from '../../src/errors.js';
import { discriminate, generate } from '../../src/models/types.js';

/** Bit-exactness is a per-backend promise: the resume and seed tests run on each backend users train on. */
const BACKENDS = ['onnxruntime', 'wasm'] as const;
await useBackend('wasm');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-train-'));
const quiet = { onInfo: () => {} };

function metricsWithoutTiming(dir: string) {
  return fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => {
    const { images_per_s: _i, time: _t, ...rest } = JSON.parse(l);
    return rest;
  });
}

function assertSameCheckpoint(a: string, b: string) {
  const ca = decodeCheckpoint(fs.readFileSync(a), a);
  const cb = decodeCheckpoint(fs.readFileSync(b), b);
  assert.equal(ca.step, cb.step);
  assert.deepEqual([...ca.tensors.keys()], [...cb.tensors.keys()]);
  for (const [k, v] of ca.tensors) {
    // Bit for bit: compare the raw bytes, so -0/+0 and NaN payloads would count too.
    assert.ok(Buffer.from(v.values.buffer).equals(Buffer.from(cb.tensors.get(k)!.values.buffer)), `tensor ${k} differs`);
  }
  const { config: _a, ...sa } = ca.state;
  const { config: _b, ...sb } = cb.state;
  assert.deepEqual(sa, sb, 'optimiser step counts, RNG and data-stream state');
}

for (const backend of BACKENDS) for (const [label, options] of [
  ['ring8 MLP', { data: 'ring8', batch: 32, steps: 40, checkpointEvery: 20, logEvery: 5, sampleEvery: 40 }],
  ['MNIST DCGAN', { data: 'mnist', batch: 8, steps: 6, checkpointEvery: 3, logEvery: 1, sampleEvery: 6, gridSize: 8 }],
] as const) {
  test(`${backend}, ${label}: checkpoint then resume gives the same weights as an uninterrupted run (bit for bit)`, async () => {
    await useBackend(backend);
    const dir = tmp();
    const straight = path.join(dir, 'straight');
    const resumed = path.join(dir, 'resumed');
    await runTraining({ ...options, seed: 7 }, { out: straight, ...quiet });
    const half = options.checkpointEvery;
    await runTraining({ ...options, seed: 7, steps: half }, { out: resumed, ...quiet });
    const r = await runTraining({ steps: options.steps }, { resume: resumed, ...quiet });
    assert.equal(r.step, options.steps);
    assertSameCheckpoint(listCheckpoints(path.join(straight, 'checkpoints')).at(-1)!, listCheckpoints(path.join(resumed, 'checkpoints')).at(-1)!);
    assert.deepEqual(metricsWithoutTiming(resumed), metricsWithoutTiming(straight));
    assert.ok(fs.readFileSync(path.join(straight, 'samples', `step-${String(options.steps).padStart(6, '0')}.png`)).length > 100);
  });
}

for (const backend of BACKENDS) test(`${backend}: the same seed reproduces a run; another seed does not`, async () => {
  await useBackend(backend);
  const data = await openDataSource('ring8');
  const losses = (seed: number) => {
    const t = new GanTrainer(data, { seed, batch: 16 });
    const out = [0, 1, 2].map(() => t.trainStep().loss_d);
    t.dispose();
    return out;
  };
  assert.deepEqual(losses(3), losses(3));
  assert.notDeepEqual(losses(3), losses(4));
});

/**
 * The textbook loop with two tapes — G's forward pass computed again in G's step — written out
 * from the trainer's public pieces. Without BatchNorm in G both forward passes give the same
 * values, so the trainer's single-forward step must match it bit for bit.
 */
function referenceStep(t: GanTrainer): void {
  const p = t as unknown as {
    stream: { next(): { x: tf.Tensor; labels?: tf.Tensor } };
    penaltyRng: import('../../src/train/rng.js').Rng;
    gVars: tf.Variable[];
    dVars: tf.Variable[];
  };
  const critic = (x: tf.Tensor) => discriminate(t.discriminator, x, true).logit;
  let z: tf.Tensor2D | undefined;
  for (let k = 0; k < t.config.dSteps; k++) {
    z?.dispose();
    const real = p.stream.next().x;
    z = t.noise(t.config.batch);
    const zk = z;
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const fake = generate(t.generator, zk, true);
        const base = t.loss.discriminator(critic(real), critic(fake));
        return t.loss.penalty ? tf.add(base, t.loss.penalty({ real, fake, critic, rng: p.penaltyRng })) as tf.Scalar : base;
      }, p.dVars);
      t.optD.apply(p.dVars, p.dVars.map((v) => grads[v.name]!));
      t.loss.afterDiscriminatorStep?.(p.dVars);
    });
    real.dispose();
  }
  const zg = z!;
  tf.tidy(() => {
    const { grads } = tf.variableGrads(() => t.loss.generator(critic(generate(t.generator, zg, true))), p.gVars);
    t.optG.apply(p.gVars, p.gVars.map((v) => grads[v.name]!));
  });
  zg.dispose();
}

for (const loss of ['non-saturating', 'wasserstein-gp', 'wasserstein-clip'] as const) {
  test(`${loss}: the single-forward step equals the two-tape reference loop bit for bit`, async () => {
    await useBackend('wasm');
    const data = await openDataSource('ring8');
    const options = { seed: 5, batch: 16, loss, dSteps: 2 };
    const a = new GanTrainer(data, options);
    const b = new GanTrainer(data, options);
    for (let i = 0; i < 3; i++) { a.trainStep(); referenceStep(b); }
    const weights = (t: GanTrainer) => [...t.generator.model.weights, ...t.discriminator.model.weights].map((w) => Buffer.from((w.read().dataSync() as Float32Array).buffer));
    const wa = weights(a);
    const wb = weights(b);
    wa.forEach((w, i) => assert.ok(w.equals(wb[i]!), `weight ${i} differs`));
    a.dispose();
    b.dispose();
  });
}

for (const backend of BACKENDS) test(`${backend}: a training step keeps the tensor count flat`, async () => {
  await useBackend(backend);
  const data = await openDataSource('ring8');
  const t = new GanTrainer(data, { batch: 16, dSteps: 2 });
  t.trainStep();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 25; i++) t.trainStep();
  assert.equal(tf.memory().numTensors, before);
  t.dispose();
});

test('a non-finite loss stops training, names the step, and keeps the last good checkpoint', async () => {
  const ring = await openDataSource('ring8');
  assert.ok(!ring.finite);
  let calls = 0;
  // 64 fixed points; from the 13th batch on, one value is NaN.
  const base = ring.sample(64, new (await import('../../src/train/rng.js')).Rng(1));
  const poisoned: FiniteSource = {
    spec: 'poisoned', kind: 'points', shape: [2], finite: true, length: 64,
    take(indices) {
      if (indices.length === 16) calls += 1; // training batches only (the collapse monitor reads 64 once)
      const x = new Float32Array(indices.length * 2);
      for (let i = 0; i < indices.length; i++) x.set(base.x.subarray(indices[i]! * 2, indices[i]! * 2 + 2), i * 2);
      if (calls > 12) x[0] = NaN;
      return { n: indices.length, x };
    },
  };
  const dir = path.join(tmp(), 'run');
  await assert.rejects(
    runTraining({ data: 'ring8', batch: 16, steps: 40, checkpointEvery: 10 }, { out: dir, source: poisoned, ...quiet }),
    (err: unknown) => {
      assert.ok(err instanceof NumericalError);
      assert.match(err.message, /diverged at step 13: loss_d is NaN.*lower learning rate.*last good checkpoint is .*step-000010\.ckpt/);
      return true;
    },
  );
  const kept = listCheckpoints(path.join(dir, 'checkpoints'));
  assert.deepEqual(kept.map((f) => path.basename(f)), ['step-000010.ckpt']);
  assert.equal(decodeCheckpoint(fs.readFileSync(kept[0]!), kept[0]!).step, 10);
});
