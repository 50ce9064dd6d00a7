/**
 * `npm run bench`: ganbox against PyTorch on the canonical DCGAN-MNIST workload (issue 3), in the
 * same run, alternating, on this machine. Installs nothing.
 *
 *   npm run bench [-- --quick] [--json] [--write] [--threads N] [--reps N] [--iters N] [--cpu-limit S]
 *
 * - ganbox runs in one child process per backend (bench/ganbox-child.ts), so peak RSS is per
 *   backend; wasm with threads = cores; cpu only as a single-iteration probe given --cpu-limit
 *   seconds (default 60; it takes > 20 s per iteration, 282 s once under load), not at all with
 *   --quick; tensorflow (tfjs-node) is reported as not installed unless it is.
 * - PyTorch runs bench/reference/dcgan_mnist.py (same network, loop, thread count and shapes)
 *   when `/usr/bin/python3 -c "import torch"` (or `python3`) works. With threads > 1 a second
 *   PyTorch child runs with 1 thread: on a shared, oversubscribed machine PyTorch's OpenMP threads
 *   spin-wait on each other and 2 threads can be 10× slower than 1 (measured: 20 vs 270 images/s
 *   at load average 12 on 2 cores), which would flatter ganbox. `ratio` is against the same thread
 *   count (the issue's contract); `ratio_vs_best` against the faster of the two PyTorch runs.
 * - Both children warm up first (excluded), then the timed repetitions alternate between them,
 *   the order flipping every repetition (A B B A …) so a drifting background load hits both alike.
 * - Training images/s = 64 · iterations / seconds; sampling images/s = 256 · batches / seconds
 *   (G only, inference mode). Median and min–max over repetitions; ratio = ganbox / PyTorch medians.
 * - `--json` prints one JSON object (keys below) instead of the table; `--write` also writes
 *   bench/results.md; `--quick` keeps the whole run under about two minutes.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { featuresSection, renderFeatures } from './features-section.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const require = createRequire(import.meta.url);

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const num = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const quick = flag('quick');
const json = flag('json');
const threads = num('threads', os.availableParallelism());
const plan = {
  warmupIters: quick ? 4 : 5, // PyTorch's first ~4 iterations are slow (oneDNN set-up)
  reps: num('reps', quick ? 3 : 5),
  iters: num('iters', quick ? 3 : 8),
  sampleWarmup: 1,
  sampleBatches: quick ? 2 : 4,
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
interface Stats { images_per_s: number; min: number; max: number; q1: number; q3: number; reps: number[] }

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

function ganboxChild(backend: string): Child {
  return new Child(`ganbox (${backend})`, process.execPath,
    ['--import', 'tsx', path.join(here, 'ganbox-child.ts'), '--backend', backend, '--threads', String(threads)]);
}

function version(pkg: string): string {
  try {
    return (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function machine() {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  return {
    nproc: os.availableParallelism(),
    cpu: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    simd: ['avx512f', 'avx2', 'fma'].filter((f) => new RegExp(`\\b${f}\\b`).test(/flags\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? '')),
    node: process.version,
    tfjs: version('@tensorflow/tfjs-core'),
    tfjs_backend_wasm: version('@tensorflow/tfjs-backend-wasm'),
    date: new Date().toISOString(),
    loadavg_start: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Runs `f` on each side in A B / B A order per repetition; returns each side's rates. */
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

