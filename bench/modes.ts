/**
 * `npm run bench:modes`: mode collapse on the 2-D mixtures by the PacGAN protocol (Lin, Khetan,
 * Fanti & Oh 2018, §5, after VEEGAN, Srivastava et al. 2017): after training, 2,500 samples of
 * the (sampling) generator; a sample is high quality when within 3σ of its nearest mode; a mode is
 * captured when it has ≥ 1 high-quality sample; reverse KL = KL(q ‖ uniform) of the histogram q of
 * high-quality samples over the modes. Mean ± standard error over seeds. Compares a plain GAN with
 * `--preset coverage` (or any presets/flags given) on grid25 (default) or ring8, and writes the
 * table beside the published rows to bench/modes-results.md.
 *
 *   npm run bench:modes -- [--data grid25|ring8] [--seeds 10] [--steps 3000] [--batch 100]
 *                          [--configs plain,coverage,pack4] [--backend wasm] [--out FILE] [--json]
 *
 * Configs: 'plain' (no stabiliser), a preset name, or 'packN'. Everything else is the trainer's
 * defaults for points (MLP 3×128, 8-d latent, Adam 2e-4, β1 0.5, non-saturating), not the paper's
 * network (G 4×400, D 3×200 maxout) or schedule: our rows measure our stabilisers on our MLP.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/backend/index.js';
import { openDataSource } from '../src/data/index.js';
import type { ToyDistribution } from '../src/data/source.js';
import type { TrainConfig } from '../src/defaults.js';
import { modeDiagnostics } from '../src/stabilisers/diagnostics.js';
import { presetValues } from '../src/stabilisers/presets.js';
import { GanTrainer } from '../src/train/trainer.js';
import { Rng } from '../src/train/rng.js';

/**
 * Lin, Khetan, Fanti & Oh 2018 (PacGAN), Table 1 — checked against the table image in the
 * authors' repository (fjxmlzn/PacGAN, synthetic_data_experiments/results/Table1.png).
 * [modes captured, high-quality %, reverse KL], mean ± s.e. over 10 trials. Their setting
 * (synthetic_data_experiments/2D*_GAN&PacGAN/config.py): G 4 × 400 ReLU with BatchNorm on a 2-d
 * N(0, I) latent, D 3 × 200 maxout (5 pieces), Adam 1e-4, β1 0.8, batch 100, 400 epochs of
 * 100,000 samples = 400,000 steps — about 7× the steps that fit in 10 minutes here.
 */
const PUBLISHED: Record<'grid25' | 'ring8', [string, string, string, string][]> = {
  grid25: [
    ['GAN', '17.3 ± 0.8', '94.8 ± 0.7', '0.70 ± 0.07'],
    ['ALI', '24.1 ± 0.4', '95.7 ± 0.6', '0.14 ± 0.03'],
    ['PacGAN2', '23.8 ± 0.7', '91.3 ± 0.8', '0.13 ± 0.04'],
    ['PacGAN3', '24.6 ± 0.4', '94.2 ± 0.4', '0.06 ± 0.02'],
    ['PacGAN4', '24.8 ± 0.2', '93.6 ± 0.6', '0.04 ± 0.01'],
  ],
  ring8: [
    ['GAN', '6.3 ± 0.5', '98.2 ± 0.2', '0.45 ± 0.09'],
    ['ALI', '6.6 ± 0.3', '97.6 ± 0.4', '0.36 ± 0.04'],
    ['PacGAN2', '7.9 ± 0.1', '95.6 ± 2.0', '0.07 ± 0.03'],
    ['PacGAN3', '7.8 ± 0.1', '97.7 ± 0.3', '0.10 ± 0.02'],
    ['PacGAN4', '7.8 ± 0.1', '95.9 ± 1.4', '0.07 ± 0.02'],
  ],
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function configFor(name: string): Partial<TrainConfig> {
  if (name === 'plain') return {};
  const pack = /^pack(\d+)$/.exec(name);
  if (pack) return { pack: Number(pack[1]) };
  return { ...presetValues(name), preset: name };
}

const meanSe = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : NaN;
  return { mean: m, se: sd / Math.sqrt(xs.length) };
};
const fmt = (v: { mean: number; se: number }, d: number) => `${v.mean.toFixed(d)} ± ${Number.isFinite(v.se) ? v.se.toFixed(d) : '–'}`;

