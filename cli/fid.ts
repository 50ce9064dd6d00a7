/** `ganbox fid A B`: the Fréchet Inception Distance between two inputs (images, features or statistics). */
import { Command } from 'commander';
import { KEY_FID } from '../src/metrics/keys.js';
import { openEvalInput, inputCount } from '../src/evaluate/inputs.js';
import { fidOf } from '../src/evaluate/metrics.js';
import { addEvalFlags, report, settingsJson, withEvaluator, type EvalFlags } from './eval-options.js';
import { io } from './io.js';

export function fidCommand(): Command {
  const cmd = new Command('fid')
    .description('Fréchet Inception Distance between A and B: each a folder of images, a .npy of uint8 images (N,H,W,C) or float features (N,D), or a .npz of statistics')
    .argument('<A>', 'first input')
    .argument('<B>', 'second input');
  return addEvalFlags(cmd).action(async (a: string, b: string, flags: EvalFlags) => {
    const inA = await openEvalInput(a, 'A'), inB = await openEvalInput(b, 'B');
    await withEvaluator(flags, async (ev, cache) => {
      const value = await fidOf(ev, inA, inB, { a: Boolean(cache), b: Boolean(cache) }, (m) => io.err(m + '\n'));
      report(flags, { [KEY_FID]: value, ...settingsJson(ev.settings()), n: [inputCount(inA) ?? null, inputCount(inB) ?? null] }, String(value));
    });
  });
}
