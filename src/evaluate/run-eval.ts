/**
 * Evaluating a run: sample its generator, compare the samples with the run's training data
 * (reference features and statistics cached), and append one line with the stable metric keys and
 * the step to the run's metrics.jsonl. `ganbox eval` and `ganbox train --eval-every` share it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, DataError } from '../errors.js';
import { openDataSource } from '../data/index.js';
import { KEY_COVERAGE, KEY_DENSITY, KEY_FID, KEY_IS, KEY_KID, KEY_PRECISION, KEY_RECALL, type MeanStd } from '../metrics/keys.js';
import { sampleGenerator, toUint8, type LoadedGenerator } from '../sampling/sampler.js';
import { listCheckpoints } from '../train/checkpoint.js';
import { runPaths } from '../train/run-dir.js';
import { unknownName } from '../errors.js';
import type { Evaluator } from './evaluator.js';
import { MemoryImageSet, SourceImageSet, type ImageSet } from './image-sets.js';
import { METRIC_NAMES, fidOf, isOf, kidOf, prdcOf, type MetricName, type MetricValues } from './metrics.js';
import {
  CONDITIONAL_KEYS, CONDITIONAL_METRIC_NAMES, conditionalMetrics, type ConditionalMetricName,
} from './conditional.js';

export interface GeneratorEvalOptions {
  /** Default: fid, is, kid, prdc; conditional runs may add accuracy and intra-fid (conditional.ts). */
  metrics?: readonly (MetricName | ConditionalMetricName)[];
  /** Generated samples. Default 10,000 (the usual FID sample count; fewer bias FID upwards). */
  n?: number;
  /** Noise seed of the samples. Default 0: every evaluation of a run sees the same noise. */
  seed?: number;
  /** KID subsets and subset size (torch-fidelity: 100 × 1000). */
  kidSubsets?: number;
  kidSubsetSize?: number;
  /** Receives warnings (KID subset shrinking, clipped eigenvalues). */
  log?: (message: string) => void;
}

/** One metrics.jsonl line of an evaluation: the step, the metric values and the settings. */
export type EvalRecord = { step: number } & MetricValues & {
  extractor: string | null; layer: string | null; resize: string | number | null; n: number; n_ref: number; eval_seconds: number;
};

/** Parses `--metrics fid,is,kid,prdc` (and, for conditional runs, accuracy, intra-fid). */
export function parseMetricList(list: string): (MetricName | ConditionalMetricName)[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new ConfigError('--metrics needs at least one of fid, is, kid, prdc.');
  const known = [...METRIC_NAMES, ...CONDITIONAL_METRIC_NAMES];
  for (const m of names) if (!(known as readonly string[]).includes(m)) throw unknownName('metric', m, known, '--metrics');
  return [...new Set(names)] as (MetricName | ConditionalMetricName)[];
}

/** The metrics of `g`'s samples against `reference` (whose features and statistics go through the cache). */
export async function evaluateGenerator(g: LoadedGenerator, reference: ImageSet, ev: Evaluator, step: number, opts: GeneratorEvalOptions = {}): Promise<EvalRecord> {
  if (g.outputShape.length !== 3) throw new ConfigError('this run generates 2-D points; image metrics (fid, is, kid, prdc) need an image run.');
  const t0 = performance.now();
  const all = opts.metrics ?? METRIC_NAMES;
  const metrics = all.filter((m): m is MetricName => (METRIC_NAMES as readonly string[]).includes(m));
  const conditional = all.filter((m): m is ConditionalMetricName => (CONDITIONAL_METRIC_NAMES as readonly string[]).includes(m));
  const n = opts.n ?? 10_000;
  const shape = g.outputShape as [number, number, number];
  const v: MetricValues = {};
  if (conditional.length > 0) {
    const data = reference instanceof SourceImageSet ? reference.dataSource : undefined;
    Object.assign(v, await conditionalMetrics(g, conditional, { n, seed: opts.seed ?? 0, reference: data }));
  }
  if (metrics.length === 0) {
    const s = ev.settings();
    return { step, ...v, extractor: s.extractor, layer: s.layer, resize: s.resize, n, n_ref: reference.n, eval_seconds: (performance.now() - t0) / 1000 };
  }
  const fake = new MemoryImageSet(`generated (step ${step})`, shape, toUint8(sampleGenerator(g, n, opts.seed ?? 0)));
  // One extraction pass over the samples for every layer the metrics need.
  await ev.features(fake, metrics.includes('is') ? ['features', 'logits'] : ['features']);
  if (metrics.includes('fid')) v[KEY_FID] = await fidOf(ev, reference, fake, { a: true }, opts.log);
  if (metrics.includes('is')) v[KEY_IS] = await isOf(ev, fake);
  if (metrics.includes('kid')) {
    const kid = await kidOf(ev, reference, fake, { subsets: opts.kidSubsets, subsetSize: opts.kidSubsetSize, warn: opts.log }, { a: true });
    v[KEY_KID] = { mean: kid.mean, std: kid.std };
  }
  if (metrics.includes('prdc')) Object.assign(v, await prdcOf(ev, reference, fake, {}, { real: true }));
  const s = ev.settings();
  return { step, ...v, extractor: s.extractor, layer: s.layer, resize: s.resize, n, n_ref: reference.n, eval_seconds: (performance.now() - t0) / 1000 };
}

