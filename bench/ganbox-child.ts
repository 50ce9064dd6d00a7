/**
 * ganbox's side of the benchmark, one process per backend (so peak RSS is per run and backends
 * do not share a heap): the canonical workload (bench/workload.ts) through GanTrainer, driven by
 * bench/run.ts over a line protocol on stdin/stdout — the same one as bench/reference/dcgan_mnist.py:
 *   {"cmd": "train", "iters": K}     → {"seconds": s, "images": K·64}
 *   {"cmd": "sample", "batches": K}  → {"seconds": s, "images": K·256}   (G only, inference mode)
 *   {"cmd": "info"}                  → {"backend", "threads", "simd", "maxrss_mb", "tensors"}
 *   {"cmd": "quit"}
 *
 *   node --import tsx bench/ganbox-child.ts --backend wasm --threads 2
 */
import * as readline from 'node:readline';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, type BackendName } from '../src/backend/index.js';
import { openDataSource } from '../src/data/index.js';
import { GanTrainer } from '../src/train/trainer.js';
import { Rng } from '../src/train/rng.js';
import { CANONICAL, SAMPLE_BATCH } from './workload.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const backend = (arg('backend') ?? 'wasm') as BackendName;
const threads = arg('threads') !== undefined ? Number(arg('threads')) : undefined;
const info = await useBackend(backend, { threads });
const trainer = new GanTrainer(await openDataSource('mnist'), CANONICAL);
const sampleRng = new Rng(12345);

function reply(x: unknown): void {
  process.stdout.write(`${JSON.stringify(x)}\n`);
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const msg = JSON.parse(line) as { cmd: string; iters?: number; batches?: number };
  if (msg.cmd === 'train') {
    const t0 = performance.now();
    for (let i = 0; i < msg.iters!; i++) trainer.trainStep();
    reply({ seconds: (performance.now() - t0) / 1000, images: msg.iters! * CANONICAL.batch! });
  } else if (msg.cmd === 'sample') {
    const t0 = performance.now();
    for (let i = 0; i < msg.batches!; i++) {
      const z = trainer.noise(SAMPLE_BATCH, sampleRng);
      const x = trainer.sample(z); // [256, 28, 28, 1], computed synchronously on wasm/cpu
      x.dataSync(); // the images in JS memory, as a caller would need them
      tf.dispose([z, x]);
    }
    reply({ seconds: (performance.now() - t0) / 1000, images: msg.batches! * SAMPLE_BATCH });
  } else if (msg.cmd === 'info') {
    reply({ ...info, maxrss_mb: process.resourceUsage().maxRSS / 1024, tensors: tf.memory().numTensors });
  } else if (msg.cmd === 'quit') {
    break;
  } else {
    reply({ error: `unknown command ${msg.cmd}` });
  }
}
trainer.dispose();
process.exit(0);
