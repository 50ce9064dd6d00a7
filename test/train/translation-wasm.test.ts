/** The translation games on the wasm backend (its convolution gradients are ganbox's own kernels): exact resume, and agreement with cpu. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../src/backend/index.js';
import { ByteImageSource } from '../../src/data/byte-source.js';
import { PairSource, type TranslationData } from '../../src/data/paired.js';
import { TranslationTrainer } from '../../src/train/translation.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/train/checkpoint.js';
import { Rng } from '../../src/train/rng.js';

function data(): TranslationData {
  const rng = new Rng(2);
  const L = 16, n = 4;
  const a = new ByteImageSource('A', [L, L, 1], Uint8Array.from({ length: n * L * L }, () => rng.int(256)));
  const b = new ByteImageSource('B', [L, L, 1], Uint8Array.from({ length: n * L * L }, () => rng.int(256)));
  return { spec: 't', paired: true, pairs: new PairSource('t', a, b), a, b, channelsA: 1, channelsB: 1, loadSize: L, cache: 'off', skipped: [], memoryBytes: 0 };
}
const opts = { model: 'cyclegan' as const, generator: 'unet' as const, size: 16, width: 2, dWidth: 2, batch: 2, steps: 4, poolSize: 2 };

test('cyclegan on wasm: resumes bit for bit, and its first step matches the cpu backend to float32 rounding', async () => {
  const d = data();
  await useBackend('cpu');
  const cpu = new TranslationTrainer(d, opts);
  const mc = cpu.trainStep();
  cpu.dispose();
  await useBackend('wasm', { threads: 1 });
  const full = new TranslationTrainer(d, opts);
  const ms = [full.trainStep(), full.trainStep(), full.trainStep()];
  for (const k of ['loss_g', 'loss_d', 'g_cycle_a', 'g_identity_b']) {
    assert.ok(Math.abs(ms[0]![k]! - mc[k]!) <= 1e-4 * Math.abs(mc[k]!) + 1e-6, `${k}: wasm ${ms[0]![k]} vs cpu ${mc[k]}`);
  }
  const first = new TranslationTrainer(d, opts);
  first.trainStep();
  const ck = decodeCheckpoint(encodeCheckpoint(first.getCheckpoint()), 'mem');
  first.dispose();
  const resumed = new TranslationTrainer(d, opts);
  resumed.loadCheckpoint(ck);
  assert.deepEqual([resumed.trainStep(), resumed.trainStep()], ms.slice(1));
  full.dispose(); resumed.dispose();
  assert.equal(tf.getBackend(), 'wasm');
});
