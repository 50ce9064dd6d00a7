/** Class accuracy and Hungarian-matched code accuracy (metrics/accuracy.ts) against hand-made and brute-force values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classAccuracy, confusion, hungarian, matchedAccuracy } from '../../src/metrics/accuracy.js';
import { Rng } from '../../src/train/rng.js';

test('classAccuracy: overall and per class, by hand', () => {
  const r = classAccuracy([0, 1, 1, 2, 2, 2], [0, 0, 1, 2, 2, 1], 3);
  assert.equal(r.overall, 4 / 6);
  assert.deepEqual(r.perClass, [1 / 2, 1 / 2, 1]);
  assert.deepEqual(r.counts, [2, 2, 2]);
});

test('hungarian: the textbook 3×3 example and a rectangular one', () => {
  // Cost matrix with the unique optimum 0→1, 1→0, 2→2 (cost 1 + 2 + 2 = 5).
  assert.deepEqual(hungarian([[4, 1, 3], [2, 0, 5], [3, 2, 2]]), [1, 0, 2]);
  // 2 rows, 4 columns: best is row 0 → col 3 (1), row 1 → col 0 (1).
  assert.deepEqual(hungarian([[9, 9, 9, 1], [1, 9, 9, 0]]), [3, 0]);
  assert.throws(() => hungarian([[1], [2]]), /transpose/);
});

/** Minimum over all permutations (n ≤ 7). */
function bruteForce(cost: number[][]): number {
  const n = cost.length;
  let best = Infinity;
  const perm = Array.from({ length: cost[0]!.length }, (_, i) => i);
  const go = (k: number, used: Set<number>, sum: number) => {
    if (k === n) { best = Math.min(best, sum); return; }
    for (const j of perm) if (!used.has(j)) { used.add(j); go(k + 1, used, sum + cost[k]![j]!); used.delete(j); }
  };
  go(0, new Set(), 0);
  return best;
}

test('hungarian equals brute force on 200 random matrices (square and rectangular, with ties)', () => {
  const rng = new Rng(11);
  for (let t = 0; t < 200; t++) {
    const n = 1 + rng.int(6);
    const m = n + rng.int(3);
    const cost = Array.from({ length: n }, () => Array.from({ length: m }, () => rng.int(10)));
    const a = hungarian(cost);
    assert.equal(new Set(a).size, n, 'one-to-one');
    const total = a.reduce((s, j, i) => s + cost[i]![j]!, 0);
    assert.equal(total, bruteForce(cost), JSON.stringify(cost));
  }
});

test('matchedAccuracy: a permuted labelling scores 1; a known confusion scores by hand', () => {
  const codes = [0, 0, 1, 1, 2, 2, 3, 3];
  const perm = [7, 2, 9, 0];
  assert.deepEqual(matchedAccuracy(codes, codes.map((c) => perm[c]!), 4, 10), { accuracy: 1, mapping: perm });
  // Code 0 → mostly class 1, code 1 → mostly class 1 too (only one can have it), code 2 → class 0.
  const c2 = [0, 0, 0, 1, 1, 1, 2, 2];
  const p2 = [1, 1, 2, 1, 1, 0, 0, 0];
  assert.deepEqual(confusion(c2, p2, 3, 3), [[0, 2, 1], [1, 2, 0], [2, 0, 0]]);
  // Best: code0→1 (2) + code1→? (col 2: 0) + code2→0 (2) = 4, or code0→2 (1) + code1→1 (2) + code2→0 (2) = 5.
  const r = matchedAccuracy(c2, p2, 3, 3);
  assert.equal(r.accuracy, 5 / 8);
  assert.deepEqual(r.mapping, [2, 1, 0]);
  // More codes than classes: each class gets one code.
  const r3 = matchedAccuracy([0, 1, 2, 2], [0, 1, 1, 1], 3, 2);
  assert.deepEqual(r3, { accuracy: 3 / 4, mapping: [0, -1, 1] });
});
