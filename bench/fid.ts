/**
 * `npm run bench:fid`: FID on 2048-d statistics, ganbox (float64 symmetric eigen-solver,
 * src/linalg/) against the pytorch-fid formula (scipy.linalg.sqrtm) run by /usr/bin/python3 in the
 * same run on the same .npz files, and the throughput of feature extraction through the worker pool.
 *
 *   npm run bench:fid [-- --reps N] [--json] [--n-full N] [--n-low N] [--weights pt_inception-….pth]
 *
 * Cases: 'full rank' (N = 4096 > D = 2048 samples per side) and 'N < D' (1000 samples per side,
 * singular covariances: the case where the Schur route of sqrtm meets rounding-level eigenvalues).
 * Features are seeded normal rows mixed by a random 2048 × 2048 matrix (correlated dimensions, as
 * Inception's are). Python is skipped, with a note, when /usr/bin/python3 lacks numpy or scipy.
 * Extraction: images/s of the mnist extractor over 2,000 digits for 0, 1 and 2 workers (the
 * projection stand-in of test/helpers when the mnist extractor is not in this tree), and of
 * inception over 200 digits when --weights is given.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '../src/backend/index.js';
import { featuresToStatistics, encodeStatistics, type FeatureStatistics } from '../src/metrics/statistics.js';
import { frechetDistance } from '../src/metrics/frechet.js';
import { gemm } from '../src/linalg/gemm.js';
import { Rng } from '../src/train/rng.js';
import { ExtractorPool } from '../src/evaluate/extractor-pool.js';
import { SourceImageSet } from '../src/evaluate/image-sets.js';
import { openDataSource } from '../src/data/index.js';
import type { FiniteSource } from '../src/data/source.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const num = (name: string, fallback: number) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? Number(argv[i + 1]) : fallback; };
const str = (name: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : undefined; };
const json = argv.includes('--json');
const reps = num('reps', 3);
const D = 2048;
const log = (s: string) => { if (!json) console.error(s); };
const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return s[s.length >> 1]!; };

/** n rows of correlated 2048-d features: z · M with z ~ N(shift, 1) and M = I + 0.05·G/√D. */
function features(n: number, seed: number, shift: number): Float64Array {
  const rng = new Rng(seed);
  const z = Float64Array.from(rng.normalArray(n * D, shift, 1));
  const mix = Float64Array.from(new Rng(99).normalArray(D * D, 0, 0.05 / Math.sqrt(D)));
  for (let i = 0; i < D; i++) mix[i * D + i]! += 1;
  const out = new Float64Array(n * D);
  gemm(n, D, D, { data: z, off: 0, ld: D }, { data: mix, off: 0, ld: D }, { data: out, off: 0, ld: D }, { beta: 0 });
  return out;
}

