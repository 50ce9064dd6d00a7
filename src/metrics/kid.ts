/**
 * Kernel Inception Distance (Bińkowski, Sutherland, Arbel & Gretton, "Demystifying MMD GANs",
 * ICLR 2018): the unbiased estimate of the squared MMD with the cubic polynomial kernel
 *   k(x, y) = (xᵀy / d + 1)³,
 *   MMD²_u = Σ_{i≠j} k(x_i, x_j)/(m(m−1)) + Σ_{i≠j} k(y_i, y_j)/(m(m−1)) − 2 Σ_{i,j} k(x_i, y_j)/m²,
 * averaged over random subsets of m samples from each set; reported as mean and population std.
 *
 * Compat: torch-fidelity's kid_features_to_metric / polynomial_mmd / mmd2(…, 'unbiased'):
 *   100 subsets of 1000 (kid_subsets, kid_subset_size), degree 3, gamma 1/d, coef0 1, mean and
 *   numpy.std over subsets. The subsets are torch-fidelity's: one numpy RandomState(seed), seed
 *   2020, and per subset `choice(n1, m, replace=False)` then `choice(n2, m, replace=False)`,
 *   drawn by NumpyRandomState bit for bit, so the value equals torch-fidelity's at any N (the
 *   subsets, hence mean and std, depend on the draws whenever N > m). Differences: (1) with
 *   fewer than 1000 samples torch-fidelity stops with an error, we shrink the subset to the
 *   smaller set's size and warn; (2) kernels are computed in float64 (torch-fidelity: in the
 *   features' float32), a difference of ~1e-7 relative in each kernel sum.
 * Cost: 4·m²·d flops per subset (the two within-set kernels need one triangle each):
 *   100 subsets of 1000 × 2048-d ≈ 0.8 TFLOP, minutes in JavaScript.
 */
import { ShapeError } from '../errors.js';
import { gemm } from '../linalg/gemm.js';
import { meanStd, numpySeed, TORCH_FIDELITY_SEED } from './inception-score.js';
import { NumpyRandomState } from './numpy-random-state.js';
import type { MeanStd } from './keys.js';

export interface KidOptions {
  subsets?: number; // default 100 (torch-fidelity)
  subsetSize?: number; // default 1000 (torch-fidelity)
  degree?: number; // default 3
  gamma?: number; // default 1/d
  coef0?: number; // default 1
  seed?: number; // numpy RandomState seed of the subset draws; default 2020 (torch-fidelity's rng_seed)
  /** Explicit subsets: row indices into each set, all of one size. Overrides the draws. */
  indices?: ReadonlyArray<readonly [ArrayLike<number>, ArrayLike<number>]>;
  /** Receives a warning when the subset size is reduced. Default: console.warn. */
  warn?: (message: string) => void;
}

export interface KidResult extends MeanStd {
  /** MMD² of each subset. */
  values: Float64Array;
  subsetSize: number;
}

/** KID between feature sets x [n1, d] and y [n2, d]. */
export function kernelInceptionDistance(x: ArrayLike<number>, n1: number, y: ArrayLike<number>, n2: number, d: number, opts: KidOptions = {}): KidResult {
  if (x.length !== n1 * d || y.length !== n2 * d) throw new ShapeError(`kid: expected ${n1}×${d} and ${n2}×${d} features, got ${x.length} and ${y.length} values.`);
  const { degree = 3, gamma = 1 / d, coef0 = 1, seed = TORCH_FIDELITY_SEED } = opts;
  let draws = opts.indices;
  let m: number;
  if (draws) {
    if (draws.length === 0) throw new ShapeError('kid: indices is empty.');
    m = draws[0]![0].length;
    for (const [a, b] of draws) if (a.length !== m || b.length !== m) throw new ShapeError('kid: all index subsets must have one size.');
  } else {
    const subsets = opts.subsets ?? 100;
    m = opts.subsetSize ?? 1000;
    if (m > Math.min(n1, n2)) {
      const reduced = Math.min(n1, n2);
      (opts.warn ?? console.warn)(`kid: ${n1} and ${n2} samples are fewer than the subset size ${m}; using subsets of ${reduced} (torch-fidelity would refuse).`);
      m = reduced;
    }
    const rs = new NumpyRandomState(numpySeed(seed, 'kid'));
    const list: Array<[Uint32Array, Uint32Array]> = [];
    for (let s = 0; s < subsets; s++) {
      const a = rs.choice(n1, m); // Compat: torch-fidelity draws set 1's subset first, then set 2's
      list.push([a, rs.choice(n2, m)]);
    }
    draws = list;
  }
  if (m < 2) throw new ShapeError(`kid: subsets need at least 2 samples, got ${m}.`);
  const values = new Float64Array(draws.length);
  const xs = new Float64Array(m * d), ys = new Float64Array(m * d);
  const gram = new Float64Array(m * m);
  const kernelSum = (a: Float64Array, b: Float64Array, lowerOnly: boolean): number => {
    gemm(m, m, d, { data: a, off: 0, ld: d }, { data: b, off: 0, ld: d }, { data: gram, off: 0, ld: m }, { transB: true, beta: 0, lower: lowerOnly });
    let s = 0;
    for (let i = 0; i < m; i++) {
      const jEnd = lowerOnly ? i : m; // strict lower triangle: Σ_{i≠j} = 2 Σ_{j<i}
      if (degree === 3) for (let j = 0; j < jEnd; j++) { const t = gram[i * m + j]! * gamma + coef0; s += t * t * t; }
      else for (let j = 0; j < jEnd; j++) s += (gram[i * m + j]! * gamma + coef0) ** degree;
    }
    return lowerOnly ? 2 * s : s;
  };
  draws.forEach(([ia, ib], s) => {
    gather(x, ia, d, xs, n1);
    gather(y, ib, d, ys, n2);
    const kxx = kernelSum(xs, xs, true), kyy = kernelSum(ys, ys, true), kxy = kernelSum(xs, ys, false);
    values[s] = (kxx + kyy) / (m * (m - 1)) - (2 * kxy) / (m * m);
  });
  return { ...meanStd(values), values, subsetSize: m };
}

function gather(src: ArrayLike<number>, idx: ArrayLike<number>, d: number, out: Float64Array, n: number): void {
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r]!;
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new ShapeError(`kid: subset index ${i} is outside 0..${n - 1}.`);
    for (let j = 0; j < d; j++) out[r * d + j] = src[i * d + j]!;
  }
}
