/**
 * The wasm Conv2DBackpropFilter kernel (src/backend/kernels/conv2d-backprop-filter-wasm.ts), called
 * directly as tfjs-layers' fused convolutions and tf.conv2DBackpropFilter call it, against plain
 * loops (conv-reference.ts) and the cpu backend on odd shapes, and its buffers (no leaks).
 * Tolerance 1e-4 relative to the largest magnitude, as in conv-grads.test.ts (float32 sums of
 * ≤ 3,136 products of values in [-1, 1]: ~3e-6 expected).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { on, rand, relErr } from './helpers.js';
import { type ConvSpec, outShape, refFilterGrad } from './conv-reference.js';
import { useBackend } from '../../src/backend/index.js';

const CASES: Array<[string, ConvSpec]> = [
  ['DCGAN D 64→128 (batch 8)', { x: [8, 14, 14, 64], w: [4, 4, 64, 128], strides: 2, pad: 'same' }],
  ['DCGAN D 1→64 (batch 8)', { x: [8, 28, 28, 1], w: [4, 4, 1, 64], strides: 2, pad: 'same' }],
  ['stride 1 same, non-square, batch 1', { x: [1, 7, 5, 3], w: [3, 2, 3, 4], strides: 1, pad: 'same' }],
  ['stride 2 valid, unread last row and column', { x: [2, 8, 7, 3], w: [3, 3, 3, 4], strides: 2, pad: 'valid' }],
  ['strides [2, 1] same, even kernel', { x: [2, 8, 6, 3], w: [4, 3, 3, 5], strides: [2, 1], pad: 'same' }],
  ['stride 3 valid, odd', { x: [3, 11, 10, 2], w: [5, 4, 2, 3], strides: 3, pad: 'valid' }],
  ['explicit pad, stride 2', { x: [2, 6, 7, 3], w: [3, 3, 3, 2], strides: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] }],
  ['numeric pad 1, stride 2', { x: [2, 6, 6, 2], w: [3, 3, 2, 3], strides: 2, pad: 1 }],
];

for (const [name, spec] of CASES) {
  test(`Conv2DBackpropFilter kernel: wasm = cpu = loops: ${name}`, async () => {
    const ys = outShape(spec);
    const x = rand(spec.x, 71), dy = rand(ys, 72);
    const want = refFilterGrad(spec, x, dy);
    const run = (backend: 'cpu' | 'wasm') => on(backend, () => [tf.engine().runKernel(tf.Conv2DBackpropFilter,
      { x: tf.tensor4d(x, spec.x), dy: tf.tensor4d(dy, ys) },
      { strides: spec.strides, pad: spec.pad, dataFormat: 'NHWC', filterShape: spec.w }) as tf.Tensor]);
    const [cpu] = await run('cpu');
    const [wasm] = await run('wasm');
    for (const [label, got] of [['cpu', cpu!], ['wasm', wasm!]] as const) {
      const e = relErr(got, want);
      assert.ok(e <= 1e-4, `${label} vs loops: ${e.toExponential(2)}`);
    }
    assert.ok(relErr(wasm!, cpu!) <= 1e-4);
  });
}

test('Conv2DBackpropFilter and Conv2DBackpropInput kernels free every intermediate buffer', async () => {
  await useBackend('wasm');
  const x = tf.tensor4d(rand([2, 14, 10, 8], 73), [2, 14, 10, 8]);
  const dy = tf.tensor4d(rand([2, 7, 5, 6], 74), [2, 7, 5, 6]);
  const w = tf.tensor4d(rand([4, 4, 8, 6], 75), [4, 4, 8, 6]);
  const w1 = tf.tensor4d(rand([3, 3, 1, 6], 76), [3, 3, 1, 6]);
  const run = () => tf.tidy(() => {
    tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [4, 4, 8, 6] });
    tf.conv2dTranspose(dy, w, [2, 14, 10, 8], 2, 'same'); // exact residues
    tf.conv2dTranspose(dy, w1, [2, 13, 9, 1], 2, 'valid'); // combined + crop
    tf.conv2dTranspose(dy, w, [2, 7, 5, 8], 1, 'same'); // stride 1
  });
  run();
  const tensors = tf.memory().numTensors, buffers = tf.backend().numDataIds();
  for (let i = 0; i < 3; i++) run();
  assert.equal(tf.memory().numTensors, tensors, 'engine tensors');
  assert.equal(tf.backend().numDataIds(), buffers, 'wasm buffers (intermediates inside the kernels)');
  tf.dispose([x, dy, w, w1]);
});
