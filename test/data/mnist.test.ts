import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadMnist, openMnist } from '../../src/data/mnist.js';

test('mnist: 10,000 digits [28, 28, 1] in [-1, 1], labels 0–9 with the package\'s class sizes', () => {
  const t0 = performance.now();
  const src = openMnist();
  const ms = performance.now() - t0;
  assert.ok(ms < 30_000, `first load took ${ms.toFixed(0)} ms`); // ~0.3 s measured; a hang guard, generous for a loaded CI machine
  assert.equal(src.spec, 'mnist');
  assert.equal(src.length, 10000);
  assert.deepEqual(src.shape, [28, 28, 1]);
  assert.equal(src.numClasses, 10);
  const all = src.take(Array.from({ length: 10000 }, (_, i) => i));
  assert.equal(all.x.length, 10000 * 784);
  let min = Infinity, max = -Infinity;
  for (const v of all.x) { if (v < min) min = v; if (v > max) max = v; }
  assert.equal(min, -1);
  assert.equal(max, 1);
  const counts = new Array<number>(10).fill(0);
  for (const l of all.labels!) counts[l]!++;
  assert.deepEqual(counts, [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]); // the package's files
  assert.ok(counts.every((c) => c > 800 && c < 1200));
});

test('mnist: values are v·2−1 of the package JSON, and the parse is cached', () => {
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const three = (JSON.parse(fs.readFileSync(path.join(dir, '3.json'), 'utf8')) as { data: number[] }).data;
  const first3 = 1001 + 1127 + 991; // index of the first '3'
  const ex = openMnist().take([first3 + 1]);
  assert.equal(ex.labels![0], 3);
  for (let j = 0; j < 784; j++) assert.equal(ex.x[j], Math.fround(three[784 + j]! * 2 - 1));
  assert.equal(loadMnist(), loadMnist(), 'the second load is the cached object');
});
