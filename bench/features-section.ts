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
 * The repetitions alternate between the sides; on a busy machine the numbers still move by ±20 %
 * or more (and PyTorch's 2-thread OpenMP spin-waits suffer most from other load).
 *
 *   node --import tsx bench/features-section.ts [--quick]     (npm run bench runs it too)
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
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

/** PyTorch's side as a child answering one JSON line per command (bench/reference/inception_bench.py). */
class TorchSide {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private stderr = '';
  constructor(python: string, args: string[]) {
    this.proc = spawn(python, [path.join(here, 'reference', 'inception_bench.py'), ...args], { stdio: 'pipe' });
    this.proc.stderr.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-2000); });
    this.lines = readline.createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }
  async next<T>(): Promise<T> {
    const r = await this.lines.next();
    if (r.done) throw new Error(`PyTorch side exited: ${this.stderr.trim().split('\n').slice(-2).join(' ')}`);
    return JSON.parse(r.value) as T;
  }
  async send<T>(msg: object): Promise<T> {
    this.proc.stdin.write(`${JSON.stringify(msg)}\n`);
    return this.next<T>();
  }
  quit(): void { this.proc.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`); }
}

/**
 * Runs the section; `python`: a python3 with torch, or undefined to skip PyTorch's side. Per
 * thread count, the repetitions alternate between the sides (A B, B A, …) so that a drifting
 * background load hits both alike.
 */
export async function featuresSection(python: string | undefined, plan: FeaturesPlan, log: (s: string) => void = () => {}): Promise<FeaturesResult> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-bench-features-'));
  let torch: TorchSide | undefined;
  const sessions: OnnxSession[] = [];
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
    const pool3File = path.join(tmp, 'pool3.f32');
    if (python) {
      torch = new TorchSide(python, ['--weights', weights, '--images', path.join(tmp, 'images.u8'), '--n', String(n),
        '--batch', String(plan.batch), '--batches', String(plan.batches), '--pool3', pool3File]);
    }

    log('features: Inception-v3, ganbox (onnxruntime) vs PyTorch, warm-up …');
    const bytes = inceptionToOnnx(weights, 'bilinear');
    const THREADS = [1, 2];
    for (const t of THREADS) sessions.push(await OnnxSession.create(bytes, t));
    const ours = (await sessions[0]!.run({ images: batchOf(0) }, ['pool3'])).pool3!.data; // also the warm-up
    await sessions[1]!.run({ images: batchOf(0) }, ['pool3']);
    let torchVersion = '';
    if (torch) {
      await torch.next<{ ready: boolean }>();
      torchVersion = (await torch.send<{ torch: string }>({ cmd: 'info' })).torch;
    }
    const g: Record<string, number[]> = {}, p: Record<string, number[]> = {};
    const runOurs = async (ti: number) => {
      const t0 = performance.now();
      for (let k = 0; k < plan.batches; k++) await sessions[ti]!.run({ images: batchOf(k) }, ['pool3', 'logits']);
      return (plan.batch * plan.batches) / ((performance.now() - t0) / 1000);
    };
    const runTheirs = async (t: number) => {
      const r = await torch!.send<{ seconds: number; images: number }>({ cmd: 'run', threads: t });
      return r.images / r.seconds;
    };
    for (const [ti, t] of THREADS.entries()) {
      g[t] = []; p[t] = [];
      if (torch) await runTheirs(t); // PyTorch's warm-up at this thread count
      for (let r = 0; r < plan.reps; r++) {
        const order = r % 2 === 0 ? ['g', 'p'] : ['p', 'g'];
        for (const who of order) {
          if (who === 'g') g[t]!.push(await runOurs(ti));
          else if (torch) p[t]!.push(await runTheirs(t));
        }
        log(`  ${t} thread(s), rep ${r + 1}: ganbox ${g[t]!.at(-1)!.toFixed(2)}${torch ? `, PyTorch ${p[t]!.at(-1)!.toFixed(2)}` : ''} images/s`);
      }
    }
    const ganbox = { engine: 'onnxruntime', ...side(g) };
    const result: FeaturesResult = {
      workload: `pytorch-fid Inception-v3, ${SIDE}×${SIDE} RGB uint8 → pool3 + logits, formula weights`,
      plan, ganbox, pytorch: null, ratio_vs_best: null, pool3_max_rel_diff: null,
    };
    if (!torch) return { ...result, note: 'PyTorch not available (/usr/bin/python3 with torch)' };
    const pytorch = { torch: torchVersion, ...side(p) };
    const buf = fs.readFileSync(pool3File);
    const theirs = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    let d = 0, m = 0;
    for (let i = 0; i < theirs.length; i++) { d = Math.max(d, Math.abs(ours[i]! - theirs[i]!)); m = Math.max(m, Math.abs(theirs[i]!)); }
    return { ...result, pytorch, ratio_vs_best: r1(ganbox.best.images_per_s / pytorch.best.images_per_s), pool3_max_rel_diff: Number((d / m).toExponential(2)) };
  } catch (e) {
    return {
      workload: 'pytorch-fid Inception-v3', plan, pytorch: null, ratio_vs_best: null, pool3_max_rel_diff: null,
      ganbox: { engine: 'onnxruntime', threads: {}, best: { threads: 0, images_per_s: 0 } }, note: `failed: ${(e as Error).message}`,
    };
  } finally {
    torch?.quit();
    for (const s of sessions) await s.dispose();
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
