/**
 * `npm run bench:conditional`: the bar of the conditional-GAN issue, measured. Trains (or, with
 * --runs DIR, resumes/reuses) one run per case on the embedded MNIST digits and scores its samples
 * under the shipped MNIST classifier (evaluate/conditional.ts):
 *   acgan, cgan   ≥ 95 % of samples classified as the requested class, every class ≥ 90 %;
 *   infogan       categorical-code accuracy ≥ 90 % after Hungarian matching of codes to digits
 *                 (--info-categorical 10 --info-continuous 2, no labels).
 *
 *   npm run bench:conditional [-- --cases acgan,cgan,infogan] [--seeds 0,1,2] [--steps N] [--arch dcgan|infogan|mlp]
 *       [--width W] [--latent-dim Z] [--runs DIR] [--n 10000] [--backend onnxruntime] [--threads N] [--eval-only] [--json]
 *
 * Defaults: the documented defaults of `ganbox train --conditional …` (dcgan, 5,000 steps, batch 64,
 * acgan: --aux-weight 3, D's classifier on real digits); InfoGAN: the paper's net and rates
 * (conditioner.ts, INFOGAN_DEFAULTS), 5,000 steps. --seeds trains and scores every case once per
 * seed (the InfoGAN bar asks for 3 of 3). A case's run folder is DIR/<case> for seed 0 and
 * DIR/<case>-s<seed> otherwise (default DIR bench/runs-conditional); an existing one is resumed to
 * --steps, so the bench can be run in pieces; --eval-only scores the generator as it is.
 * Prints one line per case with the step it was scored at; never a pass/fail on a partial run
 * without saying so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '../src/backend/index.js';
import type { TrainConfig } from '../src/defaults.js';
import { conditionalMetrics } from '../src/evaluate/conditional.js';
import { loadRunGenerator } from '../src/sampling/sampler.js';
import { runTraining } from '../src/train/run.js';
import { runStep } from '../src/evaluate/run-eval.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const str = (name: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : undefined; };
const num = (name: string) => { const v = str(name); return v === undefined ? undefined : Number(v); };
const json = argv.includes('--json');
const log = (s: string) => { if (!json) console.error(s); };

const CASES: Record<string, Partial<TrainConfig>> = {
  acgan: { conditional: 'acgan' },
  cgan: { conditional: 'cgan' },
  projection: { conditional: 'projection' },
  infogan: { infoCategorical: 10, infoContinuous: 2 },
};
const BAR = { overall: 0.95, perClass: 0.9, infoCode: 0.9 };

const cases = (str('cases') ?? 'acgan,cgan,infogan').split(',').map((s) => s.trim());
for (const c of cases) if (!(c in CASES)) throw new Error(`--cases: unknown case '${c}'; known: ${Object.keys(CASES).join(', ')}`);
const runsDir = path.resolve(str('runs') ?? path.join(here, 'runs-conditional'));
const n = num('n') ?? 10_000;
const backend = await useBackend((str('backend') ?? 'onnxruntime') as 'onnxruntime' | 'wasm' | 'cpu', { threads: num('threads') });

const seeds = (str('seeds') ?? '0').split(',').map(Number);
if (!seeds.every((s) => Number.isInteger(s) && s >= 0)) throw new Error(`--seeds: a list of non-negative integers, e.g. 0,1,2; got ${str('seeds')}`);

const results: Record<string, unknown>[] = [];
for (const name of cases) for (const seed of seeds) {
  const dir = path.join(runsDir, seed === 0 ? name : `${name}-s${seed}`);
  const options: Partial<TrainConfig> = { ...CASES[name], seed };
  if (str('arch')) options.arch = str('arch') as TrainConfig['arch'];
  if (num('width') !== undefined) options.width = num('width');
  if (num('latent-dim') !== undefined) options.latentDim = num('latent-dim');
  const steps = num('steps');
  if (steps !== undefined) options.steps = steps;
  const t0 = performance.now();
  if (!argv.includes('--eval-only')) {
    const exists = fs.existsSync(path.join(dir, 'config.json'));
    log(`${name}: ${exists ? 'resuming' : 'training'} ${dir} (${backend.name}, ${backend.threads} thread(s))`);
    await runTraining(exists ? (steps !== undefined ? { steps } : {}) : options, {
      out: exists ? undefined : dir, resume: exists ? dir : undefined, force: !exists, backend: backend.name,
      onInfo: log,
      onProgress: (p) => { if (p.logged && p.step % 100 === 0) log(`  ${name} step ${p.step}/${p.total} ${p.imagesPerSec.toFixed(0)} img/s`); },
    });
  }
  const trainSeconds = (performance.now() - t0) / 1000;
  const g = await loadRunGenerator(dir);
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { train: TrainConfig };
  const step = runStep(dir);
  const m = await conditionalMetrics(g, ['accuracy'], { n, seed: 12345 });
  g.model.dispose();
  const r: Record<string, unknown> = {
    case: name, seed: config.train.seed, step, steps: config.train.steps, arch: config.train.arch, batch: config.train.batch,
    backend: backend.name, n, train_seconds: Math.round(trainSeconds), ...m,
  };
  if (typeof m.class_accuracy === 'number') {
    const per = m.class_accuracy_per_class as number[];
    r.meets_bar = m.class_accuracy >= BAR.overall && per.every((a) => a >= BAR.perClass);
    log(`${name} seed ${config.train.seed} @ step ${step} (${config.train.arch}): ${(100 * m.class_accuracy).toFixed(2)} % classified as requested; ` +
      `per class ${per.map((a) => (100 * a).toFixed(1)).join(' ')}; bar (≥ 95 %, each ≥ 90 %): ${r.meets_bar ? 'met' : 'NOT met'}`);
  }
  if (typeof m.info_code_accuracy === 'number') {
    r.meets_bar = m.info_code_accuracy >= BAR.infoCode;
    log(`${name} seed ${config.train.seed} @ step ${step} (${config.train.arch}): categorical-code accuracy ${(100 * m.info_code_accuracy).toFixed(2)} % ` +
      `after Hungarian matching; bar (≥ 90 %): ${r.meets_bar ? 'met' : 'NOT met'}`);
  }
  if (step < config.train.steps) log(`  (partial: step ${step} of the run's ${config.train.steps})`);
  results.push(r);
}
if (json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
