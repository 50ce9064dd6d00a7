/**
 * Each stabiliser's mathematics against a value computed independently: spectral norm against the
 * largest singular value from a float64 eigendecomposition of MᵀM (src/linalg, no power iteration)
 * and its gradient against central differences; R1 against closed forms; DiffAugment, packing and
 * EMA against plain loops. Runs on cpu (the reference) and wasm.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../src/backend/index.js';
import { eigvalsh } from '../../src/linalg/index.js';
import { powerIteration, sigmaEstimate, spectralNormalise } from '../../src/stabilisers/spectral-norm.js';
import { gradientSquaredPenalty } from '../../src/stabilisers/r1.js';
import { colorJitter, cutoutMask, translate, diffAugment } from '../../src/stabilisers/diff-augment.js';
import { packBatch } from '../../src/stabilisers/pack.js';
import { emaDecayAt, emaUpdate } from '../../src/stabilisers/ema.js';
import { minibatchFeatures, minibatchStd } from '../../src/stabilisers/minibatch.js';
import { Rng } from '../../src/train/rng.js';
import { rand } from '../backend/helpers.js';
import * as fs from 'node:fs';

const FIXTURES = JSON.parse(fs.readFileSync(new URL('../reference/stabiliser_fixtures.json', import.meta.url), 'utf8')) as {
  spectral_norm: { shape: number[]; seed: number; singular_values: number[] }[];
};

/** σ_max of a [rows, cols] row-major matrix: √(largest eigenvalue of MᵀM), all in float64. */
function sigmaMaxReference(m: Float32Array, rows: number, cols: number): number {
  const g = new Float64Array(cols * cols);
  for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += m[r * cols + i]! * m[r * cols + j]!;
    g[i * cols + j] = s;
  }
  return Math.sqrt(Math.max(...eigvalsh(g, cols)));
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: spectral norm — power iteration converges to the SVD's largest singular value`, async () => {
    await useBackend(backend);
    for (const { shape, seed, singular_values: sv } of FIXTURES.spectral_norm) {
      const values = rand(shape, seed);
      const out = shape.at(-1)!;
      const rows = values.length / out;
      const want = sv[0]!; // numpy.linalg.svd in float64 (test/reference/make_stabiliser_fixtures.py)
      // and the same from src/linalg's float64 eigendecomposition of MᵀM: two references agree.
      assert.ok(Math.abs(sigmaMaxReference(values, rows, out) - want) < 1e-9 * want);
      const w = tf.tensor(values, shape);
      let u: tf.Tensor = tf.tensor2d(new Rng(3).normalArray(out), [out, 1]);
      let v: tf.Tensor = tf.zeros([rows, 1]);
      for (let i = 0; i < 400; i++) {
        const next = powerIteration(w, u);
        tf.dispose([u, v]);
        ({ u, v } = next);
      }
      const sigma = sigmaEstimate(w, u, v).dataSync()[0]!;
      // float32 products of ~10 terms: relative error ≲ 1e-6; 1e-5 leaves room for the 200 iterations.
      assert.ok(Math.abs(sigma - want) / want < 1e-5, `shape ${shape}: σ ${sigma} vs SVD ${want}`);
      // W_SN has largest singular value 1.
      const wsn = spectralNormalise(w, u, v);
      const s1 = sigmaMaxReference(wsn.dataSync() as Float32Array, rows, out);
      assert.ok(Math.abs(s1 - 1) < 1e-5, `σ(W_SN) = ${s1}`);
      tf.dispose([w, u, v, wsn]);
    }
  });

  test(`${backend}: spectral norm — gradient of ⟨C, W/σ(W)⟩ (ũ, ṽ constant) matches central differences`, async () => {
    await useBackend(backend);
    const shape = [5, 4];
    const wv = rand(shape, 5), cv = rand(shape, 6);
    const u = tf.tensor2d(rand([4, 1], 7), [4, 1]);
    const v = tf.tensor2d(rand([5, 1], 8), [5, 1]);
    const c = tf.tensor(cv, shape);
    const f = (w: tf.Tensor) => tf.sum(tf.mul(c, spectralNormalise(w, u, v)));
    const g = tf.grad(f)(tf.tensor(wv, shape)).dataSync();
    const h = 1e-2; // f is a ratio of linear forms: smooth; the O(h²) error stays below 1e-4 here
    const fAt = (vals: Float32Array) => tf.tidy(() => f(tf.tensor(vals, shape)).dataSync()[0]!);
    for (let i = 0; i < wv.length; i++) {
      const p = wv.slice(), m = wv.slice();
      p[i]! += h; m[i]! -= h;
      const fd = (fAt(p) - fAt(m)) / (2 * h);
      assert.ok(Math.abs(fd - g[i]!) < 2e-3 * Math.max(1, Math.abs(fd)), `∂/∂w${i}: ${g[i]} vs ${fd}`);
    }
    tf.dispose([u, v, c]);
  });

  test(`${backend}: R1 equals (γ/2)·mean‖∇D‖² for closed-form critics`, async () => {
    await useBackend(backend);
    const x = tf.tensor2d(rand([6, 3], 1), [6, 3]);
    const wv = new Float32Array([0.5, -1.5, 2]);
    const w = tf.tensor2d(wv, [3, 1]);
    const linear = gradientSquaredPenalty((t) => tf.matMul(t, w), x, 4).dataSync()[0]!;
    assert.ok(Math.abs(linear - (4 / 2) * (0.25 + 2.25 + 4)) < 1e-5, `linear critic: ${linear}`);
    // D(x) = Σ x³ per row: ∇ = 3x², ‖∇‖² = Σ 9x⁴.
    const xv = x.dataSync();
    let want = 0;
    for (let i = 0; i < xv.length; i++) want += 9 * xv[i]! ** 4;
    want = (10 / 2) * (want / 6);
    const cubic = gradientSquaredPenalty((t) => tf.sum(tf.pow(t, 3), 1, true), x, 10).dataSync()[0]!;
    assert.ok(Math.abs(cubic - want) / want < 1e-5, `cubic critic: ${cubic} vs ${want}`);
    // Its gradient w.r.t. the critic's weights: ∂/∂w (γ/2)‖w‖² = γw.
    const wVar = tf.variable(tf.tensor2d(wv, [3, 1]));
    const { grads } = tf.variableGrads(() => gradientSquaredPenalty((t) => tf.matMul(t, wVar), x, 4), [wVar]);
    assert.deepEqual([...grads[wVar.name]!.dataSync()].map((g) => +g.toFixed(5)), [2, -6, 8]);
    tf.dispose([x, w, wVar, grads[wVar.name]!]);
  });

  test(`${backend}: DiffAugment translation, cutout and colour equal plain loops; gradients flow`, async () => {
    await useBackend(backend);
    const [b, h, wd, c] = [3, 6, 5, 2];
    const xv = rand([b, h, wd, c], 3);
    const x = tf.tensor4d(xv, [b, h, wd, c]);
    const at = (n: number, i: number, j: number, k: number) => xv[((n * h + i) * wd + j) * c + k]!;
    const th = new Int32Array([1, -2, 0]), tw = new Int32Array([0, 1, -1]);
    const got = translate(x, th, tw).dataSync();
    for (let n = 0; n < b; n++) for (let i = 0; i < h; i++) for (let j = 0; j < wd; j++) for (let k = 0; k < c; k++) {
      const si = i + th[n]!, sj = j + tw[n]!;
      const want = si >= 0 && si < h && sj >= 0 && sj < wd ? at(n, si, sj, k) : 0;
      assert.equal(got[((n * h + i) * wd + j) * c + k], want);
    }
    // Translation's gradient is the adjoint shift: grad[n, i + th, j + tw] = C[n, i, j].
    const cv = rand([b, h, wd, c], 4);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(translate(t as tf.Tensor4D, th, tw), tf.tensor4d(cv, [b, h, wd, c]))))(x).dataSync();
    const gWant = new Float32Array(xv.length);
    for (let n = 0; n < b; n++) for (let i = 0; i < h; i++) for (let j = 0; j < wd; j++) for (let k = 0; k < c; k++) {
      const si = i + th[n]!, sj = j + tw[n]!;
      if (si >= 0 && si < h && sj >= 0 && sj < wd) gWant[((n * h + si) * wd + sj) * c + k]! += cv[((n * h + i) * wd + j) * c + k]!;
    }
    g.forEach((v, i) => assert.ok(Math.abs(v - gWant[i]!) < 1e-6));
    // Cutout: the square of side 3 (rows) × 2 (cols) around the offset, clamped.
    const mask = cutoutMask(1, h, wd, new Int32Array([0]), new Int32Array([4]), 3, 2);
    const zeros = [...mask].map((m, i) => (m === 0 ? `${Math.floor(i / wd)},${i % wd}` : '')).filter(Boolean);
    assert.deepEqual(zeros, ['0,3', '0,4', '1,3', '1,4']); // rows clamp(−1..1) = {0, 1}; cols {3, 4}
    // Colour: brightness, saturation, contrast with explicit draws.
    const rb = new Float32Array([0.1, 0.7, 0.5]), rs = new Float32Array([0.3, 0.9, 0]), rc = new Float32Array([0.2, 0.6, 1]);
    const col = colorJitter(x, rb, rs, rc).dataSync();
    for (let n = 0; n < b; n++) {
      const y = Array.from({ length: h * wd * c }, (_, q) => xv[n * h * wd * c + q]! + rb[n]! - 0.5);
      for (let p = 0; p < h * wd; p++) {
        const m = (y[p * c]! + y[p * c + 1]!) / 2;
        for (let k = 0; k < c; k++) y[p * c + k] = (y[p * c + k]! - m) * 2 * rs[n]! + m;
      }
      const mean = y.reduce((a, v) => a + v, 0) / y.length;
      y.forEach((v, q) => {
        const want = (v - mean) * (rc[n]! + 0.5) + mean;
        assert.ok(Math.abs(col[n * h * wd * c + q]! - want) < 1e-5, `colour ${n},${q}`);
      });
    }
    // Same stream state, same augmentation (seeded); a gradient reaches every policy's input.
    const a1 = diffAugment(x, ['color', 'translation', 'cutout'], new Rng(9)).dataSync();
    const a2 = diffAugment(x, ['color', 'translation', 'cutout'], new Rng(9)).dataSync();
    assert.deepEqual(a1, a2);
    const ga = tf.grad((t: tf.Tensor) => tf.sum(diffAugment(t, ['color', 'translation', 'cutout'], new Rng(9))))(x);
    assert.ok(tf.any(tf.notEqual(ga, 0)).dataSync()[0] === 1);
    tf.dispose([x, ga]);
  });

  test(`${backend}: PacGAN packing puts m consecutive samples side by side; EMA update`, async () => {
    await useBackend(backend);
    const pts = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
    assert.deepEqual([...packBatch(pts, 2).dataSync()], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(packBatch(pts, 2).shape, [2, 4]);
    const img = tf.tensor4d(Array.from({ length: 4 * 2 * 1 * 3 }, (_, i) => i), [4, 2, 1, 3]); // [B, H, W, C]
    const p = packBatch(img, 2);
    assert.deepEqual(p.shape, [2, 2, 1, 6]);
    // pack 0, pixel (0,0): sample 0's channels then sample 1's.
    assert.deepEqual([...p.dataSync()].slice(0, 6), [0, 1, 2, 6, 7, 8]);
    const e = emaUpdate(tf.tensor1d([1, 2]), tf.tensor1d([3, -2]), 0.9).dataSync();
    assert.ok(Math.abs(e[0]! - (0.9 * 1 + 0.1 * 3)) < 1e-6 && Math.abs(e[1]! - (0.9 * 2 - 0.1 * 2)) < 1e-6);
    // Warm-up: 1/10, 2/11, … until (1 + t)/(10 + t) reaches β; 0.999 is reached at t = 8,990.
    assert.equal(emaDecayAt(0.999, 0), 0.1);
    assert.equal(emaDecayAt(0.999, 1), 2 / 11);
    assert.equal(emaDecayAt(0.999, 8989), 8990 / 8999);
    assert.equal(emaDecayAt(0.999, 8991), 0.999);
    tf.dispose([pts, img, p]);
  });

  test(`${backend}: minibatch discrimination and minibatch std equal plain loops`, async () => {
    await useBackend(backend);
    const [n, a, kb, kc] = [6, 4, 3, 2];
    const fv = rand([n, a], 21), tv = rand([a, kb * kc], 22);
    const f = tf.tensor2d(fv, [n, a]);
    const o = minibatchFeatures(f, tf.tensor2d(tv, [a, kb * kc]), kb, kc).dataSync();
    const M = (i: number, b: number, c: number) => { let s = 0; for (let q = 0; q < a; q++) s += fv[i * a + q]! * tv[q * kb * kc + b * kc + c]!; return s; };
    for (let i = 0; i < n; i++) for (let b = 0; b < kb; b++) {
      let want = 0;
      for (let j = 0; j < n; j++) { let l1 = 0; for (let c = 0; c < kc; c++) l1 += Math.abs(M(i, b, c) - M(j, b, c)); want += Math.exp(-l1); }
      assert.ok(Math.abs(o[i * kb + b]! - want) < 1e-5 * want, `o[${i},${b}] ${o[i * kb + b]} vs ${want}`);
    }
    // Minibatch std, groups of 2 over 6 samples: group of sample i = i mod 3 (Karras's reshape).
    const s = minibatchStd(f, 2).dataSync();
    for (let i = 0; i < n; i++) {
      const members = [i % 3, (i % 3) + 3];
      let acc = 0;
      for (let q = 0; q < a; q++) {
        const xs = members.map((m) => fv[m * a + q]!);
        const mu = (xs[0]! + xs[1]!) / 2;
        acc += Math.sqrt(((xs[0]! - mu) ** 2 + (xs[1]! - mu) ** 2) / 2 + 1e-8);
      }
      assert.ok(Math.abs(s[i]! - acc / a) < 1e-6, `s[${i}] ${s[i]} vs ${acc / a}`);
    }
    f.dispose();
  });
}
