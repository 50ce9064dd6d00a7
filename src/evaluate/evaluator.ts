/**
 * The step of the metric chain that reads inputs, extractors and caches (torch-fidelity's
 * `calculate_metrics` role): turns any EvalInput into the feature matrix or the statistics a metric
 * needs. It opens the extractor pool lazily — feature and statistics inputs never start one — and
 * extracts every layer an input needs in one pass, remembering the result for the next metric.
 */
import { DataError } from '../errors.js';
import type { ExtractorName, ExtractorOptions } from '../features/types.js';
import { featuresToStatistics, type FeatureStatistics } from '../metrics/statistics.js';
import type { StatsCache, CacheKey } from './cache.js';
import { checkLayer, defaultExtractorFor, logitsLayer } from './extractor-spec.js';
import { ExtractorPool, type PoolOptions } from './extractor-pool.js';
import type { ImageSet } from './image-sets.js';
import type { EvalInput } from './inputs.js';

/** 'features': the layer FID/KID/PRDC use (--layer, default the extractor's first); 'logits': what IS uses. */
export type FeatureRole = 'features' | 'logits';

export interface FeatureMatrix {
  n: number;
  d: number;
  data: Float32Array | Float64Array; // [n, d]
}

export interface EvaluatorOptions {
  /** Extractor name; default by the first image input's shape (defaultExtractorFor). */
  extractor?: ExtractorName;
  extractorOptions?: ExtractorOptions;
  /** Module providing openExtractor (tests, custom extractors); default src/features/index. */
  extractorModule?: string;
  /** The feature layer for FID, KID, PRDC (`--layer`); default the extractor's first layer. */
  layer?: string;
  pool?: PoolOptions;
  batchSize?: number;
  /** Where cacheable inputs' features and statistics are kept; none = no caching. */
  cache?: StatsCache;
  /** Progress of each extraction: which input, images done, total. */
  onProgress?: (source: string, done: number, total: number) => void;
}

/** The settings that produced the features, for --json output and metrics.jsonl lines. */
export interface FeatureSettings {
  extractor: string | null;
  layer: string | null;
  resize: string | number | null;
}

export class Evaluator {
  private pool?: ExtractorPool;
  private opening?: Promise<ExtractorPool>;
  private readonly memo = new WeakMap<object, Map<string, FeatureMatrix>>();
  private readonly usedLayer: Partial<Record<FeatureRole, string>> = {};
  /** Images extracted and seconds spent, for throughput reports. */
  readonly timing = { images: 0, seconds: 0 };

  constructor(private readonly opts: EvaluatorOptions = {}) {}

  /** Opens the extractor (once) for images of this shape. */
  async extractor(shape: readonly number[]): Promise<ExtractorPool> {
    this.opening ??= ExtractorPool.open(
      { name: this.opts.extractor ?? defaultExtractorFor(shape), options: this.opts.extractorOptions, module: this.opts.extractorModule },
      this.opts.pool,
    ).then((p) => (this.pool = p));
    return this.opening;
  }

  private async layerFor(role: FeatureRole, shape: readonly number[]): Promise<string> {
    const pool = await this.extractor(shape);
    if (role === 'logits') return logitsLayer(pool.layers, pool.name);
    return this.opts.layer ? checkLayer(this.opts.layer, pool.layers, pool.name) : pool.layers[0]!;
  }

  private key(pool: ExtractorPool, images: ImageSet, what: CacheKey['what'], layer: string): CacheKey {
    return { what, data: images.fingerprint(), extractor: pool.name, settings: pool.settings, layer, n: images.n };
  }

