/**
 * `eval` with the real MNIST classifier features (src/features/mnist-classifier.ts): a 2-step generator (noise blobs) is far from the digits, two halves of the digits are
 * close, and IS of real digits is high (10 classes, confident) while blobs score low.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useBackend } from '../../src/backend/index.js';
import { openDataSource } from '../../src/data/index.js';
import type { FiniteSource } from '../../src/data/source.js';
import { runTraining } from '../../src/train/run.js';
import { Evaluator } from '../../src/evaluate/evaluator.js';
import { SourceImageSet, MemoryImageSet } from '../../src/evaluate/image-sets.js';
import { fidOf, isOf } from '../../src/evaluate/metrics.js';
import { evaluateGenerator } from '../../src/evaluate/run-eval.js';
import { StatsCache } from '../../src/evaluate/cache.js';

test('eval of a 2-step MNIST run with the real mnist extractor', async () => {
  await useBackend('wasm');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-eval-mnist-'));
  try {
    const run = await runTraining({ steps: 2, batch: 8, logEvery: 1 }, { out: path.join(tmp, 'run') });
    const data = (await openDataSource('mnist')) as FiniteSource;
    const ev = new Evaluator({ extractor: 'mnist', pool: { workers: 2, backend: 'wasm' }, cache: new StatsCache(path.join(tmp, 'cache')) });
    const { loadRunGenerator } = await import('../../src/sampling/sampler.js');
    const g = await loadRunGenerator(run.dir);
    // The mnist package stores the digits class by class, so subsets are taken with a stride of
    // 5 over all 10,000: A = 0, 10, 20, …; B = 5, 15, 25, … (1,000 each, every class in proportion).
    const all = new SourceImageSet(data);
    const pixels = all.read(0, all.n);
    const size = all.shape[0] * all.shape[1] * all.shape[2];
    const strided = (name: string, offset: number) => {
      const out = new Uint8Array(1000 * size);
      for (let i = 0; i < 1000; i++) out.set(pixels.subarray((10 * i + offset) * size, (10 * i + offset + 1) * size), i * size);
      return new MemoryImageSet(name, all.shape, out);
    };
    const firstHalf = strided('digits 0, 10, 20, …', 0);
    const secondHalf = strided('digits 5, 15, 25, …', 5);
    const record = await evaluateGenerator(g, firstHalf, ev, run.step, { n: 1000, kidSubsetSize: 500, kidSubsets: 20 });
    const realFid = await fidOf(ev, firstHalf, secondHalf);
    const realIs = await isOf(ev, firstHalf);
    await ev.close();
    g.model.dispose();
    assert.ok(record.frechet_inception_distance! > 10 * realFid, `generated ${record.frechet_inception_distance} vs real ${realFid}`);
    assert.ok(realIs.mean > 5 && realIs.mean <= 10, `IS of real digits ${realIs.mean}`);
    assert.ok(record.inception_score!.mean < realIs.mean);
    assert.ok(record.precision! >= 0 && record.precision! <= 1);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
