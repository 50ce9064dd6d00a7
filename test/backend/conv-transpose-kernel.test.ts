/**
 * The sub-pixel wasm Conv2DBackpropInput kernel (src/backend/kernels/conv2d-backprop-input-wasm.ts)
 * against the cpu backend and plain loops (conv-reference.ts), on odd shapes, on the DCGAN's
 * layers, through the whole DCGAN (G forward, D and G gradients) and through second-order
 * gradients.
 *
 * Tolerance: 1e-4 relative to the reference's largest magnitude (relErr), as in conv-grads.test.ts:
 * float32 sums of ≤ 2,048 products of values in [-1, 1] differ by ~√n·2⁻²⁴ ≈ 3e-6 relative
 * between summation orders; a wrong tap or offset gives errors of order 1. Observed worst: printed
 * at the end (~1e-6).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { on, rand, relErr } from './helpers.js';
import { type ConvSpec, outShape, refInputGrad } from './conv-reference.js';
import { useBackend } from '../../src/backend/index.js';
import { useExact } from '../../src/backend/kernels/conv2d-backprop-input-wasm.js';
import { originalWasmKernel } from '../../src/backend/kernels/wasm-run.js';
import { buildModels, discriminate, generate, trainableVariables } from '../../src/models/index.js';
import { getLoss } from '../../src/losses/index.js';
import { Rng } from '../../src/train/rng.js';

const TOL = 1e-4;
let worst = 0;
function check(label: string, got: ArrayLike<number>, want: ArrayLike<number>, tol = TOL): void {
  const e = relErr(got, want);
  worst = Math.max(worst, e);
  assert.ok(e <= tol, `${label}: relative error ${e.toExponential(2)} > ${tol}`);
}

/** Each spec is the forward conv2d whose adjoint conv2dTranspose(dy, w, spec.x) computes. */
const CASES: Array<[string, ConvSpec]> = [
  ['DCGAN G 128→64, 7→14 (exact residues)', { x: [4, 14, 14, 64], w: [4, 4, 64, 128], strides: 2, pad: 'same' }],
  ['DCGAN G 64→1, 14→28 (combined)', { x: [4, 28, 28, 1], w: [4, 4, 1, 64], strides: 2, pad: 'same' }],
  ['stride 1 same, non-square, batch 1', { x: [1, 7, 5, 3], w: [3, 2, 3, 4], strides: 1, pad: 'same' }],
  ['stride 1 valid, odd', { x: [2, 9, 6, 5], w: [4, 3, 5, 2], strides: 1, pad: 'valid' }],
  ['stride 2 same, odd sizes, non-square', { x: [2, 7, 5, 3], w: [3, 2, 3, 4], strides: 2, pad: 'same' }],
  ['stride 2 valid (last row unread)', { x: [2, 8, 7, 3], w: [3, 3, 3, 4], strides: 2, pad: 'valid' }],
  ['stride 2 same, batch 1, exact path', { x: [1, 10, 6, 8], w: [3, 4, 8, 5], strides: 2, pad: 'same' }],
  ['stride 2 valid, exact path, k 5', { x: [2, 12, 8, 9], w: [5, 5, 9, 3], strides: 2, pad: 'valid' }],
  ['strides [2, 1] same, even kernel', { x: [2, 8, 6, 3], w: [4, 3, 3, 5], strides: [2, 1], pad: 'same' }],
  ['strides [1, 3] valid, exact path', { x: [2, 5, 9, 8], w: [2, 4, 8, 3], strides: [1, 3], pad: 'valid' }],
  ['stride 3 same, kernel not a multiple', { x: [2, 11, 10, 3], w: [5, 4, 3, 2], strides: 3, pad: 'same' }],
  ['kernel 1 smaller than stride 3 (zero residues)', { x: [2, 9, 8, 2], w: [1, 1, 2, 3], strides: 3, pad: 'valid' }],
  ['kernel 2 < stride 3, exact path', { x: [1, 9, 6, 8], w: [2, 2, 8, 4], strides: 3, pad: 'same' }],
  ['numeric pad 1, stride 2', { x: [2, 6, 6, 2], w: [3, 3, 2, 3], strides: 2, pad: 1 }],
  ['explicit pad, stride 2', { x: [2, 6, 7, 3], w: [3, 3, 3, 2], strides: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] }],
  ['explicit pad, stride 2, exact path', { x: [2, 6, 8, 8], w: [3, 3, 8, 2], strides: 2, pad: [[0, 0], [2, 1], [1, 0], [0, 0]] }],
];

test('both algorithms are exercised', () => {
  const paths = CASES.map(([, s]) => useExact(s.x, ...(typeof s.strides === 'number' ? [s.strides, s.strides] as const : s.strides)));
  assert.ok(paths.filter(Boolean).length >= 4 && paths.filter((p) => !p).length >= 4, `exact/combined: ${paths}`);
});

for (const [name, spec] of CASES) {
  test(`conv2dTranspose on wasm = cpu = loops: ${name}`, async () => {
    const dyShape = outShape(spec);
    const dy = rand(dyShape, 41), w = rand(spec.w, 42);
    const want = refInputGrad(spec, dy, w);
    const run = (backend: 'cpu' | 'wasm') => on(backend, () =>
      [tf.conv2dTranspose(tf.tensor4d(dy, dyShape), tf.tensor4d(w, spec.w), spec.x, spec.strides, spec.pad as 'same')]);
    const [cpu] = await run('cpu');
    const [wasm] = await run('wasm');
    assert.deepEqual(wasm!.length, want.length);
    check('cpu vs loops', cpu!, want);
    check('wasm vs loops', wasm!, want);
    check('wasm vs cpu', wasm!, cpu!);
  });
}

