/**
 * The generator's ONNX graph (src/onnx/generator.ts) on onnxruntime against the tfjs model it was
 * written from, for every arch and size of src/models, weights and BatchNorm statistics random.
 * Bound 1e-5 relative (max |onnx − tfjs| / max |tfjs|): both are float32 forward passes of the
 * same weights; the sums run in other orders (and onnxruntime fuses BN into the convolutions),
 * which moves each value by a few ulp per layer, 1e-7…1e-6 measured. Also the graph's interface
 * (names, symbolic batch, NHWC output, one Transpose at the end) and `sampleWith` on both engines.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import onnxProto from 'onnx-proto';
import { useBackend } from '../../src/backend/index.js';
import { generatorToOnnx } from '../../src/onnx/generator.js';
import { OnnxSession, resolveEngine } from '../../src/onnx/runtime.js';
import { loadRunGenerator, sampleGenerator, sampleWith } from '../../src/sampling/sampler.js';
import { Rng } from '../../src/train/rng.js';
import { CONDITIONAL_CASES, GENERATOR_CASES, randomGenerator, relErr, saveRun } from './helpers.js';

before(async () => { await useBackend('cpu'); });

for (const c of GENERATOR_CASES) {
  test(`${c.label}: the ONNX graph on onnxruntime = the tfjs model (1e-5 relative), batch symbolic`, async () => {
    const g = randomGenerator(c);
    const bytes = generatorToOnnx(g.model);
    const session = await OnnxSession.create(bytes, 1);
    const out = g.outputShape.length === 3 ? 'images' : 'points';
    assert.deepEqual([...session.inputNames], ['z']);
    assert.deepEqual([...session.outputNames], [out]);
    for (const n of [1, 5]) { // one graph, two batch sizes: N is symbolic
      const z = new Rng(n).normalArray(n * g.latentDim);
      const want = tf.tidy(() => (g.model.predict(tf.tensor2d(z, [n, g.latentDim])) as tf.Tensor).dataSync());
      const r = (await session.run({ z: { data: z, dims: [n, g.latentDim] } }))[out]!;
      assert.deepEqual([...r.dims], [n, ...g.outputShape], 'NHWC (or [N, D]) output');
      const err = relErr(r.data, want);
      console.log(`# ${c.label}, batch ${n}: max relative difference ${err.toExponential(2)}`);
      assert.ok(err < 1e-5, `${err}`);
    }
    await session.dispose();
    g.model.dispose();
  });
}

for (const c of CONDITIONAL_CASES) {
  test(`${c.label}: inputs z, y, c as the model names them; the ONNX graph = the tfjs model (1e-5 relative)`, async () => {
    const g = randomGenerator(c);
    const session = await OnnxSession.create(generatorToOnnx(g.model), 1);
    assert.deepEqual([...session.inputNames], g.model.inputNames, 'z, then y (labels) and c (codes)');
    const n = 6;
    const rng = new Rng(11);
    const feeds: Record<string, { data: Float32Array; dims: number[] }> = {};
    g.model.inputNames.forEach((name, i) => {
      const width = g.model.inputs[i]!.shape[1] as number;
      // z and the codes: normal draws; y: one-hot rows (row r has class 3r mod K).
      const data = name === 'y'
        ? Float32Array.from({ length: n * width }, (_, k) => (k % width === (Math.floor(k / width) * 3) % width ? 1 : 0))
        : rng.normalArray(n * width);
      feeds[name] = { data, dims: [n, width] };
    });
    const want = tf.tidy(() => (g.model.predict(g.model.inputNames.map((k) => tf.tensor2d(feeds[k]!.data, feeds[k]!.dims as [number, number]))) as tf.Tensor).dataSync());
    const out = g.outputShape.length === 3 ? 'images' : 'points';
    const r = (await session.run(feeds))[out]!;
    assert.deepEqual([...r.dims], [n, ...g.outputShape]);
    const err = relErr(r.data, want);
    console.log(`# ${c.label}: max relative difference ${err.toExponential(2)}`);
    assert.ok(err < 1e-5, `${err}`);
    await session.dispose();
    g.model.dispose();
  });
}

test('the graph: opset ≥ 13, z [N, latent] → images [N, H, W, C]; DCGAN NCHW inside with exactly one Transpose, at the end', () => {
  const g = randomGenerator(GENERATOR_CASES[3]!); // dcgan 32×32×3
  const m = onnxProto.onnx.ModelProto.decode(generatorToOnnx(g.model));
  assert.ok(Number(m.opsetImport[0]!.version) >= 13);
  const dims = (v: onnxProto.onnx.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
  assert.deepEqual(dims(m.graph!.input![0]!), ['N', 100]);
  assert.deepEqual(dims(m.graph!.output![0]!), ['N', 32, 32, 3]);
  const ops = m.graph!.node!.map((n) => n.opType);
  assert.deepEqual(ops.filter((o) => o === 'Transpose').length, 1);
  assert.equal(ops.at(-1), 'Transpose');
  assert.deepEqual([...new Set(ops)].sort(), ['BatchNormalization', 'ConvTranspose', 'Gemm', 'Relu', 'Reshape', 'Tanh', 'Transpose']);
  g.model.dispose();
});

test('sampleWith: onnxruntime and tfjs give the same samples from the same seed (1e-5 relative), default engine onnxruntime', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-onnx-sample-'));
  try {
    const g0 = randomGenerator(GENERATOR_CASES[2]!); // dcgan 28×28×1
    await saveRun(g0, dir);
    g0.model.dispose();
    const g = await loadRunGenerator(dir);
    assert.equal(await resolveEngine(undefined), 'onnxruntime', 'onnxruntime-node loads here, so it is the default');
    const ort = await sampleWith(g, 300, 3, { threads: 1 }); // two batches (256 + 44)
    const tfjs = await sampleWith(g, 300, 3, { engine: 'tfjs' });
    assert.equal(ort.engine, 'onnxruntime');
    assert.equal(tfjs.engine, 'tfjs');
    assert.deepEqual(tfjs.values, sampleGenerator(g, 300, 3), 'the tfjs engine is sampleGenerator');
    const err = relErr(ort.values, tfjs.values);
    console.log(`# 300 samples, onnxruntime vs tfjs: max relative difference ${err.toExponential(2)}`);
    assert.ok(err < 1e-5, `${err}`);
    g.model.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
