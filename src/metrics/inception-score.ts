/**
 * Inception Score (Salimans, Goodfellow, Zaremba, Cheung, Radford & Chen, "Improved techniques for
 * training GANs", NeurIPS 2016):
 *   IS = exp( E_x KL( p(y|x) || p(y) ) ),  p(y) = E_x p(y|x),
 * computed on each of `splits` consecutive slices of the samples; the result is the mean and the
 * population standard deviation (numpy.std, ddof = 0) over the slices.
 *
 * Compat: torch-fidelity's isc_features_to_metric, line for line: the rows are first put in
 *   numpy's `RandomState(2020).permutation(N)` order (its default samples_shuffle = True; our
 *   NumpyRandomState draws the same permutation), then float64, p = softmax(logits),
 *   log p = log_softmax(logits), slice i = rows [⌊iN/splits⌋, ⌊(i+1)N/splits⌋), q = mean of p over
 *   the slice, score = exp(mean_x Σ_y p (log p − log q)). So the value equals torch-fidelity's at
 *   any N, not only on average: at small N the slices, hence mean and std, depend on the order.
 *   `splitOrder: 'input'` keeps the rows as given, as the paper's code (improved-gan) does.
 *   For the standard Inception network the logits are its 1008 outputs without the final bias
 *   ('logits-unbiased'), as torch-fidelity feeds them.
 */
import { ConfigError, ShapeError } from '../errors.js';
import type { MeanStd } from './keys.js';
import { NumpyRandomState } from './numpy-random-state.js';

/**
 * The row order IS slices in: 'numpy', torch-fidelity's (numpy RandomState(seed).permutation(N));
 * 'input', the rows as given (the paper's code; wrong for inputs sorted by class).
 */
export const SPLIT_ORDERS = ['numpy', 'input'] as const;
export type SplitOrder = (typeof SPLIT_ORDERS)[number];

/** torch-fidelity's rng_seed default: the seed of IS's shuffle and of KID's subset draws. */
export const TORCH_FIDELITY_SEED = 2020;

export interface InceptionScoreOptions {
  /** Number of slices. Default 10, the value of the paper's code and of torch-fidelity. */
  splits?: number;
  /** 'numpy' (default, torch-fidelity's) or 'input' (the rows as given). CLI: --split-order. */
  splitOrder?: SplitOrder;
  /** Seed of numpy's RandomState for splitOrder 'numpy'. Default 2020 (torch-fidelity's). CLI: --seed. */
  seed?: number;
  /** An explicit row order (a permutation of 0..N−1); overrides splitOrder and seed. */
  order?: ArrayLike<number>;
}

/** IS from logits [n, c] (softmax taken here, in float64). */
export function inceptionScore(logits: ArrayLike<number>, n: number, c: number, opts: InceptionScoreOptions = {}): MeanStd {
  if (logits.length !== n * c) throw new ShapeError(`inceptionScore: expected ${n}×${c} logits, got ${logits.length} values.`);
  const logp = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let j = 0; j < c; j++) m = Math.max(m, logits[i * c + j]!);
    let s = 0;
    for (let j = 0; j < c; j++) s += Math.exp(logits[i * c + j]! - m);
    const lse = m + Math.log(s);
    for (let j = 0; j < c; j++) logp[i * c + j] = logits[i * c + j]! - lse;
  }
  return scoreFromLogProbabilities(logp, n, c, opts);
}

/** IS from class probabilities [n, c] (rows summing to 1). */
export function inceptionScoreFromProbabilities(probs: ArrayLike<number>, n: number, c: number, opts: InceptionScoreOptions = {}): MeanStd {
  if (probs.length !== n * c) throw new ShapeError(`inceptionScoreFromProbabilities: expected ${n}×${c} values, got ${probs.length}.`);
  return scoreFromLogProbabilities(Float64Array.from(probs, (p) => Math.log(p)), n, c, opts);
}

function scoreFromLogProbabilities(logp: Float64Array, n: number, c: number, opts: InceptionScoreOptions): MeanStd {
  const splits = opts.splits ?? 10;
  if (!Number.isInteger(splits) || splits < 1 || splits > n) {
    throw new ShapeError(`inceptionScore: splits must be an integer in [1, ${n}] (one sample per slice at least), got ${splits}.`);
  }
  const order = opts.order ?? rowOrder(n, opts);
  if (order && order.length !== n) throw new ShapeError(`inceptionScore: order has ${order.length} entries for ${n} samples.`);
  const row = (i: number) => (order ? order[i]! : i) * c;
  const scores: number[] = [];
  const q = new Float64Array(c);
  for (let s = 0; s < splits; s++) {
    const lo = Math.floor((s * n) / splits), hi = Math.floor(((s + 1) * n) / splits);
    q.fill(0);
    for (let i = lo; i < hi; i++) { const r = row(i); for (let j = 0; j < c; j++) q[j]! += Math.exp(logp[r + j]!); }
    for (let j = 0; j < c; j++) q[j] = Math.log(q[j]! / (hi - lo));
    let klSum = 0;
    for (let i = lo; i < hi; i++) {
      const r = row(i);
      for (let j = 0; j < c; j++) {
        const lp = logp[r + j]!;
        const p = Math.exp(lp);
        if (p > 0) klSum += p * (lp - q[j]!); // 0·log 0 = 0
      }
    }
    scores.push(Math.exp(klSum / (hi - lo)));
  }
  return meanStd(scores);
}

/** The permutation `splitOrder` and `seed` ask for, or undefined for the input's own order. */
export function rowOrder(n: number, opts: { splitOrder?: SplitOrder; seed?: number } = {}): Uint32Array | undefined {
  const { splitOrder = 'numpy', seed = TORCH_FIDELITY_SEED } = opts;
  if (!(SPLIT_ORDERS as readonly string[]).includes(splitOrder)) {
    throw new ConfigError(`unknown split order '${splitOrder}' (splitOrder, --split-order): expected one of ${SPLIT_ORDERS.join(', ')}.`);
  }
  if (splitOrder === 'input') return undefined;
  return new NumpyRandomState(numpySeed(seed, 'inceptionScore')).permutation(n);
}

/** A seed numpy's RandomState accepts (an integer in [0, 2³² − 1]), or a ConfigError naming --seed. */
export function numpySeed(seed: number, what: string): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ConfigError(`${what}: seed (--seed) must be an integer in [0, 4294967295], numpy's RandomState range; got ${seed}.`);
  }
  return seed;
}

/** Mean and population standard deviation (numpy.mean, numpy.std with ddof = 0). */
export function meanStd(v: ArrayLike<number>): MeanStd {
  let mean = 0;
  for (let i = 0; i < v.length; i++) mean += v[i]!;
  mean /= v.length;
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += (v[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(ss / v.length) };
}
