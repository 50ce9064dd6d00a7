/**
 * Feature extraction on worker threads: the result does not depend on the number of workers
 * (fixed batches at fixed indices), worker errors come back as the same one-sentence errors, and
 * the workers stop when the pool closes.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../src/backend/index.js';
import { ExtractorPool } from '../../src/evaluate/extractor-pool.js';
import { MemoryImageSet } from '../../src/evaluate/image-sets.js';
import { DataError, GanboxError } from '../../src/errors.js';
import { featuresToStatistics } from '../../src/metrics/statistics.js';
import { PROJECTION_MODULE } from '../helpers/projection-extractor.js';
import { makeImages } from '../helpers/eval-fixtures.js';

const images = new MemoryImageSet('blobs', [16, 16, 3], makeImages(75, 16, 16, 3, 5));
before(() => useBackend('cpu'));

test('features are the same, bit for bit, with 0, 1, 2 or 3 workers; progress reaches the total', async () => {
  const results: Record<string, Float32Array>[] = [];
  for (const workers of [0, 1, 2, 3]) {
    const pool = await ExtractorPool.open({ name: 'mnist', module: PROJECTION_MODULE }, { workers, backend: 'cpu' });
    assert.equal(pool.workerCount, workers);
    assert.deepEqual(pool.layers, ['pool3', 'logits', 'logits-unbiased']);
    const seen: number[] = [];
    results.push(await pool.extract(images, ['pool3', 'logits'], { batchSize: 16, onProgress: (done, total) => { assert.equal(total, 75); seen.push(done); } }));
    await pool.close();
    assert.equal(seen.length, 5);
    assert.equal(Math.max(...seen), 75);
  }
  for (const r of results.slice(1)) {
    assert.deepEqual(r.pool3, results[0]!.pool3);
    assert.deepEqual(r.logits, results[0]!.logits);
  }
  // …and so are the statistics made from them.
  const s0 = featuresToStatistics(results[0]!.pool3!, 75, 16), s3 = featuresToStatistics(results[3]!.pool3!, 75, 16);
  assert.deepEqual(s0.sigma, s3.sigma);
});

test('in-thread extraction frees its tensors: the count after is the count before', async () => {
  const before = tf.memory().numTensors;
  const pool = await ExtractorPool.open({ name: 'mnist', module: PROJECTION_MODULE }, { workers: 0 });
  await pool.extract(images, ['pool3', 'logits-unbiased'], { batchSize: 16 });
  await pool.extract(images, ['logits'], { batchSize: 32 });
  await pool.close();
  assert.equal(tf.memory().numTensors, before);
});

test('a batch that cannot be read stops the extraction with its error (workers do not hang)', async () => {
  const broken = Object.create(images) as typeof images;
  broken.read = (start: number, count: number) => {
    if (start >= 32) throw new DataError('img-032.png is 5x5 but img-000.png is 16x16.');
    return images.read(start, count);
  };
  const pool = await ExtractorPool.open({ name: 'mnist', module: PROJECTION_MODULE }, { workers: 2, backend: 'cpu' });
  await assert.rejects(pool.extract(broken, ['pool3'], { batchSize: 16 }), /img-032\.png is 5x5/);
  await pool.close();
});

test("an extractor's user error in a worker comes back as a one-sentence GanboxError", async () => {
  // The temporary/real features module refuses inception without weights before any worker starts,
  // and an unknown extractor module fails in the worker, which the pool reports.
  await assert.rejects(ExtractorPool.open({ name: 'inception' }, { workers: 1 }), (e: Error) => e instanceof GanboxError && /--weights FILE.*pt_inception-2015-12-05-6726825d\.pth/.test(e.message));
  const missing = new URL('./no-such-module.ts', PROJECTION_MODULE).href;
  await assert.rejects(ExtractorPool.open({ name: 'mnist', module: missing }, { workers: 1, backend: 'cpu' }), /no-such-module/);
});
