/**
 * The reference-statistics cache: a second evaluation reads statistics and features from it without
 * extracting; a stale entry (other key), a corrupt file and a file whose arrays were changed are
 * never used, and are replaced by a fresh computation.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useBackend } from '../../src/backend/index.js';
import { StatsCache, type CacheKey } from '../../src/evaluate/cache.js';
import { Evaluator } from '../../src/evaluate/evaluator.js';
import { MemoryImageSet } from '../../src/evaluate/image-sets.js';
import { encodeNpz, readNpz } from '../../src/io/npz.js';
import { PROJECTION_MODULE } from '../helpers/projection-extractor.js';
import { makeImages } from '../helpers/eval-fixtures.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-cache-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
before(() => useBackend('cpu'));

const images = new MemoryImageSet('ref', [8, 8, 1], makeImages(30, 8, 8, 1, 7));

/** Statistics of `images` through a fresh Evaluator on `cache`; counts the images it extracted. */
async function stats(cache: StatsCache) {
  let extracted = 0;
  const ev = new Evaluator({ extractor: 'mnist', extractorModule: PROJECTION_MODULE, pool: { workers: 0 }, cache, onProgress: (_s, done, total) => { if (done === total) extracted += total; } });
  const s = await ev.statistics(images, true);
  await ev.close();
  return { s, extracted };
}

test('a cache hit skips extraction and gives the same statistics', async () => {
  const log: string[] = [];
  const cache = new StatsCache(path.join(tmp, 'hit'), (m) => log.push(m));
  const first = await stats(cache);
  assert.equal(first.extracted, 30);
  assert.equal(fs.readdirSync(cache.dir).length, 2, 'features and statistics entries');
  const second = await stats(cache);
  assert.equal(second.extracted, 0);
  assert.deepEqual(second.s, first.s);
  assert.match(log.join('\n'), /cache: statistics of 30 images from/);
});

test('stale, corrupt and tampered cache files are rejected and recomputed', async () => {
  const log: string[] = [];
  const cache = new StatsCache(path.join(tmp, 'bad'), (m) => log.push(m));
  const good = await stats(cache);
  const statsFile = fs.readdirSync(cache.dir).map((f) => path.join(cache.dir, f)).find((f) => path.basename(f).startsWith('statistics-'))!;
  const featuresFile = fs.readdirSync(cache.dir).map((f) => path.join(cache.dir, f)).find((f) => path.basename(f).startsWith('features-'))!;
  const original = fs.readFileSync(statsFile);

  // Stale: an entry written for another key, found under this key's name.
  const otherKey: CacheKey = { what: 'statistics', data: 'other', extractor: 'mnist', settings: {}, layer: 'pool3', n: 30 };
  const other = new StatsCache(path.join(tmp, 'other'));
  other.put(otherKey, { mu: { dtype: '<f8', shape: [1], data: Float64Array.of(1) } });
  fs.copyFileSync(other.fileFor(otherKey), statsFile);
  fs.rmSync(featuresFile); // so the recomputation must extract
  let r = await stats(cache);
  assert.equal(r.extracted, 30);
  assert.deepEqual(r.s, good.s);
  assert.match(log.join('\n'), /ignoring .*statistics-.*: it was written for other data or settings/);

  // Corrupt: a flipped byte in the middle (zip CRC or npy parse fails).
  const bytes = Buffer.from(original);
  bytes[bytes.length >> 1] ^= 0xff;
  fs.writeFileSync(statsFile, bytes);
  log.length = 0;
  r = await stats(cache);
  assert.deepEqual(r.s, good.s);
  assert.match(log.join('\n'), /ignoring .*statistics-/);

  // Tampered: valid zip, right key, arrays changed without updating the checksum.
  const arrays = readNpz(original);
  (arrays.mu!.data as Float64Array)[0]! += 1;
  fs.writeFileSync(statsFile, encodeNpz(arrays));
  log.length = 0;
  r = await stats(cache);
  assert.deepEqual(r.s, good.s);
  assert.match(log.join('\n'), /checksum does not match/);
  // After each rejection the entry was rewritten: the next run hits.
  assert.equal((await stats(cache)).extracted, 0);
});
