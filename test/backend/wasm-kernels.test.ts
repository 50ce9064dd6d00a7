/**
 * The small wasm kernels that replace slow tfjs-backend-wasm 4.22 ones (src/backend/kernels/
 * tile-wasm.ts, identity-wasm.ts, reduce-leading-wasm.ts, reverse-wasm.ts), against the cpu
 * backend on odd shapes, and their gradients (first and second order) through the ops that use them.
 *
 * Tile, Reverse and Identity move values without arithmetic: results must be bit-identical.
 * Sum/Mean must be bit-identical to the stock wasm kernels (same float32 order), and equal the
 * cpu backend (which accumulates in float64) to 1e-5 relative to the largest magnitude: a float32
 * sum of n ≤ 12,544 values in [-1, 1] is off by at most ~n·2⁻²⁴·max|partial sum|.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { on, rand, relErr } from './helpers.js';
import { useBackend } from '../../src/backend/index.js';
import { leadingAxes } from '../../src/backend/kernels/reduce-leading-wasm.js';
import { originalWasmKernel } from '../../src/backend/kernels/wasm-run.js';

async function both(fn: () => tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  return [await on('cpu', fn), await on('wasm', fn)];
}

function same(label: string, cpu: Float32Array[], wasm: Float32Array[], tol = 0): void {
  assert.equal(cpu.length, wasm.length);
  cpu.forEach((c, i) => {
    if (tol === 0) assert.deepEqual(Array.from(wasm[i]!), Array.from(c), `${label} [${i}]`);
    else assert.ok(relErr(wasm[i]!, c) <= tol, `${label} [${i}]: ${relErr(wasm[i]!, c).toExponential(2)}`);
  });
}

const TILES: Array<[number[], number[]]> = [
  [[1, 1, 1, 5], [3, 2, 7, 1]], // BatchNorm's gradient: broadcast a per-channel vector
  [[2, 3], [3, 2]],
  [[3, 1, 2], [1, 4, 3]],
  [[4], [5]],
  [[2, 3, 4], [1, 1, 1]],
  [[1, 2, 1, 3, 1], [2, 1, 3, 1, 2]],
  [[2, 2], [0, 3]], // empty output
];

test('Tile: wasm = cpu (float32, int32, bool; odd shapes, empty)', async () => {
  for (const [shape, reps] of TILES) {
    const v = rand(shape, 61);
    const [cpu, wasm] = await both(() => {
      const x = tf.tensor(v, shape);
      return [tf.tile(x, reps), tf.cast(tf.tile(tf.cast(tf.mul(x, 10), 'int32'), reps), 'float32'),
        tf.cast(tf.tile(tf.greater(x, 0), reps), 'float32')];
    });
    same(`tile ${shape} × ${reps}`, cpu, wasm);
  }
  const [cpu, wasm] = await both(() => [tf.tile(tf.scalar(3), [])]);
  same('tile scalar', cpu, wasm);
});

const REVERSES: Array<[number[], number[]]> = [
  [[2, 2, 7], [0, 1]], // the sub-pixel filter's flip
  [[3, 4, 5], [2]], // last axis: element by element
  [[3, 4, 5], [0, 2]],
  [[4, 1, 3, 2], [1, 3]],
  [[5], [0]],
  [[2, 3, 4, 5], [0, 1, 2, 3]],
  [[2, 3], []],
];

test('Reverse: wasm = cpu (odd shapes, any axes, int32)', async () => {
  for (const [shape, axes] of REVERSES) {
    const v = rand(shape, 62);
    const [cpu, wasm] = await both(() => {
      const x = tf.tensor(v, shape);
      return [tf.reverse(x, axes), tf.cast(tf.reverse(tf.cast(tf.mul(x, 10), 'int32'), axes), 'float32')];
    });
    same(`reverse ${shape} axes ${axes}`, cpu, wasm);
  }
});

const REDUCES: Array<[number[], number | number[], boolean]> = [
  [[64, 14, 14, 64], [0, 1, 2], false], // BatchNorm moments / gradients on NHWC
  [[5, 3, 7, 2], [0, 1, 2], true],
  [[9, 4], 0, false], // a Dense bias gradient
  [[2, 3, 4], [1, 0], true], // listed out of order: the original kernel
  [[2, 3, 4], [0, 1], true],
  [[3, 5, 2], [0, 2], false], // not leading: the original kernel
  [[3, 5, 2], [2], false], // innermost: the original kernel
  [[3, 5, 2], [0, 1, 2], false], // everything: the original kernel
  [[1, 1, 6], [0, 1], false],
];

test('Sum and Mean over leading axes: wasm = cpu (keepDims, odd shapes, fallbacks)', async () => {
  assert.equal(leadingAxes([0, 1, 2], 4), 3);
  assert.equal(leadingAxes([0, 1], 3), 2);
  assert.equal(leadingAxes([1, 0], 3), 0); // the stock kernel sums in listed order
  assert.equal(leadingAxes([0, 2], 3), 0);
  assert.equal(leadingAxes([0, 1, 2], 3), 0);
  assert.equal(leadingAxes(-3, 3), 1);
  for (const [shape, axes, keepDims] of REDUCES) {
    const v = rand(shape, 63);
    const [cpu, wasm] = await both(() => {
      const x = tf.tensor(v, shape);
      const s = tf.sum(x, axes, keepDims), m = tf.mean(x, axes, keepDims);
      assert.deepEqual(s.shape, m.shape);
      return [s, m, tf.sum(tf.cast(tf.mul(x, 10), 'int32'), axes, keepDims)];
    });
    same(`sum/mean ${shape} axes ${axes} keepDims ${keepDims}`, cpu, wasm, 1e-5);
    const stock = await on('wasm', () => {
      const x = tf.tensor(v, shape);
      const call = (name: string) => {
        const out = originalWasmKernel(name)!.kernelFunc({ inputs: { x }, backend: tf.backend(), attrs: { axis: axes, keepDims } }) as tf.TensorInfo;
        return tf.engine().makeTensorFromTensorInfo(out);
      };
      return [call('Sum'), call('Mean')];
    });
    same(`sum/mean ${shape} bit-identical to stock wasm`, stock, wasm.slice(0, 2));
  }
});

test('Identity shares data and keeps values; clones stay valid after the original is disposed', async () => {
  await useBackend('wasm');
  const x = tf.tensor(rand([3, 4], 64), [3, 4]);
  const before = tf.backend().numDataIds();
  const y = tf.clone(x);
  assert.equal(tf.backend().numDataIds(), before, 'no new buffer');
  const want = Array.from(x.dataSync());
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), want);
  y.dispose();
  assert.equal(tf.backend().numDataIds(), before - 1, 'the shared buffer is freed with its last tensor');
});

test('gradients through tile, reverse, sum, mean and batch norm: wasm = cpu, first and second order', async () => {
  const xs = [4, 3, 5, 6], v = rand(xs, 65), g = rand([6], 66), r = rand([1, 3, 1, 6], 68);
  const f = (x: tf.Tensor) => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]); // Mean over leading axes
    const n = tf.batchNorm(x, mean, variance, tf.zeros([6]), tf.tensor1d(g), 1e-5); // its gradient tiles
    // Weights that vary within a channel: Σ n² per channel is constant (= N·σ²/(σ² + ε)).
    return tf.sum(tf.mul(tf.square(tf.reverse(n, [1, 2])), tf.tile(tf.tensor4d(r, [1, 3, 1, 6]), [4, 1, 5, 1])));
  };
  const [cpu, wasm] = await both(() => {
    const x = tf.tensor4d(v, xs as [number, number, number, number]);
    const dx = tf.grad(f)(x);
    const ddx = tf.grad((y: tf.Tensor) => tf.sum(tf.square(tf.grad(f)(y))))(x); // gradient of a gradient
    return [dx, ddx];
  });
  same('first and second order', cpu, wasm, 1e-4);
});

test('the small kernels do not leak (backend buffers and engine tensors)', async () => {
  await useBackend('wasm');
  const x = tf.tensor(rand([4, 3, 5, 6], 67), [4, 3, 5, 6]);
  const run = () => tf.tidy(() => {
    tf.tile(x, [2, 1, 1, 3]);
    tf.reverse(x, [0, 3]);
    tf.sum(x, [0, 1, 2]);
    tf.mean(x, [0, 1], true);
    tf.clone(x);
    tf.grad((y: tf.Tensor) => tf.sum(tf.square(tf.batchNorm(y, tf.mean(y, [0, 1, 2]), tf.ones([6]), tf.zeros([6]), tf.ones([6]), 1e-3))))(x);
  });
  run();
  const tensors = tf.memory().numTensors, buffers = tf.backend().numDataIds();
  for (let i = 0; i < 5; i++) run();
  assert.equal(tf.memory().numTensors, tensors);
  assert.equal(tf.backend().numDataIds(), buffers);
  x.dispose();
});
