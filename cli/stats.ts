/**
 * `ganbox stats INPUT --out stats.npz`: FID statistics (mu, sigma, n) of an input, in pytorch-fid's
 * .npz format plus n. `ganbox stats --merge a.npz b.npz … --out all.npz`: the statistics of the
 * union of disjoint sets, from theirs (for evaluations split over processes or machines).
 */
import * as fs from 'node:fs';
import { Command } from 'commander';
import { ConfigError, DataError } from '../src/errors.js';
import { openEvalInput } from '../src/evaluate/inputs.js';
import { decodeStatistics, encodeStatistics, mergeStatistics, type FeatureStatistics } from '../src/metrics/statistics.js';
import { writeFileAtomic } from '../src/io/atomic.js';
import { addEvalFlags, report, settingsJson, withEvaluator, type EvalFlags } from './eval-options.js';

type StatsFlags = EvalFlags & { out: string; merge?: string[]; force?: boolean };

function readStats(file: string): FeatureStatistics {
  let bytes: Buffer;
  try { bytes = fs.readFileSync(file); } catch (e) {
    throw new DataError(`${file} (--merge) could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  return decodeStatistics(bytes, file);
}

export function statsCommand(): Command {
  const cmd = new Command('stats')
    .description('write FID statistics (mu, sigma, n) of INPUT to an .npz, or merge statistics files with --merge')
    .argument('[INPUT]', 'folder or .npy of images, or .npy of features')
    .requiredOption('--out <file>', 'output .npz')
    .option('--merge <files...>', 'statistics .npz files of disjoint sets to merge (instead of INPUT)')
    .option('--force', 'overwrite --out if it exists', false);
  return addEvalFlags(cmd).action(async (input: string | undefined, flags: StatsFlags) => {
    if ((input === undefined) === (flags.merge === undefined)) {
      throw new ConfigError('ganbox stats takes either INPUT or --merge FILES (one of the two).');
    }
    if (fs.existsSync(flags.out) && !flags.force) throw new ConfigError(`--out ${flags.out} already exists; pass --force to overwrite it.`);
    if (flags.merge) {
      if (flags.merge.length < 2) throw new ConfigError('--merge needs at least two statistics files.');
      let s = readStats(flags.merge[0]!);
      for (const f of flags.merge.slice(1)) s = mergeStatistics(s, readStats(f));
      writeFileAtomic(flags.out, encodeStatistics(s));
      report(flags, { out: flags.out, n: s.n, d: s.mu.length, merged: flags.merge }, `wrote the statistics of ${s.n} samples (${s.mu.length}-d), merged from ${flags.merge.length} files, to ${flags.out}`);
      return;
    }
    const inp = await openEvalInput(input!, 'INPUT');
    await withEvaluator(flags, async (ev, cache) => {
      const s = await ev.statistics(inp, Boolean(cache));
      writeFileAtomic(flags.out, encodeStatistics(s));
      report(flags, { out: flags.out, n: s.n ?? null, d: s.mu.length, ...settingsJson(ev.settings()) }, `wrote the statistics of ${s.n ?? '?'} samples (${s.mu.length}-d) to ${flags.out}`);
    });
  });
}
