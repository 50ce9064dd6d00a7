/**
 * Mean and covariance of feature rows in float64, and their exact merge.
 *
 * One set: the two-pass algorithm — mean first, then Σ (x − μ)(x − μ)ᵀ / (N − 1) from the centred
 * rows — which is what numpy.cov(rowvar=False) does, and which avoids the cancellation of the
 * one-pass Σxxᵀ − Nμμᵀ (Chan, Golub & LeVeque, "Algorithms for computing the sample variance",
 * Am. Stat. 37(3), 1983).
 *
 * Several sets: Chan, Golub & LeVeque's pairwise update ("Updating formulae and a pairwise
 * algorithm for computing sample variances", Stanford CS report STAN-CS-79-773, 1979), in its
 * co-moment form. With n = n_a + n_b and δ = μ_b − μ_a,
 *   μ = μ_a + δ·n_b/n,    C = C_a + C_b + δδᵀ·n_a n_b / n,   where C = Σ (x − μ)(x − μ)ᵀ,
 * which is exact in real arithmetic, so statistics of disjoint sets merge into those of the union
 * up to rounding (tested to 1e-10 relative). Covariance = C/(n − 1).
 */
import { ShapeError } from '../errors.js';
import { gemm, mirrorLower } from './gemm.js';

/** Sufficient statistics of a set of d-dimensional rows. */
export interface Moments {
  n: number;
  mean: Float64Array; // [d]
  /** Co-moment matrix Σ (x − μ)(x − μ)ᵀ, full symmetric. */
  comoment: Float64Array; // [d, d]
}

const CHUNK_ROWS = 256; // rows centred into float64 at a time: 256×2048×8 B = 4 MB

/** Moments of the rows of `x` ([n, d], row-major, float32 or float64), by the two-pass algorithm. */
export function moments(x: ArrayLike<number>, n: number, d: number): Moments {
  if (x.length !== n * d) throw new ShapeError(`moments: expected ${n}×${d} = ${n * d} values, got ${x.length}.`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const comoment = new Float64Array(d * d);
  const chunk = new Float64Array(Math.min(n, CHUNK_ROWS) * d);
  for (let r0 = 0; r0 < n; r0 += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, n - r0);
    for (let i = 0; i < rows; i++) {
      const src = (r0 + i) * d, dst = i * d;
      for (let j = 0; j < d; j++) chunk[dst + j] = x[src + j]! - mean[j]!;
    }
    const view = { data: chunk, off: 0, ld: d }; // [rows, d]
    gemm(d, d, rows, view, view, { data: comoment, off: 0, ld: d }, { transA: true, lower: true });
  }
  mirrorLower(comoment, d);
  return { n, mean, comoment };
}

/** The moments of the union of two disjoint sets (Chan et al. 1979). Inputs are not modified. */
export function mergeMoments(a: Moments, b: Moments): Moments {
  const d = a.mean.length;
  if (b.mean.length !== d) throw new ShapeError(`mergeMoments: dimensions differ (${d} and ${b.mean.length}).`);
  if (a.n === 0) return { n: b.n, mean: b.mean.slice(), comoment: b.comoment.slice() };
  if (b.n === 0) return { n: a.n, mean: a.mean.slice(), comoment: a.comoment.slice() };
  const n = a.n + b.n;
  const delta = new Float64Array(d);
  for (let j = 0; j < d; j++) delta[j] = b.mean[j]! - a.mean[j]!;
  const mean = new Float64Array(d);
  const fb = b.n / n;
  for (let j = 0; j < d; j++) mean[j] = a.mean[j]! + delta[j]! * fb;
  const f = (a.n * b.n) / n;
  const comoment = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const di = delta[i]! * f, r = i * d;
    for (let j = 0; j < d; j++) comoment[r + j] = a.comoment[r + j]! + b.comoment[r + j]! + di * delta[j]!;
  }
  return { n, mean, comoment };
}

/** Streams batches of rows into running moments: add(batch) any number of times, then result(). */
export class MomentAccumulator {
  private state: Moments;
  constructor(readonly dim: number) {
    this.state = { n: 0, mean: new Float64Array(dim), comoment: new Float64Array(dim * dim) };
  }
  /** Adds `rows` rows ([rows, dim], row-major). */
  add(batch: ArrayLike<number>, rows: number): void {
    if (rows === 0) return;
    this.state = mergeMoments(this.state, moments(batch, rows, this.dim));
  }
  get n(): number { return this.state.n; }
  result(): Moments { return this.state; }
}

/** Covariance C/(n − 1) from moments (n ≥ 2). */
export function covarianceFromMoments(m: Moments): Float64Array {
  if (m.n < 2) throw new ShapeError(`a covariance needs at least 2 samples, got ${m.n}.`);
  const s = 1 / (m.n - 1);
  const out = new Float64Array(m.comoment.length);
  for (let i = 0; i < out.length; i++) out[i] = m.comoment[i]! * s;
  return out;
}
