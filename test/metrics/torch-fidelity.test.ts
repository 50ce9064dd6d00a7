/**
 * IS and KID equal torch-fidelity's at small N, where the slices and subsets — hence the values —
 * depend on numpy's RandomState draws: reference values from test/reference/
 * make_torch_fidelity_fixtures.py (torch-fidelity's formulas in numpy, with its RandomState(2020)
 * shuffle and choice draws). Inputs are the hash-generated logits/features both sides build
 * bit-identically.
 *
 * Tolerances: the bar is 1e-6 relative; both sides compute in float64 from the same
 * float32 inputs and differ only in summation order, so the tests ask for 1e-12 (IS mean), 1e-9
 * (std: a difference of nearly equal scores) and 1e-10 (KID: a difference of kernel sums ~40×
 * larger than itself), and print the measured values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inceptionScore } from '../../src/metrics/inception-score.js';
import { kernelInceptionDistance } from '../../src/metrics/kid.js';
import { logitsMatrix, lowrankFeatures } from '../reference/hash-features.js';
import { REFERENCE_DIR, relErr } from './fixtures.js';

interface IsValue { mean: number; std: number; scores: number[] }
interface Fixture {
  versions: Record<string, string>;
  inception_score: Array<{ n: number; c: number; logits_seed: number; splits: number; numpy: IsValue; input: IsValue }>;
  inception_score_seed7_splits4: { n: number; c: number; logits_seed: number; splits: number; rng_seed: number; numpy: IsValue };
  kid: { seed_x: number; seed_y: number; n_x: number; n_y: number; d: number; shift_x: number; shift_y: number;
    subsets: number; subset_size: number; rng_seed: number; mean: number; std: number; values: number[]; float32: { mean: number; std: number } };
}
const fx: Fixture = JSON.parse(readFileSync(`${REFERENCE_DIR}torch_fidelity_fixtures.json`, 'utf8'));
const fmt = (x: number) => x.toExponential(1);

test("IS on 20, 100 and 5,000 rows equals torch-fidelity's (its numpy RandomState(2020) shuffle) by default, and the unshuffled value with splitOrder 'input'", () => {
  assert.deepEqual(fx.inception_score.map((c) => c.n), [20, 100, 5000]);
  for (const c of fx.inception_score) {
    const logits = logitsMatrix(c.logits_seed, c.n, c.c);
    const r = inceptionScore(logits, c.n, c.c, { splits: c.splits });
    const ri = inceptionScore(logits, c.n, c.c, { splits: c.splits, splitOrder: 'input' });
    console.log(`# IS n=${c.n}: ${r.mean} ± ${r.std}, rel. error ${fmt(relErr(r.mean, c.numpy.mean))} / ${fmt(relErr(r.std, c.numpy.std))}; ` +
      `input order ${fmt(relErr(ri.mean, c.input.mean))} / ${fmt(relErr(ri.std, c.input.std))}; the two orders differ by ${fmt(relErr(c.input.mean, c.numpy.mean))}`);
    assert.ok(relErr(r.mean, c.numpy.mean) < 1e-12 && relErr(r.std, c.numpy.std) < 1e-9, `n=${c.n} numpy order`);
    assert.ok(relErr(ri.mean, c.input.mean) < 1e-12 && relErr(ri.std, c.input.std) < 1e-9, `n=${c.n} input order`);
  }
  // The order matters at small N: the test would see a wrong one (0.7 % apart at n = 20, 1e-4 at 5,000).
  assert.ok(relErr(fx.inception_score[0]!.input.mean, fx.inception_score[0]!.numpy.mean) > 1e-3);
  assert.ok(relErr(fx.inception_score[2]!.input.mean, fx.inception_score[2]!.numpy.mean) > 1e-6);
});

test('IS: the seed reaches the shuffle (RandomState(7), 4 splits)', () => {
  const c = fx.inception_score_seed7_splits4;
  const logits = logitsMatrix(c.logits_seed, c.n, c.c);
  const r = inceptionScore(logits, c.n, c.c, { splits: c.splits, seed: c.rng_seed });
  assert.ok(relErr(r.mean, c.numpy.mean) < 1e-12 && relErr(r.std, c.numpy.std) < 1e-9);
  assert.throws(() => inceptionScore(logits, c.n, c.c, { seed: -1 }), /seed \(--seed\) must be an integer in \[0, 4294967295\]/);
  assert.throws(() => inceptionScore(logits, c.n, c.c, { splitOrder: 'shuffled' as 'numpy' }), /unknown split order 'shuffled' \(splitOrder, --split-order\): expected one of numpy, input/);
});

test("KID on 1,500 vs 1,500 features, 100 subsets of 1,000, equals torch-fidelity's (its RandomState(2020).choice draws) with the default options", () => {
  const k = fx.kid;
  const x = lowrankFeatures(k.seed_x, k.n_x, k.d, { shift: k.shift_x });
  const y = lowrankFeatures(k.seed_y, k.n_y, k.d, { shift: k.shift_y });
  const r = kernelInceptionDistance(x, k.n_x, y, k.n_y, k.d);
  const worst = Math.max(...Array.from(r.values, (v, i) => relErr(v, k.values[i]!)));
  console.log(`# KID ${r.mean} ± ${r.std}: rel. error ${fmt(relErr(r.mean, k.mean))} / ${fmt(relErr(r.std, k.std))}, worst subset ${fmt(worst)}; ` +
    `torch-fidelity's own float32 arithmetic is ${fmt(relErr(k.float32.mean, k.mean))} / ${fmt(relErr(k.float32.std, k.std))} from the float64 formula`);
  assert.equal(r.subsetSize, k.subset_size);
  assert.equal(r.values.length, k.subsets);
  assert.ok(worst < 1e-10, `worst subset ${worst}`);
  assert.ok(relErr(r.mean, k.mean) < 1e-10 && relErr(r.std, k.std) < 1e-9);
  // Another seed draws other subsets: a different value, so the draws are what the test pins.
  const other = kernelInceptionDistance(x, k.n_x, y, k.n_y, k.d, { subsets: 3, seed: 2021 });
  assert.ok(relErr(other.values[0]!, k.values[0]!) > 1e-6);
});
