/**
 * Per-kernel profile of the canonical DCGAN-MNIST iteration (issue 3): where one GanTrainer step
 * spends its time, by kernel name, summed over one iteration (median over `--reps` profiled
 * iterations), after a warm-up.
 *
 *   node --import tsx bench/profile.ts [--backend wasm] [--threads N] [--warmup 3] [--reps 3] [--shapes]
 *
 * Kernels composed of other kernels (ours in src/backend/kernels) count as one entry: their inner
 * kernels are called directly and are not seen by the profiler. Entries for tf.customGrad ops
 * (names ending in '__op', e.g. tfjs's fused conv2d/matMul) are left out: the profiler also lists
 * the kernels they run, which would count twice. `--shapes` splits each kernel by its input shapes.
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, type BackendName } from '../src/backend/index.js';
import { openDataSource } from '../src/data/index.js';
import { GanTrainer } from '../src/train/trainer.js';
import { CANONICAL } from './workload.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const backend = arg('backend', 'wasm') as BackendName;
const threads = Number(arg('threads', String(os.availableParallelism())));
const warmup = Number(arg('warmup', '3'));
const reps = Number(arg('reps', '3'));
const byShape = process.argv.includes('--shapes');

const info = await useBackend(backend, { threads });
const trainer = new GanTrainer(await openDataSource('mnist'), CANONICAL);
for (let i = 0; i < warmup; i++) trainer.trainStep();

const runs: Map<string, { ms: number; n: number }>[] = [];
const walls: number[] = [];
for (let r = 0; r < reps; r++) {
  const t0 = performance.now();
  const p = await tf.profile(() => { trainer.trainStep(); });
  walls.push(performance.now() - t0);
  const agg = new Map<string, { ms: number; n: number }>();
  for (const k of p.kernels) {
    if (k.name.endsWith('__op')) continue;
    const key = byShape ? `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join(' ')}` : k.name;
    const a = agg.get(key) ?? { ms: 0, n: 0 };
    a.ms += k.kernelTimeMs as number;
    a.n += 1;
    agg.set(key, a);
  }
  runs.push(agg);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const keys = new Set(runs.flatMap((m) => [...m.keys()]));
const rows = [...keys].map((k) => ({ k, ms: median(runs.map((m) => m.get(k)?.ms ?? 0)), n: runs[0]!.get(k)?.n ?? 0 }))
  .sort((a, b) => b.ms - a.ms);
const total = rows.reduce((s, r) => s + r.ms, 0);
console.log(`backend ${info.name}, threads ${info.threads}; one iteration (batch ${CANONICAL.batch}): wall ${median(walls).toFixed(0)} ms (profiled), kernels ${total.toFixed(0)} ms`);
for (const r of rows.slice(0, byShape ? 40 : 25)) {
  console.log(`${r.ms.toFixed(1).padStart(8)} ms ${((100 * r.ms) / total).toFixed(1).padStart(5)}%  x${String(r.n).padEnd(4)} ${r.k}`);
}
trainer.dispose();
