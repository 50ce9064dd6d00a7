/**
 * tanh, sigmoid, exp and elu: gradients from the saved input (src/backend/kernels/
 * saved-output-grads.ts). First order against the closed forms; second order (a gradient-penalty-
 * like P(w) = Σ(∇ₓ Σ r·act(conv2d(x, w)))², as WGAN-GP differentiates) against central finite
 * differences on cpu and wasm. tfjs's own output-based gradients were off by 50–120% here.
 *
 * Finite differences: h = 1e-2 in float32; P is smooth, truncation O(h²) ≈ 1e-4 relative and
 * rounding ≈ 1e-6·|P|/h; observed worst ~1e-4. Tolerance 2e-3 relative to the largest |∂P/∂w|
 * (a dropped second-order term gives errors of order 1). ELU is smooth except at 0, where its
 * second derivative jumps; inputs are kept away from 0 by the data below.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { on, rand, relErr } from './helpers.js';
import { useBackend } from '../../src/backend/index.js';

const ACTS: Record<string, { f: (t: tf.Tensor) => tf.Tensor; d: (x: number) => number }> = {
  tanh: { f: tf.tanh, d: (x) => 1 - Math.tanh(x) ** 2 },
  sigmoid: { f: tf.sigmoid, d: (x) => { const s = 1 / (1 + Math.exp(-x)); return s * (1 - s); } },
  exp: { f: tf.exp, d: (x) => Math.exp(x) },
  elu: { f: tf.elu, d: (x) => (x > 0 ? 1 : Math.exp(x)) },
};

test('first order equals the closed form (cpu and wasm)', async () => {
  const v = Array.from(rand([40], 81), (x) => 3 * x);
  for (const [name, { f, d }] of Object.entries(ACTS)) {
    for (const backend of ['cpu', 'wasm'] as const) {
      const [g] = await on(backend, () => [tf.grad(f)(tf.tensor1d(v))]);
      const want = v.map(d);
      assert.ok(relErr(g!, want) <= 1e-6, `${name} on ${backend}: ${relErr(g!, want)}`);
    }
  }
});

const xs = [2, 6, 6, 2] as [number, number, number, number], ws = [3, 3, 2, 3] as [number, number, number, number];
const X = rand(xs, 82), W = rand(ws, 83), R = rand([2, 3, 3, 3], 84);

for (const backend of ['cpu', 'wasm'] as const) {
  test(`second order through conv2d → act matches finite differences (${backend})`, async () => {
    await useBackend(backend);
    for (const [name, { f }] of Object.entries(ACTS)) {
      const P = (w: tf.Tensor) => {
        const inner = (x: tf.Tensor) => tf.sum(tf.mul(f(tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'), 0.05)), tf.tensor4d(R, [2, 3, 3, 3])));
        return tf.sum(tf.square(tf.grad(inner)(tf.tensor4d(X, xs))));
      };
      const g = tf.tidy(() => tf.grad(P)(tf.tensor4d(W, ws)).dataSync());
      const scale = Math.max(...Array.from(g, Math.abs));
      const h = 1e-2;
      for (const k of [0, 7, 20, 41, 53]) {
        const p = W.slice(), m = W.slice();
        p[k]! += h;
        m[k]! -= h;
        const fd = tf.tidy(() => (P(tf.tensor4d(p, ws)).dataSync()[0]! - P(tf.tensor4d(m, ws)).dataSync()[0]!) / (2 * h));
        assert.ok(Math.abs(fd - g[k]!) <= 2e-3 * scale, `${name} w[${k}]: analytic ${g[k]} vs finite difference ${fd}`);
      }
    }
  });
}