const dataName = arg('data', 'grid25');
const seeds = Number(arg('seeds', '10'));
const steps = Number(arg('steps', '3000'));
const batch = Number(arg('batch', '100'));
const configs = arg('configs', 'plain,coverage').split(',');
const out = arg('out', path.join('bench', 'modes-results.md'));
const backend = await useBackend(arg('backend', 'wasm') as 'wasm' | 'cpu');
const data = (await openDataSource(dataName)) as ToyDistribution;

type Row = { config: string; modes: number[]; hq: number[]; kl: number[]; seconds: number };
const rows: Row[] = [];
/** The table so far (written after every seed, so a long run interrupted still leaves its rows). */
function writeTable(final: boolean): void {
  const lines = [
    `# Mode collapse on ${dataName} (PacGAN protocol)`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:modes -- --data ${dataName} --seeds ${seeds} --steps ${steps} --batch ${batch} --configs ${configs.join(',')}\``,
    `on ${backend.name} (${backend.threads} thread${backend.threads === 1 ? '' : 's'}); 2,500 samples of the sampling generator (EMA when on), high quality = within 3σ of a mode,`,
    'captured = ≥ 1 high-quality sample, KL = KL(histogram of high-quality samples over modes ‖ uniform); mean ± s.e. over seeds.',
    'ganbox rows use its 2-D defaults (MLP 3×128, 8-d latent, Adam 2e-4, β1 0.5), not the paper\'s network or training length.',
    '',
    '| run | modes captured | high-quality % | reverse KL | seeds |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ganbox ${r.config} | ${fmt(meanSe(r.modes), 1)} | ${fmt(meanSe(r.hq), 1)} | ${fmt(meanSe(r.kl.filter(Number.isFinite)), 2)} | ${r.modes.length} |`),
  ];
  const published = PUBLISHED[dataName as 'grid25' | 'ring8'];
  if (published) {
    lines.push(...published.map(([n, m, h, k]) => `| ${n} (Lin et al. 2018, published) | ${m} | ${h} | ${k} | 10 |`));
    lines.push('', 'Published rows: Lin et al. 2018 (PacGAN) Table 1, checked against the authors\' repository; their ring is radius 1, σ 0.01 (ours radius 2, σ 0.02),',
      'and they train 400,000 steps with G 4×400+BN, D 3×200 maxout, Adam 1e-4, β1 0.8.');
  }
  const text = lines.join('\n') + '\n';
  fs.writeFileSync(out, text);
  if (!final) return;
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else process.stdout.write(text);
}

// Seeds outer, configurations inner: an interrupted run still compares them on the same seeds.
for (const name of configs) rows.push({ config: name, modes: [], hq: [], kl: [], seconds: 0 });
for (let seed = 0; seed < seeds; seed++) {
  for (const [ci, name] of configs.entries()) {
    const row = rows[ci]!;
    const t0 = performance.now();
    const trainer = new GanTrainer(data, { data: dataName, batch, seed, ...configFor(name) });
    for (let s = 0; s < steps; s++) trainer.trainStep();
    const z = trainer.noise(2500, new Rng(seed).fork(7));
    const fake = trainer.sample(z);
    const d = modeDiagnostics(data, fake.dataSync());
    tf.dispose([z, fake]);
    trainer.dispose();
    row.modes.push(d.modes_covered);
    row.hq.push(100 * d.hq_fraction);
    row.kl.push(d.kl_modes ?? NaN);
    row.seconds += (performance.now() - t0) / 1000;
    writeTable(false);
    process.stderr.write(`${name} seed ${seed}: ${d.modes_covered}/${d.modes_total} modes, HQ ${(100 * d.hq_fraction).toFixed(1)} %, KL ${d.kl_modes?.toFixed(3)} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
}

writeTable(true);

