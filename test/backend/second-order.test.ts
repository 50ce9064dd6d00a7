/**
 * Gradient of a gradient through a tiny discriminator, as the WGAN-GP penalty needs
 * (Gulrajani et al. 2017, eq. 3): P(θ) = Σ (∇ₓ ΣD(x; θ))², differentiated w.r.t. the conv filters
 * and the dense weights, with D = conv2d(s2, same) → leakyRelu(0.2) → conv2d(s1, same) →
 * batch-norm-like (h − mean)/√(var + ε) over the batch and space → dense.
 *
 * Checked on cpu and wasm against central finite differences of P computed in float32:
 *   ∂P/∂θₖ ≈ (P(θ + h·eₖ) − P(θ − h·eₖ)) / 2h,  h = 1e-2.
 * Error sources: truncation O(h²·P''') ≈ 1e-4 relative here; float32 rounding of P (|P| ~ 1, ~1e-6
 * relative after the nested backward pass) divided by 2h ≈ 1e-4 relative. Tolerance: 2e-3 relative
 * to the largest |∂P/∂θ| of that tensor: observed worst 5e-5 (cpu) and 2.3e-4 (wasm); a 1% error in
 * one term of the gradient (tried by mutation) gives 4e-3 and fails. LeakyReLU has a kink: a
 * coordinate whose ±h step moves any pre-activation across 0 would compare slopes of different
 * pieces, so such coordinates are skipped (the test asserts that most are kept).
 * wasm and cpu are compared to 1e-4 relative (both float32, same formulas, different summation order).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { on, rand, relErr } from './helpers.js';
import { useBackend } from '../../src/backend/index.js';

const XS = [4, 6, 6, 2] as const;
const SHAPES = { w1: [3, 3, 2, 4], w2: [3, 3, 4, 3], wd: [27, 1] } as const;
type Name = keyof typeof SHAPES;
const NAMES = Object.keys(SHAPES) as Name[];
const X = rand(XS, 21);
const INIT: Record<Name, Float32Array> = {
  w1: rand(SHAPES.w1, 22), w2: rand(SHAPES.w2, 23), wd: rand(SHAPES.wd, 24),
};

function preActivation(x: tf.Tensor, w1: tf.Tensor): tf.Tensor4D {
  return tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 2, 'same'); // [4, 3, 3, 4]
}

function D(x: tf.Tensor, w: Record<Name, tf.Tensor>): tf.Tensor {
  const a1 = tf.leakyRelu(preActivation(x, w.w1), 0.2);
  const h2 = tf.conv2d(a1, w.w2 as tf.Tensor4D, 1, 'same'); // [4, 3, 3, 3]
  const { mean, variance } = tf.moments(h2, [0, 1, 2]);
  const n2 = tf.mul(tf.sub(h2, mean), tf.rsqrt(tf.add(variance, 1e-5)));
  return tf.matMul(tf.reshape(n2, [XS[0], 27]), w.wd as tf.Tensor2D); // [4, 1]
}

/** P(θ) = Σ (∇ₓ ΣD)². */
function penalty(w: Record<Name, tf.Tensor>): tf.Scalar {
  const x = tf.tensor4d(X, [...XS]);
  const gx = tf.grad((xx: tf.Tensor) => tf.sum(D(xx, w)))(x);
  return tf.sum(tf.square(gx));
}

function tensors(values: Record<Name, Float32Array>): Record<Name, tf.Tensor> {
  return Object.fromEntries(NAMES.map((n) => [n, tf.tensor(values[n], [...SHAPES[n]])])) as Record<Name, tf.Tensor>;
}

async function analytic(backend: 'cpu' | 'wasm'): Promise<Float32Array[]> {
  return on(backend, () => {
    const w = tensors(INIT);
    return tf.grads((w1: tf.Tensor, w2: tf.Tensor, wd: tf.Tensor) => penalty({ w1, w2, wd }))(NAMES.map((n) => w[n]));
  });
}

/** Sign pattern of the leakyRelu input, to detect a finite-difference step that crosses a kink. */
function signs(w1: Float32Array): string {
  return tf.tidy(() => Array.from(preActivation(tf.tensor4d(X, [...XS]), tf.tensor(w1, [...SHAPES.w1])).dataSync(), (v) => (v > 0 ? '1' : '0')).join(''));
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`second-order gradient matches finite differences (${backend})`, async () => {
    const grads = await analytic(backend);
    await useBackend(backend);
    const h = 1e-2;
    let kept = 0, total = 0, worstErr = 0;
    NAMES.forEach((name, t) => {
      const g = grads[t]!;
      const scale = Math.max(...Array.from(g, Math.abs));
      assert.ok(scale > 1e-3, `${name}: gradient unexpectedly ~0`);
      for (let k = 0; k < g.length; k += Math.max(1, Math.floor(g.length / 9))) {
        total++;
        const plus = { ...INIT, [name]: INIT[name].slice() }, minus = { ...INIT, [name]: INIT[name].slice() };
        plus[name][k]! += h;
        minus[name][k]! -= h;
        if (signs(plus.w1) !== signs(minus.w1)) continue;
        kept++;
        const [pp, pm] = tf.tidy(() => [penalty(tensors(plus)).dataSync()[0]!, penalty(tensors(minus)).dataSync()[0]!]);
        const fd = (pp! - pm!) / (2 * h);
        const err = Math.abs(fd - g[k]!) / scale;
        worstErr = Math.max(worstErr, err);
        assert.ok(err <= 2e-3, `${backend} ${name}[${k}]: analytic ${g[k]} vs finite difference ${fd} (rel ${err.toExponential(2)})`);
      }
    });
    assert.ok(kept >= total * 0.7, `only ${kept}/${total} coordinates away from leakyRelu kinks`);
    console.log(`# ${backend}: second-order vs finite differences, ${kept}/${total} coordinates, worst ${worstErr.toExponential(2)}`);
  });
}

test('second-order gradient: wasm matches cpu to 1e-4', async () => {
  const [cpu, wasm] = [await analytic('cpu'), await analytic('wasm')];
  NAMES.forEach((name, t) => {
    const e = relErr(wasm[t]!, cpu[t]!);
    assert.ok(e <= 1e-4, `${name}: wasm vs cpu ${e.toExponential(2)}`);
  });
});

test('comparison ops have zero gradients of their inputs\' shapes', async () => {
  await useBackend('wasm');
  for (const op of [tf.greater, tf.greaterEqual, tf.less, tf.lessEqual, tf.equal, tf.notEqual]) {
    const [ga, gb] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.cast(op(a, b), 'float32'), a)))([
      tf.tensor2d([[1, -2], [3, 0]]), tf.scalar(0.5),
    ]);
    assert.deepEqual(Array.from(gb!.dataSync()), [0]);
    assert.deepEqual(ga!.shape, [2, 2]);
  }
});
