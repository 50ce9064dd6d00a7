/**
 * `ganbox train --eval-every N [--eval-metrics fid,is,kid,prdc] [--eval-n N] [--eval-weights FILE]`:
 * evaluates the generator during training, with the machinery of `ganbox eval` (one extractor
 * pool for the whole run; reference statistics from the cache, $GANBOX_CACHE or ~/.cache/ganbox).
 * The settings are kept in the run folder (eval.json), so `--resume DIR` without --eval-every
 * evaluates as the run did; --eval-every on the resume command line replaces them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { Evaluator } from '../src/evaluate/evaluator.js';
import { StatsCache, defaultCacheDir } from '../src/evaluate/cache.js';
import { evaluateGenerator, formatRecord, parseMetricList, runReference } from '../src/evaluate/run-eval.js';
import type { ImageSet } from '../src/evaluate/image-sets.js';
import type { RunOptions } from '../src/train/run.js';
import { extractorModule } from './eval-options.js';
import { positiveInt } from './options.js';
import { ConfigError } from '../src/errors.js';
import { writeFileAtomic } from '../src/io/atomic.js';

export function addTrainEvalFlags(cmd: Command): Command {
  return cmd
    .option('--eval-every <n>', 'evaluate the generator every n steps and at the end (appended to metrics.jsonl)', positiveInt)
    .option('--eval-metrics <list>', 'metrics of --eval-every: fid, is, kid, prdc; conditional digit runs also accuracy, intra-fid', 'fid')
    .option('--eval-n <n>', 'generated samples per evaluation', positiveInt, 2000)
    .option('--eval-weights <file>', 'Inception weights for --eval-every on non-MNIST data (pt_inception-2015-12-05-6726825d.pth)');
}

/** The `evaluate` hook of runTraining for these flags (undefined without --eval-every), and its cleanup. */
export function trainEvaluator(opts: Record<string, unknown>, log: (m: string) => void): { evaluate?: RunOptions['evaluate']; close: () => Promise<void> } {
  const given = opts.evalEvery !== undefined;
  const settings: EvalSettings | undefined = given
    ? { every: opts.evalEvery as number, metrics: opts.evalMetrics as string, n: opts.evalN as number, ...(opts.evalWeights ? { weights: opts.evalWeights as string } : {}) }
    : typeof opts.resume === 'string' ? readEvalSettings(opts.resume) : undefined;
  if (!settings) return { close: async () => {} };
  if (!given) log(`evaluating every ${settings.every} steps (${settings.metrics}, ${settings.n} samples), as the run did (${path.join(opts.resume as string, EVAL_FILE)})`);
  const { every, n, weights } = settings;
  const metrics = parseMetricList(settings.metrics);
  const ev = new Evaluator({
    extractorOptions: weights ? { weights } : {},
    extractorModule: extractorModule(),
    pool: { workers: 1, backend: 'wasm' }, // training keeps the cores busy; one worker holds the extractor
    cache: new StatsCache(defaultCacheDir(), log),
  });
  let reference: ImageSet | undefined;
  let saved = false;
  return {
    evaluate: {
      every,
      run: async (generator, step, dir) => {
        if (given && !saved) { writeFileAtomic(path.join(dir, EVAL_FILE), JSON.stringify(settings, null, 2) + '\n'); saved = true; }
        reference ??= await runReference(dir);
        const record = await evaluateGenerator(generator, reference, ev, step, { metrics, n, log });
        log(formatRecord(record).split('\n').join('\n  '));
        return record;
      },
    },
    close: () => ev.close(),
  };
}

/** The --eval-* settings of a run, kept in DIR/eval.json. */
interface EvalSettings { every: number; metrics: string; n: number; weights?: string }

const EVAL_FILE = 'eval.json';

/** DIR/eval.json's settings; undefined when the run was trained without --eval-every. */
function readEvalSettings(dir: string): EvalSettings | undefined {
  const file = path.join(dir, EVAL_FILE);
  if (!fs.existsSync(file)) return undefined;
  let s: Partial<EvalSettings>;
  try {
    s = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<EvalSettings>;
  } catch {
    throw new ConfigError(`--resume ${dir}: ${file} is not valid JSON; fix or delete it, or give --eval-every.`);
  }
  const ok = Number.isInteger(s.every) && s.every! > 0 && typeof s.metrics === 'string' && Number.isInteger(s.n) && s.n! > 0
    && (s.weights === undefined || typeof s.weights === 'string');
  if (!ok) throw new ConfigError(`--resume ${dir}: ${file} lacks every, metrics or n; fix or delete it, or give --eval-every.`);
  return s as EvalSettings;
}
