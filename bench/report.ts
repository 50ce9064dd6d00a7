/**
 * The benchmark's report: the JSON result's types, the tables printed by `npm run bench` and
 * bench/results.md (written with --write). bench/run.ts measures; this file only formats.
 */
import { WORKLOADS, type Workload, type WorkloadName } from './workload.js';

/** Per-workload plan: warm-up and timed iterations / sampling batches per child. */
export interface Plan { warmupIters: number; reps: number; iters: number; sampleWarmup: number; sampleBatches: number }
/** images/s over the repetitions: median, min, max, quartiles, and each repetition. */
export interface Stats { images_per_s: number; min: number; max: number; q1: number; q3: number; reps: number[] }
export type Side = Stats & { threads: number };
export type GSide = Side & { backend: string };

export interface Machine {
  nproc: number;
  cpu: string;
  simd: string[];
  node: string;
  tfjs: string;
  tfjs_backend_wasm: string;
  onnxruntime_node: string;
  date: string;
  loadavg_start: number[];
  torch: string | null;
  loadavg_end: number[];
}

export function workloadInfo(name: WorkloadName) {
  const w = WORKLOADS[name];
  return { name, title: w.title, image_shape: w.shape, batch: w.config.batch!, sample_batch: w.sampleBatch };
}

export type Section = {
  ganbox: GSide | null; pytorch: Side | null; ratio: number | null;
  ganbox_1_thread: GSide | null; pytorch_1_thread: Side | null; ratio_1_thread: number | null;
  ganbox_best: GSide | null; pytorch_best: Side | null; ratio_vs_best: number | null;
};
export type WorkloadResult = {
  train: Section;
  sample: Section;
  peak_rss_mb: { ganbox: number; pytorch: number | null; ganbox_1_thread: number | null; pytorch_1_thread: number | null; ratio: number | null };
  ganbox_live_tensors_after?: number;
  ganbox_engine: object | null;
  plan: Plan;
};
export type Result = Partial<Omit<WorkloadResult, 'plan'>> & {
  dcgan64: (Omit<WorkloadResult, 'plan'> & { plan: Plan; workload: ReturnType<typeof workloadInfo> }) | null;
  other_backends: Record<string, { images_per_s?: number; note: string }>;
  machine: Machine;
  plan: Partial<Plan> & { threads: number; thread_counts: number[]; backend: string; quick: boolean; workloads: WorkloadName[] };
  /** Inception-v3 feature extraction, ganbox (onnxruntime) vs PyTorch (bench/features-section.ts); null with --no-features. */
  features?: unknown;
};

/** One workload's table: each side at N and 1 threads, and the best-vs-best ratio. */
function renderWorkload(w: Workload, r: Omit<WorkloadResult, 'plan'>, plan: Plan): string {
  const cell = (s: Stats | null) => (s ? `${s.images_per_s.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})` : 'n/a');
  const ratio = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(2)}×`);
  const be = r.train.ganbox?.backend ?? 'n/a';
  const t = r.train.ganbox?.threads ?? 1;
  const has1 = r.train.ganbox_1_thread !== null;
  const rss = (x: number | null) => (x === null ? 'n/a' : String(x));
  const rows = [
    ['', `ganbox ${be} (${t} thr)`, ...(has1 ? [`ganbox ${be} (1 thr)`] : []), `PyTorch (${t} thr)`, ...(has1 ? ['PyTorch (1 thr)'] : []),
      `ratio (${t} thr)`, ...(has1 ? ['ratio (1 thr)'] : []), 'best vs best'],
    ...(['train', 'sample'] as const).map((k) => [`${k}, images/s`, cell(r[k].ganbox), ...(has1 ? [cell(r[k].ganbox_1_thread)] : []),
      cell(r[k].pytorch), ...(has1 ? [cell(r[k].pytorch_1_thread)] : []),
      ratio(r[k].ratio), ...(has1 ? [ratio(r[k].ratio_1_thread)] : []), ratio(r[k].ratio_vs_best)]),
    ['peak RSS, MB', rss(r.peak_rss_mb.ganbox), ...(has1 ? [rss(r.peak_rss_mb.ganbox_1_thread)] : []),
      rss(r.peak_rss_mb.pytorch), ...(has1 ? [rss(r.peak_rss_mb.pytorch_1_thread)] : []),
      ratio(r.peak_rss_mb.ratio), ...(has1 ? [''] : []), ''],
  ];
  const width = rows[0]!.map((_, j) => Math.max(...rows.map((row) => row[j]!.length)));
  const lines = rows.map((row) => row.map((c, j) => (j === 0 ? c.padEnd(width[j]!) : c.padStart(width[j]!))).join('   '));
  return [
    `${w.title}, batch ${w.config.batch}; median (min–max) of ${plan.reps} alternated repetitions of ${plan.iters} ` +
      `iteration${plan.iters > 1 ? 's' : ''} (train) / ${plan.sampleBatches} batch${plan.sampleBatches > 1 ? 'es' : ''} of ${w.sampleBatch} (sample), warm-up excluded`,
    ...lines,
  ].join('\n');
}

export function render(r: Result): string {
  const m = r.machine;
  const parts: string[] = [];
  if (r.train && r.sample && r.peak_rss_mb) {
    parts.push(renderWorkload(WORKLOADS.mnist, r as Omit<WorkloadResult, 'plan'>, r.plan as Plan));
  }
  if (r.dcgan64) parts.push(renderWorkload(WORKLOADS.dcgan64, r.dcgan64, r.dcgan64.plan));
  return [
    parts.join('\n\n'),
    '',
    ...Object.entries(r.other_backends).map(([k, v]) => `ganbox ${k} backend: ${v.images_per_s !== undefined ? `${v.images_per_s} images/s, ` : ''}${v.note}`),
    `machine: ${m.nproc}× ${m.cpu}; node ${m.node}, tfjs ${m.tfjs}, onnxruntime-node ${m.onnxruntime_node}, torch ${m.torch ?? 'n/a'}; ` +
      `load average ${m.loadavg_start[0]} → ${m.loadavg_end[0]} (1 min)`,
    ...(Math.max(m.loadavg_start[0]!, m.loadavg_end[0]!) > m.nproc
      ? [`warning: load average above ${m.nproc} cores: other processes competed for the CPU; absolute numbers are pessimistic and noisy`]
      : []),
  ].join('\n');
}

export function markdown(r: Result, tables: string): string {
  const m = r.machine;
  const reps = (label: string, s: { reps: number[] } | null | undefined) => (s ? [`${label}: ${s.reps.join(', ')}`] : []);
  const perRep = (name: string, x: Omit<WorkloadResult, 'plan'>) => (['train', 'sample'] as const).map((k) => `- ${name}, ${k}: ` + [
    ...reps(`ganbox ${x[k].ganbox?.threads} thr`, x[k].ganbox), ...reps('ganbox 1 thr', x[k].ganbox_1_thread),
    ...reps(`PyTorch ${x[k].pytorch?.threads} thr`, x[k].pytorch), ...reps('PyTorch 1 thr', x[k].pytorch_1_thread),
  ].join('; ')).join('\n');
  const be = r.train?.ganbox?.backend ?? r.dcgan64?.train.ganbox?.backend ?? r.plan.backend;
  return `# Benchmark results

