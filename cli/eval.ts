/**
 * `ganbox eval --run DIR --metrics fid,is,kid,prdc --n 10000`: sample the run's generator, compare
 * with the run's training data (reference statistics cached), append a line with the stable keys
 * and the step to DIR/metrics.jsonl, and print a table (--json: the line itself).
 */
import { Command } from 'commander';
import { useBackend } from '../src/backend/index.js';
import { loadRunGenerator } from '../src/sampling/sampler.js';
import { appendRecord, evaluateGenerator, formatRecord, parseMetricList, runReference, runStep } from '../src/evaluate/run-eval.js';
import { addEvalFlags, report, withEvaluator, type EvalFlags } from './eval-options.js';
import { nonNegativeInt, positiveInt } from './options.js';
import { io } from './io.js';

type EvalCmdFlags = EvalFlags & { run: string; metrics: string; n: number; refN?: number; seed: number; kidSubsets: number; kidSubsetSize: number };

export function evalCommand(): Command {
  const cmd = new Command('eval')
    .description("evaluate a run's generator against its training data; appends to DIR/metrics.jsonl")
    .requiredOption('--run <dir>', 'run folder written by ganbox train')
    .option('--metrics <list>', 'comma-separated: fid, is, kid, prdc; conditional digit runs also accuracy, intra-fid', 'fid,is,kid,prdc')
    .option('--n <n>', 'generated samples', positiveInt, 10_000)
    .option('--ref-n <n>', 'reference images, the first N of the data (default: all)', positiveInt)
    .option('--seed <n>', 'noise seed of the samples', nonNegativeInt, 0)
    .option('--kid-subsets <n>', 'KID subsets', positiveInt, 100)
    .option('--kid-subset-size <n>', 'KID subset size', positiveInt, 1000);
  return addEvalFlags(cmd).action(async (flags: EvalCmdFlags) => {
    const metrics = parseMetricList(flags.metrics);
    const reference = await runReference(flags.run, flags.refN);
    await useBackend(flags.backend); // the generator samples here, before the extraction workers start
    const g = await loadRunGenerator(flags.run);
    const step = runStep(flags.run);
    const log = (m: string) => io.err(m + '\n');
    try {
      await withEvaluator(flags, async (ev) => {
        const record = await evaluateGenerator(g, reference, ev, step, {
          metrics, n: flags.n, seed: flags.seed, kidSubsets: flags.kidSubsets, kidSubsetSize: flags.kidSubsetSize, log,
        });
        appendRecord(flags.run, record);
        report(flags, record, formatRecord(record));
      }, true);
    } finally {
      g.model.dispose();
    }
  });
}
