/**
 * The FID Inception network against PyTorch: test/reference/make_inception_fixtures.py builds
 * pytorch-fid's architecture with formula weights and runs two 48×48 images through
 * F.interpolate + the network; here the same formula weights are written as a torch zip
 * checkpoint (pth-writer.ts), loaded through the real reader, and the three layers must agree to
 * 1e-4 relative (max |ours − torch| / max |torch|): float32 on both sides, about 95 convolutions
 * deep, PyTorch's own float32-vs-float64 gap is 6e-7 (in the fixture), and BN folding changes
 * only the rounding. The 'tf1' rule end to end too, and batch-size independence. Also: both
 * resize rules against PyTorch/numpy on small images, the pools' padding
 * conventions on wasm, the legacy file format, the errors, and tensors freed. About 20–40 s on a loaded 2-core machine.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../src/backend/index.js';
import { ConfigError, DataError, ShapeError } from '../../src/errors.js';
import { inceptionInput, resizeImages } from '../../src/features/image-input.js';
import { INCEPTION_CONVS } from '../../src/features/inception-arch.js';
import { openInceptionExtractor } from '../../src/features/inception-fid.js';
import { FID_WEIGHTS_URL, loadInceptionWeights } from '../../src/features/inception-weights.js';
import { formulaWeights } from './formula-weights.js';
import { encodeTorchLegacy, encodeTorchZip } from './pth-writer.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
interface ResizeCase { size: [number, number]; bilinear?: number[]; tf1?: number[]; bilinear_sum?: number; tf1_sum?: number; bilinear_corner?: number[]; tf1_corner?: number[] }
const fixture = JSON.parse(fs.readFileSync(path.join(HERE, '..', 'fixtures', 'inception', 'inception_fid.json'), 'utf8')) as {
  tensors: { name: string; shape: number[]; sum: number }[];
  images: { shape: [number, number, number, number]; uint8_b64: string };
  outputs_float32_b64: Record<string, string>;
  tf1_pool3_float32_b64: string;
  resize: { input: number[]; shape: [number, number, number, number]; cases: ResizeCase[] };
};
const f32 = (b64: string): Float32Array => {
  const b = Buffer.from(b64, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

let dir: string;
let weightsFile: string;
let state: [string, number[], Float32Array][];

before(async () => {
  await useBackend('wasm');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-inception-'));
  weightsFile = path.join(dir, 'formula-inception.pth');
  state = fixture.tensors.map(({ name, shape, sum }) => {
    const w = formulaWeights(name, shape);
    let s = 0;
    for (const v of w) s += v;
    // float64 sums of the same float32 values in the same order: equal unless the formula differs.
    assert.ok(Math.abs(s - sum) <= 1e-9 * Math.max(1, Math.abs(sum)), `formula weights of ${name}: sum ${s} vs Python's ${sum}`);
    return [name, shape, w];
  });
  fs.writeFileSync(weightsFile, encodeTorchZip(state));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** max |a − b| / max |b|. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0, m = 0;
  for (let i = 0; i < b.length; i++) { d = Math.max(d, Math.abs(a[i]! - b[i]!)); m = Math.max(m, Math.abs(b[i]!)); }
  return d / m;
}

test('pool3, logits and logits-unbiased match PyTorch (pytorch-fid network, formula weights) to 1e-4 relative', async () => {
  const ex = await openInceptionExtractor({ weights: weightsFile });
  assert.deepEqual([...ex.layers], ['pool3', 'logits', 'logits-unbiased']);
  assert.deepEqual(ex.dims, { pool3: 2048, logits: 1008, 'logits-unbiased': 1008 });
  assert.equal(ex.settings.resize, 'bilinear');
  const px = Buffer.from(fixture.images.uint8_b64, 'base64');
  const images = tf.tensor4d(Float32Array.from(px), fixture.images.shape);
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  const out = ex.extract(images, ['pool3', 'logits', 'logits-unbiased']);
  const got = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.dataSync()]));
  const secs = (performance.now() - t0) / 1000;
  for (const [layer, dim] of [['pool3', 2048], ['logits', 1008], ['logits-unbiased', 1008]] as const) {
    assert.deepEqual(out[layer]!.shape, [2, dim]);
    const want = f32(fixture.outputs_float32_b64[layer]!);
    const err = relErr(got[layer]!, want);
    console.log(`# ${layer}: max relative error vs PyTorch ${err.toExponential(2)}`);
    assert.ok(err < 1e-4, `${layer}: ${err}`);
  }
  console.log(`# 2 images in ${secs.toFixed(2)} s (${(2 / secs).toFixed(2)} images/s, backend ${tf.getBackend()})`);
  for (const t of Object.values(out)) t.dispose();
  assert.equal(tf.memory().numTensors, before, 'extract leaks no tensors');
  // Batch-size independence: one image per forward pass (chunk 1) gives the same rows.
  ex.chunk = 1;
  const apart = ex.extract(images, ['pool3', 'logits']);
  assert.ok(relErr(apart.pool3!.dataSync(), got.pool3!) < 1e-6, 'pool3 one image at a time vs in one batch');
  assert.ok(relErr(apart.logits!.dataSync(), got.logits!) < 1e-6, 'logits one image at a time vs in one batch');
  tf.dispose(Object.values(apart));
  assert.equal(tf.memory().numTensors, before, 'chunked extract leaks no tensors');
  images.dispose();
  ex.dispose();
});

test("the 'tf1' rule end to end: pool3 of TF1-resized (x − 128)/128 inputs matches PyTorch to 1e-4 relative", async () => {
  const ex = await openInceptionExtractor({ weights: weightsFile, resize: 'tf1' });
  assert.equal(ex.settings.resize, 'tf1');
  const images = tf.tensor4d(Float32Array.from(Buffer.from(fixture.images.uint8_b64, 'base64')), fixture.images.shape);
  const pool3 = ex.extract(images, ['pool3']).pool3!;
  const err = relErr(pool3.dataSync(), f32(fixture.tf1_pool3_float32_b64));
  console.log(`# pool3 (tf1 resize): max relative error vs PyTorch ${err.toExponential(2)}`);
  assert.ok(err < 1e-4, `tf1 pool3: ${err}`);
  tf.dispose([pool3, images]);
  ex.dispose();
});

test('the legacy (pre-2020, non-zip) checkpoint format of the same weights loads to identical tensors', () => {
  const legacyFile = path.join(dir, 'formula-inception-legacy.pth');
  fs.writeFileSync(legacyFile, encodeTorchLegacy(state));
  const a = loadInceptionWeights(weightsFile), b = loadInceptionWeights(legacyFile);
  assert.equal(a.convs.size, 94);
  for (const [name, c] of a.convs) {
    const d = b.convs.get(name)!;
    assert.deepEqual(d.filter.dataSync(), c.filter.dataSync(), `${name} filter`);
    assert.deepEqual(d.bias.dataSync(), c.bias.dataSync(), `${name} bias`);
  }
  assert.deepEqual(b.fcWeight.dataSync(), a.fcWeight.dataSync());
  assert.deepEqual(b.fcBias.dataSync(), a.fcBias.dataSync());
  a.dispose();
  b.dispose();
  fs.rmSync(legacyFile);
});

test('resize: bilinear = F.interpolate(align_corners=False), tf1 = TF1 resize_bilinear, on wasm', () => {
  const { input, shape, cases } = fixture.resize;
  const x = tf.tensor4d(input, shape);
  for (const c of cases) {
    for (const mode of ['bilinear', 'tf1'] as const) {
      const y = resizeImages(x, c.size[0], c.size[1], mode);
      const v = y.dataSync();
      if (c[mode]) {
        assert.ok(relErr(v, c[mode]!) < 1e-6, `${mode} ${c.size}: ${relErr(v, c[mode]!)}`);
      } else {
        let sum = 0;
        for (const q of v) sum += q;
        assert.ok(Math.abs(sum - c[`${mode}_sum`]!) / Math.abs(c[`${mode}_sum`]!) < 1e-6, `${mode} ${c.size} sum ${sum}`);
        const [h, w] = c.size;
        const corner: number[] = [];
        const rows = mode === 'bilinear' ? [0, 1, 2] : [h - 3, h - 2, h - 1];
        const cols = mode === 'bilinear' ? [0, 1, 2] : [w - 3, w - 2, w - 1];
        for (const r of rows) for (const q of cols) for (let ch = 0; ch < 3; ch++) corner.push(v[(r * w + q) * 3 + ch]!);
        assert.ok(relErr(corner, c[`${mode}_corner`]!) < 1e-6, `${mode} ${c.size} corner`);
      }
      y.dispose();
    }
  }
  x.dispose();
});

test('input scaling: 2·x/255 − 1 (bilinear), (x − 128)/128 (tf1); grey repeated to RGB', () => {
  const grey = tf.tensor4d([0, 64, 128, 255], [1, 2, 2, 1]);
  const size = 2; // no resampling: only the channel rule and the scaling act
  const a = inceptionInput(grey, size, 'bilinear');
  assert.deepEqual(a.shape, [1, 2, 2, 3]);
  const av = a.dataSync();
  [0, 64, 128, 255].forEach((p, i) => { for (let c = 0; c < 3; c++) assert.ok(Math.abs(av[i * 3 + c]! - (2 * p / 255 - 1)) < 1e-6); });
  const b = inceptionInput(grey, size, 'tf1').dataSync();
  [0, 64, 128, 255].forEach((p, i) => assert.ok(Math.abs(b[i * 3]! - (p - 128) / 128) < 1e-7));
  assert.throws(() => inceptionInput(tf.zeros([1, 2, 2, 2]) as tf.Tensor4D, 2, 'bilinear'), ShapeError);
  tf.dispose([grey, a]);
});

test('Compat pools on wasm: 3×3 average without the padded zeros, max pool padding ignored', () => {
  // A 4×5 single-channel map; reference by loops over the in-bounds window.
  const h = 4, w = 5;
  const vals = Array.from({ length: h * w }, (_, i) => ((i * 7) % 11) - 3);
  const x = tf.tensor4d(vals, [1, h, w, 1]);
  const avg = tf.avgPool(x, 3, 1, 'same').dataSync();
  const max = tf.maxPool(tf.neg(tf.abs(x)) as tf.Tensor4D, 3, 1, 'same').dataSync(); // all ≤ 0: a zero pad would win
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      let s = 0, n = 0, m = -Infinity;
      for (let di = -1; di <= 1; di++) for (let dj = -1; dj <= 1; dj++) {
        const y = i + di, q = j + dj;
        if (y < 0 || y >= h || q < 0 || q >= w) continue;
        s += vals[y * w + q]!; n++; m = Math.max(m, -Math.abs(vals[y * w + q]!));
      }
      assert.ok(Math.abs(avg[i * w + j]! - s / n) < 1e-6, `avg at ${i},${j}: ${avg[i * w + j]} vs ${s / n} (count_include_pad=False)`);
      assert.equal(max[i * w + j], m, `max at ${i},${j}`);
    }
  }
  x.dispose();
});

test('errors: no weights option, missing file (with the download URL), missing tensor, wrong shape', async () => {
  await assert.rejects(openInceptionExtractor({}), (e: unknown) => e instanceof ConfigError && /--weights/.test(e.message) && e.message.includes(FID_WEIGHTS_URL));
  const missing = path.join(dir, 'nope.pth');
  await assert.rejects(openInceptionExtractor({ weights: missing }), (e: unknown) => e instanceof DataError && e.message.includes(missing) && e.message.includes(FID_WEIGHTS_URL));
  const first = INCEPTION_CONVS[0]!;
  const w = (name: string, shape: number[]): [string, number[], Float32Array] => [name, shape, new Float32Array(shape.reduce((a, b) => a * b, 1))];
  const partial = path.join(dir, 'partial.pth');
  fs.writeFileSync(partial, encodeTorchZip([w(`${first.name}.conv.weight`, [32, 3, 3, 3])]));
  await assert.rejects(openInceptionExtractor({ weights: partial }), (e: unknown) => e instanceof DataError && e.message.includes(partial) && e.message.includes(`'${first.name}.bn.weight'`));
  const wrong = path.join(dir, 'wrong.pth');
  fs.writeFileSync(wrong, encodeTorchZip([w(`${first.name}.conv.weight`, [32, 3, 5, 5])]));
  await assert.rejects(openInceptionExtractor({ weights: wrong }), (e: unknown) => e instanceof DataError && /'Conv2d_1a_3x3.conv.weight' has shape 32×3×5×5, not 32×3×3×3/.test(e.message));
  await assert.rejects(openInceptionExtractor({ weights: wrong, resize: 'bicubic' }), ConfigError);
});
