/** float64 references and tolerance checks shared by the loss tests. */
import assert from 'node:assert/strict';

/** softplus(x) = log(1 + e^x), stable in float64. */
export const sp = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
export const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * |actual − expected| ≤ atol + rtol·|expected|, elementwise. Default rtol 1e-6: the losses are
 * float32 (unit roundoff 6e-8) with a handful of roundings; atol 1e-40 admits float32 denormals
 * (e^−100 = 3.72e−44 is stored as 3.78e−44).
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-6, atol = 1e-40, what = ''): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    assert.ok(Number.isFinite(a), `${what}[${i}]: ${a} is not finite (expected ${e})`);
    assert.ok(Math.abs(a - e) <= atol + rtol * Math.abs(e), `${what}[${i}]: ${a} vs ${e}`);
  }
}