async function main(): Promise<void> {
  const m = machine();
  const py = flag('no-pytorch') ? undefined : python();
  log(`ganbox bench: DCGAN-MNIST batch 64, ${threads} threads; ${plan.reps} reps × ${plan.iters} iterations ` +
    `(+${plan.warmupIters} warm-up), sampling ${plan.reps} × ${plan.sampleBatches} batches of 256`);
  const ganbox = ganboxChild('wasm');
  const torchChild = (t: number) => new Child(`PyTorch (${t} thread${t > 1 ? 's' : ''})`, py!,
    [path.join(here, 'reference', 'dcgan_mnist.py'), '--threads', String(t), '--serve']);
  const torch = py ? torchChild(threads) : undefined;
  const torch1 = py && threads > 1 ? torchChild(1) : undefined;
  const sides = [ganbox, ...(torch ? [torch] : []), ...(torch1 ? [torch1] : [])];
  let train: number[][], sample: number[][];
  let rss: { maxrss_mb: number }[];
  let torchInfo: { torch?: string; threads?: number } = {};
  let gInfo: { threads?: number; simd?: boolean; tensors?: number } = {};
  try {
    log('warm-up…');
    for (const c of sides) await c.send({ cmd: 'train', iters: plan.warmupIters }); // one at a time
    log('training:');
    train = await alternate(sides, plan.reps, (c) => c.send<Timing>({ cmd: 'train', iters: plan.iters }));
    rss = await Promise.all(sides.map((c) => c.send<{ maxrss_mb: number }>({ cmd: 'info' })));
    for (const c of sides) await c.send({ cmd: 'sample', batches: plan.sampleWarmup });
    log('sampling:');
    sample = await alternate(sides, plan.reps, (c) => c.send<Timing>({ cmd: 'sample', batches: plan.sampleBatches }));
    gInfo = await ganbox.send({ cmd: 'info' });
    if (torch) torchInfo = await torch.send({ cmd: 'info' });
  } finally {
    await Promise.all(sides.map((c) => c.quit().catch(() => c.kill())));
  }

  // Other backends, after the alternation (they would only disturb it).
  const others: Record<string, { images_per_s?: number; note: string }> = {};
  if (quick) {
    others['cpu'] = { note: 'skipped with --quick: the cpu backend takes > 20 s per iteration' };
  } else {
    const limit = num('cpu-limit', 60);
    log(`cpu backend: one iteration, at most ${limit} s (it takes > 20 s per iteration)…`);
    const cpu = ganboxChild('cpu');
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

  const g = { train: stats(train[0]!), sample: stats(sample[0]!) };
  const p = torch ? { train: stats(train[1]!), sample: stats(sample[1]!) } : undefined;
  const p1 = torch1 ? { train: stats(train[2]!), sample: stats(sample[2]!) } : undefined;
  const ratio = (a: Stats, b?: Stats) => (b ? Math.round((a.images_per_s / b.images_per_s) * 100) / 100 : null);
  const best = (k: 'train' | 'sample') => {
    const cands = [...(p ? [{ threads, ...p[k] }] : []), ...(p1 ? [{ threads: 1, ...p1[k] }] : [])];
    return cands.sort((a, b) => b.images_per_s - a.images_per_s)[0];
  };
  const section = (k: 'train' | 'sample') => ({
    ganbox: { backend: 'wasm', threads: gInfo.threads ?? threads, ...g[k] },
    pytorch: p ? { threads: torchInfo.threads ?? threads, ...p[k] } : null,
    ratio: ratio(g[k], p?.[k]),
    pytorch_1_thread: p1 ? { threads: 1, ...p1[k] } : null,
    pytorch_best: best(k) ?? null,
    ratio_vs_best: ratio(g[k], best(k)),
  });
  const result = {
    train: section('train'),
    sample: section('sample'),
    peak_rss_mb: { ganbox: Math.round(rss[0]!.maxrss_mb), pytorch: rss[1] ? Math.round(rss[1].maxrss_mb) : null },
    other_backends: others,
    machine: { ...m, torch: torchInfo.torch ?? null, loadavg_end: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    plan: { ...plan, threads, quick },
    ganbox_live_tensors_after: gInfo.tensors,
    features,
  };
  const table = render(result) + (features ? `\n\n${renderFeatures(features)}` : '');
  if (json) console.log(JSON.stringify(result));
  else console.log(table);
  if (flag('write')) {
    fs.writeFileSync(path.join(here, 'results.md'), markdown(result, table));
    log('wrote bench/results.md');
  }
}

type Section = {
  ganbox: Stats & { threads: number };
  pytorch: (Stats & { threads: number }) | null;
  ratio: number | null;
  pytorch_1_thread: (Stats & { threads: number }) | null;
  pytorch_best: (Stats & { threads: number }) | null;
  ratio_vs_best: number | null;
};
type Result = {
  train: Section;
  sample: Section;
  peak_rss_mb: { ganbox: number; pytorch: number | null };
  other_backends: Record<string, { images_per_s?: number; note: string }>;
  machine: ReturnType<typeof machine> & { torch: string | null; loadavg_end: number[] };
  plan: typeof plan & { threads: number; quick: boolean };
};

function render(r: Result): string {
  const cell = (s: Stats | null) => (s ? `${s.images_per_s.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})` : 'n/a');
  const ratio = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(2)}×`);
  const t = r.plan.threads;
  const rows = [
    ['', `ganbox wasm (${t} thr)`, `PyTorch (${t} thr)`, 'ratio', ...(r.train.pytorch_1_thread ? ['PyTorch (1 thr)', 'ratio vs best PyTorch'] : [])],
    ...(['train', 'sample'] as const).map((k) => [`${k}, images/s`, cell(r[k].ganbox), cell(r[k].pytorch), ratio(r[k].ratio),
      ...(r[k].pytorch_1_thread ? [cell(r[k].pytorch_1_thread), ratio(r[k].ratio_vs_best)] : [])]),
    ['peak RSS, MB', String(r.peak_rss_mb.ganbox), r.peak_rss_mb.pytorch === null ? 'n/a' : String(r.peak_rss_mb.pytorch),
      r.peak_rss_mb.pytorch === null ? '' : `${(r.peak_rss_mb.ganbox / r.peak_rss_mb.pytorch).toFixed(2)}×`,
      ...(r.train.pytorch_1_thread ? ['', ''] : [])],
  ];
  const w = rows[0]!.map((_, j) => Math.max(...rows.map((row) => row[j]!.length)));
  const lines = rows.map((row) => row.map((c, j) => (j === 0 ? c.padEnd(w[j]!) : c.padStart(w[j]!))).join('   '));
  const m = r.machine;
  return [
    `DCGAN-MNIST (issue 3), batch 64, ${r.plan.threads} threads; median (min–max) of ${r.plan.reps} alternated repetitions`,
    `of ${r.plan.iters} iterations (train) / ${r.plan.sampleBatches} batches of 256 (sample), warm-up excluded`,
    ...lines,
    ...Object.entries(r.other_backends).map(([k, v]) => `ganbox ${k} backend: ${v.images_per_s !== undefined ? `${v.images_per_s} images/s, ` : ''}${v.note}`),
    `machine: ${m.nproc}× ${m.cpu}; node ${m.node}, tfjs ${m.tfjs}, torch ${m.torch ?? 'n/a'}; load average ${m.loadavg_start[0]} → ${m.loadavg_end[0]} (1 min)`,
    ...(Math.max(m.loadavg_start[0]!, m.loadavg_end[0]!) > m.nproc
      ? [`warning: load average above ${m.nproc} cores: other processes competed for the CPU; absolute numbers are pessimistic and noisy`]
      : []),
  ].join('\n');
}

function markdown(r: Result, table: string): string {
  const m = r.machine;
  return `# Benchmark results

Written by \`npm run bench -- --write${r.plan.quick ? ' --quick' : ''}\` (bench/run.ts) on ${m.date.slice(0, 10)}.
The workload is issue 3's canonical DCGAN-MNIST iteration (bench/workload.ts; the PyTorch side is
bench/reference/dcgan_mnist.py): batch 64, latent 100, one D step on a real and a fake batch, one G
step (non-saturating), Adam 2e-4 (0.5, 0.999). Sampling: G only, inference mode, batches of 256.

\`\`\`
${table}
\`\`\`

| | |
|---|---|
| machine | ${m.nproc} × ${m.cpu} (${m.simd.join(', ') || 'no AVX flags read'}) |
| node | ${m.node} |
| tfjs-core / tfjs-backend-wasm | ${m.tfjs} / ${m.tfjs_backend_wasm} |
| torch | ${m.torch ?? 'not available'} |
| threads | ${r.plan.threads} (wasm XNNPACK threads; torch.set_num_threads) |
| repetitions | ${r.plan.reps} × ${r.plan.iters} iterations (train), ${r.plan.reps} × ${r.plan.sampleBatches} batches (sample), alternated |
| load average (1 min) | ${m.loadavg_start[0]} at start, ${m.loadavg_end[0]} at end |
| date | ${m.date} |

Per-repetition images/s — ganbox train: ${r.train.ganbox.reps.join(', ')}; PyTorch train: ${r.train.pytorch?.reps.join(', ') ?? 'n/a'}${r.train.pytorch_1_thread ? `; PyTorch 1 thread: ${r.train.pytorch_1_thread.reps.join(', ')}` : ''};
ganbox sample: ${r.sample.ganbox.reps.join(', ')}; PyTorch sample: ${r.sample.pytorch?.reps.join(', ') ?? 'n/a'}${r.sample.pytorch_1_thread ? `; PyTorch 1 thread: ${r.sample.pytorch_1_thread.reps.join(', ')}` : ''}.

The machine may be shared: a load average above the number of cores means other processes took
CPU time during the run; the alternation spreads that over both sides, but the absolute numbers
and the spread are then pessimistic. PyTorch's OpenMP threads spin-wait for each other, so on an
oversubscribed machine PyTorch with ${r.plan.threads} threads can be an order of magnitude slower than with 1;
the 1-thread column and "ratio vs best PyTorch" guard against reading that as a ganbox win.
PyTorch's convolutions (oneDNN) use the CPU's widest vectors (AVX-512 here: 16 floats); wasm SIMD
is 128-bit (4 floats), which bounds what XNNPACK can reach on the same core.

Profile of one ganbox iteration: \`node --import tsx bench/profile.ts [--shapes]\`.
`;
}

await main();
