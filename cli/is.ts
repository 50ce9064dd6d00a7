/** `ganbox is INPUT`: Inception Score (mean and std over splits) of images, or of a .npy of logits. */
import { Command } from 'commander';
import { KEY_IS } from '../src/metrics/keys.js';
import { openEvalInput, inputCount } from '../src/evaluate/inputs.js';
import { isOf } from '../src/evaluate/metrics.js';
import { addEvalFlags, report, settingsJson, withEvaluator, type EvalFlags } from './eval-options.js';
import { positiveInt } from './options.js';

export function isCommand(): Command {
  const cmd = new Command('is')
    .description("Inception Score of INPUT: a folder or .npy of images (the extractor's logits without bias), or a .npy of logits (N,C)")
    .argument('<INPUT>', 'images or logits')
    .option('--splits <n>', 'number of splits (the paper and torch-fidelity: 10)', positiveInt, 10);
  return addEvalFlags(cmd, { layer: false }).action(async (input: string, flags: EvalFlags & { splits: number }) => {
    const inp = await openEvalInput(input, 'INPUT');
    await withEvaluator(flags, async (ev) => {
      const v = await isOf(ev, inp, { splits: flags.splits });
      report(flags, { [KEY_IS]: v, ...settingsJson(ev.settings('logits')), n: inputCount(inp), splits: flags.splits }, `${v.mean} ± ${v.std}`);
    });
  });
}
