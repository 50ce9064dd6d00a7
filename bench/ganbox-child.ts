/**
 * ganbox's side of the benchmark, one process per backend, thread count and workload (so peak RSS
 * is per run and backends do not share a heap): a workload of bench/workload.ts through GanTrainer,
 * driven by bench/run.ts over a line protocol on stdin/stdout — the same one as
 * bench/reference/dcgan_mnist.py:
 *   {"cmd": "train", "iters": K}     → {"seconds": s, "images": K·64}
 *   {"cmd": "sample", "batches": K}  → {"seconds": s, "images": K·sample batch}   (G only, inference mode)
 *   {"cmd": "info"}                  → {"name" (the backend that runs), "threads", "simd"?, "workload",
 *                                       "maxrss_mb", "tensors", "engine"? (onnxruntime: graphs compiled,
 *                                       segments run as graphs / on cpu kernels, kernels without a mapping)}
 *   {"cmd": "quit"}
 *
 *   node --import tsx bench/ganbox-child.ts [--backend onnxruntime|wasm|cpu] [--threads N] [--workload mnist|dcgan64]
 *
 * 'mnist' trains on the MNIST digits; 'dcgan64' on RANDOM_IMAGES random 8-bit 64×64×3 images in a
 * ByteImageSource (the source `--data images:DIR` gives), so nothing is read from disk.
 */
import * as readline from 'node:readline';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, type BackendName } from '../src/backend/index.js';
import { ByteImageSource, openDataSource, type DataSource } from '../src/data/index.js';
import { GanTrainer } from '../src/train/trainer.js';
import { Rng } from '../src/train/rng.js';
import { RANDOM_IMAGES, WORKLOAD_NAMES, WORKLOADS, type WorkloadName } from './workload.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const backend = (arg('backend') ?? 'onnxruntime') as BackendName;
const threads = arg('threads') !== undefined ? Number(arg('threads')) : undefined;
const workloadName = (arg('workload') ?? 'mnist') as WorkloadName;
if (!WORKLOAD_NAMES.includes(workloadName)) {
  throw new Error(`--workload ${workloadName}: expected one of ${WORKLOAD_NAMES.join(', ')}`);
}
const workload = WORKLOADS[workloadName];
const info = await useBackend(backend, { threads });

/** RANDOM_IMAGES seeded random 8-bit images of the workload's shape, in memory. */
function randomImages(): DataSource {
  const rng = new Rng(7);
  const pixels = new Uint8Array(RANDOM_IMAGES * workload.shape[0] * workload.shape[1] * workload.shape[2]);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.nextUint32() & 255;
  return new ByteImageSource(workload.config.data!, workload.shape, pixels);
}

const data = workloadName === 'mnist' ? await openDataSource('mnist') : randomImages();
const trainer = new GanTrainer(data, workload.config);
const batch = trainer.config.batch;
const sampleRng = new Rng(12345);

/** The engine's counters when the onnxruntime engine runs (undefined on other backends). */
function engineStats(): object | undefined {
  const stats = (tf.backend() as unknown as { stats?: { flushes: number; graphRuns: number; compiles: number; interpreted: number; fallbacks: Map<string, number> } }).stats;
  if (info.name !== 'onnxruntime' || stats === undefined) return undefined;
  return {
    compiles: stats.compiles, flushes: stats.flushes, graph_runs: stats.graphRuns, interpreted: stats.interpreted,
    fallbacks: Object.fromEntries(stats.fallbacks),
  };
}

function reply(x: unknown): void {
  process.stdout.write(`${JSON.stringify(x)}\n`);
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const msg = JSON.parse(line) as { cmd: string; iters?: number; batches?: number };
  if (msg.cmd === 'train') {
    const t0 = performance.now();
    for (let i = 0; i < msg.iters!; i++) trainer.trainStep();
    reply({ seconds: (performance.now() - t0) / 1000, images: msg.iters! * batch });
  } else if (msg.cmd === 'sample') {
    const t0 = performance.now();
    for (let i = 0; i < msg.batches!; i++) {
      const z = trainer.noise(workload.sampleBatch, sampleRng);
      const x = trainer.sample(z); // [sample batch, H, W, C]; pending on the onnxruntime engine until read
      x.dataSync(); // the images in JS memory, as a caller would need them
      tf.dispose([z, x]);
    }
    reply({ seconds: (performance.now() - t0) / 1000, images: msg.batches! * workload.sampleBatch });
  } else if (msg.cmd === 'info') {
    reply({
      ...info, workload: workloadName, maxrss_mb: process.resourceUsage().maxRSS / 1024, tensors: tf.memory().numTensors,
      engine: engineStats(),
    });
  } else if (msg.cmd === 'quit') {
    break;
  } else {
    reply({ error: `unknown command ${msg.cmd}` });
  }
}
trainer.dispose();
process.exit(0);
