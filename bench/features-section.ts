/**
 * The features section of `npm run bench`: pytorch-fid's FID Inception-v3 on 299×299 RGB images,
 * images/s, ganbox (the ONNX graph of src/onnx/inception.ts on onnxruntime) against PyTorch
 * (bench/reference/inception_bench.py) on the same weights: this file writes one .pth of the test
 * fixture's formula weights (test/features/formula-weights.ts; same shapes and cost as the real
 * file) that both sides read, and one raw file of seeded uint8 images both feed.
 *
 * Each side: 1 and 2 threads (onnxruntime intraOpNumThreads; torch.set_num_threads), one warm-up
 * batch, `reps` repetitions of `batches` batches of `batch` images; images/s = images / seconds,
 * the median over repetitions per thread count; each side's best thread count; ratio = ganbox's
 * best / PyTorch's best. Agreement: pool3 of the first batch, max |ganbox − PyTorch| / max |PyTorch|.
 * ganbox runs first, then PyTorch (not alternated): on a busy machine read the ratio as ±20 %.
 *
 *   node --import tsx bench/features-section.ts [--quick]     (npm run bench runs it too)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INCEPTION_CONVS, convTensorShapes, FC_SHAPES } from '../src/features/inception-arch.js';
import { inceptionToOnnx } from '../src/onnx/inception.js';
import { OnnxSession } from '../src/onnx/runtime.js';
import { Rng } from '../src/train/rng.js';
import { formulaWeights } from '../test/features/formula-weights.js';
import { encodeTorchZip } from '../test/features/pth-writer.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SIDE = 299;

export interface FeaturesPlan { batch: number; batches: number; reps: number }
interface Side { threads: Record<string, { images_per_s: number; reps: number[] }>; best: { threads: number; images_per_s: number } }
export interface FeaturesResult {
  workload: string;
  plan: FeaturesPlan;
  ganbox: Side & { engine: string };
  pytorch: (Side & { torch: string }) | null;
  ratio_vs_best: number | null;
  pool3_max_rel_diff: number | null;
  note?: string;
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const k = s.length >> 1; return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2; };
const r1 = (v: number) => Math.round(v * 100) / 100;

function side(rates: Record<string, number[]>): Side {
  const threads = Object.fromEntries(Object.entries(rates).map(([t, rs]) => [t, { images_per_s: r1(median(rs)), reps: rs.map(r1) }]));
  const [bt, b] = Object.entries(threads).sort((x, y) => y[1].images_per_s - x[1].images_per_s)[0]!;
  return { threads, best: { threads: Number(bt), images_per_s: b.images_per_s } };
}

/** Runs the section; `python`: a python3 with torch, or undefined to skip PyTorch's side. */
export async function featuresSection(python: string | undefined, plan: FeaturesPlan, log: (s: string) => void = () => {}): Promise<FeaturesResult> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-bench-features-'));
  try {
    const state: [string, number[], Float32Array][] = [];
    for (const c of INCEPTION_CONVS) for (const [n, s] of Object.entries(convTensorShapes(c))) state.push([n, s, formulaWeights(n, s)]);
    for (const [n, s] of Object.entries(FC_SHAPES)) state.push([n, [...s], formulaWeights(n, s)]);
    const weights = path.join(tmp, 'formula-inception.pth');
    fs.writeFileSync(weights, encodeTorchZip(state));
    const n = plan.batch * plan.batches;
    const rng = new Rng(299);
    const pixels = Uint8Array.from({ length: n * SIDE * SIDE * 3 }, () => rng.int(256)); // [n, 299, 299, 3]
    fs.writeFileSync(path.join(tmp, 'images.u8'), pixels);
    const per = SIDE * SIDE * 3;
    const batchOf = (k: number) => ({ data: Float32Array.from(pixels.subarray(k * plan.batch * per, (k + 1) * plan.batch * per)), dims: [plan.batch, SIDE, SIDE, 3] });

    log('features: ganbox (onnxruntime) Inception-v3 …');
    const bytes = inceptionToOnnx(weights, 'bilinear');
    const rates: Record<string, number[]> = {};
    let ours: Float32Array | undefined;
    for (const threads of [1, 2]) {
      const session = await OnnxSession.create(bytes, threads);
      const first = await session.run({ images: batchOf(0) }, ['pool3']); // warm-up
      ours ??= first.pool3!.data;
      rates[threads] = [];
      for (let r = 0; r < plan.reps; r++) {
        const t0 = performance.now();
        for (let k = 0; k < plan.batches; k++) await session.run({ images: batchOf(k) }, ['pool3', 'logits']);
        rates[threads]!.push((plan.batch * plan.batches) / ((performance.now() - t0) / 1000));
        log(`  ganbox ${threads} thread(s), rep ${r + 1}: ${rates[threads]!.at(-1)!.toFixed(2)} images/s`);
      }
      await session.dispose();
    }
    const ganbox = { engine: 'onnxruntime', ...side(rates) };
    const result: FeaturesResult = {
      workload: `pytorch-fid Inception-v3, ${SIDE}×${SIDE} RGB uint8 → pool3 + logits, formula weights`,
      plan, ganbox, pytorch: null, ratio_vs_best: null, pool3_max_rel_diff: null,
    };
    if (!python) return { ...result, note: 'PyTorch not available (/usr/bin/python3 with torch)' };
    log('features: PyTorch Inception-v3 …');
    const p = spawnSync(python, [path.join(here, 'reference', 'inception_bench.py'), '--weights', weights, '--images', path.join(tmp, 'images.u8'),
      '--n', String(n), '--batch', String(plan.batch), '--batches', String(plan.batches), '--reps', String(plan.reps), '--pool3', path.join(tmp, 'pool3.f32')],
    { encoding: 'utf8', timeout: 30 * 60_000 });
    if (p.status !== 0) return { ...result, note: `PyTorch side failed: ${p.stderr.trim().split('\n').slice(-2).join(' ')}` };
    const out = JSON.parse(p.stdout.trim().split('\n').at(-1)!) as { torch: string; threads: Record<string, number[]> };
    const pytorch = { torch: out.torch, ...side(out.threads) };
    const buf = fs.readFileSync(path.join(tmp, 'pool3.f32'));
    const theirs = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    let d = 0, m = 0;
    for (let i = 0; i < theirs.length; i++) { d = Math.max(d, Math.abs(ours![i]! - theirs[i]!)); m = Math.max(m, Math.abs(theirs[i]!)); }
    return { ...result, pytorch, ratio_vs_best: r1(ganbox.best.images_per_s / pytorch.best.images_per_s), pool3_max_rel_diff: Number((d / m).toExponential(2)) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The section as table lines. */
export function renderFeatures(f: FeaturesResult): string {
  const cell = (s: Side | null, t: string) => (s?.threads[t] ? `${s.threads[t]!.images_per_s.toFixed(2)} (${Math.min(...s.threads[t]!.reps).toFixed(2)}–${Math.max(...s.threads[t]!.reps).toFixed(2)})` : 'n/a');
  const rows = [
    ['', 'ganbox onnxruntime', `PyTorch ${f.pytorch?.torch ?? ''}`.trim()],
    ['1 thread, images/s', cell(f.ganbox, '1'), cell(f.pytorch, '1')],
    ['2 threads, images/s', cell(f.ganbox, '2'), cell(f.pytorch, '2')],
    ['best', `${f.ganbox.best.images_per_s.toFixed(2)} (${f.ganbox.best.threads} thr)`, f.pytorch ? `${f.pytorch.best.images_per_s.toFixed(2)} (${f.pytorch.best.threads} thr)` : 'n/a'],
  ];
  const w = rows[0]!.map((_, j) => Math.max(...rows.map((row) => row[j]!.length)));
  return [
    `Features: ${f.workload}; batch ${f.plan.batch}, median (min–max) of ${f.plan.reps} repetitions of ${f.plan.batches} batches, warm-up excluded`,
    ...rows.map((row) => row.map((c, j) => (j === 0 ? c.padEnd(w[j]!) : c.padStart(w[j]!))).join('   ')),
    `ratio ganbox best / PyTorch best: ${f.ratio_vs_best === null ? 'n/a' : `${f.ratio_vs_best.toFixed(2)}×`}; pool3 agreement (max relative difference): ${f.pool3_max_rel_diff ?? 'n/a'}`,
    ...(f.note ? [`note: ${f.note}`] : []),
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const py = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore', timeout: 120_000 }).status === 0);
  const f = await featuresSection(py, { batch: quick ? 4 : 8, batches: 2, reps: quick ? 2 : 3 }, (s) => console.error(s));
  console.log(process.argv.includes('--json') ? JSON.stringify(f) : renderFeatures(f));
}
