/**
 * The soak run (issue 6.7), outside the test suite: a long training through runTraining — the
 * CLI's path, with checkpoints, sample grids and metrics on the way — printing the live tensor
 * count and the resident memory every --every steps, and failing (exit 1) if either grows.
 *   npm run soak -- --steps 2000 [--every 100] [--data mnist] [--loss non-saturating] [--batch 64] [--backend onnxruntime]
 * Tensors must stay exactly level once training has warmed up (every reading is taken at the same
 * point of a step); resident memory may wander with the allocator, so it fails only when the last
 * quarter of the readings averages more than 10% (and 64 MB) above the second quarter.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/backend/index.js';
import { runTraining } from '../src/train/run.js';
import type { TrainConfig } from '../src/defaults.js';

const { values: a } = parseArgs({
  options: {
    steps: { type: 'string', default: '1000' },
    every: { type: 'string', default: '100' },
    data: { type: 'string', default: 'mnist' },
    loss: { type: 'string', default: 'non-saturating' },
    batch: { type: 'string', default: '64' },
    backend: { type: 'string', default: 'onnxruntime' },
    keep: { type: 'boolean', default: false },
  },
});

async function main(): Promise<number> {
  const steps = Number(a.steps), every = Number(a.every);
  if (!(steps >= 4 * every)) throw new Error('--steps must be at least 4 × --every, to compare the second and last quarters');
  const backend = await useBackend(a.backend as TrainConfig['backend']);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-soak-'));
  const readings: { step: number; tensors: number; rssMB: number }[] = [];
  const t0 = performance.now();
  process.stdout.write(`soak: ${a.data}, ${a.loss}, batch ${a.batch}, ${steps} steps on ${backend.name} (${backend.threads} threads), run folder ${out}\n`);
  process.stdout.write('  step  tensors  rss MB   s\n');
  await runTraining(
    { data: a.data, loss: a.loss, batch: Number(a.batch), steps, checkpointEvery: Math.max(1, Math.floor(steps / 8)), sampleEvery: Math.max(1, Math.floor(steps / 8)), logEvery: every },
    {
      out: path.join(out, 'run'),
      onProgress: (p) => {
        if (p.step % every !== 0) return;
        const r = { step: p.step, tensors: tf.memory().numTensors, rssMB: process.memoryUsage().rss / 2 ** 20 };
        readings.push(r);
        process.stdout.write(`${String(r.step).padStart(6)} ${String(r.tensors).padStart(8)} ${r.rssMB.toFixed(0).padStart(7)} ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)}\n`);
      },
    },
  );
  if (!a.keep) fs.rmSync(out, { recursive: true, force: true });
  const q = Math.floor(readings.length / 4);
  const mean = (xs: typeof readings) => xs.reduce((s, r) => s + r.rssMB, 0) / xs.length;
  const tensorsLevel = readings.slice(1).every((r) => r.tensors === readings[1]!.tensors);
  const second = mean(readings.slice(q, 2 * q)), last = mean(readings.slice(-q));
  const rssLevel = last <= Math.max(second * 1.1, second + 64);
  process.stdout.write(`tensors ${tensorsLevel ? 'level' : 'GROWING'} (${readings.map((r) => r.tensors).join(' ')}); ` +
    `rss ${rssLevel ? 'level' : 'GROWING'} (second quarter ${second.toFixed(0)} MB, last quarter ${last.toFixed(0)} MB)\n`);
  return tensorsLevel && rssLevel ? 0 : 1;
}

process.exitCode = await main();
