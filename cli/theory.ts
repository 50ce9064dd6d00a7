/** `ganbox theory <name>`: reproduce a piece of GAN theory on known 1-D distributions (src/theory). */
import * as path from 'node:path';
import * as fs from 'node:fs';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { useBackend } from '../src/backend/index.js';
import { IoError } from '../src/errors.js';
import { writeFileAtomic } from '../src/io/atomic.js';
import { renderChart } from '../src/plot/index.js';
import {
  LIPSCHITZ_CONSTRAINTS, OPTIMAL_DISCRIMINATOR_DEFAULTS as OD, runTheory, SADDLE_POINT_DEFAULTS as SP, THEORY_DEFAULTS,
  THEORY_NAMES, WASSERSTEIN_DEFAULTS as W, type TheoryRunOptions,
} from '../src/theory/index.js';
import { DEFAULT_CLIP_VALUE } from '../src/constraints/weight-clipping.js';
import { nonNegativeInt, positiveFloat, positiveInt } from './options.js';

function numberList(value: string): number[] {
  const xs = value.split(',').map((s) => Number(s.trim()));
  if (xs.length === 0 || xs.some((x) => value.trim() === '' || !Number.isFinite(x))) {
    throw new InvalidArgumentError('expected comma-separated numbers, e.g. 0,1,2.');
  }
  return xs;
}

function finite(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError('expected a number.');
  return x;
}

const DEFAULTS_HELP = [
  '',
  'Experiments (each writes <out>/<name>.png and <out>/<name>.json):',
  '  optimal-discriminator  D(x) vs D* = p_data/(p_data + p_g): large, too small and overfit D (Goodfellow et al. 2014, Prop. 1)',
  '                         JSON: max_abs_error, mean_abs_error (large D), models.{large,small,overfit}',
  '  saddle-point           V(D, G) of a trained D vs −log 4 + 2·JSD, for p_g = N(μ_g, 1), p_data = N(0, 1) (Thm. 1)',
  '                         JSON: value_estimate, value_exact (μ_g = --mean), equal (p_g = p_data), sweep',
  '  saturation             |gradient| G gets under minimax vs non-saturating as D(G(z)) falls (§3)',
  '                         JSON: checkpoints, per_sample, max_rel_error_closed_form, final_ratio',
  '  wasserstein            a Lipschitz critic\'s E_P f − E_Q f vs W1 = ∫|F_P − F_Q| (Arjovsky et al. 2017)',
  '                         JSON: w1_estimate, w1_exact',
  '',
  'Defaults of --steps/--batch/--lr/--width/--depth per experiment:',
  ...Object.entries(THEORY_DEFAULTS).map(([n, d]) => `  ${n.padEnd(22)} steps ${d.steps}, batch ${d.batch}, lr ${d.lr}, width ${d.width}, depth ${d.depth}`),
].join('\n');

export function theoryCommand(): Command {
  const cmd = new Command('theory')
    .description('reproduce GAN theory on known 1-D distributions: a PNG plot and a JSON of numbers')
    .addArgument(new Argument('<name>', 'experiment').choices(THEORY_NAMES))
    .option('--out <dir>', 'output folder (default: theory/<name>)')
    .option('--json', 'print the JSON to stdout', false)
    .option('--seed <n>', 'random seed (weights and samples)', nonNegativeInt, 0)
    .option('--steps <n>', 'optimiser steps of each discriminator/critic (default: per experiment)', positiveInt)
    .option('--batch <n>', 'fresh samples per side per step (default: per experiment)', positiveInt)
    .option('--lr <x>', 'learning rate of the discriminator/critic (default: per experiment)', positiveFloat)
    .option('--width <n>', 'hidden units per layer of the (main) discriminator (default: per experiment)', positiveInt)
    .option('--depth <n>', 'hidden layers of the (main) discriminator (default: per experiment)', positiveInt)
    .option('--eval-samples <n>', `saddle-point, wasserstein: samples per side for the estimate (default: ${SP.evalSamples})`, positiveInt)
    .option('--overfit-samples <n>', `optimal-discriminator: fixed samples per side of the overfit D (default: ${OD.overfitSamples})`, positiveInt)
    .option('--mean <x>', `saddle-point: the main case's generator mean μ_g (default: ${SP.mean})`, finite)
    .option('--means <list>', `saddle-point: generator means of the sweep (default: ${SP.means.join(',')})`, numberList)
    .addOption(new Option('--constraint <name>', 'wasserstein: Lipschitz constraint, gradient penalty or weight clipping').choices(LIPSCHITZ_CONSTRAINTS).default('gp'))
    .option('--gp-weight <λ>', `wasserstein: gradient-penalty weight (default: ${W.gpWeight}; the paper's 10 overshoots W1 here)`, positiveFloat)
    .option('--clip-value <c>', `wasserstein --constraint clip: clip the critic's weights to [-c, c] (default: ${DEFAULT_CLIP_VALUE})`, positiveFloat)
    .addOption(new Option('--backend <name>', 'compute backend').choices(['onnxruntime', 'wasm', 'cpu', 'tensorflow']).default('onnxruntime'))
    .option('--threads <n>', 'wasm threads (default: number of cores)', positiveInt)
    .addHelpText('after', DEFAULTS_HELP)
    .action(async (name: string, opts: {
      out?: string; json: boolean; seed: number; steps?: number; batch?: number; lr?: number; width?: number; depth?: number;
      evalSamples?: number; overfitSamples?: number; mean?: number; means?: number[]; constraint: 'gp' | 'clip';
      gpWeight?: number; clipValue?: number; backend: 'onnxruntime' | 'wasm' | 'cpu' | 'tensorflow'; threads?: number;
    }) => {
      await useBackend(opts.backend, { threads: opts.threads });
      const options: TheoryRunOptions = {
        seed: opts.seed, steps: opts.steps, batch: opts.batch, lr: opts.lr, width: opts.width, depth: opts.depth,
        evalSamples: opts.evalSamples, overfitSamples: opts.overfitSamples, mean: opts.mean, means: opts.means,
        constraint: opts.constraint, gpWeight: opts.gpWeight, clipValue: opts.clipValue,
      };
      const out = opts.out ?? path.join('theory', name);
      try {
        fs.mkdirSync(out, { recursive: true });
      } catch (err) {
        throw new IoError(`could not create the output folder ${out} (--out): ${(err as Error).message}`);
      }
      const run = runTheory(name, options);
      const json = JSON.stringify({ ...run.result, backend: opts.backend }, null, 2) + '\n';
      writeFileAtomic(path.join(out, `${name}.json`), Buffer.from(json));
      writeFileAtomic(path.join(out, `${name}.png`), await renderChart(run.chart));
      if (opts.json) process.stdout.write(json);
      else process.stdout.write(`wrote ${path.join(out, `${name}.png`)} and ${path.join(out, `${name}.json`)}\n`);
    });
  return cmd;
}
