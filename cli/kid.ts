/** `ganbox kid A B`: Kernel Inception Distance (mean and std over subsets) between two inputs' features. */
import { Command } from 'commander';
import { KEY_KID } from '../src/metrics/keys.js';
import { openEvalInput, inputCount } from '../src/evaluate/inputs.js';
import { kidOf } from '../src/evaluate/metrics.js';
import { addEvalFlags, report, settingsJson, withEvaluator, type EvalFlags } from './eval-options.js';
import { numpySeedFlag, positiveInt } from './options.js';
import { io } from './io.js';

export function kidCommand(): Command {
  const cmd = new Command('kid')
    .description('Kernel Inception Distance between A and B: folders of images, .npy of uint8 images or float features')
    .argument('<A>', 'first input')
    .argument('<B>', 'second input')
    .option('--subsets <n>', 'number of subsets (torch-fidelity: 100)', positiveInt, 100)
    .option('--subset-size <n>', 'samples per subset (torch-fidelity: 1000; smaller sets shrink it, with a warning)', positiveInt, 1000)
    .option('--seed <n>', "seed of the subset draws, numpy RandomState(seed).choice as torch-fidelity (its seed: 2020)", numpySeedFlag, 2020);
  return addEvalFlags(cmd).action(async (a: string, b: string, flags: EvalFlags & { subsets: number; subsetSize: number; seed: number }) => {
    const inA = await openEvalInput(a, 'A'), inB = await openEvalInput(b, 'B');
    await withEvaluator(flags, async (ev, cache) => {
      const warn = (m: string) => io.err(m + '\n');
      const v = await kidOf(ev, inA, inB, { subsets: flags.subsets, subsetSize: flags.subsetSize, seed: flags.seed, warn }, { a: Boolean(cache), b: Boolean(cache) });
      report(
        flags,
        { [KEY_KID]: { mean: v.mean, std: v.std }, ...settingsJson(ev.settings()), n: [inputCount(inA), inputCount(inB)], subsets: flags.subsets, subset_size: v.subsetSize, subset_draws: 'numpy', seed: flags.seed },
        `${v.mean} ± ${v.std}`,
      );
    });
  });
}
