/**
 * The evaluation pipeline on every kind of input: folders, .npy images, .npy features, .npz
 * statistics. Features come from the projection extractor of test/helpers (a fixed random
 * projection), so the expected values below are computed here independently of the pipeline.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../src/backend/index.js';
import { openEvalInput } from '../../src/evaluate/inputs.js';
import { Evaluator } from '../../src/evaluate/evaluator.js';
import { fidOf, isOf, kidOf, prdcOf } from '../../src/evaluate/metrics.js';
import { NumpyRandomState } from '../../src/metrics/numpy-random-state.js';
import { featuresToStatistics, encodeStatistics } from '../../src/metrics/statistics.js';
import { inceptionScore } from '../../src/metrics/inception-score.js';
import { encodeNpy } from '../../src/io/npy.js';
import { openDataSource } from '../../src/data/index.js';
import type { FiniteSource } from '../../src/data/source.js';
import { PROJECTION_MODULE, openExtractor } from '../helpers/projection-extractor.js';
import { makeImages, relDiff, writeFeaturesNpy, writeImagesNpy, writePngFolder } from '../helpers/eval-fixtures.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-eval-'));
const H = 12, W = 10, N = 40;
const pxA = makeImages(N, H, W, 3, 1);
const pxB = makeImages(N, H, W, 3, 2);
const evaluator = () => new Evaluator({ extractor: 'mnist', extractorModule: PROJECTION_MODULE, pool: { workers: 0 }, batchSize: 16 });

before(async () => {
  await useBackend('cpu');
  writePngFolder(path.join(tmp, 'a'), pxA, H, W, 3);
  writeImagesNpy(path.join(tmp, 'a.npy'), pxA, H, W, 3);
  writeImagesNpy(path.join(tmp, 'b.npy'), pxB, H, W, 3);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The projection extractor's pool3 features of all images at once, in this thread: the independent path. */
async function directFeatures(px: Uint8Array, n: number): Promise<Float32Array> {
  const ex = await openExtractor('mnist');
  const x = tf.tensor4d(Float32Array.from(px), [n, H, W, 3]);
  const out = ex.extract(x, ['pool3']);
  const f = out.pool3!.dataSync() as Float32Array;
  x.dispose(); out.pool3!.dispose(); ex.dispose();
  return f;
}

test('a folder of PNGs and a .npy of the same images give the features of one direct extraction', async () => {
  const folder = await openEvalInput(path.join(tmp, 'a'));
  const npy = await openEvalInput(path.join(tmp, 'a.npy'));
  assert.equal(folder.kind, 'images');
  assert.equal(npy.kind, 'images');
  const ev = evaluator();
  const f1 = (await ev.features(folder, ['features'])).features;
  const f2 = (await ev.features(npy, ['features'])).features;
  await ev.close();
  assert.deepEqual([f1.n, f1.d], [N, 16]);
  // Batches of 16 against one batch of 40: the projection is row-wise, so the values are equal.
  assert.deepEqual(f1.data, await directFeatures(pxA, N));
  assert.deepEqual(f2.data, f1.data);
  assert.deepEqual(ev.settings(), { extractor: 'mnist', layer: 'pool3', resize: 'bilinear' });
});

test('analytic facts: identical sets → FID 0; FID(A, B) = FID(B, A); a shifted copy → ||shift||²', async () => {
  const ev = evaluator();
  const a = await openEvalInput(path.join(tmp, 'a')), b = await openEvalInput(path.join(tmp, 'b.npy'));
  const aa = await fidOf(ev, a, await openEvalInput(path.join(tmp, 'a.npy')));
  const ab = await fidOf(ev, a, b), ba = await fidOf(ev, b, a);
  // Tolerances: 0 up to float64 rounding of the trace terms (Tr S ~ 1 here); symmetry to 1e-9 relative.
  assert.ok(Math.abs(aa) < 1e-9, `FID(A, A) = ${aa}`);
  assert.ok(ab > 0.01, `FID(A, B) = ${ab}`);
  assert.ok(relDiff(ab, ba) < 1e-9, `${ab} vs ${ba}`);

  // Features input: B = A + c has the covariance of A, so FID = ||c||² exactly (Dowson & Landau).
  const fa = (await ev.features(a, ['features'])).features;
  const c = Float64Array.from({ length: fa.d }, (_, j) => 0.1 * (j - 7));
  const shifted = Float64Array.from(fa.data, (v, i) => v + c[i % fa.d]!);
  writeFeaturesNpy(path.join(tmp, 'fa.npy'), Float64Array.from(fa.data), fa.n, fa.d);
  writeFeaturesNpy(path.join(tmp, 'fs.npy'), shifted, fa.n, fa.d);
  const shiftFid = await fidOf(ev, await openEvalInput(path.join(tmp, 'fa.npy')), await openEvalInput(path.join(tmp, 'fs.npy')));
  const c2 = c.reduce((s, v) => s + v * v, 0);
  assert.ok(relDiff(shiftFid, c2) < 1e-9, `${shiftFid} vs ${c2}`);

  // Statistics input (.npz) against images: the same value as images against images.
  const statsFile = path.join(tmp, 'b-stats.npz');
  const fb = (await ev.features(b, ['features'])).features;
  fs.writeFileSync(statsFile, encodeStatistics(featuresToStatistics(fb.data, fb.n, fb.d)));
  const viaStats = await fidOf(ev, a, await openEvalInput(statsFile));
  assert.ok(relDiff(viaStats, ab) < 1e-12, `${viaStats} vs ${ab}`);
  await ev.close();
});

