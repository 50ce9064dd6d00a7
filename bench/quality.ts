/**
 * `npm run bench:quality`: the image-quality bar of the stabiliser issue, measured. For each seed,
 * trains the canonical DCGAN (`--preset dcgan`) and `--preset quality` on the embedded MNIST digits
 * with `ganbox train --eval-every 1000 --eval-metrics fid` (FID under the shipped MNIST
 * classifier's features, 2,000 samples against the 10,000 digits), then reads FID at 1,000 and
 * 3,000 generator steps and the training time per step from each run's metrics.jsonl, and writes
 * the table (mean ± s.e. over seeds) to bench/quality-results.md.
 *
 *   npm run bench:quality -- [--seeds 3] [--steps 3000] [--runs DIR] [--configs dcgan,quality] [--threads N] [--out FILE]
 *
 * Bar (issue 14): quality's FID at 1,000 and at 3,000 steps at most half the DCGAN's, mean of 3
 * seeds, at no more than 1.5× its time per step. A run folder DIR/<config>-s<seed> that already
 * holds a finished run is reused (so the bench can be run in pieces); a partial one is resumed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const str = (name: string, fallback: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback; };
const seeds = Number(str('seeds', '3'));
const steps = Number(str('steps', '3000'));
const runsDir = path.resolve(str('runs', path.join(here, 'runs-quality')));
const configs = str('configs', 'dcgan,quality').split(',');
const out = str('out', path.join(here, 'quality-results.md'));
const threads = argv.includes('--threads') ? ['--threads', str('threads', '1')] : [];
const ganbox = path.join(here, '..', 'bin', 'ganbox.js');
const CHECKPOINTS = [1000, 3000].filter((s) => s <= steps);

type Line = Record<string, unknown> & { step: number };
const readMetrics = (dir: string): Line[] => fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);

/** FID at each checkpoint step and mean seconds per generator step (training lines only, evaluation time excluded). */
function score(dir: string): { fid: Record<number, number>; secondsPerStep: number; step: number } {
  const lines = readMetrics(dir);
  const fid: Record<number, number> = {};
  for (const l of lines) { const v = l.frechet_inception_distance ?? l.fid; if (typeof v === 'number') fid[l.step] = v; }
  const train = lines.filter((l) => typeof l.images_per_s === 'number');
  const batch = (JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { train: { batch: number } }).train.batch;
  // images_per_s covers each logging window; the windows after a sample grid, checkpoint or
  // evaluation include that time too, so the median window stands for the training step.
  const rates = train.map((l) => l.images_per_s as number).filter((r) => r > 0).sort((x, y) => x - y);
  const median = rates[Math.floor(rates.length / 2)]!;
  return { fid, secondsPerStep: batch / median, step: lines.at(-1)!.step };
}

const meanSe = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : NaN;
  return { mean: m, se: sd / Math.sqrt(xs.length) };
};
const fmt = (v: { mean: number; se: number }, d: number) => `${v.mean.toFixed(d)} ± ${Number.isFinite(v.se) ? v.se.toFixed(d) : '–'}`;

const results: Record<string, { fid: Record<number, number[]>; sps: number[] }> = {};
for (const c of configs) results[c] = { fid: Object.fromEntries(CHECKPOINTS.map((s) => [s, []])), sps: [] };
for (let seed = 0; seed < seeds; seed++) {
  for (const c of configs) {
    const dir = path.join(runsDir, `${c}-s${seed}`);
    const done = fs.existsSync(path.join(dir, 'metrics.jsonl')) && score(dir).step >= steps;
    if (!done) {
      const resume = fs.existsSync(path.join(dir, 'config.json'));
      const args = resume
        ? ['train', '--resume', dir, '--steps', String(steps), '--eval-every', '1000', '--eval-metrics', 'fid', ...threads, '--quiet']
        : ['train', '--preset', c, '--seed', String(seed), '--steps', String(steps), '--eval-every', '1000', '--eval-metrics', 'fid', ...threads, '--out', dir, '--quiet'];
      process.stderr.write(`${c} seed ${seed}: ${resume ? 'resuming' : 'training'} ${dir}\n`);
      const r = spawnSync(process.execPath, [ganbox, ...args], { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`ganbox train for ${c} seed ${seed} failed (exit ${r.status})`);
    }
    let s = score(dir);
    // A run resumed without --eval-every (or stopped between evaluations) lacks its last FID: evaluate it now.
    if (CHECKPOINTS.includes(s.step) && s.fid[s.step] === undefined) {
      const r = spawnSync(process.execPath, [ganbox, 'eval', '--run', dir, '--metrics', 'fid', '--n', '2000'], { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`ganbox eval for ${c} seed ${seed} failed (exit ${r.status})`);
      s = score(dir);
    }
    for (const k of CHECKPOINTS) if (s.fid[k] !== undefined) results[c]!.fid[k]!.push(s.fid[k]!);
    results[c]!.sps.push(s.secondsPerStep);
    process.stderr.write(`${c} seed ${seed}: ${CHECKPOINTS.map((k) => `FID@${k} ${s.fid[k]?.toFixed(2)}`).join(', ')}, ${s.secondsPerStep.toFixed(3)} s/step\n`);
  }
}

const lines = [
  '# Image quality: `--preset quality` against the canonical DCGAN',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:quality -- --seeds ${seeds} --steps ${steps}\`: MNIST (the 10,000 embedded digits),`,
  'FID under the shipped MNIST classifier\'s 128-d features (2,000 samples of the sampling generator — the EMA one when on — against',
  'the 10,000 digits), time per generator step from the runs\' own images/s (evaluation excluded). Mean ± s.e. over seeds.',
  '',
  `| preset | ${CHECKPOINTS.map((k) => `FID @ ${k.toLocaleString('en')}`).join(' | ')} | s / step | seeds |`,
  `| --- | ${CHECKPOINTS.map(() => '---').join(' | ')} | --- | --- |`,
  ...configs.map((c) => `| ${c} | ${CHECKPOINTS.map((k) => fmt(meanSe(results[c]!.fid[k]!), 2)).join(' | ')} | ${fmt(meanSe(results[c]!.sps), 3)} | ${results[c]!.sps.length} |`),
];
if (configs.includes('dcgan') && configs.includes('quality')) {
  const ratio = (k: number) => meanSe(results.quality!.fid[k]!).mean / meanSe(results.dcgan!.fid[k]!).mean;
  const time = meanSe(results.quality!.sps).mean / meanSe(results.dcgan!.sps).mean;
  const met = CHECKPOINTS.every((k) => ratio(k) <= 0.5) && time <= 1.5;
  lines.push('', `quality / dcgan: ${CHECKPOINTS.map((k) => `FID @ ${k.toLocaleString('en')} ${ratio(k).toFixed(2)}×`).join(', ')}; time per step ${time.toFixed(2)}×. ` +
    `Bar (FID ≤ 0.5× at both, time ≤ 1.5×): **${met ? 'met' : 'not met'}**.`);
}
fs.writeFileSync(out, lines.join('\n') + '\n');
process.stdout.write(lines.join('\n') + '\n');