test('the kernel is installed on wasm and the original is kept for other layouts', async () => {
  await useBackend('wasm');
  assert.ok(originalWasmKernel(tf.Conv2DBackpropInput) !== undefined);
  assert.notEqual(tf.getKernel(tf.Conv2DBackpropInput, 'wasm'), originalWasmKernel(tf.Conv2DBackpropInput));
});

test('whole DCGAN (batch 4): G forward, D and G gradients on wasm equal cpu', async () => {
  const B = 4;
  const z = new Rng(5).normalArray(B * 100);
  const real = rand([B, 28, 28, 1], 43);
  const loss = getLoss('non-saturating');
  const results: Record<string, Float32Array[]> = {};
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    const { generator: g, discriminator: d } = buildModels({ arch: 'dcgan', dataShape: [28, 28, 1] }, new Rng(7));
    const gVars = trainableVariables(g.model), dVars = trainableVariables(d.model);
    results[backend] = tf.tidy(() => {
      const zt = tf.tensor2d(z, [B, 100]), xt = tf.tensor4d(real, [B, 28, 28, 1]);
      const fake = generate(g, zt, true);
      const dg = tf.variableGrads(() => loss.discriminator(
        discriminate(d, xt, true).logit, discriminate(d, generate(g, zt, true), true).logit), dVars);
      const gg = tf.variableGrads(() => loss.generator(discriminate(d, generate(g, zt, true), true).logit), gVars);
      return [fake, dg.value, ...dVars.map((v) => dg.grads[v.name]!), gg.value, ...gVars.map((v) => gg.grads[v.name]!)]
        .map((t) => t.dataSync() as Float32Array);
    });
    g.model.dispose();
    d.model.dispose();
  }
  const [cpu, wasm] = [results['cpu']!, results['wasm']!];
  assert.equal(cpu.length, wasm.length);
  // Gradients pass through BatchNorm over 4·7·7 values, which amplifies rounding differences of
  // the forward pass a little; still far below any indexing error.
  cpu.forEach((c, i) => check(`output ${i} (of ${cpu.length})`, wasm[i]!, c));
});

/**
 * P(w1, w2) = Σ (∇ₓ Σ r·convT(leakyRelu(conv2d(x, w1, s2)), w2, s2))²: a gradient of a gradient
 * through both Conv2DBackpropInput (forward and as conv2d's input gradient) and its registered
 * gradient, compared between wasm (new kernel) and cpu, and to central differences on wasm.
 */
test('second-order gradients through transposed convolutions: wasm = cpu = finite differences', async () => {
  const xs = [2, 8, 6, 3] as const, w1s = [3, 3, 3, 8] as const, w2s = [4, 4, 5, 8] as const, outS = [2, 8, 6, 5] as const;
  const X = rand(xs, 51), W1 = rand(w1s, 52), W2 = rand(w2s, 53), R = rand(outS, 54);
  const P = (w1: tf.Tensor, w2: tf.Tensor) => {
    const x = tf.tensor4d(X, [...xs]), r = tf.tensor4d(R, [...outS]);
    const f = (xx: tf.Tensor) => {
      const h = tf.leakyRelu(tf.conv2d(xx as tf.Tensor4D, w1 as tf.Tensor4D, 2, 'same'), 0.2); // [2, 4, 3, 8]
      return tf.sum(tf.mul(tf.conv2dTranspose(h, w2 as tf.Tensor4D, [...outS], 2, 'same'), r));
    };
    return tf.sum(tf.square(tf.grad(f)(x)));
  };
  const grads = async (backend: 'cpu' | 'wasm') => on(backend, () =>
    tf.grads(P)([tf.tensor4d(W1, [...w1s]), tf.tensor4d(W2, [...w2s])]));
  const cpu = await grads('cpu');
  const wasm = await grads('wasm');
  check('d/dw1 wasm vs cpu', wasm[0]!, cpu[0]!);
  check('d/dw2 wasm vs cpu', wasm[1]!, cpu[1]!);
  // Central differences on a few coordinates of w2 (P is quadratic in w2: exact up to rounding).
  await useBackend('wasm');
  const h = 1e-2;
  const scale = Math.max(...Array.from(wasm[1]!, Math.abs));
  for (const k of [0, 37, 211, 600]) {
    const p = W2.slice(), m = W2.slice();
    p[k]! += h;
    m[k]! -= h;
    const [pp, pm] = tf.tidy(() => [P(tf.tensor4d(W1, [...w1s]), tf.tensor4d(p, [...w2s])).dataSync()[0]!,
      P(tf.tensor4d(W1, [...w1s]), tf.tensor4d(m, [...w2s])).dataSync()[0]!]);
    const fd = (pp! - pm!) / (2 * h);
    assert.ok(Math.abs(fd - wasm[1]![k]!) <= 2e-3 * scale, `w2[${k}]: analytic ${wasm[1]![k]} vs finite difference ${fd}`);
  }
});

test('summary of worst errors', () => {
  console.log(`# conv2dTranspose kernel: worst relative error ${worst.toExponential(2)}`);
});
