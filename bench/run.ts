/**
 * `npm run bench`: ganbox against PyTorch, in the same run, alternating, on this machine, on two
 * workloads (bench/workload.ts): the canonical DCGAN-MNIST iteration (issue 3) and the PyTorch DCGAN
 * example's 64×64×3 network (issue 15). Installs nothing.
 *
 *   npm run bench [-- --quick] [--json] [--write] [--backend onnxruntime|wasm] [--threads N]
 *                 [--workload mnist|dcgan64] [--reps N] [--iters N] [--cpu-limit S] [--no-pytorch]
 *
 * - ganbox runs on `--backend` (default onnxruntime, the native engine; wasm remains selectable) in
 *   one child process per thread count and workload (bench/ganbox-child.ts), so peak RSS is per run;
 *   the backend actually running is reported (the engine falls back to wasm where it cannot load).
 *   The cpu backend only as a single-iteration probe given --cpu-limit seconds (default 60; it
 *   takes > 20 s per iteration, 282 s once under load), not at all with --quick; tensorflow
 *   (tfjs-node) is reported as not installed unless it is.
 * - PyTorch runs bench/reference/dcgan_mnist.py --workload W (same network, loop, shapes) when
 *   `/usr/bin/python3 -c "import torch"` (or `python3`) works.
 * - Both sides at their best thread count: each runs with N threads (--threads, default the number
 *   of cores) and, when N > 1, with 1 thread, in separate children. On a shared, oversubscribed
 *   machine PyTorch's OpenMP threads spin-wait on each other and 2 threads can be 10× slower than 1
 *   (measured: 20 vs 270 images/s at load average 12 on 2 cores). `ratio` compares the two sides at
 *   N threads (the issue-3 contract), `ratio_1_thread` at 1 thread, and `ratio_vs_best` ganbox's
 *   faster run with PyTorch's faster run (the issue-15 bar).
 * - Per workload, every child warms up first (excluded, one at a time), then the timed
 *   repetitions alternate between all children (ganbox N, PyTorch N, ganbox 1, PyTorch 1), the
 *   order flipping every repetition (A B C D, D C B A, …) so a drifting background load hits all
 *   alike. The workloads run one after the other; each one's children quit before the next start.
 * - Training images/s = 64 · iterations / seconds; sampling images/s = sample batch · batches /
 *   seconds (G only, inference mode; batches of 256 for MNIST, 64 for 64×64×3). Median and min–max
 *   over repetitions; ratios are of medians.
 * - `--json` prints one JSON object instead of the tables (the canonical workload's sections at the
 *   top level, as before; the 64×64×3 one under `dcgan64` with the same `train`, `sample`,
 *   `peak_rss_mb`); `--write` also writes bench/results.md; `--quick` keeps the whole run to a few
 *   minutes on a quiet 2-core machine. `--reps` applies to both workloads, `--iters` to MNIST only.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { featuresSection, renderFeatures } from './features-section.js';
import { markdown, render, workloadInfo, type GSide, type Machine, type Plan, type Result, type Side, type Stats, type WorkloadResult } from './report.js';
import { WORKLOAD_NAMES, WORKLOADS, type Workload, type WorkloadName } from './workload.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const require = createRequire(import.meta.url);

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const str = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const num = (name: string, fallback: number) => Number(str(name, String(fallback)));
const quick = flag('quick');
const json = flag('json');
const backend = str('backend', 'onnxruntime');
const threads = num('threads', os.availableParallelism());
/** Thread counts each side runs with: N, and 1 when N > 1. */
const threadCounts = threads > 1 ? [threads, 1] : [1];
const only = str('workload', 'all');
if (only !== 'all' && !WORKLOAD_NAMES.includes(only as WorkloadName)) {
  throw new Error(`--workload ${only}: expected one of ${WORKLOAD_NAMES.join(', ')} (default: all)`);
}
const workloadNames = only === 'all' ? WORKLOAD_NAMES : [only as WorkloadName];

