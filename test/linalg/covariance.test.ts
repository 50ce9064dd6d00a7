import { test } from 'node:test';
import assert from 'node:assert/strict';
import { covarianceFromMoments, mergeMoments, moments, MomentAccumulator } from '../../src/linalg/covariance.js';
import { featuresToStatistics, mergeStatistics } from '../../src/metrics/statistics.js';
import { randn, relErr } from './helpers.js';

function twoPassNaive(x: Float64Array, n: number, d: number) {
  const mu = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mu[j]! += x[i * d + j]! / n;
  const s = new Float64Array(d * d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
    let t = 0;
    for (let i = 0; i < n; i++) t += (x[i * d + a]! - mu[a]!) * (x[i * d + b]! - mu[b]!);
    s[a * d + b] = t / (n - 1);
  }
  return { mu, s };
}

test('covariance (N − 1) matches the textbook two-pass sum; large offsets do not cancel', () => {
  const n = 300, d = 17;
  const x = randn(n, d, 3).map((v) => v + 1e6); // mean 1e6, variance 1: the one-pass formula would lose ~all digits
  const { mu, s } = twoPassNaive(x, n, d);
  const m = moments(x, n, d);
  const sigma = covarianceFromMoments(m);
  for (let j = 0; j < d; j++) assert.ok(relErr(m.mean[j]!, mu[j]!) < 1e-13);
  for (let i = 0; i < d * d; i++) assert.ok(Math.abs(sigma[i]! - s[i]!) < 1e-9, `sigma[${i}]`);
  for (let i = 0; i < d; i++) assert.ok(Math.abs(sigma[i * d + i]! - 1) < 0.2);
});

test('merged statistics equal the statistics of the union to 1e-10 relative (Chan et al.)', () => {
  const d = 24;
  const sizes = [1, 2, 57, 300, 1000];
  const parts = sizes.map((n, k) => randn(n, d, 100 + k).map((v, i) => v * (1 + (i % d)) + 3 * k)); // different means and scales
  const all = new Float64Array(sizes.reduce((a, b) => a + b, 0) * d);
  let off = 0;
  for (const p of parts) { all.set(p, off); off += p.length; }
  const whole = moments(all, all.length / d, d);
  let merged = moments(parts[0]!, sizes[0]!, d);
  for (let k = 1; k < parts.length; k++) merged = mergeMoments(merged, moments(parts[k]!, sizes[k]!, d));
  assert.equal(merged.n, whole.n);
  const scale = Math.max(...whole.comoment.map(Math.abs));
  for (let i = 0; i < d * d; i++) assert.ok(Math.abs(merged.comoment[i]! - whole.comoment[i]!) <= 1e-10 * scale, `comoment[${i}]`);
  for (let j = 0; j < d; j++) assert.ok(relErr(merged.mean[j]!, whole.mean[j]!) < 1e-10);
  // The streaming accumulator and the statistics-level merge (what `ganbox stats --merge` uses) agree too.
  const acc = new MomentAccumulator(d);
  parts.forEach((p, k) => acc.add(p, sizes[k]!));
  const accSigma = covarianceFromMoments(acc.result());
  const s12 = mergeStatistics(featuresToStatistics(parts[3]!, 300, d), featuresToStatistics(parts[4]!, 1000, d));
  const both = new Float64Array([...parts[3]!, ...parts[4]!]);
  const direct = featuresToStatistics(both, 1300, d);
  const wholeSigma = covarianceFromMoments(whole);
  const top = Math.max(...wholeSigma.map(Math.abs));
  for (let i = 0; i < d * d; i++) {
    assert.ok(Math.abs(accSigma[i]! - wholeSigma[i]!) <= 1e-10 * top);
    assert.ok(Math.abs(s12.sigma[i]! - direct.sigma[i]!) <= 1e-10 * Math.max(...direct.sigma.map(Math.abs)));
  }
  assert.equal(s12.n, 1300);
});

test('mergeStatistics refuses statistics without n (pytorch-fid files), naming the fix', () => {
  const s = featuresToStatistics(randn(10, 3, 1), 10, 3);
  assert.throws(() => mergeStatistics({ mu: s.mu, sigma: s.sigma }, s), /sample count 'n'/);
});
