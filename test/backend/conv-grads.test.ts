/**
 * The convolution gradients on wasm and cpu, against plain loops (conv-reference.ts) and each other.
 *
 * Tolerance: 1e-4 relative to the reference's largest magnitude (relErr). Both backends compute in
 * float32; a gradient entry here sums at most ~1,600 products of values in [-1, 1], whose float32
 * rounding error is about √n·2⁻²⁴·scale ≈ 3e-6 relative, so 1e-4 leaves margin for a different
 * summation order (XNNPACK vs JS loops) and still catches any wrong index (errors of order 1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { on, rand, relErr } from './helpers.js';
import { type ConvSpec, outShape, refConv, refFilterGrad, refInputGrad } from './conv-reference.js';

const TOL = 1e-4;
const worst: Record<string, number> = {};
function check(label: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  const e = relErr(got, want);
  const key = label.split(':')[0]!;
  worst[key] = Math.max(worst[key] ?? 0, e);
  assert.ok(e <= TOL, `${label}: relative error ${e.toExponential(2)} > ${TOL}`);
}

const CONV: Array<[string, ConvSpec]> = [
  ['s1 same, non-square', { x: [2, 7, 5, 3], w: [3, 2, 3, 4], strides: 1, pad: 'same' }],
  ['s1 valid', { x: [2, 7, 5, 3], w: [3, 2, 3, 4], strides: 1, pad: 'valid' }],
  ['s2 same', { x: [2, 7, 5, 3], w: [3, 2, 3, 4], strides: 2, pad: 'same' }],
  ['s2 valid (unused rows)', { x: [2, 7, 5, 3], w: [3, 2, 3, 4], strides: 2, pad: 'valid' }],
  ['batch 1, s2 same', { x: [1, 7, 5, 3], w: [3, 2, 3, 4], strides: 2, pad: 'same' }],
  ['strides [2,1] same, even kernel', { x: [2, 8, 6, 3], w: [4, 3, 3, 5], strides: [2, 1], pad: 'same' }],
  ['dilation 2 same, batch 1', { x: [1, 7, 5, 3], w: [3, 2, 3, 4], strides: 1, pad: 'same', dilations: 2 }],
  ['dilation [2,1] valid', { x: [2, 9, 8, 2], w: [3, 3, 2, 3], strides: 1, pad: 'valid', dilations: [2, 1] }],
  ['numeric pad 1, s2', { x: [2, 6, 6, 2], w: [3, 3, 2, 3], strides: 2, pad: 1 }],
  ['explicit pad, s2', { x: [2, 6, 7, 3], w: [3, 3, 3, 2], strides: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] }],
  ['explicit pad, dilation 2', { x: [1, 6, 7, 2], w: [2, 3, 2, 2], strides: 1, pad: [[0, 0], [3, 0], [0, 2], [0, 0]], dilations: 2 }],
  ['DCGAN D 1→64', { x: [8, 28, 28, 1], w: [4, 4, 1, 64], strides: 2, pad: 'same' }],
  ['DCGAN D 64→128', { x: [8, 14, 14, 64], w: [4, 4, 64, 128], strides: 2, pad: 'same' }],
];

for (const [name, spec] of CONV) {
  test(`conv2d gradients: ${name}`, async () => {
    const ys = outShape(spec);
    const x = rand(spec.x, 1), w = rand(spec.w, 2), r = rand(ys, 3);
    const want = { y: refConv(spec, x, w), dx: refInputGrad(spec, r, w), dw: refFilterGrad(spec, x, r) };
    const results: Record<string, Float32Array[]> = {};
    for (const backend of ['cpu', 'wasm'] as const) {
      results[backend] = await on(backend, () => {
        const xt = tf.tensor4d(x, spec.x), wt = tf.tensor4d(w, spec.w), rt = tf.tensor4d(r, ys);
        const f = (a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, spec.strides, spec.pad, 'NHWC', spec.dilations ?? 1), rt));
        const [dx, dw] = tf.grads(f)([xt, wt]);
        return [tf.conv2d(xt, wt, spec.strides, spec.pad, 'NHWC', spec.dilations ?? 1), dx!, dw!];
      });
      const [y, dx, dw] = results[backend]!;
      check(`forward: ${backend} vs loops`, y!, want.y);
      check(`input grad: ${backend} vs loops`, dx!, want.dx);
      check(`filter grad: ${backend} vs loops`, dw!, want.dw);
    }
    check('input grad: wasm vs cpu', results['wasm']![1]!, results['cpu']![1]!);
    check('filter grad: wasm vs cpu', results['wasm']![2]!, results['cpu']![2]!);
  });
}

/** conv2dTranspose(z, w, out) is the adjoint of conv2d(·, w): spec describes that conv2d. */
const TRANSPOSED: Array<[string, ConvSpec]> = [
  ['DCGAN G 128→64, 7→14', { x: [8, 14, 14, 64], w: [4, 4, 64, 128], strides: 2, pad: 'same' }],
  ['DCGAN G 64→1, 14→28', { x: [8, 28, 28, 1], w: [4, 4, 1, 64], strides: 2, pad: 'same' }],
  ['s2 same, non-square', { x: [2, 7, 5, 3], w: [3, 2, 3, 4], strides: 2, pad: 'same' }],
  ['s2 valid', { x: [2, 7, 5, 3], w: [3, 2, 3, 4], strides: 2, pad: 'valid' }],
  ['s1 same, batch 1', { x: [1, 7, 5, 3], w: [3, 2, 3, 4], strides: 1, pad: 'same' }],
];