const plans: Record<WorkloadName, Plan> = {
  mnist: {
    warmupIters: quick ? 4 : 5, // PyTorch's first ~4 iterations are slow (oneDNN set-up)
    reps: num('reps', quick ? 3 : 5),
    iters: num('iters', quick ? 3 : 8),
    sampleWarmup: 1,
    sampleBatches: quick ? 2 : 4,
  },
  dcgan64: { // one iteration is ~35× an MNIST one (about 3 s on a quiet core)
    warmupIters: quick ? 1 : 2, // the engine writes and loads its graphs in the first iteration
    reps: num('reps', quick ? 2 : 5),
    iters: quick ? 1 : 2,
    sampleWarmup: 1,
    sampleBatches: quick ? 1 : 2,
  },
};
const log = (s: string) => { if (!json) console.error(s); };

/** A child speaking the one-JSON-line-per-command protocol of ganbox-child.ts / dcgan_mnist.py. */
class Child {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly replies: AsyncIterator<string>;
  private stderr = '';
  constructor(readonly name: string, cmd: string, args: string[]) {
    this.proc = spawn(cmd, args, { cwd: root, stdio: 'pipe' });
    this.proc.stderr.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-4000); });
    this.replies = readline.createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }
  async send<T>(msg: object, timeoutMs = 30 * 60_000): Promise<T> {
    this.proc.stdin.write(`${JSON.stringify(msg)}\n`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name}: no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    const next = await Promise.race([this.replies.next(), timeout]).finally(() => clearTimeout(timer));
    if (next.done) throw new Error(`${this.name} exited: ${this.stderr.trim().split('\n').slice(-5).join('\n')}`);
    const out = JSON.parse(next.value) as T & { error?: string };
    if (out.error) throw new Error(`${this.name}: ${out.error}`);
    return out;
  }
  async quit(): Promise<void> {
    this.proc.stdin.write(`${JSON.stringify({ cmd: 'quit' })}\n`);
    this.proc.stdin.end();
    await new Promise((resolve) => this.proc.once('exit', resolve));
  }
  kill(): void {
    this.proc.kill();
  }
}

interface Timing { seconds: number; images: number }

function stats(rates: number[]): Stats {
  const s = [...rates].sort((a, b) => a - b);
  const q = (p: number) => {
    const x = p * (s.length - 1), lo = Math.floor(x), hi = Math.ceil(x);
    return s[lo]! + (s[hi]! - s[lo]!) * (x - lo);
  };
  const r = (v: number) => Math.round(v * 10) / 10;
  return { images_per_s: r(q(0.5)), min: r(s[0]!), max: r(s.at(-1)!), q1: r(q(0.25)), q3: r(q(0.75)), reps: rates.map(r) };
}

function python(): string | undefined {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore', timeout: 120_000 });
    if (r.status === 0) return py;
  }
  return undefined;
}

const thr = (t: number) => `${t} thread${t > 1 ? 's' : ''}`;

function ganboxChild(be: string, t: number, workload: WorkloadName): Child {
  return new Child(`ganbox ${be} (${thr(t)})`, process.execPath,
    ['--import', 'tsx', path.join(here, 'ganbox-child.ts'), '--backend', be, '--threads', String(t), '--workload', workload]);
}

function torchChild(py: string, t: number, workload: WorkloadName): Child {
  return new Child(`PyTorch (${thr(t)})`, py,
    [path.join(here, 'reference', 'dcgan_mnist.py'), '--threads', String(t), '--workload', workload, '--serve']);
}

