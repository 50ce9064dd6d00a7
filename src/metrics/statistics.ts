/**
 * Feature statistics for the Fréchet distance: {mu, sigma, n}, the first step of the chain
 * features → statistics → value (torch-fidelity's fid_features_to_statistics). They read and write
 * pytorch-fid's `.npz` files (`mu`, `sigma`); ours also store `n`, which is all that an exact merge
 * needs: the co-moment matrix is sigma·(n − 1) (linalg/covariance.ts, Chan et al. 1979).
 */
import { DataError, ShapeError } from '../errors.js';
import { covarianceFromMoments, mergeMoments, moments, type Moments } from '../linalg/covariance.js';
import { encodeNpz, readNpz, type NpzWriteOptions } from '../io/npz.js';
import type { NpyArray } from '../io/npy.js';

export interface FeatureStatistics {
  mu: Float64Array; // [d]
  sigma: Float64Array; // [d, d], covariance with N − 1
  /** Number of samples; undefined for statistics files that do not record it (pytorch-fid's). */
  n?: number;
}

/**
 * Mean and covariance (N − 1, float64, two-pass, as numpy.cov(rowvar=False)) of `features` [n, d].
 * Compat: pytorch-fid's mu = np.mean(act, axis=0) on float32 activations accumulates in float32
 *   (numpy keeps the input precision), so its mu carries ~1e-7 relative error; ours is float64.
 */
export function featuresToStatistics(features: ArrayLike<number>, n: number, d: number): FeatureStatistics {
  if (n < 2) throw new ShapeError(`featuresToStatistics: need at least 2 feature rows, got ${n}.`);
  const m = moments(features, n, d);
  return { mu: m.mean, sigma: covarianceFromMoments(m), n };
}

function toMoments(s: FeatureStatistics, which: string): Moments {
  if (s.n === undefined) {
    throw new DataError(`mergeStatistics: the ${which} statistics do not record their sample count 'n' (pytorch-fid files do not); recompute them with ganbox.`);
  }
  const scale = s.n - 1;
  const comoment = new Float64Array(s.sigma.length);
  for (let i = 0; i < comoment.length; i++) comoment[i] = s.sigma[i]! * scale;
  return { n: s.n, mean: s.mu, comoment };
}

/** Statistics of the union of two disjoint sets, from theirs (exact up to rounding). */
export function mergeStatistics(a: FeatureStatistics, b: FeatureStatistics): FeatureStatistics {
  if (a.mu.length !== b.mu.length) throw new ShapeError(`mergeStatistics: dimensions differ (${a.mu.length} and ${b.mu.length}).`);
  const m = mergeMoments(toMoments(a, 'first'), toMoments(b, 'second'));
  return { mu: m.mean, sigma: covarianceFromMoments(m), n: m.n };
}

/** Encodes statistics as an .npz with float64 `mu` [d], `sigma` [d, d] and, when known, int64 `n` []. */
export function encodeStatistics(s: FeatureStatistics, opts: NpzWriteOptions = {}): Buffer {
  const d = s.mu.length;
  const arrays: Record<string, NpyArray> = {
    mu: { dtype: '<f8', shape: [d], data: s.mu },
    sigma: { dtype: '<f8', shape: [d, d], data: s.sigma },
  };
  if (s.n !== undefined) arrays.n = { dtype: '<i8', shape: [], data: BigInt64Array.of(BigInt(s.n)) };
  return encodeNpz(arrays, opts);
}

function toFloat64(a: NpyArray, name: string, fileName: string): Float64Array {
  if (a.dtype !== '<f8' && a.dtype !== '<f4') throw new DataError(`${fileName}: '${name}' has dtype ${a.dtype}; expected float32 or float64.`);
  return a.data instanceof Float64Array ? a.data : Float64Array.from(a.data as Float32Array);
}

/** Reads statistics from .npz bytes (pytorch-fid's files or ours). */
export function decodeStatistics(bytes: Uint8Array, fileName = 'statistics .npz'): FeatureStatistics {
  const z = readNpz(bytes, fileName);
  if (!z.mu || !z.sigma) {
    throw new DataError(`${fileName} holds ${Object.keys(z).join(', ') || 'no arrays'}; FID statistics need 'mu' and 'sigma'.`);
  }
  const d = z.mu.shape.length === 1 ? z.mu.shape[0]! : -1;
  if (d < 0 || z.sigma.shape.length !== 2 || z.sigma.shape[0] !== d || z.sigma.shape[1] !== d) {
    throw new DataError(`${fileName}: 'mu' has shape (${z.mu.shape}) and 'sigma' (${z.sigma.shape}); expected (d,) and (d, d).`);
  }
  const out: FeatureStatistics = { mu: toFloat64(z.mu, 'mu', fileName), sigma: toFloat64(z.sigma, 'sigma', fileName) };
  if (z.n) {
    const v = z.n.data[0];
    const n = typeof v === 'bigint' ? Number(v) : Number(v);
    if (z.n.data.length !== 1 || !Number.isSafeInteger(n) || n < 1) throw new DataError(`${fileName}: 'n' must be one positive integer.`);
    out.n = n;
  }
  return out;
}