  /**
   * Features for each role. Feature inputs are used as they are, for every role; statistics
   * inputs are an error (a metric that needs samples cannot use them). `cache`: look up and
   * store this input's features in the cache (reference data).
   */
  async features(input: EvalInput, roles: readonly FeatureRole[], cache = false): Promise<Record<FeatureRole, FeatureMatrix>> {
    if (input.kind === 'statistics') {
      throw new DataError(`${input.source} holds statistics (mu, sigma); this metric needs the samples' features: give images or a .npy of features.`);
    }
    if (input.kind === 'features') {
      const m: FeatureMatrix = { n: input.n, d: input.d, data: input.data };
      return { features: m, logits: m };
    }
    const pool = await this.extractor(input.shape);
    const layers = [...new Set(await Promise.all(roles.map((r) => this.layerFor(r, input.shape))))];
    const memo = this.memo.get(input) ?? new Map<string, FeatureMatrix>();
    this.memo.set(input, memo);
    const missing = layers.filter((l) => {
      if (memo.has(l)) return false;
      const hit = cache && this.opts.cache?.get(this.key(pool, input, 'features', l));
      if (hit && hit.features) {
        memo.set(l, { n: input.n, d: hit.features.shape[1]!, data: hit.features.data as Float32Array });
        return false;
      }
      return true;
    });
    if (missing.length > 0) {
      const t0 = performance.now();
      this.opts.onProgress?.(input.source, 0, input.n);
      const out = await pool.extract(input, missing, {
        batchSize: this.opts.batchSize,
        onProgress: (done, total) => this.opts.onProgress?.(input.source, done, total),
      });
      this.timing.images += input.n;
      this.timing.seconds += (performance.now() - t0) / 1000;
      for (const l of missing) {
        const d = pool.meta.dims[l]!;
        memo.set(l, { n: input.n, d, data: out[l]! });
        if (cache && this.opts.cache) {
          this.opts.cache.put(this.key(pool, input, 'features', l), { features: { dtype: '<f4', shape: [input.n, d], data: out[l]! } });
        }
      }
    }
    const result = {} as Record<FeatureRole, FeatureMatrix>;
    for (const r of roles) {
      const l = await this.layerFor(r, input.shape);
      this.usedLayer[r] = l;
      result[r] = memo.get(l)!;
    }
    return result;
  }

  /** Statistics {mu, sigma, n} of an input (FID's first step), from the cache when `cache` and present. */
  async statistics(input: EvalInput, cache = false): Promise<FeatureStatistics> {
    if (input.kind === 'statistics') return input.stats;
    const from = (m: FeatureMatrix) => {
      if (m.n < 2) throw new DataError(`${input.source} has ${m.n} sample(s); statistics need at least 2.`);
      return featuresToStatistics(m.data, m.n, m.d);
    };
    if (input.kind === 'features') return from(await this.features(input, ['features']).then((f) => f.features));
    const pool = await this.extractor(input.shape);
    const layer = await this.layerFor('features', input.shape);
    const key = this.key(pool, input, 'statistics', layer);
    const hit = cache ? this.opts.cache?.get(key) : undefined;
    if (hit?.mu && hit.sigma && hit.n) {
      this.usedLayer.features = layer;
      return { mu: hit.mu.data as Float64Array, sigma: hit.sigma.data as Float64Array, n: Number((hit.n.data as BigInt64Array)[0]) };
    }
    const stats = from((await this.features(input, ['features'], cache)).features);
    if (cache && this.opts.cache) {
      const d = stats.mu.length;
      this.opts.cache.put(key, {
        mu: { dtype: '<f8', shape: [d], data: stats.mu },
        sigma: { dtype: '<f8', shape: [d, d], data: stats.sigma },
        n: { dtype: '<i8', shape: [], data: BigInt64Array.of(BigInt(stats.n!)) },
      });
    }
    return stats;
  }

  /** What produced the features of `role` so far (nulls when no extractor was needed). */
  settings(role: FeatureRole = 'features'): FeatureSettings {
    if (!this.pool) return { extractor: null, layer: null, resize: null };
    return { extractor: this.pool.name, layer: this.usedLayer[role] ?? null, resize: this.pool.settings.resize ?? this.opts.extractorOptions?.resize ?? null };
  }

  async close(): Promise<void> {
    const p = this.opening ? await this.opening.catch(() => undefined) : undefined;
    await p?.close();
  }
}