function version(pkg: string): string {
  try {
    return (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function machine(): Omit<Machine, 'torch' | 'loadavg_end'> {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  return {
    nproc: os.availableParallelism(),
    cpu: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    simd: ['avx512f', 'avx2', 'fma'].filter((f) => new RegExp(`\\b${f}\\b`).test(/flags\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? '')),
    node: process.version,
    tfjs: version('@tensorflow/tfjs-core'),
    tfjs_backend_wasm: version('@tensorflow/tfjs-backend-wasm'),
    onnxruntime_node: version('onnxruntime-node'),
    date: new Date().toISOString(),
    loadavg_start: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Runs `f` on each side in A B … / … B A order per repetition; returns each side's rates. */
async function alternate(sides: Child[], reps: number, f: (c: Child) => Promise<Timing>): Promise<number[][]> {
  const rates = sides.map(() => [] as number[]);
  for (let r = 0; r < reps; r++) {
    const order = r % 2 === 0 ? sides.map((_, i) => i) : sides.map((_, i) => i).reverse();
    for (const i of order) {
      const t = await f(sides[i]!);
      rates[i]!.push(t.images / t.seconds);
      log(`  rep ${r + 1}/${reps} ${sides[i]!.name}: ${(t.images / t.seconds).toFixed(1)} images/s`);
    }
  }
  return rates;
}

type GanboxInfo = { name?: string; threads?: number; simd?: boolean; tensors?: number; maxrss_mb: number; engine?: object };
type TorchInfo = { torch?: string; threads?: number; maxrss_mb: number };
type Run<I> = { threads: number; train: Stats; sample: Stats; info: I };

/** One workload: both sides at every thread count, alternated. */
async function runWorkload(w: Workload, py: string | undefined) {
  const plan = plans[w.name];
  log(`${w.title}, batch ${w.config.batch}: ganbox ${backend} and ${py ? 'PyTorch' : '(no PyTorch)'} with ` +
    `${threadCounts.map(thr).join(' and ')}; ${plan.reps} reps × ${plan.iters} iterations (+${plan.warmupIters} warm-up), ` +
    `sampling ${plan.reps} × ${plan.sampleBatches} batches of ${w.sampleBatch}`);
  const gs = threadCounts.map((t) => ({ t, c: ganboxChild(backend, t, w.name) }));
  const ps = py ? threadCounts.map((t) => ({ t, c: torchChild(py, t, w.name) })) : [];
  // Alternation order: ganbox N, PyTorch N, ganbox 1, PyTorch 1.
  const sides = threadCounts.flatMap((_, i) => [gs[i]!.c, ...(ps[i] ? [ps[i]!.c] : [])]);
  let train: number[][], sample: number[][];
  const infos = new Map<Child, GanboxInfo | TorchInfo>();
  try {
    log('warm-up…');
    for (const c of sides) await c.send({ cmd: 'train', iters: plan.warmupIters }); // one at a time
    log('training:');
    train = await alternate(sides, plan.reps, (c) => c.send<Timing>({ cmd: 'train', iters: plan.iters }));
    for (const c of sides) await c.send({ cmd: 'sample', batches: plan.sampleWarmup });
    log('sampling:');
    sample = await alternate(sides, plan.reps, (c) => c.send<Timing>({ cmd: 'sample', batches: plan.sampleBatches }));
    for (const c of sides) infos.set(c, await c.send<GanboxInfo | TorchInfo>({ cmd: 'info' })); // peak RSS after both phases
  } finally {
    await Promise.all(sides.map((c) => c.quit().catch(() => c.kill())));
  }
  const run = <I>(x: { t: number; c: Child }): Run<I> => {
    const i = sides.indexOf(x.c);
    return { threads: x.t, train: stats(train[i]!), sample: stats(sample[i]!), info: infos.get(x.c) as I };
  };
  return { plan, ganbox: gs.map((x) => run<GanboxInfo>(x)), pytorch: ps.map((x) => run<TorchInfo>(x)) };
}

/** The JSON of one workload: `train`, `sample` and `peak_rss_mb` sections. */
function summarise(r: Awaited<ReturnType<typeof runWorkload>>) {
  const ratio = (a?: Stats | null, b?: Stats | null) => (a && b ? Math.round((a.images_per_s / b.images_per_s) * 100) / 100 : null);
  const at = <I>(runs: Run<I>[], t: number) => runs.find((x) => x.threads === t);
  const g = (t: number) => at(r.ganbox, t), p = (t: number) => at(r.pytorch, t);
  const one = threads > 1 ? 1 : undefined; // the extra 1-thread runs, when there are any
  const section = (k: 'train' | 'sample') => {
    const gSide = (x?: Run<GanboxInfo>): GSide | null => (x ? { backend: x.info.name ?? backend, threads: x.info.threads ?? x.threads, ...x[k] } : null);
    const pSide = (x?: Run<TorchInfo>): Side | null => (x ? { threads: x.info.threads ?? x.threads, ...x[k] } : null);
    const best = <S extends Side>(cands: (S | null)[]) =>
      cands.filter((c): c is S => c !== null).sort((a, b) => b.images_per_s - a.images_per_s)[0] ?? null;
    const ganbox = gSide(g(threads)), pytorch = pSide(p(threads));
    const ganbox1 = one ? gSide(g(1)) : null, pytorch1 = one ? pSide(p(1)) : null;
    const ganboxBest = best([ganbox, ganbox1]), pytorchBest = best([pytorch, pytorch1]);
    return {
      ganbox, pytorch, ratio: ratio(ganbox, pytorch),
      ganbox_1_thread: ganbox1, pytorch_1_thread: pytorch1, ratio_1_thread: ratio(ganbox1, pytorch1),
      ganbox_best: ganboxBest, pytorch_best: pytorchBest, ratio_vs_best: ratio(ganboxBest, pytorchBest),
    };
  };
  const rss = (x?: Run<{ maxrss_mb: number }>) => (x ? Math.round(x.info.maxrss_mb) : null);
  const peak = {
    ganbox: rss(g(threads))!, pytorch: rss(p(threads)),
    ganbox_1_thread: one ? rss(g(1)) : null, pytorch_1_thread: one ? rss(p(1)) : null,
    ratio: null as number | null,
  };
  if (peak.pytorch) peak.ratio = Math.round((peak.ganbox / peak.pytorch) * 100) / 100;
  return {
    train: section('train'),
    sample: section('sample'),
    peak_rss_mb: peak,
    ganbox_live_tensors_after: g(threads)!.info.tensors,
    ganbox_engine: g(threads)!.info.engine ?? null,
    torch: r.pytorch[0]?.info.torch ?? null,
  };
}

async function main(): Promise<void> {
  const m = machine();
  const py = flag('no-pytorch') ? undefined : python();
  const results: Partial<Record<WorkloadName, ReturnType<typeof summarise> & { plan: Plan }>> = {};
  for (const name of workloadNames) {
    const r = await runWorkload(WORKLOADS[name], py);
    results[name] = { ...summarise(r), plan: r.plan };
  }

  // Other backends, after the alternation (they would only disturb it).
  const others: Record<string, { images_per_s?: number; note: string }> = {};
  if (quick || !workloadNames.includes('mnist')) {
    others['cpu'] = { note: `skipped with ${quick ? '--quick' : '--workload dcgan64'}: the cpu backend takes > 20 s per iteration` };
  } else {
    const limit = num('cpu-limit', 60);
    log(`cpu backend: one iteration, at most ${limit} s (it takes > 20 s per iteration)…`);
    const cpu = ganboxChild('cpu', 1, 'mnist');
    try {
      const t = await cpu.send<Timing>({ cmd: 'train', iters: 1 }, limit * 1000 + 30_000); // + start-up
      others['cpu'] = {
        images_per_s: Math.round((t.images / t.seconds) * 100) / 100,
        note: `one iteration, no warm-up (${t.seconds.toFixed(1)} s/iteration): too slow for repetitions`,
      };
      await cpu.quit().catch(() => cpu.kill());
    } catch (e) {
      cpu.kill();
      others['cpu'] = {
        note: String(e).includes('no answer')
          ? `skipped: one iteration took more than ${limit} s (282 s measured once at load average 9)`
          : `failed: ${String(e)}`,
      };
    }
  }
  others['tensorflow'] = version('@tensorflow/tfjs-node') === 'not installed'
    ? { note: 'not installed (@tensorflow/tfjs-node is optional: its install downloads libtensorflow)' }
    : { note: 'installed but not benchmarked here' };

  // Features section: Inception-v3, ganbox (onnxruntime) vs PyTorch, after everything else.
  const features = flag('no-features') ? null
    : await featuresSection(py, { batch: quick ? 4 : 8, batches: 2, reps: quick ? 2 : 3 }, log);

  const { plan: mnistPlan, torch, ...mnist } = results.mnist ?? { plan: undefined, torch: null };
  const dcgan64 = results.dcgan64
    ? (({ torch: _t, ...rest }) => ({ workload: workloadInfo('dcgan64'), ...rest }))(results.dcgan64)
    : null;
  const result: Result = {
    ...(mnist as Partial<WorkloadResult>),
    dcgan64,
    other_backends: others,
    machine: { ...m, torch: torch ?? results.dcgan64?.torch ?? null, loadavg_end: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    plan: { ...(mnistPlan ?? {}), threads, thread_counts: threadCounts, backend, quick, workloads: [...workloadNames] },
    features,
  };
  const tables = render(result) + (features ? `\n\n${renderFeatures(features)}` : '');
  if (json) console.log(JSON.stringify(result));
  else console.log(tables);
  if (flag('write')) {
    fs.writeFileSync(path.join(here, 'results.md'), markdown(result, tables));
    log('wrote bench/results.md');
  }
}

await main();
