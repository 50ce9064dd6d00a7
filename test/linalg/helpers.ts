/** Shared helpers for the linear-algebra tests: seeded matrices with known spectra, norms. */
import { Rng } from '../../src/train/rng.js';

/** Symmetric A = Q diag(values) Qᵀ with Q a product of `reflectors` random Householder reflectors. */
export function withSpectrum(values: ArrayLike<number>, seed: number, reflectors = 3): Float64Array {
  const n = values.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = values[i]!;
  const rng = new Rng(seed);
  const w = new Float64Array(n);
  for (let h = 0; h < reflectors; h++) {
    const v = Float64Array.from({ length: n }, () => rng.normal());
    const norm2 = v.reduce((s, x) => s + x * x, 0);
    // A ← H A H with H = I − 2vvᵀ/‖v‖²: A − v wᵀ − w vᵀ with w = (2/‖v‖²)(A v − (vᵀAv/‖v‖²) v).
    for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += a[i * n + j]! * v[j]!; w[i] = s; }
    const vAv = v.reduce((s, x, i) => s + x * w[i]!, 0);
    for (let i = 0; i < n; i++) w[i] = (2 / norm2) * (w[i]! - (vAv / norm2) * v[i]!);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j]! -= v[i]! * w[j]! + w[i]! * v[j]!;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) { const m = 0.5 * (a[i * n + j]! + a[j * n + i]!); a[i * n + j] = m; a[j * n + i] = m; }
  return a;
}

/** Random n×k matrix with standard normal entries. */
export function randn(rows: number, cols: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: rows * cols }, () => rng.normal());
}

/** PSD B Bᵀ/k for B n×k (rank min(n, k)). */
export function randomPsd(n: number, k: number, seed: number): Float64Array {
  const b = randn(n, k, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += b[i * k + p]! * b[j * k + p]!;
    a[i * n + j] = s / k; a[j * n + i] = s / k;
  }
  return a;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

export function relErr(got: number, want: number): number {
  return Math.abs(got - want) / Math.max(Math.abs(want), Number.MIN_VALUE);
}
