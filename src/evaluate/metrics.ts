/**
 * Metrics of inputs (folders, .npy, .npz, data specs): each reads what it needs through an
 * Evaluator and hands plain arrays to the pure functions of src/metrics/. Results carry the stable
 * keys of metrics/keys.ts, so the CLI's --json and metrics.jsonl lines are the same objects.
 */
import { ShapeError } from '../errors.js';
import {
  KEY_COVERAGE, KEY_DENSITY, KEY_FID, KEY_IS, KEY_KID, KEY_PRECISION, KEY_RECALL, type MeanStd,
} from '../metrics/keys.js';
import { frechetDistance } from '../metrics/frechet.js';
import { inceptionScore, type InceptionScoreOptions } from '../metrics/inception-score.js';
import { kernelInceptionDistance, type KidOptions } from '../metrics/kid.js';
import { computePrdc, densityCoverage, precisionRecall } from '../metrics/prdc.js';
import type { Evaluator, FeatureMatrix } from './evaluator.js';
import type { EvalInput } from './inputs.js';

export const METRIC_NAMES = ['fid', 'is', 'kid', 'prdc'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Defaults from the papers: precision/recall k = 3 (Kynkäänniemi et al.), density/coverage k = 5 (Naeem et al.). */
export const PR_K = 3;
export const DC_K = 5;

export type MetricValues = Partial<{
  [KEY_FID]: number;
  [KEY_IS]: MeanStd;
  [KEY_KID]: MeanStd;
  [KEY_PRECISION]: number;
  [KEY_RECALL]: number;
  [KEY_DENSITY]: number;
  [KEY_COVERAGE]: number;
}>;

function sameWidth(a: FeatureMatrix, b: FeatureMatrix, what: string, sa: string, sb: string): void {
  if (a.d !== b.d) throw new ShapeError(`${what}: ${sa} has ${a.d}-d features and ${sb} ${b.d}-d; both sides need the same extractor and layer.`);
}

/** FID between two inputs; `cacheA`/`cacheB` cache that side's statistics (reference data). */
export async function fidOf(ev: Evaluator, a: EvalInput, b: EvalInput, cache: { a?: boolean; b?: boolean } = {}, log?: (m: string) => void): Promise<number> {
  const sa = await ev.statistics(a, cache.a);
  const sb = await ev.statistics(b, cache.b);
  if (sa.mu.length !== sb.mu.length) {
    throw new ShapeError(`fid: ${a.source} has ${sa.mu.length}-d statistics and ${b.source} ${sb.mu.length}-d; both sides need the same extractor and layer.`);
  }
  return frechetDistance(sa, sb, { log }).value;
}

/**
 * Inception Score of an input's logits (images through the extractor, or a .npy of logits) over
 * `splits` slices, by default of torch-fidelity's shuffled order (numpy RandomState(2020)
 * .permutation(N), see metrics/inception-score.ts), so the value equals torch-fidelity's at any
 * N. The shuffle also keeps an input sorted by class (the mnist package stores its digits class
 * by class, and a folder may too) from giving one class per slice and a score ≈ 1;
 * `splitOrder: 'input'` gives up that protection for the paper code's convention.
 */
export async function isOf(ev: Evaluator, input: EvalInput, opts: InceptionScoreOptions = {}): Promise<MeanStd> {
  const { logits } = await ev.features(input, ['logits']);
  const splits = opts.splits ?? Math.min(10, logits.n);
  return inceptionScore(logits.data, logits.n, logits.d, { ...opts, splits });
}

/** KID between two inputs' features: mean and std over subsets, and the subset size used (it shrinks for small sets). */
export async function kidOf(ev: Evaluator, a: EvalInput, b: EvalInput, opts: KidOptions = {}, cache: { a?: boolean; b?: boolean } = {}): Promise<MeanStd & { subsetSize: number }> {
  const fa = (await ev.features(a, ['features'], cache.a)).features;
  const fb = (await ev.features(b, ['features'], cache.b)).features;
  sameWidth(fa, fb, 'kid', a.source, b.source);
  const r = kernelInceptionDistance(fa.data, fa.n, fb.data, fb.n, fa.d, opts);
  return { mean: r.mean, std: r.std, subsetSize: r.subsetSize };
}

export interface PrdcOptions {
  /** One k for all four values, as compute_prdc(real, fake, nearest_k). Default: 3 for P/R, 5 for D/C. */
  nearestK?: number;
}

/** Precision, recall, density and coverage of `fake` against `real` (real first, as compute_prdc). */
export async function prdcOf(ev: Evaluator, real: EvalInput, fake: EvalInput, opts: PrdcOptions = {}, cache: { real?: boolean } = {}): Promise<MetricValues> {
  const r = (await ev.features(real, ['features'], cache.real)).features;
  const f = (await ev.features(fake, ['features'])).features;
  sameWidth(r, f, 'prdc', real.source, fake.source);
  if (opts.nearestK !== undefined) {
    const v = computePrdc(r.data, r.n, f.data, f.n, r.d, opts.nearestK);
    return { [KEY_PRECISION]: v.precision, [KEY_RECALL]: v.recall, [KEY_DENSITY]: v.density, [KEY_COVERAGE]: v.coverage };
  }
  const pr = precisionRecall(r.data, r.n, f.data, f.n, r.d, PR_K);
  const dc = densityCoverage(r.data, r.n, f.data, f.n, r.d, DC_K);
  return { [KEY_PRECISION]: pr.precision, [KEY_RECALL]: pr.recall, [KEY_DENSITY]: dc.density, [KEY_COVERAGE]: dc.coverage };
}
