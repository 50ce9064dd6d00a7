import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eigh, eigvalsh } from '../../src/linalg/eigen.js';
import { tridiagonalQL } from '../../src/linalg/tridiagonal-ql.js';
import { matmul } from '../../src/linalg/gemm.js';
import { pivotedCholesky } from '../../src/linalg/cholesky.js';
import { NumericalError } from '../../src/errors.js';
import { maxAbs, randomPsd, withSpectrum } from './helpers.js';

const EPS = Number.EPSILON;

test('eigh recovers known spectra (clusters, zeros, negatives) with orthonormal vectors and small residuals', () => {
  for (const n of [1, 2, 5, 33, 64, 65, 200]) {
    // Distinct, repeated and zero eigenvalues, spread over ±10.
    const spectrum = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : i % 5 === 0 ? 3 : 10 * Math.sin(i + 1)));
    const a = withSpectrum(spectrum, n);
    const { values, vectors } = eigh(a, n, { vectors: true });
    const want = spectrum.slice().sort();
    const norm = maxAbs(want) || 1;
    // Backward stability: |λ_i − λ̂_i| = O(nε‖A‖). Bound: 10nε‖A‖ (observed ≲ nε‖A‖/10).
    for (let i = 0; i < n; i++) assert.ok(Math.abs(values[i]! - want[i]!) <= 10 * n * EPS * norm, `n=${n} λ${i}: ${values[i]} vs ${want[i]}`);
    const v = vectors!;
    const vt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[i * n + j] = v[j * n + i]!;
    const qtq = matmul(vt, v, n, n, n);
    for (let i = 0; i < n; i++) qtq[i * n + i]! -= 1;
    assert.ok(maxAbs(qtq) <= 10 * n * EPS, `n=${n} ‖VᵀV − I‖max = ${maxAbs(qtq)}`);
    const av = matmul(a, v, n, n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) av[i * n + j]! -= v[i * n + j]! * values[j]!;
    assert.ok(maxAbs(av) <= 10 * n * EPS * norm, `n=${n} ‖AV − VΛ‖max = ${maxAbs(av)}`);
  }
});

test('tridiagonal QL: the (1, 2, 1)/(−1) second-difference matrix has eigenvalues 2 − 2cos(kπ/(n+1))', () => {
  const n = 300;
  const d = new Float64Array(n).fill(2);
  const e = new Float64Array(n - 1).fill(-1);
  tridiagonalQL(d, e);
  for (let k = 1; k <= n; k++) assert.ok(Math.abs(d[k - 1]! - (2 - 2 * Math.cos((k * Math.PI) / (n + 1)))) < 1e-13);
});

test('eigvalsh: a singular PSD matrix (rank 40 of 120) has ~80 zeros at the rounding level, and diagonal input is exact', () => {
  const a = randomPsd(120, 40, 5);
  const w = eigvalsh(a, 120);
  const top = w[119]!;
  for (let i = 0; i < 80; i++) assert.ok(Math.abs(w[i]!) < 120 * EPS * top, `λ${i} = ${w[i]}`);
  assert.ok(w[80]! > 1e-6 * top);
  const diag = new Float64Array(9);
  for (let i = 0; i < 3; i++) diag[i * 3 + i] = [4, -1, 2][i]!;
  assert.deepEqual(Array.from(eigvalsh(diag, 3)), [-1, 2, 4]);
});

test('eigh rejects NaN with a NumericalError', () => {
  assert.throws(() => eigh(Float64Array.of(1, NaN, NaN, 1), 2), NumericalError);
});

test('pivoted Cholesky: P A Pᵀ = L Lᵀ, rank found for a rank-deficient PSD matrix', () => {
  for (const [n, k] of [[50, 50], [90, 30], [130, 129]] as const) {
    const a = randomPsd(n, k + (k === n ? 5 : 0), n + k);
    const { l, perm, rank } = pivotedCholesky(a, n);
    assert.equal(rank, Math.min(n, k === n ? n : k), `n=${n} k=${k}`);
    let err = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < rank; c++) s += l[i * rank + c]! * l[j * rank + c]!;
      err = Math.max(err, Math.abs(s - a[perm[i]! * n + perm[j]!]!));
    }
    assert.ok(err < 1e-12 * maxAbs(a), `n=${n} k=${k}: residual ${err}`);
  }
});

test('eigvalsh at 2048×2048 (the FID size): known spectrum to 1e-12·‖A‖, timed', () => {
  const n = 2048;
  const spectrum = Float64Array.from({ length: n }, (_, i) => Math.exp(-i / 200) * (i % 3 === 0 ? 1 : 0.5));
  const a = withSpectrum(spectrum, 7, 2);
  const t0 = performance.now();
  const w = eigvalsh(a, n);
  const seconds = (performance.now() - t0) / 1000;
  const want = spectrum.slice().sort();
  let err = 0;
  for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(w[i]! - want[i]!));
  console.log(`# eigvalsh 2048×2048: ${seconds.toFixed(2)} s, max |Δλ| = ${err.toExponential(2)}`);
  assert.ok(err < 1e-12, `max |Δλ| = ${err}`);
});
