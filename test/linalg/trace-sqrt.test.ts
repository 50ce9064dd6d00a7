import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceSqrtProduct, sqrtPsd } from '../../src/linalg/trace-sqrt.js';
import { matmul } from '../../src/linalg/gemm.js';
import { NumericalError } from '../../src/errors.js';
import { maxAbs, randomPsd, relErr, withSpectrum } from './helpers.js';

test('Tr((D1 D2)^½) of diagonal matrices is Σ sqrt(d1 d2), exactly enough (1e-15 relative)', () => {
  const n = 50;
  const d1 = new Float64Array(n * n), d2 = new Float64Array(n * n);
  let want = 0;
  for (let i = 0; i < n; i++) {
    const a = (i + 1) / 7, b = i % 4 === 0 ? 0 : 3 / (i + 1);
    d1[i * n + i] = a; d2[i * n + i] = b; want += Math.sqrt(a * b);
  }
  for (const method of ['cholesky', 'sqrt'] as const) {
    const r = traceSqrtProduct(d1, d2, n, { method });
    assert.ok(relErr(r.value, want) < 1e-14, `${method}: ${r.value} vs ${want}`);
  }
});

test('Tr((S S)^½) = Tr S, Tr((S·I)^½) = Tr S^½, and symmetry in the arguments', () => {
  const n = 60;
  const spectrum = Float64Array.from({ length: n }, (_, i) => (i + 1) ** 2 / 100);
  const s = withSpectrum(spectrum, 3);
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  const trace = spectrum.reduce((a, b) => a + b, 0);
  const traceRoot = spectrum.reduce((a, b) => a + Math.sqrt(b), 0);
  assert.ok(relErr(traceSqrtProduct(s, s, n).value, trace) < 1e-13);
  assert.ok(relErr(traceSqrtProduct(s, eye, n).value, traceRoot) < 1e-13);
  assert.ok(relErr(traceSqrtProduct(eye, s, n).value, traceRoot) < 1e-13);
  const a = randomPsd(n, 80, 1), b = randomPsd(n, 25, 2);
  const ab = traceSqrtProduct(a, b, n), ba = traceSqrtProduct(b, a, n);
  assert.ok(relErr(ab.value, ba.value) < 1e-12, `${ab.value} vs ${ba.value}`);
  assert.equal(ba.rank, 25); // the factored matrix's rank
  assert.equal(ab.rank, 25); // 'auto' factors the lower-rank argument either way
  // The literal S1^½ S2 S1^½ route (S1 = a, full rank) agrees up to the sqrt of its 35 rounding-level
  // eigenvalues, each ~sqrt(nε‖M‖) ≈ 1e-7·sqrt‖M‖: observed 6e-9 relative.
  assert.ok(relErr(traceSqrtProduct(a, b, n, { method: 'sqrt' }).value, ab.value) < 1e-7);
});

test('sqrtPsd squares back to S', () => {
  const n = 40;
  const s = randomPsd(n, 60, 9);
  const r = sqrtPsd(s, n);
  const rr = matmul(r, r, n, n, n);
  for (let i = 0; i < n * n; i++) rr[i]! -= s[i]!;
  assert.ok(maxAbs(rr) < 1e-13 * maxAbs(s));
});

test('negative eigenvalues: rounding-level ones are clipped and reported, real ones are an error', () => {
  const n = 80;
  const a = randomPsd(n, 20, 4), b = randomPsd(n, 30, 5); // rank-deficient both: many zero eigenvalues
  const r = traceSqrtProduct(a, b, n, { method: 'sqrt' });
  assert.ok(r.negativeCount >= 0 && r.mostNegative <= 0 && r.mostNegative > -1e-12);
  assert.equal(r.eigenvalues.length, n);
  const indefinite = withSpectrum(Float64Array.from({ length: n }, (_, i) => (i === 0 ? -1 : 1)), 6);
  assert.throws(() => traceSqrtProduct(indefinite, b, n, { method: 'sqrt' }), NumericalError);
});
