/** `ganbox is INPUT`: Inception Score (mean and std over splits) of images, or of a .npy of logits. */
import { Command, Option } from 'commander';
import { ConfigError } from '../src/errors.js';
import { KEY_IS } from '../src/metrics/keys.js';
import { SPLIT_ORDERS, TORCH_FIDELITY_SEED, type SplitOrder } from '../src/metrics/inception-score.js';
import { openEvalInput, inputCount } from '../src/evaluate/inputs.js';
import { isOf } from '../src/evaluate/metrics.js';
import { addEvalFlags, report, settingsJson, withEvaluator, type EvalFlags } from './eval-options.js';
import { numpySeedFlag, positiveInt } from './options.js';

export function isCommand(): Command {
  const cmd = new Command('is')
    .description("Inception Score of INPUT: a folder or .npy of images (the extractor's logits without bias), or a .npy of logits (N,C)")
    .argument('<INPUT>', 'images or logits')
    .option('--splits <n>', 'number of splits (the paper and torch-fidelity: 10)', positiveInt, 10)
    .addOption(new Option('--split-order <order>', "row order of the splits: numpy (torch-fidelity's shuffle, numpy RandomState(seed).permutation) or input (as given, the paper's code)").choices(SPLIT_ORDERS).default('numpy'))
    .option('--seed <n>', `seed of the numpy shuffle (torch-fidelity: ${TORCH_FIDELITY_SEED})`, numpySeedFlag);
  return addEvalFlags(cmd, { layer: false }).action(async (input: string, flags: EvalFlags & { splits: number; splitOrder: SplitOrder; seed?: number }) => {
    if (flags.seed !== undefined && flags.splitOrder === 'input') {
      throw new ConfigError('--seed only applies to --split-order numpy; with --split-order input the rows are not shuffled.');
    }
    const seed = flags.seed ?? TORCH_FIDELITY_SEED;
    const inp = await openEvalInput(input, 'INPUT');
    await withEvaluator(flags, async (ev) => {
      const v = await isOf(ev, inp, { splits: flags.splits, splitOrder: flags.splitOrder, seed });
      report(
        flags,
        { [KEY_IS]: v, ...settingsJson(ev.settings('logits')), n: inputCount(inp), splits: flags.splits, split_order: flags.splitOrder, seed: flags.splitOrder === 'numpy' ? seed : null },
        `${v.mean} ± ${v.std}`,
      );
    });
  });
}
