/**
 * The 'mnist' extractor: the shipped classifier loads through openExtractor, classifies the 2,000
 * digits of the `mnist` package it never trained on (mnistClassifierSplit's held-out part) with
 * ≥ 98% accuracy — the value training.json reports — and frees its tensors. Also the input
 * conventions (pixels in [0, 255], RGB by luma) and the registry's errors. About 5 s.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '../../src/backend/index.js';
import { loadMnist } from '../../src/data/mnist.js';
import { ConfigError, DataError, ShapeError } from '../../src/errors.js';
import { saveLayersModel } from '../../src/io/tfjs-format.js';
import { openExtractor, mnistClassifierSplit, mnistClassifierPath } from '../../src/features/index.js';
import { loadMnistClassifierSync, openMnistExtractor } from '../../src/features/mnist-classifier.js';

await useBackend('wasm');
const { x, labels } = loadMnist(); // [10000, 28, 28, 1] in [−1, 1]
const P = 28 * 28;
/** Digits `idx` as [n, 28, 28, 1] pixels in [0, 255]. */
function pixels(idx: ArrayLike<number>): tf.Tensor4D {
  const out = new Float32Array(idx.length * P);
  for (let k = 0; k < idx.length; k++) for (let j = 0; j < P; j++) out[k * P + j] = (x[idx[k]! * P + j]! + 1) * 127.5;
  return tf.tensor4d(out, [idx.length, 28, 28, 1]);
}

test('split: 8,000 training and 2,000 held-out digits, disjoint, fixed by the seed', () => {
  const { train, heldOut } = mnistClassifierSplit();
  assert.equal(train.length, 8000);
  assert.equal(heldOut.length, 2000);
  const all = new Set([...train, ...heldOut]);
  assert.equal(all.size, 10000);
  assert.deepEqual(mnistClassifierSplit().heldOut, heldOut);
  const counts = new Array<number>(10).fill(0);
  for (const i of heldOut) counts[labels[i]!]!++;
  assert.ok(counts.every((c) => c > 150), `every class is held out: ${counts}`);
});

test('held-out accuracy ≥ 0.98 (the digits the script did not train on), equal to training.json; no leaks', async () => {
  const ex = await openMnistExtractor(); // the tfjs extractor (its onnxruntime twin: test/features/onnx-extractor.test.ts)
  assert.equal(ex.name, 'mnist');
  assert.deepEqual([...ex.layers], ['features', 'logits', 'probabilities']);
  assert.deepEqual(ex.dims, { features: 128, logits: 10, probabilities: 10 });
  const { heldOut } = mnistClassifierSplit();
  const tensors = tf.memory().numTensors;
  let right = 0;
  const t0 = performance.now();
  for (let s = 0; s < heldOut.length; s += 500) {
    const part = heldOut.subarray(s, s + 500);
    const images = pixels(part);
    const out = ex.extract(images, ['logits', 'probabilities', 'features']);
    assert.deepEqual(out.features!.shape, [part.length, 128]);
    const [predT, sumsT] = tf.tidy(() => [tf.argMax(out.logits!, 1), tf.sum(out.probabilities!, 1)]);
    const pred = predT!.dataSync(), sums = sumsT!.dataSync();
    part.forEach((i, k) => { if (pred[k] === labels[i]) right++; });
    for (const v of sums) assert.ok(Math.abs(v - 1) < 1e-5);
    tf.dispose([images, predT!, sumsT!, ...Object.values(out)]);
  }
  const secs = (performance.now() - t0) / 1000;
  assert.equal(tf.memory().numTensors, tensors, 'extract leaks no tensors');
  const acc = right / heldOut.length;
  const reported = JSON.parse(fs.readFileSync(path.join(path.dirname(mnistClassifierPath()), 'training.json'), 'utf8')).held_out_accuracy as number;
  console.log(`# held-out accuracy ${(100 * acc).toFixed(2)}% (training.json: ${(100 * reported).toFixed(2)}%); ${(heldOut.length / secs).toFixed(0)} images/s`);
  assert.ok(acc >= 0.98, `held-out accuracy ${acc}`);
  assert.ok(Math.abs(acc - reported) <= 0.001, `${acc} vs training.json ${reported}`);
  ex.dispose();
});

test('inputs: RGB by luma equals grey, other sizes resized, the sync loader gives the same logits', async () => {
  const ex = await openMnistExtractor(); // the tfjs extractor (its onnxruntime twin: test/features/onnx-extractor.test.ts)
  const grey = pixels([0, 5000, 9999]);
  const rgb = tf.tile(grey, [1, 1, 1, 3]) as tf.Tensor4D;
  const a = ex.extract(grey, ['logits']).logits!, b = ex.extract(rgb, ['logits']).logits!;
  const da = a.dataSync(), db = b.dataSync();
  da.forEach((v, i) => assert.ok(Math.abs(v - db[i]!) <= 1e-4 * (1 + Math.abs(v)), `logit ${i}: ${v} vs ${db[i]}`));
  const big = tf.image.resizeBilinear(grey, [56, 56]) as tf.Tensor4D;
  assert.deepEqual(ex.extract(big, ['features']).features!.shape, [3, 128]);
  const sync = loadMnistClassifierSync();
  const [, logits] = sync.predict(tf.sub(tf.div(grey, 127.5), 1)) as tf.Tensor[];
  assert.deepEqual(logits!.dataSync(), da);
  assert.throws(() => ex.extract(grey, ['pool3']), (e: unknown) => e instanceof ConfigError && /--layer/.test(e.message) && /features, logits, probabilities/.test(e.message));
  assert.throws(() => ex.extract(tf.zeros([2, 28, 28]) as unknown as tf.Tensor4D, ['logits']), ShapeError);
  sync.dispose();
  ex.dispose();
});

test("option weights: a retrained classifier's model.json; a model of another shape is refused", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-mnist-'));
  const loaded = loadMnistClassifierSync();
  const copy = await saveLayersModel(loaded, path.join(dir, 'copy'));
  loaded.dispose();
  const ex = await openMnistExtractor(copy);
  assert.equal(ex.settings.model, copy);
  const shipped = await openMnistExtractor();
  const images = pixels([1, 2]);
  assert.deepEqual(ex.extract(images, ['features']).features!.dataSync(), shipped.extract(images, ['features']).features!.dataSync());
  const input = tfl.input({ shape: [28, 28, 1] });
  const other = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 3 }).apply(tfl.layers.flatten().apply(input)) as tfl.SymbolicTensor });
  const otherFile = await saveLayersModel(other, path.join(dir, 'other'));
  await assert.rejects(openExtractor('mnist', { weights: otherFile }), (e: unknown) => e instanceof DataError && e.message.includes(otherFile));
  tf.dispose([images]);
  ex.dispose();
  shipped.dispose();
  other.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('openExtractor: an unknown name lists the valid ones and the nearest', async () => {
  await assert.rejects(openExtractor('incepton' as never), (e: unknown) =>
    e instanceof ConfigError && /--extractor/.test(e.message) && /inception, mnist/.test(e.message) && /did you mean 'inception'/.test(e.message));
  await assert.rejects(openExtractor('inception'), (e: unknown) => e instanceof ConfigError && /--weights/.test(e.message));
});