Written by \`npm run bench -- --write${r.plan.quick ? ' --quick' : ''}\` (bench/run.ts) on ${m.date.slice(0, 10)}; ganbox on the
**${be}** backend. Two workloads (bench/workload.ts; the PyTorch side is bench/reference/dcgan_mnist.py
\`--workload mnist|dcgan64\`), both with batch 64, latent 100, one D step on a real and a fake batch,
one G step (non-saturating) reusing the fake batch, Adam 2e-4 (0.5, 0.999):
- **DCGAN-MNIST** (issue 3's canonical iteration, 28×28×1). Sampling: G only, inference mode,
  batches of 256.
- **DCGAN 64×64×3** (the PyTorch DCGAN example's network: G 4·4·512 → 8·8·256 → 16·16·128 →
  32·32·64 → 64·64·3, D mirrored with ndf = 64; its first and last layers as Dense, see
  src/models/dcgan.ts) on random 8-bit images held in memory. **Batch 64 for training and for
  sampling.**

Each side runs with ${r.plan.threads} thread${r.plan.threads > 1 ? 's' : ''}${r.plan.thread_counts.length > 1 ? ' and with 1 thread' : ''}, in separate processes; "best vs best" is
ganbox's faster run over PyTorch's faster run.

\`\`\`
${tables}
\`\`\`

| | |
|---|---|
| machine | ${m.nproc} × ${m.cpu} (${m.simd.join(', ') || 'no AVX flags read'}) |
| node | ${m.node} |
| tfjs-core / tfjs-backend-wasm / onnxruntime-node | ${m.tfjs} / ${m.tfjs_backend_wasm} / ${m.onnxruntime_node} |
| torch | ${m.torch ?? 'not available'} |
| threads | ${r.plan.thread_counts.join(' and ')} (onnxruntime intra-op threads or wasm XNNPACK threads; torch.set_num_threads) |
| repetitions | ${[r.train ? `MNIST ${r.plan.reps} × ${r.plan.iters} iterations, ${r.plan.reps} × ${r.plan.sampleBatches} batches` : '', r.dcgan64 ? `64×64×3 ${r.dcgan64.plan.reps} × ${r.dcgan64.plan.iters} iterations, ${r.dcgan64.plan.reps} × ${r.dcgan64.plan.sampleBatches} batches` : ''].filter(Boolean).join('; ')}, alternated |
| load average (1 min) | ${m.loadavg_start[0]} at start, ${m.loadavg_end[0]} at end |
| date | ${m.date} |

Per-repetition images/s:
${[r.train ? perRep('MNIST', r as Omit<WorkloadResult, 'plan'>) : '', r.dcgan64 ? perRep('64×64×3', r.dcgan64) : ''].filter(Boolean).join('\n')}

The machine may be shared: a load average above the number of cores means other processes took
CPU time during the run; the alternation spreads that over all children, but the absolute numbers
and the spread are then pessimistic. PyTorch's OpenMP threads spin-wait for each other, so on an
oversubscribed machine PyTorch with ${r.plan.threads} threads can be an order of magnitude slower than with 1;
the 1-thread columns and "best vs best" guard against reading that as a ganbox win.
${be === 'wasm'
    ? `PyTorch's convolutions (oneDNN) use the CPU's widest vectors (AVX-512 here: 16 floats); wasm SIMD
is 128-bit (4 floats), which bounds what XNNPACK can reach on the same core.`
    : `On the onnxruntime engine, each recorded stretch of a step runs as one ONNX graph on onnxruntime's
MLAS kernels (AVX-512 where the CPU has it), as PyTorch's oneDNN convolutions do.`}

Profile of one ganbox iteration: \`node --import tsx bench/profile.ts [--backend NAME] [--shapes]\`.
`;
}

