import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { featuresToStatistics, decodeStatistics } from '../../src/metrics/statistics.js';
import { frechetDistance } from '../../src/metrics/frechet.js';
import { KEY_FID } from '../../src/metrics/keys.js';
import { hashUniform, lowrankFeatures } from '../reference/hash-features.js';
import { bitsSum, fixtures, REFERENCE_DIR, relErr, type FidCase } from './fixtures.js';

function statsOf(c: FidCase) {
  const a = lowrankFeatures(c.seed1, c.n1, c.d, { shift: c.shift1 });
  const b = lowrankFeatures(c.seed2, c.n2, c.d, { shift: c.shift2 });
  return { a, s1: featuresToStatistics(a, c.n1, c.d), s2: featuresToStatistics(b, c.n2, c.d) };
}

test('the TS input generator is bit-identical to the Python one', () => {
  assert.deepEqual(Array.from(hashUniform(5, 8)), fixtures.hash_check.uniform_seed5_first8);
  assert.equal(bitsSum(lowrankFeatures(1, 1000, 2048, { shift: 0.5 })), fixtures.hash_check.features_seed1_bits_sum);
});

for (const c of fixtures.fid) {
  // Tolerance 1e-6 relative (the issue's). Observed: ~1e-13 on full-rank 64-d statistics, ~1e-7 on
  // N < D ones, where scipy's Schur sqrtm adds Re sqrt of rounding-level eigenvalues (see frechet.ts):
  // against the exact value (nuclear norm of the centred features) we are within 1e-10.
  test(`FID '${c.name}' (${c.d}-d, N = ${c.n1}/${c.n2}) matches pytorch-fid to 1e-6 relative, the exact value to 1e-9`, () => {
    const t0 = performance.now();
    const { s1, s2 } = statsOf(c);
    const t1 = performance.now();
    const r = frechetDistance(s1, s2);
    const t2 = performance.now();
    const vsRef = relErr(r.value, c.fid), vsExact = relErr(r.value, c.exact_fid);
    console.log(`# fid ${c.name}: ${r.value} vs pytorch-fid ${c.fid}: rel ${vsRef.toExponential(2)}; vs exact ${vsExact.toExponential(2)}; ` +
      `rank ${r.rank}, clipped ${r.negativeCount}; stats ${((t1 - t0) / 1000).toFixed(2)} s, distance ${((t2 - t1) / 1000).toFixed(2)} s`);
    assert.ok(vsRef < 1e-6, `FID ${r.value} vs ${c.fid}`);
    assert.ok(vsExact < 1e-9, `FID ${r.value} vs exact ${c.exact_fid}`);
    assert.ok(relErr(r.trace1, c.trace1) < 1e-12 && relErr(r.trace2, c.trace2) < 1e-12 && relErr(r.meanTerm, c.mean_term) < 1e-10);
    c.mu1_head.forEach((v, i) => assert.ok(relErr(s1.mu[i]!, v) < 1e-12));
    c.sigma1_head.forEach((v, i) => assert.ok(Math.abs(s1.sigma[i]! - v) < 1e-12 * Math.abs(s1.sigma[0]!)));
  });
}

test('statistics read from a numpy-written .npz (np.savez and np.savez_compressed) give the reference FID', () => {
  const c = fixtures.fid.find((f) => f.name === 'small')!;
  const { s1, s2 } = statsOf(c);
  const plain = decodeStatistics(readFileSync(`${REFERENCE_DIR}fid_stats_64.npz`), 'fid_stats_64.npz');
  const packed = decodeStatistics(readFileSync(`${REFERENCE_DIR}fid_stats_64_compressed.npz`), 'fid_stats_64_compressed.npz');
  assert.equal(plain.n, undefined);
  assert.equal(packed.n, c.n1);
  for (const s of [plain, packed]) {
    for (let i = 0; i < s.sigma.length; i++) assert.ok(Math.abs(s.sigma[i]! - s1.sigma[i]!) < 1e-13 * Math.abs(s1.sigma[0]!));
    assert.ok(relErr(frechetDistance(s, s2).value, c.fid) < 1e-10);
  }
});

test('analytic facts: identical sets → 0, equal covariances → ||Δmu||², symmetry, key spelling', () => {
  const d = 48, n = 200;
  const a = lowrankFeatures(5, n, d);
  const s = featuresToStatistics(a, n, d);
  // Identical sets: Tr S1 + Tr S2 − 2 Tr S = 0 up to rounding, i.e. ~1e-13 of the trace.
  let tr = 0;
  for (let i = 0; i < d; i++) tr += s.sigma[i * d + i]!;
  assert.ok(Math.abs(frechetDistance(s, s).value) < 1e-12 * tr, `${frechetDistance(s, s).value}`);
  // Shifting every feature by δ_j leaves the covariance: FID = ||δ||².
  const delta = Float64Array.from({ length: d }, (_, j) => 0.01 * (j % 5) - 0.02);
  const shifted = a.map((v, i) => v + delta[i % d]!);
  const s2 = featuresToStatistics(shifted, n, d);
  const want = delta.reduce((q, v) => q + v * v, 0);
  assert.ok(Math.abs(frechetDistance(s, s2).value - want) < 1e-6 * want + 1e-12 * tr);
  const b = featuresToStatistics(lowrankFeatures(6, 150, d), 150, d);
  assert.ok(relErr(frechetDistance(s, b).value, frechetDistance(b, s).value) < 1e-12);
  assert.equal(KEY_FID, 'frechet_inception_distance');
});

test('diagonalOffset reproduces pytorch-fid\'s eps retry: FID rises by the offset terms only', () => {
  const d = 16;
  const s = featuresToStatistics(lowrankFeatures(8, 100, d), 100, d);
  const z = { mu: s.mu, sigma: new Float64Array(d * d), n: 100 }; // a degenerate (all-zero) covariance
  const plain = frechetDistance(s, z).value;
  const eps = 1e-6;
  const withEps = frechetDistance(s, z, { diagonalOffset: eps }).value;
  // Tr(S+εI) + Tr(εI) − 2 Tr(sqrt(ε(S+εI))) vs Tr S: the difference is 2dε − 2Σ sqrt(ε(λ+ε)).
  assert.ok(Number.isFinite(plain) && Number.isFinite(withEps) && withEps < plain);
});
