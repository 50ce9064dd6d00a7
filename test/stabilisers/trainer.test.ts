/**
 * The stabilisers inside the trainer: --resume is bit for bit with every stabiliser on, the
 * tensor count stays flat, bad values are one ConfigError naming the flag, presets sit between
 * the loss's defaults and the user's flags, and the hooks do what their papers say inside a real
 * training step (EMA of the recorded weights, historical-averaging penalty, spectral norm's σ).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../src/backend/index.js';
import { openDataSource } from '../../src/data/index.js';
import { GanTrainer, resolveConfig } from '../../src/train/trainer.js';
import { runTraining } from '../../src/train/run.js';
import { decodeCheckpoint, listCheckpoints } from '../../src/train/checkpoint.js';
import { ConfigError } from '../../src/errors.js';
import { loadRunGenerator } from '../../src/sampling/sampler.js';
import type { TrainConfig } from '../../src/defaults.js';
import type { SpectralNorm } from '../../src/stabilisers/spectral-norm.js';

await useBackend('wasm');
const quiet = { onInfo: () => {} };
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-stab-'));

function lastCheckpoint(dir: string) {
  const f = listCheckpoints(path.join(dir, 'checkpoints')).at(-1)!;
  return decodeCheckpoint(fs.readFileSync(f), f);
}

function assertSameRun(a: string, b: string) {
  const ca = lastCheckpoint(a), cb = lastCheckpoint(b);
  assert.equal(ca.step, cb.step);
  assert.deepEqual([...ca.tensors.keys()], [...cb.tensors.keys()]);
  for (const [k, v] of ca.tensors) {
    assert.ok(Buffer.from(v.values.buffer).equals(Buffer.from(cb.tensors.get(k)!.values.buffer)), `tensor ${k} differs`);
  }
  const { config: _a, ...sa } = ca.state;
  const { config: _b, ...sb } = cb.state;
  assert.deepEqual(sa, sb);
  const metrics = (d: string) => fs.readFileSync(path.join(d, 'metrics.jsonl'), 'utf8').trim().split('\n')
    .map((l) => { const { images_per_s: _i, time: _t, ...r } = JSON.parse(l); return r; });
  assert.deepEqual(metrics(a), metrics(b));
  // The exported generator is the EMA one and is the same file.
  const w = (d: string) => fs.readFileSync(path.join(d, 'generator', 'weights.bin'));
  assert.ok(w(a).equals(w(b)), 'generator/weights.bin');
}

const cases: [string, Partial<TrainConfig>][] = [
  ['ring8 MLP, every stabiliser for points', {
    data: 'ring8', batch: 16, width: 8, steps: 6, checkpointEvery: 3, logEvery: 3, sampleEvery: 6,
    spectralNorm: true, ema: 0.9, r1: 1, r2: 0.5, regInterval: 3, pack: 2, historicalAveraging: 0.01, dSteps: 2,
    mbstd: true, minibatchDisc: true,
  }],
  ['ring8 MLP, unrolled D (exact) with packing, R1 and EMA', {
    data: 'ring8', batch: 16, width: 8, steps: 6, checkpointEvery: 3, logEvery: 3, sampleEvery: 6,
    unroll: 2, pack: 2, r1: 1, regInterval: 2, ema: 0.9,
  }],
  ['MNIST DCGAN, augment + spectral norm + EMA + R1', {
    data: 'mnist', batch: 4, width: 8, steps: 4, checkpointEvery: 2, logEvery: 1, sampleEvery: 4, gridSize: 4,
    spectralNorm: true, ema: 0.99, augment: 'translation,cutout,color', r1: 1, regInterval: 2, mbstd: true,
  }],
  ['MNIST DCGAN acgan, spectral norm + EMA + R1 (conditional G copied for the average)', {
    data: 'mnist', batch: 4, width: 8, steps: 4, checkpointEvery: 2, logEvery: 1, sampleEvery: 4, gridSize: 4,
    conditional: 'acgan', spectralNorm: true, ema: 0.99, r1: 1, regInterval: 2,
  }],
];
for (const [label, options] of cases) {
  test(`${label}: resume gives the same run bit for bit`, async () => {
    const dir = tmp();
    const straight = path.join(dir, 'straight'), resumed = path.join(dir, 'resumed');
    await runTraining({ ...options, seed: 5 }, { out: straight, ...quiet });
    await runTraining({ ...options, seed: 5, steps: options.checkpointEvery }, { out: resumed, ...quiet });
    await runTraining({ steps: options.steps }, { resume: resumed, ...quiet });
    assertSameRun(straight, resumed);
    const ck = lastCheckpoint(straight);
    if (options.spectralNorm) assert.ok([...ck.tensors.keys()].some((k) => k.startsWith('S/spectral-norm/u/')));
    assert.ok([...ck.tensors.keys()].some((k) => k.startsWith('S/ema/w/')));
    // generator/ is the EMA; generator-raw/ the trained G (ganbox sample --raw).
    const bin = (d: string) => fs.readFileSync(path.join(straight, d, 'weights.bin'));
    assert.ok(!bin('generator').equals(bin('generator-raw')));
    const raw = await loadRunGenerator(straight, { raw: true });
    const g = raw.model.weights[0]!.read().dataSync();
    const want = ck.tensors.get('G/0')!.values;
    assert.ok(Buffer.from(g.buffer).equals(Buffer.from(want.buffer)), 'generator-raw holds the checkpoint\'s G');
    raw.model.dispose();
  });
}

test('with every stabiliser on, 30 steps leave the tensor count flat (checkpoint round trips and samples)', async () => {
  const data = await openDataSource('ring8');
  const start = tf.memory().numTensors;
  const t = new GanTrainer(data, {
    batch: 16, width: 8, seed: 1, spectralNorm: true, ema: 0.99, r1: 1, r2: 1, regInterval: 2, pack: 2, historicalAveraging: 0.01,
    mbstd: true, minibatchDisc: true,
  });
  const z = t.fixedNoise(32);
  for (let i = 0; i < 5; i++) t.trainStep();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 30; i++) {
    t.trainStep();
    if (i % 10 === 0) { t.loadCheckpoint(t.getCheckpoint()); t.sample(z).dispose(); }
  }
  assert.equal(tf.memory().numTensors, before);
  z.dispose();
  t.dispose();
  assert.equal(tf.memory().numTensors, start, 'dispose() frees the stabilisers\' variables too');
});

test('unrolled D: 15 steps leave the tensor count flat', async () => {
  const data = await openDataSource('ring8');
  const start = tf.memory().numTensors;
  const t = new GanTrainer(data, { batch: 16, width: 8, seed: 1, unroll: 3, historicalAveraging: 0.01 });
  for (let i = 0; i < 3; i++) t.trainStep();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 15; i++) {
    t.trainStep();
    if (i % 5 === 0) t.loadCheckpoint(t.getCheckpoint());
  }
  t.stepGenerator();
  assert.equal(tf.memory().numTensors, before);
  t.dispose();
  assert.equal(tf.memory().numTensors, start);
});

test('bad stabiliser values: one ConfigError naming the flag', async () => {
  const data = await openDataSource('ring8');
  const bad: [Partial<TrainConfig>, RegExp][] = [
    [{ ema: 1 }, /--ema/], [{ ema: -0.1 }, /--ema/], [{ r1: -1 }, /--r1/], [{ r2: NaN }, /--r2/],
    [{ regInterval: 0 }, /--reg-interval/], [{ pack: 3, batch: 16 }, /--pack.*--batch/], [{ pack: 0 }, /--pack/],
    [{ augment: 'translation' }, /--augment.*images only/], [{ augment: 'rotate' }, /--augment.*'rotate'/],
    [{ historicalAveraging: -2 }, /--historical-averaging/], [{ mbstd: true, batch: 6 }, /--mbstd.*--batch 6/], [{ preset: 'qualty' }, /--preset.*did you mean 'quality'/],
    [{ unroll: -1 }, /--unroll/], [{ unroll: 2, spectralNorm: true }, /--unroll.*--spectral-norm/],
    [{ unroll: 2, unrollMode: 'second' as 'exact' }, /--unroll-mode/],
  ];
  for (const [opts, re] of bad) {
    assert.throws(() => new GanTrainer(data, opts).dispose(), (e: unknown) => e instanceof ConfigError && re.test(e.message) && !e.message.includes('\n'), JSON.stringify(opts));
  }
});

test('presets: above the loss defaults, below the user\'s flags', () => {
  const q = resolveConfig({ preset: 'quality' });
  assert.deepEqual([q.arch, q.lrG, q.lrD, q.beta1, q.spectralNorm, q.r1], ['infogan', 1e-3, 2e-4, 0.5, false, 0]);
  assert.equal(resolveConfig({ preset: 'quality' }, 'images').latentDim, 62, 'the InfoGAN net\'s own noise size');
  assert.deepEqual([q.width], [32]);
  const points = resolveConfig({ preset: 'quality' }, 'points');
  assert.deepEqual([points.arch, points.width, points.lrG], ['mlp', 128, 1e-3], 'an image network is not forced on 2-D points');
  assert.equal(resolveConfig({ preset: 'quality', width: 64 }, 'points').width, 64);
  assert.equal(resolveConfig({ preset: 'quality', arch: 'dcgan' }, 'images').arch, 'dcgan');
  assert.equal(resolveConfig({ preset: 'quality', lrG: 5e-4 }).lrG, 5e-4);
  assert.equal(resolveConfig({ preset: 'quality', loss: 'wasserstein-gp' }).lrG, 1e-3, 'the preset wins over the loss defaults');
  const c = resolveConfig({ preset: 'coverage', loss: 'wasserstein-gp' });
  assert.equal(c.pack, 2);
  assert.equal(c.dSteps, 5, 'the loss\'s own defaults still apply where the preset is silent');
  assert.equal(resolveConfig({ preset: 'dcgan', loss: 'wasserstein-gp' }).lrG, 2e-4, 'the preset wins over the loss defaults');
});

test('EMA in the trainer is the average of the recorded weights; historical averaging adds λ‖θ − θ̄‖²', async () => {
  const data = await openDataSource('ring8');
  const beta = 0.5;
  const t = new GanTrainer(data, { batch: 8, width: 8, seed: 2, ema: beta });
  const read = (ws: { read(): tf.Tensor }[]) => ws.map((w) => Float64Array.from(w.read().dataSync()));
  let avg = read(t.generator.model.weights);
  for (let i = 0; i < 3; i++) {
    t.trainStep();
    const now = read(t.generator.model.weights);
    const b = Math.min(beta, (1 + i) / (10 + i)); // the warm-up: 0.1, 2/11, 3/12
    avg = avg.map((a, j) => a.map((v, k) => b * v + (1 - b) * now[j]![k]!));
  }
  const ema = read(t.samplingGenerator.model.weights);
  ema.forEach((e, j) => e.forEach((v, k) => assert.ok(Math.abs(v - avg[j]![k]!) < 1e-5, `w${j}[${k}]: ${v} vs ${avg[j]![k]}`)));
  assert.notEqual(t.samplingGenerator, t.generator);
  t.dispose();

  // Historical averaging: G's penalty = λ Σ ‖θ − mean(θ⁽⁰⁾ … θ⁽ⁿ⁾)‖², the mean over recorded weights.
  const lambda = 0.3;
  const h = new GanTrainer(data, { batch: 8, width: 8, seed: 2, historicalAveraging: lambda });
  const gVars = (h as unknown as { gVars: tf.Variable[] }).gVars;
  const readVars = () => read(gVars.map((v) => ({ read: () => v })));
  const hist = [readVars()];
  for (let i = 0; i < 3; i++) { h.trainStep(); hist.push(readVars()); }
  let want = 0;
  const cur = hist.at(-1)!;
  cur.forEach((c, j) => c.forEach((v, k) => {
    const mean = hist.reduce((s, x) => s + x[j]![k]!, 0) / hist.length;
    want += (v - mean) ** 2;
  }));
  want *= lambda;
  const got = tf.tidy(() => h.stabilisers.generatorPenalty({ gVars })!.dataSync()[0]!);
  assert.ok(Math.abs(got - want) < 1e-5 * Math.max(1, want), `${got} vs ${want}`);
  h.dispose();
});

test('spectral norm in the trainer: D reads W/σ(W), so every bound kernel has σ ≈ 1 after power iterations', async () => {
  const data = await openDataSource('ring8');
  const t = new GanTrainer(data, { batch: 8, width: 8, seed: 3, spectralNorm: true });
  for (let i = 0; i < 3; i++) t.trainStep();
  const sn = t.stabilisers.items[0] as SpectralNorm;
  for (let i = 0; i < 300; i++) sn.beforeDiscriminatorStep();
  const kernels = t.discriminator.model.layers.filter((l) => l.getClassName() === 'Dense')
    .map((l) => (l as unknown as { kernel: { read(): tf.Tensor } }).kernel);
  tf.tidy(() => t.stabilisers.withDiscriminator(() => {
    for (const k of kernels) {
      const w = k.read(); // bound: W_SN
      const [rows, cols] = w.shape as [number, number];
      // σ_max(W_SN) by 500 plain power iterations in float64 (independent of the stabiliser's vectors).
      const m = Float64Array.from(w.dataSync());
      let v = new Float64Array(cols).fill(1);
      let s = 0;
      for (let it = 0; it < 500; it++) {
        const u = new Float64Array(rows);
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) u[r]! += m[r * cols + c]! * v[c]!;
        const nv = new Float64Array(cols);
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) nv[c]! += m[r * cols + c]! * u[r]!;
        const n = Math.hypot(...nv);
        s = Math.sqrt(n / Math.hypot(...v));
        v = nv.map((x) => x / n);
      }
      assert.ok(Math.abs(s - 1) < 1e-3, `σ(W_SN) = ${s}`);
    }
  }));
  t.dispose();
});
