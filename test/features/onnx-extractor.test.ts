/**
 * The extractors on onnxruntime (features/onnx-extractor.ts over the graphs of src/onnx/):
 *   - inception against PyTorch: the fixture of inception-fid.test.ts (pytorch-fid's network,
 *     formula weights written as a .pth, two 48×48 images through F.interpolate + the network);
 *     pool3, logits and logits-unbiased to 1e-4 relative (max |ours − torch| / max |torch|), the
 *     bound of the tfjs path (float32 both sides, ~95 convolutions; measured ~1e-6), the 'tf1'
 *     rule's pool3 likewise, and chunking that does not change the rows;
 *   - mnist against the tfjs extractor (the independent path: tfjs kernels on the same weights):
 *     features, logits and probabilities to 1e-5 relative (float32 sums in other orders; ~5e-7
 *     measured), grey 28×28, RGB 32×32 (luma + resize inside the graph), and the same predicted
 *     digit for 200 held-out digits;
 *   - openExtractor's default engine (onnxruntime, which loads here) and engine 'tfjs'.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../src/backend/index.js';
import { loadMnist } from '../../src/data/mnist.js';
import { openExtractor, OnnxInceptionExtractor, OnnxMnistExtractor } from '../../src/features/index.js';
import { MnistClassifierExtractor, mnistClassifierSplit, openMnistExtractor } from '../../src/features/mnist-classifier.js';
import { formulaWeights } from './formula-weights.js';
import { encodeTorchZip } from './pth-writer.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const fixture = JSON.parse(fs.readFileSync(path.join(HERE, '..', 'fixtures', 'inception', 'inception_fid.json'), 'utf8')) as {
  tensors: { name: string; shape: number[] }[];
  images: { shape: [number, number, number, number]; uint8_b64: string };
  outputs_float32_b64: Record<string, string>;
  tf1_pool3_float32_b64: string;
};
const f32 = (b64: string): Float32Array => {
  const b = Buffer.from(b64, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0, m = 0;
  for (let i = 0; i < b.length; i++) { d = Math.max(d, Math.abs(a[i]! - b[i]!)); m = Math.max(m, Math.abs(b[i]!)); }
  return d / m;
}

let dir: string;
let weights: string;
before(async () => {
  await useBackend('cpu');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-onnx-extractor-'));
  weights = path.join(dir, 'formula-inception.pth');
  fs.writeFileSync(weights, encodeTorchZip(fixture.tensors.map(({ name, shape }) => [name, shape, formulaWeights(name, shape)])));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('inception on onnxruntime matches PyTorch: pool3, logits, logits-unbiased (bilinear resize) to 1e-4 relative', async () => {
  const images = tf.tensor4d(Float32Array.from(Buffer.from(fixture.images.uint8_b64, 'base64')), fixture.images.shape);
  const ex = await openExtractor('inception', { weights, threads: 2 });
  assert.ok(ex instanceof OnnxInceptionExtractor, 'onnxruntime is the default engine where it loads');
  assert.deepEqual(ex.settings, { extractor: 'inception', weights: 'formula-inception.pth', resize: 'bilinear', size: 299 }, "the tfjs extractor's settings (cache keys)");
  const out = await ex.extract(images, ['pool3', 'logits', 'logits-unbiased']);
  const got: Record<string, Float32Array> = {};
  for (const [layer, dim] of [['pool3', 2048], ['logits', 1008], ['logits-unbiased', 1008]] as const) {
    assert.deepEqual(out[layer]!.shape, [2, dim]);
    got[layer] = out[layer]!.dataSync() as Float32Array;
    const err = relErr(got[layer]!, f32(fixture.outputs_float32_b64[layer]!));
    console.log(`# onnxruntime ${layer}: max relative error vs PyTorch ${err.toExponential(2)}`);
    assert.ok(err < 1e-4, `${layer}: ${err}`);
  }
  tf.dispose(Object.values(out));
  ex.chunk = 1; // one image per run: the same rows
  const apart = await ex.extract(images, ['pool3']);
  assert.ok(relErr(apart.pool3!.dataSync(), got.pool3!) < 1e-6);
  tf.dispose(Object.values(apart));
  ex.dispose();
  images.dispose();
});

test("inception on onnxruntime, the 'tf1' rule: pool3 matches PyTorch to 1e-4 relative", async () => {
  const images = tf.tensor4d(Float32Array.from(Buffer.from(fixture.images.uint8_b64, 'base64')), fixture.images.shape);
  const t1 = await openExtractor('inception', { weights, resize: 'tf1', threads: 2 });
  const pool3 = (await t1.extract(images, ['pool3'])).pool3!;
  const err = relErr(pool3.dataSync(), f32(fixture.tf1_pool3_float32_b64));
  console.log(`# onnxruntime pool3 (tf1 resize): max relative error vs PyTorch ${err.toExponential(2)}`);
  assert.ok(err < 1e-4, `tf1 pool3: ${err}`);
  tf.dispose([pool3, images]);
  t1.dispose();
});

test('engine tfjs gives the tfjs extractors; an unknown engine names --engine', async () => {
  const ex = await openExtractor('mnist', { engine: 'tfjs' });
  assert.ok(ex instanceof MnistClassifierExtractor);
  ex.dispose();
  await assert.rejects(openExtractor('mnist', { engine: 'onnx' as never }), /--engine.*auto, onnxruntime, tfjs/);
});

test('mnist on onnxruntime = the tfjs extractor (1e-5 relative) for grey 28×28 and RGB 32×32; same digits for 200 held-out images', async () => {
  const tfjs = await openMnistExtractor();
  const ort = await openExtractor('mnist', { threads: 1 });
  assert.ok(ort instanceof OnnxMnistExtractor);
  assert.deepEqual(ort.settings, tfjs.settings);
  const layers = ['features', 'logits', 'probabilities'];
  for (const [side, c] of [[28, 1], [32, 3]] as const) {
    const n = 6;
    const px = Float32Array.from({ length: n * side * side * c }, (_, i) => (i * 37 + (i >> 7) * 11) % 256);
    const images = tf.tensor4d(px, [n, side, side, c]);
    const a = await ort.extract(images, layers), b = tfjs.extract(images, layers);
    for (const l of layers) {
      const err = relErr(a[l]!.dataSync(), b[l]!.dataSync());
      console.log(`# mnist ${side}×${side}×${c} ${l}: onnxruntime vs tfjs ${err.toExponential(2)}`);
      assert.ok(err < 1e-5, `${l}: ${err}`);
    }
    tf.dispose([images, ...Object.values(a), ...Object.values(b)]);
  }
  const { x } = loadMnist(); // [10000, 28, 28, 1] in [−1, 1]
  const idx = mnistClassifierSplit().heldOut.subarray(0, 200);
  const px = new Float32Array(idx.length * 784);
  idx.forEach((k, r) => { for (let j = 0; j < 784; j++) px[r * 784 + j] = (x[k * 784 + j]! + 1) * 127.5; });
  const digits = tf.tensor4d(px, [idx.length, 28, 28, 1]);
  const la = (await ort.extract(digits, ['logits'])).logits!, lb = tfjs.extract(digits, ['logits']).logits!;
  assert.deepEqual(tf.argMax(la, 1).dataSync(), tf.argMax(lb, 1).dataSync());
  tf.dispose([digits, la, lb]);
  ort.dispose();
  tfjs.dispose();
});
