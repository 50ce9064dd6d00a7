/**
 * `ganbox train --eval-every N [--eval-metrics fid,is,kid,prdc] [--eval-n N] [--eval-weights FILE]`:
 * evaluates the generator during training, with the machinery of `ganbox eval` (one extractor
 * pool for the whole run; reference statistics from the cache, $GANBOX_CACHE or ~/.cache/ganbox).
 */
import { Command } from 'commander';
import { Evaluator } from '../src/evaluate/evaluator.js';
import { StatsCache, defaultCacheDir } from '../src/evaluate/cache.js';
import { evaluateGenerator, formatRecord, parseMetricList, runReference } from '../src/evaluate/run-eval.js';
import type { ImageSet } from '../src/evaluate/image-sets.js';
import type { RunOptions } from '../src/train/run.js';
import { extractorModule } from './eval-options.js';
import { positiveInt } from './options.js';

export function addTrainEvalFlags(cmd: Command): Command {
  return cmd
    .option('--eval-every <n>', 'evaluate the generator every n steps and at the end (appended to metrics.jsonl)', positiveInt)
    .option('--eval-metrics <list>', 'metrics of --eval-every: fid, is, kid, prdc; conditional digit runs also accuracy, intra-fid', 'fid')
    .option('--eval-n <n>', 'generated samples per evaluation', positiveInt, 2000)
    .option('--eval-weights <file>', 'Inception weights for --eval-every on non-MNIST data (pt_inception-2015-12-05-6726825d.pth)');
}

/** The `evaluate` hook of runTraining for these flags (undefined without --eval-every), and its cleanup. */
export function trainEvaluator(opts: Record<string, unknown>, log: (m: string) => void): { evaluate?: RunOptions['evaluate']; close: () => Promise<void> } {
  const every = opts.evalEvery as number | undefined;
  if (!every) return { close: async () => {} };
  const metrics = parseMetricList(opts.evalMetrics as string);
  const weights = opts.evalWeights as string | undefined;
  const ev = new Evaluator({
    extractorOptions: weights ? { weights } : {},
    extractorModule: extractorModule(),
    pool: { workers: 1, backend: 'wasm' }, // training keeps the cores busy; one worker holds the extractor
    cache: new StatsCache(defaultCacheDir(), log),
  });
  let reference: ImageSet | undefined;
  return {
    evaluate: {
      every,
      run: async (generator, step, dir) => {
        reference ??= await runReference(dir);
        const record = await evaluateGenerator(generator, reference, ev, step, { metrics, n: opts.evalN as number, log });
        log(formatRecord(record).split('\n').join('\n  '));
        return record;
      },
    },
    close: () => ev.close(),
  };
}
