/**
 * The cpu backend's faster Conv2DBackpropFilter (src/backend/kernels/conv2d-backprop-filter-cpu.ts)
 * against plain loops (conv-reference.ts) and against tfjs's own cpu kernel, on the DCGAN shapes and
 * odd geometries (strides, 'valid' with unread rows, explicit and numeric padding), and inside a
 * gradient. Tolerance 1e-5 relative to the largest magnitude: both sum in float64 and round once,
 * so they differ only by the order of the additions (~1e-7 expected).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { rand, relErr } from './helpers.js';
import { type ConvSpec, outShape, refFilterGrad } from './conv-reference.js';
import { useBackend } from '../../src/backend/index.js';
import { installCpuKernels } from '../../src/backend/kernels/install.js';

const CASES: Array<[string, ConvSpec]> = [
  ['DCGAN D 16→32 (batch 4)', { x: [4, 14, 14, 16], w: [4, 4, 16, 32], strides: 2, pad: 'same' }],
  ['cgan D 11→16 with zero label planes', { x: [4, 28, 28, 11], w: [4, 4, 11, 16], strides: 2, pad: 'same' }],
  ['stride 1 same, non-square, batch 1', { x: [1, 7, 5, 3], w: [3, 2, 3, 4], strides: 1, pad: 'same' }],
  ['stride 2 valid, unread last row and column', { x: [2, 8, 7, 3], w: [3, 3, 3, 4], strides: 2, pad: 'valid' }],
  ['strides [2, 1] same, even kernel', { x: [2, 8, 6, 3], w: [4, 3, 3, 5], strides: [2, 1], pad: 'same' }],
  ['explicit pad, stride 2', { x: [2, 6, 7, 3], w: [3, 3, 3, 2], strides: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] }],
  ['numeric pad 1, stride 2', { x: [2, 6, 6, 2], w: [3, 3, 2, 3], strides: 2, pad: 1 }],
];

function filterGrad(spec: ConvSpec, x: Float32Array, dy: Float32Array): Float32Array {
  return tf.tidy(() => (tf.engine().runKernel(tf.Conv2DBackpropFilter,
    { x: tf.tensor4d(x, spec.x), dy: tf.tensor4d(dy, outShape(spec)) },
    { strides: spec.strides, pad: spec.pad, dataFormat: 'NHWC', filterShape: spec.w }) as tf.Tensor).dataSync() as Float32Array);
}

for (const [name, spec] of CASES) {
  test(`cpu Conv2DBackpropFilter: ours = tfjs's = loops: ${name}`, async () => {
    await useBackend('cpu');
    const x = rand(spec.x, 81), dy = rand(outShape(spec), 82);
    if (name.startsWith('cgan')) for (let i = 0; i < x.length; i++) if (i % 11 > 0) x[i] = i % 3 === 0 ? 1 : 0; // one-hot-like planes
    const tfjs = filterGrad(spec, x, dy);
    installCpuKernels();
    const ours = filterGrad(spec, x, dy);
    const want = refFilterGrad(spec, x, dy);
    assert.ok(relErr(ours, want) <= 1e-5, `ours vs loops: ${relErr(ours, want).toExponential(2)}`);
    assert.ok(relErr(ours, tfjs) <= 1e-5, `ours vs tfjs: ${relErr(ours, tfjs).toExponential(2)}`);
  });
}

test('cpu Conv2DBackpropFilter: a conv2d gradient through it, and no leaked tensors', async () => {
  await useBackend('cpu');
  installCpuKernels();
  installCpuKernels(); // idempotent
  const x = tf.tensor4d(rand([2, 9, 9, 3], 83), [2, 9, 9, 3]);
  const w = tf.variable(tf.tensor4d(rand([4, 4, 3, 5], 84), [4, 4, 3, 5]));
  const before = tf.memory().numTensors;
  const g = tf.tidy(() => tf.variableGrads(() => tf.sum(tf.square(tf.conv2d(x, w, 2, 'same'))), [w]).grads[w.name]!);
  const spec: ConvSpec = { x: [2, 9, 9, 3], w: [4, 4, 3, 5], strides: 2, pad: 'same' };
  const y = tf.tidy(() => tf.conv2d(x, w, 2, 'same'));
  const want = refFilterGrad(spec, x.dataSync() as Float32Array, Float32Array.from(y.dataSync(), (v) => 2 * v));
  assert.ok(relErr(g.dataSync(), want) <= 1e-5);
  tf.dispose([g, y]);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, w]);
});