interface RunMeta { train?: { data?: string; size?: number; channels?: number }; data?: { shape?: number[] } }

/** The run's training data as images (from config.json), the first `refN` of them (default all). */
export async function runReference(runDir: string, refN?: number): Promise<ImageSet> {
  const file = runPaths(runDir).config;
  let meta: RunMeta;
  try {
    meta = JSON.parse(fs.readFileSync(file, 'utf8')) as RunMeta;
  } catch (e) {
    throw new DataError(`--run ${runDir}: could not read ${file} (${(e as Error).message}); is it a ganbox run folder?`);
  }
  const spec = meta.train?.data;
  if (!spec) throw new DataError(`${file} does not say which data the run trained on (train.data).`);
  const channels = meta.data?.shape?.[2];
  const data = await openDataSource(spec, { size: meta.train?.size, channels: channels === 1 || channels === 3 ? channels : undefined });
  if (!data.finite) throw new ConfigError(`the run trained on ${spec}, 2-D points; image metrics (fid, is, kid, prdc) need an image run.`);
  return new SourceImageSet(data, refN);
}

/** The step of the newest checkpoint (the generator in generator/ was saved with it). */
export function runStep(runDir: string): number {
  const files = listCheckpoints(runPaths(runDir).checkpoints);
  const last = files[files.length - 1];
  return last ? Number(/step-(\d+)\.ckpt$/.exec(last)![1]) : 0;
}

/** Appends `record` as one line to the run's metrics.jsonl. */
export function appendRecord(runDir: string, record: object): void {
  fs.appendFileSync(path.join(runDir, 'metrics.jsonl'), JSON.stringify(record) + '\n');
}

const fmt = (x: number) => (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(4) : x.toFixed(4));

/** The record as a two-column table for the terminal. */
export function formatRecord(r: EvalRecord): string {
  const rows: [string, string][] = [];
  const add = (k: string, v: number | MeanStd | undefined) => {
    if (v === undefined) return;
    rows.push([k, typeof v === 'number' ? fmt(v) : `${fmt(v.mean)} ± ${fmt(v.std)}`]);
  };
  add(KEY_FID, r[KEY_FID]); add(KEY_IS, r[KEY_IS]); add(KEY_KID, r[KEY_KID]);
  add(KEY_PRECISION, r[KEY_PRECISION]); add(KEY_RECALL, r[KEY_RECALL]); add(KEY_DENSITY, r[KEY_DENSITY]); add(KEY_COVERAGE, r[KEY_COVERAGE]);
  const c = r as unknown as Record<string, number | number[] | undefined>;
  for (const k of CONDITIONAL_KEYS) {
    const x = c[k];
    if (typeof x === 'number') add(k, x);
    else if (Array.isArray(x)) rows.push([k, x.map((y) => fmt(y)).join(' ')]);
  }
  const w = Math.max(6, ...rows.map(([k]) => k.length));
  const head = `step ${r.step}: ${r.n} samples vs ${r.n_ref} reference images, ${r.extractor ?? '-'} extractor (${r.layer ?? '-'}, resize ${r.resize ?? '-'}), ${r.eval_seconds.toFixed(1)} s`;
  return [head, `${'metric'.padEnd(w)}  value`, ...rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`)].join('\n');
}
