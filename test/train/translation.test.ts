/** pix2pix and CycleGAN games: loss terms against independent values, exact resume, pool, schedule. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import { ByteImageSource } from '../../src/data/byte-source.js';
import { PairSource, type TranslationData } from '../../src/data/paired.js';
import { HistoryPool } from '../../src/train/translation-games.js';
import { scheduledLr, TranslationTrainer } from '../../src/train/translation.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/train/checkpoint.js';
import { Rng } from '../../src/train/rng.js';
import { ConfigError } from '../../src/errors.js';

await tf.setBackend('cpu');

/** n random L×L images per domain (A grey, B RGB or grey), paired or not. */
function data(paired: boolean, n = 6, L = 18, cb: 1 | 3 = 3, seed = 1): TranslationData {
  const rng = new Rng(seed);
  const bytes = (c: number) => Uint8Array.from({ length: n * L * L * c }, () => rng.int(256));
  const a = new ByteImageSource('A', [L, L, 1], bytes(1));
  const b = new ByteImageSource('B', [L, L, cb], bytes(cb));
  return { spec: 'test', paired, pairs: paired ? new PairSource('test', a, b) : undefined, a, b, channelsA: 1, channelsB: cb, loadSize: L, cache: 'off', skipped: [], memoryBytes: 0 };
}

const small = { size: 16, width: 4, dWidth: 4, batch: 2, steps: 10 };

function weights(t: TranslationTrainer): Float32Array[] {
  return t.game.networks.flatMap(([, m]) => m.weights.map((w) => w.read().dataSync() as Float32Array));
}

test('pix2pix: loss_g = g_gan + 100·g_l1, and g_l1 is mean |G(A) − B| on the batch, computed independently', () => {
  const d = data(true);
  const t = new TranslationTrainer(d, { model: 'pix2pix', ...small });
  const twin = new TranslationTrainer(d, { model: 'pix2pix', ...small });
  const { a, b } = twin.nextBatch(); // the same first batch (same seed)
  const fake = twin.game.translate(a, 'AtoB', 0); // step 0's noise key, weights as initialised
  const expected = tf.mean(tf.abs(tf.sub(fake, b))).dataSync()[0]!;
  const m = t.trainStep();
  assert.ok(Math.abs(m.g_l1! - expected) < 1e-6, `${m.g_l1} vs ${expected}`);
  assert.ok(Math.abs(m.loss_g - (m.g_gan! + 100 * m.g_l1!)) < 1e-4 * Math.abs(m.loss_g));
  assert.ok(Math.abs(m.loss_d - 0.5 * (m.d_loss_real! + m.d_loss_fake!)) < 1e-6);
  for (const k of ['d_real', 'd_fake']) assert.ok(m[k]! > 0 && m[k]! < 1);
  assert.equal(m.lr, 2e-4);
  tf.dispose([a, b, fake]);
  t.dispose(); twin.dispose();
  assert.throws(() => new TranslationTrainer(data(false), { model: 'pix2pix', ...small }), ConfigError);
});

for (const model of ['pix2pix', 'cyclegan'] as const) {
  test(`${model}: stopping after 2 steps and resuming from the checkpoint gives the weights of 4 uninterrupted steps, bit for bit`, () => {
    const d = data(model === 'pix2pix', 6, 18, model === 'pix2pix' ? 3 : 1);
    const opts = { model, ...small, poolSize: 3, blocks: 1 };
    const full = new TranslationTrainer(d, opts);
    const ms = [1, 2, 3, 4].map(() => full.trainStep());
    const first = new TranslationTrainer(d, opts);
    first.trainStep(); first.trainStep();
    const ck = decodeCheckpoint(encodeCheckpoint(first.getCheckpoint()), 'mem');
    first.dispose();
    const resumed = new TranslationTrainer(d, opts);
    resumed.loadCheckpoint(ck);
    const rs = [resumed.trainStep(), resumed.trainStep()];
    assert.deepEqual(rs, ms.slice(2));
    assert.deepEqual(weights(resumed), weights(full));
    if (model === 'cyclegan') {
      for (const k of ['g_gan_ab', 'g_gan_ba', 'g_cycle_a', 'g_cycle_b', 'g_identity_a', 'g_identity_b', 'd_a', 'd_b']) assert.ok(Number.isFinite(ms[0]![k]), k);
      const m = ms[0]!;
      const total = m.g_gan_ab! + m.g_gan_ba! + 10 * (m.g_cycle_a! + m.g_cycle_b!) + 5 * (m.g_identity_a! + m.g_identity_b!);
      assert.ok(Math.abs(m.loss_g - total) < 1e-4 * total);
      assert.ok(Math.abs(m.loss_d - (m.d_a! + m.d_b!)) < 1e-6);
    }
    full.dispose(); resumed.dispose();
  });
}