for (const [name, spec] of TRANSPOSED) {
  test(`conv2dTranspose gradients: ${name}`, async () => {
    const zs = outShape(spec);
    const z = rand(zs, 4), w = rand(spec.w, 5), r = rand(spec.x, 6);
    // L = <r, convT(z; w)> = <conv2d(r; w), z>: dL/dz = conv2d(r, w), dL/dw = filterGrad(x = r, dy = z).
    const want = { y: refInputGrad(spec, z, w), dz: refConv(spec, r, w), dw: refFilterGrad(spec, r, z) };
    const results: Record<string, Float32Array[]> = {};
    for (const backend of ['cpu', 'wasm'] as const) {
      results[backend] = await on(backend, () => {
        const zt = tf.tensor4d(z, zs), wt = tf.tensor4d(w, spec.w), rt = tf.tensor4d(r, spec.x);
        const g = (a: tf.Tensor, b: tf.Tensor) =>
          tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, spec.x, spec.strides, spec.pad as 'same' | 'valid');
        const [dz, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(g(a, b), rt)))([zt, wt]);
        return [g(zt, wt), dz!, dw!];
      });
      const [y, dz, dw] = results[backend]!;
      check(`transposed forward: ${backend} vs loops`, y!, want.y);
      check(`transposed input grad: ${backend} vs loops`, dz!, want.dz);
      check(`transposed filter grad: ${backend} vs loops`, dw!, want.dw);
    }
    check('transposed input grad: wasm vs cpu', results['wasm']![1]!, results['cpu']![1]!);
    check('transposed filter grad: wasm vs cpu', results['wasm']![2]!, results['cpu']![2]!);
  });
}

test('the wasm Conv2DBackpropFilter kernel (fused conv2d with bias, as tfjs-layers uses)', async () => {
  const spec: ConvSpec = { x: [3, 9, 7, 4], w: [4, 3, 4, 5], strides: 2, pad: 'same' };
  const ys = outShape(spec);
  const x = rand(spec.x, 7), w = rand(spec.w, 8), bias = rand([5], 9), r = rand(ys, 10);
  for (const backend of ['cpu', 'wasm'] as const) {
    const [dw, direct] = await on(backend, () => {
      const xt = tf.tensor4d(x, spec.x), rt = tf.tensor4d(r, ys), bt = tf.tensor1d(bias);
      const f = (wv: tf.Tensor) =>
        tf.sum(tf.mul(tf.fused.conv2d({ x: xt, filter: wv as tf.Tensor4D, strides: 2, pad: 'same', bias: bt }), rt));
      const direct = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: xt, dy: rt },
        { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: spec.w }) as tf.Tensor;
      return [tf.grad(f)(tf.tensor4d(w, spec.w)), direct];
    });
    check(`kernel filter grad: ${backend} vs loops`, dw!, refFilterGrad(spec, x, r));
    check(`kernel direct: ${backend} vs loops`, direct!, refFilterGrad(spec, x, r));
  }
});

test('gradients do not leak tensors (wasm and cpu)', async () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    await on(backend, () => []);
    const x = tf.tensor4d(rand([2, 8, 8, 3], 11), [2, 8, 8, 3]);
    const w = tf.tensor4d(rand([3, 3, 3, 4], 12), [3, 3, 3, 4]);
    const wt = tf.tensor4d(rand([4, 4, 2, 3], 13), [4, 4, 2, 3]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')))([x, w]);
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same', 'NHWC', 2)))([x, w]);
      tf.grad((b: tf.Tensor) => tf.sum(tf.conv2dTranspose(x, b as tf.Tensor4D, [2, 16, 16, 2], 2, 'same')))(wt);
      tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: tf.ones([2, 4, 4, 4]) },
        { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] });
    });
    assert.equal(tf.memory().numTensors, before, `${backend}: tensors leaked`);
    tf.dispose([x, w, wt]);
  }
});

test('summary of worst errors', () => {
  console.log(`# worst relative errors: ${JSON.stringify(Object.fromEntries(Object.entries(worst).map(([k, v]) => [k, +v.toExponential(2)])))}`);
});
