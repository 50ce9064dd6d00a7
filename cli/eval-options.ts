/**
 * The flags every evaluation command shares (--extractor, --weights, --resize, --layer, --batch,
 * --workers, --engine, --backend, --cache, --json, --quiet) and the Evaluator they configure.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, Option } from 'commander';
import { EXTRACTOR_NAMES, type ExtractorName } from '../src/features/types.js';
import { Evaluator, type FeatureSettings } from '../src/evaluate/evaluator.js';
import { StatsCache, defaultCacheDir } from '../src/evaluate/cache.js';
import { DEFAULT_BATCH, defaultWorkerCount } from '../src/evaluate/extractor-pool.js';
import { INCEPTION_WEIGHTS_FILE } from '../src/evaluate/extractor-spec.js';
import { extractionProgress, progressWanted } from './progress.js';
import { nonNegativeInt, positiveInt } from './options.js';
import { io } from './io.js';

export interface EvalFlags {
  extractor?: ExtractorName;
  weights?: string;
  resize?: string;
  engine?: 'auto' | 'onnxruntime' | 'tfjs';
  layer?: string;
  batch: number;
  workers: number;
  backend: 'wasm' | 'cpu';
  cache?: string | false;
  json?: boolean;
  quiet?: boolean;
}

/** Adds the shared flags; `layer: false` for commands where the layer is fixed (is). */
export function addEvalFlags(cmd: Command, opts: { layer?: boolean } = {}): Command {
  cmd
    .addOption(new Option('--extractor <name>', 'feature extractor (default: mnist for 28x28 grey images, else inception)').choices(EXTRACTOR_NAMES))
    .option('--weights <file>', `weights file; inception needs the standard ${INCEPTION_WEIGHTS_FILE}`)
    .addOption(new Option('--resize <rule>', "inception's resize of inputs to 299x299: bilinear (pytorch-fid) or tf1 (torch-fidelity)").choices(['bilinear', 'tf1']));
  if (opts.layer !== false) cmd.option('--layer <name>', "feature layer: pool3 | logits | logits-unbiased (default: the extractor's first, pool3 for inception)");
  return cmd
    .option('--batch <n>', 'images per extraction batch', positiveInt, DEFAULT_BATCH)
    .option('--workers <n>', 'extraction worker threads (0 = in the main thread)', nonNegativeInt, defaultWorkerCount())
    .addOption(new Option('--engine <name>', 'inference engine of the extractor: auto = onnxruntime when onnxruntime-node loads, else tfjs').choices(['auto', 'onnxruntime', 'tfjs']))
    .addOption(new Option('--backend <name>', 'tfjs backend of the extraction (engine tfjs)').choices(['wasm', 'cpu']).default('wasm'))
    .option('--cache <dir>', `cache folder for reference statistics (default ${defaultCacheDir()})`)
    .option('--no-cache', 'neither read nor write cached statistics')
    .option('--json', 'print one JSON object (stable keys) instead of text')
    .option('--quiet', 'no progress bars');
}

/** The extractor module override (GANBOX_EXTRACTOR_MODULE: a path or URL), for tests and custom extractors. */
export function extractorModule(): string | undefined {
  const m = process.env.GANBOX_EXTRACTOR_MODULE;
  if (!m) return undefined;
  return /^[a-z]+:/i.test(m) && !/^[a-z]:[\\/]/i.test(m) ? m : pathToFileURL(path.resolve(m)).href;
}

/**
 * The Evaluator for these flags. `cacheByDefault`: use the default cache folder without --cache
 * (eval's reference data); otherwise only an explicit --cache DIR turns caching on.
 */
export function evaluatorFrom(flags: EvalFlags, cacheByDefault = false): { ev: Evaluator; cache?: StatsCache } {
  const log = (m: string) => io.err(m + '\n');
  const dir = flags.cache === false ? undefined : flags.cache ?? (cacheByDefault ? defaultCacheDir() : undefined);
  const cache = dir ? new StatsCache(dir, log) : undefined;
  const ev = new Evaluator({
    extractor: flags.extractor,
    extractorOptions: {
      ...(flags.weights ? { weights: flags.weights } : {}), ...(flags.resize ? { resize: flags.resize } : {}),
      ...(flags.engine && flags.engine !== 'auto' ? { engine: flags.engine } : {}),
    },
    extractorModule: extractorModule(),
    layer: flags.layer,
    pool: { workers: flags.workers, backend: flags.backend },
    batchSize: flags.batch,
    cache,
    onProgress: extractionProgress(progressWanted(flags)),
  });
  return { ev, cache };
}

/** Runs `body` with an Evaluator and always stops its workers. */
export async function withEvaluator<T>(flags: EvalFlags, body: (ev: Evaluator, cache?: StatsCache) => Promise<T>, cacheByDefault = false): Promise<T> {
  const { ev, cache } = evaluatorFrom(flags, cacheByDefault);
  try {
    return await body(ev, cache);
  } finally {
    await ev.close();
  }
}

/** Writes the --json object or the text lines. */
export function report(flags: EvalFlags, json: Record<string, unknown>, text: string): void {
  io.out(flags.json ? JSON.stringify(json) + '\n' : text + '\n');
}

/** Settings as they go into --json output. */
export const settingsJson = (s: FeatureSettings) => ({ extractor: s.extractor, layer: s.layer, resize: s.resize });
