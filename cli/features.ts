/** `ganbox features INPUT --layer pool3 --out feats.npy`: an extractor's features of images, as float32 (N, D). */
import * as fs from 'node:fs';
import { Command } from 'commander';
import { ConfigError } from '../src/errors.js';
import { openEvalInput } from '../src/evaluate/inputs.js';
import { encodeNpy } from '../src/io/npy.js';
import { writeFileAtomic } from '../src/io/atomic.js';
import { addEvalFlags, report, settingsJson, withEvaluator, type EvalFlags } from './eval-options.js';

export function featuresCommand(): Command {
  const cmd = new Command('features')
    .description('write the features of INPUT (a folder or .npy of images) to a float32 .npy (N, D)')
    .argument('<INPUT>', 'folder or .npy of images')
    .requiredOption('--out <file>', 'output .npy')
    .option('--force', 'overwrite --out if it exists', false);
  return addEvalFlags(cmd).action(async (input: string, flags: EvalFlags & { out: string; force?: boolean }) => {
    if (fs.existsSync(flags.out) && !flags.force) throw new ConfigError(`--out ${flags.out} already exists; pass --force to overwrite it.`);
    const inp = await openEvalInput(input, 'INPUT');
    if (inp.kind !== 'images') throw new ConfigError(`${input} (INPUT) holds ${inp.kind}, not images; ganbox features extracts features of images.`);
    await withEvaluator(flags, async (ev, cache) => {
      const f = (await ev.features(inp, ['features'], Boolean(cache))).features;
      const data = f.data instanceof Float32Array ? f.data : Float32Array.from(f.data);
      writeFileAtomic(flags.out, encodeNpy({ dtype: '<f4', shape: [f.n, f.d], data }));
      report(flags, { out: flags.out, n: f.n, d: f.d, ...settingsJson(ev.settings()) }, `wrote ${f.n} × ${f.d} features (${ev.settings().layer}) to ${flags.out}`);
    });
  });
}
