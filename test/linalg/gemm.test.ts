import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemm, matmul, mirrorLower } from '../../src/linalg/gemm.js';
import { randn } from './helpers.js';

function naive(a: Float64Array, b: Float64Array, m: number, k: number, n: number, ta: boolean, tb: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (ta ? a[p * m + i]! : a[i * k + p]!) * (tb ? b[j * k + p]! : b[p * n + j]!);
    c[i * n + j] = s;
  }
  return c;
}

test('gemm matches the triple loop for every transpose, odd sizes, α and β (1e-13 abs: sums of ≤ 300 products of N(0,1))', () => {
  for (const [m, k, n] of [[1, 1, 1], [5, 3, 7], [37, 300, 29], [130, 259, 66]] as const) {
    for (const ta of [false, true]) for (const tb of [false, true]) {
      const a = randn(m, k, m + k), b = randn(k, n, k + n);
      const want = naive(a, b, m, k, n, ta, tb);
      const c = randn(m, n, 9);
      const c0 = c.slice();
      gemm(m, n, k, { data: a, off: 0, ld: ta ? m : k }, { data: b, off: 0, ld: tb ? k : n }, { data: c, off: 0, ld: n },
        { transA: ta, transB: tb, alpha: -0.5, beta: 2 });
      for (let i = 0; i < m * n; i++) assert.ok(Math.abs(c[i]! - (2 * c0[i]! - 0.5 * want[i]!)) < 1e-13 * Math.sqrt(k) * 10, `${m}x${k}x${n} ${ta} ${tb} at ${i}`);
    }
  }
});

test('gemm on sub-blocks (offsets, leading dimensions) and lower-only updates', () => {
  const big = randn(50, 60, 1);
  const c = new Float64Array(40 * 40);
  // C[10:30, 10:30] lower = X Xᵀ with X = big[5:25, 7:47]
  gemm(20, 20, 40, { data: big, off: 5 * 60 + 7, ld: 60 }, { data: big, off: 5 * 60 + 7, ld: 60 }, { data: c, off: 10 * 40 + 10, ld: 40 },
    { transB: true, lower: true });
  mirrorLower(c, 20, 10 * 40 + 10, 40);
  for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) {
    let s = 0;
    for (let p = 0; p < 40; p++) s += big[(5 + i) * 60 + 7 + p]! * big[(5 + j) * 60 + 7 + p]!;
    assert.ok(Math.abs(c[(10 + i) * 40 + 10 + j]! - s) < 1e-12);
  }
  assert.equal(c[0], 0); // outside the block: untouched
  assert.equal(c[39 * 40 + 39], 0);
});

test('beta = 0 overwrites NaN in C, and matmul of identity is exact', () => {
  const c = new Float64Array(4).fill(NaN);
  const a = Float64Array.of(1, 2, 3, 4);
  gemm(2, 2, 2, { data: a, off: 0, ld: 2 }, { data: Float64Array.of(1, 0, 0, 1), off: 0, ld: 2 }, { data: c, off: 0, ld: 2 }, { beta: 0 });
  assert.deepEqual(Array.from(c), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(matmul(Float64Array.of(1, 0, 0, 1), a, 2, 2, 2)), [1, 2, 3, 4]);
});