test('IS from images equals IS of the logits computed directly; KID and PRDC run on images and features', async () => {
  const ev = evaluator();
  const a = await openEvalInput(path.join(tmp, 'a.npy'));
  const is = await isOf(ev, a, { splits: 4 });
  assert.equal(ev.settings('logits').layer, 'logits-unbiased');
  const ex = await openExtractor('mnist');
  const x = tf.tensor4d(Float32Array.from(pxA), [N, H, W, 3]);
  const out = ex.extract(x, ['logits-unbiased']);
  // isOf splits in torch-fidelity's order, numpy's RandomState(2020).permutation (the input may be
  // sorted by class): the same order here, explicitly. (It was ganbox's own Rng(2020) order before
  // issue 11, which matched no reference.)
  const logits = out['logits-unbiased']!.dataSync();
  const expected = inceptionScore(logits, N, 10, { splits: 4, order: new NumpyRandomState(2020).permutation(N) });
  const asGiven = inceptionScore(logits, N, 10, { splits: 4, splitOrder: 'input' });
  x.dispose(); out['logits-unbiased']!.dispose(); ex.dispose();
  assert.deepEqual(is, expected);
  assert.deepEqual(await isOf(ev, a, { splits: 4, splitOrder: 'input' }), asGiven);
  assert.notDeepEqual(asGiven, expected);

  const b = await openEvalInput(path.join(tmp, 'b.npy'));
  const kid = await kidOf(ev, a, b, { subsets: 10, subsetSize: 20 });
  assert.ok(Number.isFinite(kid.mean) && kid.std >= 0);
  const same = await prdcOf(ev, a, a);
  // A set against itself: every sample lies inside its own ball (distance 0 < its radius).
  assert.equal(same.precision, 1); assert.equal(same.recall, 1); assert.equal(same.coverage, 1);
  await assert.rejects(prdcOf(ev, await openEvalInput(path.join(tmp, 'b-stats.npz')), a), /holds statistics/);
  await ev.close();
});

test('a data spec (mnist) is an input: its uint8 images are the nearest bytes of the source values', async () => {
  const input = await openEvalInput('mnist');
  assert.equal(input.kind, 'images');
  if (input.kind !== 'images') return;
  assert.deepEqual([input.n, ...input.shape], [10000, 28, 28, 1]);
  const bytes = input.read(9990, 10);
  const floats = ((await openDataSource('mnist')) as FiniteSource).take(Array.from({ length: 10 }, (_, i) => 9990 + i)).x;
  // The package stores v = byte/255 to 3 decimals (mapped to 2v − 1): the nearest byte is within
  // 0.0005·2 (+ float32 rounding) of it, i.e. the original MNIST byte.
  for (let i = 0; i < bytes.length; i++) {
    assert.equal(bytes[i], Math.round((floats[i]! + 1) * 127.5));
    assert.ok(Math.abs((bytes[i]! / 255) * 2 - 1 - floats[i]!) <= 1e-3 + 1e-6);
  }
});

test('inputs: bad files are one-sentence DataErrors naming the file', async () => {
  await assert.rejects(openEvalInput(path.join(tmp, 'missing'), 'A'), /missing \(A\) does not exist/);
  fs.writeFileSync(path.join(tmp, 'x.txt'), 'hello');
  await assert.rejects(openEvalInput(path.join(tmp, 'x.txt'), 'B'), /x\.txt \(B\) is neither a folder, a \.npy nor a \.npz/);
  fs.writeFileSync(path.join(tmp, 'i32.npy'), encodeNpy({ dtype: '<i4', shape: [2, 2], data: new Int32Array(4) }));
  await assert.rejects(openEvalInput(path.join(tmp, 'i32.npy')), /holds <i4 of shape \(2, 2\); expected uint8 images/);
  fs.mkdirSync(path.join(tmp, 'mixed'));
  writePngFolder(path.join(tmp, 'mixed'), pxA.subarray(0, H * W * 3), H, W, 3);
  fs.copyFileSync(path.join(tmp, 'mixed', 'img-000.png'), path.join(tmp, 'mixed', 'img-001.png'));
  const small = makeImages(1, 5, 5, 3, 9);
  writePngFolder(path.join(tmp, 'mixed', 'z'), small, 5, 5, 3);
  const mixed = await openEvalInput(path.join(tmp, 'mixed'));
  const ev = evaluator();
  await assert.rejects(ev.features(mixed, ['features']), /is 5x5 but .* is 10x12; every image of .* must have one size/);
  await ev.close();
});