function pythonFid(a: string, b: string): { value: number; times: number[]; numpy: string; scipy: string } | string {
  const py = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const probe = spawnSync(py, ['-c', 'import numpy, scipy'], { encoding: 'utf8' });
  if (probe.status !== 0) return `skipped: ${py} with numpy and scipy not found`;
  const r = spawnSync(py, [path.join(here, 'reference', 'fid_scipy.py'), a, b, String(reps)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return `failed: ${r.stderr.trim().split('\n').pop()}`;
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

async function fidCase(name: string, n: number, tmp: string) {
  log(`${name}: ${n} × ${D} features per side…`);
  const t0 = performance.now();
  const s1 = featuresToStatistics(features(n, 1, 0), n, D);
  const s2 = featuresToStatistics(features(n, 2, 0.02), n, D);
  const statsSeconds = (performance.now() - t0) / 2000;
  const fa = path.join(tmp, `${name}-a.npz`), fb = path.join(tmp, `${name}-b.npz`);
  fs.writeFileSync(fa, encodeStatistics(s1));
  fs.writeFileSync(fb, encodeStatistics(s2));
  // pytorch-fid's files do not carry n: time ganbox both ways (with n it factors the smaller side).
  const time = (a: FeatureStatistics, b: FeatureStatistics) => {
    const times: number[] = [];
    let value = NaN;
    for (let r = 0; r < reps; r++) {
      const t = performance.now();
      value = frechetDistance(a, b).value;
      times.push((performance.now() - t) / 1000);
    }
    return { value, times };
  };
  const ours = time(s1, s2);
  const oursNoN = time({ mu: s1.mu, sigma: s1.sigma }, { mu: s2.mu, sigma: s2.sigma });
  const py = pythonFid(fa, fb);
  const row = {
    case: name, n, d: D, statistics_s_per_side: statsSeconds,
    ganbox_s: median(ours.times), ganbox_without_n_s: median(oursNoN.times), ganbox_fid: ours.value,
    scipy_s: typeof py === 'string' ? null : median(py.times), scipy_fid: typeof py === 'string' ? null : py.value,
    ratio: typeof py === 'string' ? null : median(py.times) / median(ours.times),
    relative_difference: typeof py === 'string' ? null : Math.abs(ours.value - py.value) / Math.abs(py.value),
    python: typeof py === 'string' ? py : `numpy ${py.numpy}, scipy ${py.scipy}`,
  };
  log(`  ganbox ${row.ganbox_s.toFixed(2)} s (without n: ${row.ganbox_without_n_s.toFixed(2)} s), scipy ${row.scipy_s?.toFixed(2) ?? '-'} s, ` +
    `speed-up ${row.ratio?.toFixed(1) ?? '-'}×, |Δ|/FID ${row.relative_difference?.toExponential(1) ?? '-'} (${row.python})`);
  return row;
}

async function extraction() {
  const data = (await openDataSource('mnist')) as FiniteSource;
  const rows: { extractor: string; workers: number; images: number; images_per_s: number }[] = [];
  let mnistModule: string | undefined;
  try {
    const { openExtractor } = await import('../src/features/index.js');
    (await openExtractor('mnist')).dispose();
  } catch {
    mnistModule = new URL('../test/helpers/projection-extractor.ts', import.meta.url).href;
  }
  const label = mnistModule ? 'projection stand-in (mnist extractor not in this tree)' : 'mnist';
  const images = new SourceImageSet(data, 2000);
  images.read(0, 1); // warm the data source
  for (const workers of [0, 1, 2]) {
    const pool = await ExtractorPool.open({ name: 'mnist', module: mnistModule }, { workers, backend: 'wasm' });
    const t = performance.now();
    await pool.extract(images, [pool.layers[0]!]);
    const s = (performance.now() - t) / 1000;
    await pool.close();
    rows.push({ extractor: label, workers, images: images.n, images_per_s: images.n / s });
    log(`  ${label}, ${workers} worker(s): ${(images.n / s).toFixed(0)} images/s`);
  }
  const weights = str('weights');
  if (weights) {
    const few = new SourceImageSet(data, 200);
    for (const workers of [1, 2]) {
      const pool = await ExtractorPool.open({ name: 'inception', options: { weights } }, { workers, backend: 'wasm' });
      const t = performance.now();
      await pool.extract(few, ['pool3']);
      const s = (performance.now() - t) / 1000;
      await pool.close();
      rows.push({ extractor: 'inception', workers, images: few.n, images_per_s: few.n / s });
      log(`  inception, ${workers} worker(s): ${(few.n / s).toFixed(1)} images/s`);
    }
  }
  return rows;
}

async function main() {
  await useBackend('wasm');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-bench-fid-'));
  try {
    log(`FID on ${D}-d statistics, ${reps} repetitions, median (${os.availableParallelism()} cores, load ${os.loadavg()[0]!.toFixed(1)})`);
    const fid = [await fidCase('full rank', num('n-full', 4096), tmp), await fidCase('N < D', num('n-low', 1000), tmp)];
    log('feature extraction (worker pool, wasm, 1 kernel thread per worker):');
    const extract = await extraction();
    if (json) console.log(JSON.stringify({ fid, extraction: extract, date: new Date().toISOString(), cores: os.availableParallelism() }));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
