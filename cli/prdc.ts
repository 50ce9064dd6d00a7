/** `ganbox prdc REAL GENERATED`: precision, recall, density and coverage (real set first, as compute_prdc(real, fake)). */
import { Command } from 'commander';
import { KEY_COVERAGE, KEY_DENSITY, KEY_PRECISION, KEY_RECALL } from '../src/metrics/keys.js';
import { openEvalInput, inputCount } from '../src/evaluate/inputs.js';
import { DC_K, PR_K, prdcOf } from '../src/evaluate/metrics.js';
import { addEvalFlags, report, settingsJson, withEvaluator, type EvalFlags } from './eval-options.js';
import { positiveInt } from './options.js';

export function prdcCommand(): Command {
  const cmd = new Command('prdc')
    .description('precision, recall (k = 3), density and coverage (k = 5) of GENERATED against REAL')
    .argument('<REAL>', 'the real set: folder or .npy of images, or .npy of features')
    .argument('<GENERATED>', 'the generated set')
    .option('--nearest-k <k>', 'one k for all four values, as compute_prdc(real, fake, nearest_k)', positiveInt);
  return addEvalFlags(cmd).action(async (real: string, fake: string, flags: EvalFlags & { nearestK?: number }) => {
    const inR = await openEvalInput(real, 'REAL'), inF = await openEvalInput(fake, 'GENERATED');
    await withEvaluator(flags, async (ev, cache) => {
      const v = await prdcOf(ev, inR, inF, { nearestK: flags.nearestK }, { real: Boolean(cache) });
      const keys = [KEY_PRECISION, KEY_RECALL, KEY_DENSITY, KEY_COVERAGE] as const;
      report(
        flags,
        { ...v, ...settingsJson(ev.settings()), n: [inputCount(inR), inputCount(inF)], nearest_k_pr: flags.nearestK ?? PR_K, nearest_k_dc: flags.nearestK ?? DC_K },
        keys.map((k) => `${k.padEnd(9)} ${v[k]}`).join('\n'),
      );
    });
  });
}
