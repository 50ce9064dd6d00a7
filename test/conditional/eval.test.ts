/**
 * Conditional metrics (evaluate/conditional.ts) on stand-in generators that return real MNIST
 * digits: of the requested class (accuracy = the classifier's own accuracy on those digits,
 * computed independently), of the wrong class (accuracy ≈ 0), and, for an InfoGAN code, of a
 * permuted class (matched accuracy = the classifier's accuracy again).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '../../src/backend/index.js';
import { openDataSource } from '../../src/data/index.js';
import type { FiniteSource } from '../../src/data/source.js';
import { classify, conditionalMetrics } from '../../src/evaluate/conditional.js';
import { loadMnistClassifier } from '../../src/features/mnist-classifier.js';
import { toByte } from '../../src/io/png.js';
import type { ModelConditioning } from '../../src/models/conditioning.js';
import type { LoadedGenerator } from '../../src/sampling/sampler.js';

await useBackend('wasm', { threads: 1 }); // the classifier's convolutions on 10,000 digits: slow on cpu
const mnist = (await openDataSource('mnist')) as FiniteSource;
const all = mnist.take(Array.from({ length: mnist.length }, (_, i) => i));
const byClass: number[][] = Array.from({ length: 10 }, () => []);
all.labels!.forEach((l, i) => byClass[l]!.push(i));
const classifier = await loadMnistClassifier();
/** The reference for intra-FID: digits 100…399 of each class (3,000; disjoint from the stand-in's first 100). */
const refIdx = Array.from({ length: 3000 }, (_, i) => byClass[i % 10]![100 + Math.floor(i / 10)]!);
const reference: FiniteSource = { ...mnist, length: refIdx.length, take: (ix) => mnist.take(Array.from(ix, (i) => refIdx[i]!)) };

/** A generator that returns the j-th real digit of class pick(label, code) for its j-th call row. */
function standIn(conditioning: ModelConditioning, pick: (label: number, code: number) => number): LoadedGenerator {
  const used = new Array<number>(10).fill(0);
  const model = {
    inputNames: conditioning.mode === 'none' ? ['z', 'c'] : ['z', 'y', 'c'],
    inputs: [{ shape: [null, 4] }],
    predict(ins: tf.Tensor[]): tf.Tensor {
      const y = conditioning.mode === 'none' ? undefined : (tf.argMax(ins[1]!, 1).dataSync() as Int32Array);
      const c = ins[ins.length - 1]!;
      const code = tf.argMax(tf.slice(c, [0, 0], [-1, Math.max(conditioning.codes.categorical, 1)]), 1).dataSync() as Int32Array;
      const b = ins[0]!.shape[0]!;
      const out = new Float32Array(b * 784);
      for (let i = 0; i < b; i++) {
        const k = pick(y?.[i] ?? 0, code[i]!);
        const idx = byClass[k]![used[k]!++ % byClass[k]!.length]!;
        out.set(all.x.subarray(idx * 784, idx * 784 + 784), i * 784);
      }
      return tf.tensor4d(out, [b, 28, 28, 1]);
    },
    dispose() {},
  } as unknown as tfl.LayersModel;
  return { model, latentDim: 4, outputShape: [28, 28, 1], conditioning };
}

test('class accuracy and intra-class FID: right digits ≈ the classifier\'s own accuracy and FID ≈ 0; wrong digits ≈ 0 and large', async () => {
  const cond: ModelConditioning = { mode: 'acgan', classes: 10, codes: { categorical: 2, continuous: 0 } };
  const n = 1000; // 100 per class: the first 100 digits of each class
  // Independent value: the classifier's accuracy on exactly those digits.
  const idx = Array.from({ length: n }, (_, i) => byClass[i % 10]![Math.floor(i / 10)]!);
  const ex = mnist.take(idx);
  const direct = classify(classifier, Uint8Array.from(ex.x, toByte), [28, 28, 1]).predicted;
  const expected = direct.reduce((s, p, i) => s + (p === i % 10 ? 1 : 0), 0) / n;
  const right = await conditionalMetrics(standIn(cond, (l) => l), ['accuracy', 'intra-fid'], { n, classifier, reference });
  assert.equal(right.class_accuracy, expected);
  assert.ok(expected > 0.95, `the classifier knows these digits (${expected})`);
  assert.equal((right.class_accuracy_per_class as number[]).length, 10);
  // 100 real digits of class k against 300 others of class k: a small FID.
  assert.ok((right.intra_class_fid as number) < 15, `right: ${right.intra_class_fid}`);
  const wrong = await conditionalMetrics(standIn(cond, (l) => (l + 1) % 10), ['accuracy', 'intra-fid'], { n, classifier, reference });
  assert.ok((wrong.class_accuracy as number) < 0.05, `wrong: ${wrong.class_accuracy}`);
  assert.ok((wrong.intra_class_fid as number) > 5 * (right.intra_class_fid as number), `wrong: ${wrong.intra_class_fid}`);
});

test('InfoGAN categorical code accuracy after Hungarian matching: a permuted code scores the classifier\'s accuracy', async () => {
  const cond: ModelConditioning = { mode: 'none', classes: 0, codes: { categorical: 10, continuous: 1 } };
  const perm = [3, 8, 1, 0, 9, 4, 7, 2, 6, 5];
  const r = await conditionalMetrics(standIn(cond, (_l, c) => perm[c]!), ['accuracy'], { n: 500, classifier });
  assert.ok((r.info_code_accuracy as number) > 0.95, String(r.info_code_accuracy));
  const constant = await conditionalMetrics(standIn(cond, () => 4), ['accuracy'], { n: 500, classifier });
  // Every code makes a 4: only the code matched to 4 scores, about 1/10 of the samples.
  assert.ok((constant.info_code_accuracy as number) < 0.2, String(constant.info_code_accuracy));
});

test('conditional metrics on an unconditional run or a non-digit class count: one sentence naming --metrics', async () => {
  await assert.rejects(conditionalMetrics(standIn({ mode: 'none', classes: 0, codes: { categorical: 0, continuous: 1 } }, () => 0), ['accuracy']),
    /--metrics accuracy\/intra-fid need a conditional run/);
  await assert.rejects(conditionalMetrics(standIn({ mode: 'cgan', classes: 4, codes: { categorical: 0, continuous: 0 } }, () => 0), ['accuracy']),
    /this run has 4 classes/);
});