test('cyclegan with C_A ≠ C_B leaves the identity term out (it needs G(b) to be defined)', () => {
  const t = new TranslationTrainer(data(false, 4, 16, 3), { model: 'cyclegan', ...small, blocks: 1 });
  const m = t.trainStep();
  assert.equal(m.g_identity_a, undefined);
  const total = m.g_gan_ab! + m.g_gan_ba! + 10 * (m.g_cycle_a! + m.g_cycle_b!);
  assert.ok(Math.abs(m.loss_g - total) < 1e-4 * total);
  t.dispose();
});

test('HistoryPool: fills first, then returns a stored image (and stores the new one) about half the time', () => {
  const pool = new HistoryPool(3, new Rng(4));
  const img = (v: number) => new Float32Array([v, v]);
  assert.deepEqual(pool.query(new Float32Array([1, 1, 2, 2]), 2), new Float32Array([1, 1, 2, 2]));
  assert.deepEqual(pool.query(img(3), 1), img(3));
  assert.equal(pool.images.length, 3);
  let fromHistory = 0;
  for (let k = 10; k < 410; k++) {
    const out = pool.query(img(k), 1);
    if (out[0] !== k) {
      fromHistory++;
      assert.ok(out[0]! < k); // an older image
      assert.ok(pool.images.some((x) => x[0] === k)); // the new one took its place
    }
  }
  assert.ok(fromHistory > 160 && fromHistory < 240, `${fromHistory} of 400`);
  assert.equal(pool.images.length, 3);
  const off = new HistoryPool(0, new Rng(1));
  assert.deepEqual(off.query(img(5), 1), img(5));
});

test('learning rate: constant for the first half, then linear to 0 at the last step', () => {
  assert.equal(scheduledLr(2e-4, 0, 200, 0.5), 2e-4);
  assert.equal(scheduledLr(2e-4, 99, 200, 0.5), 2e-4);
  assert.equal(scheduledLr(2e-4, 100, 200, 0.5), 2e-4);
  assert.ok(Math.abs(scheduledLr(2e-4, 150, 200, 0.5) - 1e-4) < 1e-12);
  assert.ok(Math.abs(scheduledLr(2e-4, 199, 200, 0.5) - 2e-6) < 1e-12);
  assert.equal(scheduledLr(2e-4, 150, 200, 1), 2e-4);
});

test('config: load size defaults to size·286/256; a load size below the size, an unknown model or generator are ConfigErrors', async () => {
  const { resolveTranslationConfig } = await import('../../src/train/translation.js');
  assert.equal(resolveTranslationConfig({}).loadSize, 286);
  assert.equal(resolveTranslationConfig({ size: 32 }).loadSize, 36);
  assert.throws(() => resolveTranslationConfig({ size: 32, loadSize: 30 }), /--load-size 30/);
  assert.throws(() => resolveTranslationConfig({ model: 'pix2pixx' as 'pix2pix' }), /pix2pix/);
  assert.throws(() => resolveTranslationConfig({ generator: 'resnet9' as 'resnet' }), /resnet/);
});
