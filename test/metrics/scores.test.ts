import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inceptionScore, inceptionScoreFromProbabilities } from '../../src/metrics/inception-score.js';
import { kernelInceptionDistance } from '../../src/metrics/kid.js';
import { computePrdc, densityCoverage, precisionRecall } from '../../src/metrics/prdc.js';
import { KEY_COVERAGE, KEY_DENSITY, KEY_IS, KEY_KID, KEY_PRECISION, KEY_RECALL } from '../../src/metrics/keys.js';
import { logitsMatrix, lowrankFeatures } from '../reference/hash-features.js';
import { bitsSum, fixtures, relErr } from './fixtures.js';

test('Inception Score matches torch-fidelity (float64 torch) to 1e-12 relative, with and without its shuffle', () => {
  const f = fixtures.inception_score;
  const logits = logitsMatrix(f.seed, f.n, f.c);
  assert.equal(bitsSum(logits), fixtures.hash_check.logits_seed21_bits_sum);
  // The fixture's first value is torch-fidelity's with shuffle=False: the rows as given.
  const r = inceptionScore(logits, f.n, f.c, { splits: f.splits, splitOrder: 'input' });
  console.log(`# IS ${r.mean} ± ${r.std} vs ${f.mean} ± ${f.std}: rel ${relErr(r.mean, f.mean).toExponential(2)}, ${relErr(r.std, f.std).toExponential(2)}`);
  assert.ok(relErr(r.mean, f.mean) < 1e-12 && relErr(r.std, f.std) < 1e-9);
  const s = fixtures.inception_score_shuffled;
  const rs = inceptionScore(logits, f.n, f.c, { order: s.order });
  assert.ok(relErr(rs.mean, s.mean) < 1e-12 && relErr(rs.std, s.std) < 1e-9);
  // Its default shuffle, numpy's RandomState(2020).permutation, is ours by default (numpy-random-state.ts).
  const rd = inceptionScore(logits, f.n, f.c);
  assert.ok(relErr(rd.mean, s.mean) < 1e-12 && relErr(rd.std, s.std) < 1e-9);
});

test('Inception Score analytic facts: one-hot uniform classes → number of classes; identical rows → 1', () => {
  const n = 100, c = 10;
  const oneHot = new Float64Array(n * c);
  for (let i = 0; i < n; i++) oneHot[i * c + (i % c)] = 1;
  // Rows as given, so that every slice of 10 holds each class once (a shuffle would unbalance them).
  const r = inceptionScoreFromProbabilities(oneHot, n, c, { splits: 10, splitOrder: 'input' });
  assert.ok(Math.abs(r.mean - 10) < 1e-12 && r.std < 1e-12);
  const same = new Float64Array(n * c).map((_, i) => (i % c) / 7);
  const r1 = inceptionScore(same, n, c);
  assert.ok(Math.abs(r1.mean - 1) < 1e-12);
  assert.equal(KEY_IS, 'inception_score');
});

test('KID matches torch-fidelity\'s unbiased polynomial MMD² on the same subsets (1e-10 relative, float64)', () => {
  const f = fixtures.kid;
  const x = lowrankFeatures(f.seed_x, f.n_x, f.d, { shift: f.shift_x });
  const y = lowrankFeatures(f.seed_y, f.n_y, f.d, { shift: f.shift_y });
  const r = kernelInceptionDistance(x, f.n_x, y, f.n_y, f.d, { indices: f.subsets });
  console.log(`# KID ${r.mean} ± ${r.std} vs ${f.mean} ± ${f.std}: rel ${relErr(r.mean, f.mean).toExponential(2)}; ` +
    `torch-fidelity's float32 arithmetic differs by ${relErr(f.float32.mean, f.mean).toExponential(2)}`);
  r.values.forEach((v, i) => assert.ok(relErr(v, f.values[i]!) < 1e-10, `subset ${i}`));
  assert.ok(relErr(r.mean, f.mean) < 1e-10 && relErr(r.std, f.std) < 1e-9);
  // Those subsets are numpy's RandomState(2020).choice draws, which ours reproduce: the same values without `indices`.
  const drawn = kernelInceptionDistance(x, f.n_x, y, f.n_y, f.d, { subsets: f.subsets.length, subsetSize: f.subsets[0]![0].length });
  assert.deepEqual(Array.from(drawn.values), Array.from(r.values));
  assert.equal(KEY_KID, 'kernel_inception_distance');
});

test('KID: identical subsets give MMD² ≈ 0 in expectation; fewer samples than the subset size warn and shrink', () => {
  const d = 8;
  const x = lowrankFeatures(3, 60, d);
  const warnings: string[] = [];
  const r = kernelInceptionDistance(x, 60, x, 60, d, { subsets: 5, warn: (m) => warnings.push(m) });
  assert.equal(r.subsetSize, 60);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /subsets of 60/);
  // The same full set on both sides: the unbiased estimate is −(2/m²)·Σ_i k(x_i,x_i) + (2/(m(m−1)) − 2/m²)·Σ_{i≠j}: small.
  assert.ok(Math.abs(r.mean) < 0.05 * kernelInceptionDistance(x, 60, lowrankFeatures(4, 60, d, { shift: 1 }), 60, d, { subsets: 1, warn: () => {} }).mean);
  // Seeded: the same options draw the same subsets.
  const y = lowrankFeatures(4, 80, d);
  const a = kernelInceptionDistance(x, 60, y, 80, d, { subsets: 3, subsetSize: 20 });
  const b = kernelInceptionDistance(x, 60, y, 80, d, { subsets: 3, subsetSize: 20 });
  assert.deepEqual(Array.from(a.values), Array.from(b.values));
});

test('precision/recall (k = 3) and density/coverage (k = 5) match compute_prdc exactly', () => {
  const f = fixtures.prdc;
  const real = lowrankFeatures(f.seed_real, f.n_real, f.d, { shift: f.shift_real });
  const fake = lowrankFeatures(f.seed_fake, f.n_fake, f.d, { shift: f.shift_fake });
  for (const [k, want] of [[3, f.k3], [5, f.k5]] as const) {
    const r = computePrdc(real, f.n_real, fake, f.n_fake, f.d, k);
    for (const key of [KEY_PRECISION, KEY_RECALL, KEY_DENSITY, KEY_COVERAGE] as const) {
      assert.ok(Math.abs(r[key] - want[key]) < 1e-15, `k=${k} ${key}: ${r[key]} vs ${want[key]}`);
    }
  }
  assert.deepEqual(precisionRecall(real, f.n_real, fake, f.n_fake, f.d), { precision: f.k3.precision, recall: f.k3.recall });
  assert.deepEqual(densityCoverage(real, f.n_real, fake, f.n_fake, f.d), { density: f.k5.density, coverage: f.k5.coverage });
});

test('PRDC analytic facts: a set against itself has precision = recall = coverage = 1', () => {
  const d = 6, n = 120;
  const x = lowrankFeatures(9, n, d);
  const r = computePrdc(x, n, x, n, d, 5);
  assert.equal(r.precision, 1);
  assert.equal(r.recall, 1);
  assert.equal(r.coverage, 1);
  assert.ok(r.density > 0.5 && r.density < 1.5);
  assert.throws(() => computePrdc(x, n, x, n, d, n), /nearest_k/);
});
