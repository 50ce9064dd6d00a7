import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTranslationData, splitPair } from '../../src/data/paired.js';
import { AugmentedStream, cropFlip } from '../../src/data/augment.js';
import { decodeCacheKey } from '../../src/data/decode-cache.js';
import { decodeFiles } from '../../src/data/decode-pool.js';
import { listImageFiles } from '../../src/data/image-folder.js';
import { ByteImageSource } from '../../src/data/byte-source.js';
import { edgeMap, invertThick } from '../../src/data/digit-tasks.js';
import { encodePng } from '../../src/io/png.js';
import { ConfigError, DataError } from '../../src/errors.js';

const tmp: string[] = [];
after(() => tmp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function mkdir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-pairs-'));
  tmp.push(dir);
  return dir;
}
function folder(files: Record<string, Buffer | string>): string {
  const dir = mkdir();
  for (const [name, bytes] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), bytes);
  }
  return dir;
}
function pattern(w: number, h: number, c: 1 | 3, f: (x: number, y: number, ch: number) => number): Uint8Array {
  const d = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) d[(y * w + x) * c + ch] = f(x, y, ch);
  return d;
}
const png = (w: number, h: number, c: 1 | 3, f: (x: number, y: number, ch: number) => number) => encodePng(pattern(w, h, c, f), w, h, c);
const unit = (b: number) => Math.fround((b / 255) * 2 - 1);
/** Side-by-side A|B picture (8×4 → two 4×4 halves): A pixel = 10·k + x + 4y, B pixel = 100 + 10·k + x + 4y. */
const sideBySide = (k: number) => png(8, 4, 1, (x, y) => (x < 4 ? 10 * k + x + 4 * y : 100 + 10 * k + (x - 4) + 4 * y));
const noCache = { cache: false as const, workers: 0 };

test('pairs:DIR splits each picture into A (left) and B (right), unscaled at its own size', async () => {
  const dir = folder({ '0.png': sideBySide(0), '1.png': sideBySide(1), 'sub/2.png': sideBySide(2) });
  const d = await openTranslationData(`pairs:${dir}`, { loadSize: 4, ...noCache });
  assert.equal(d.paired, true);
  assert.equal(d.a.length, 3);
  assert.deepEqual(d.pairs!.shape, [4, 4, 2]);
  const { x } = d.pairs!.take([2]);
  const { a, b } = splitPair(x, 1, 1);
  for (let p = 0; p < 16; p++) {
    assert.equal(a[p], unit(20 + p));
    assert.equal(b[p], unit(120 + p));
  }
  assert.equal(d.memoryBytes, 3 * 2 * 16);
});

test('pairs:DIR_A,DIR_B pairs by name (extension aside); a name missing in B is a DataError naming it', async () => {
  const A = folder({ 'x.png': png(4, 4, 1, () => 1), 'y.png': png(4, 4, 1, () => 2) });
  const B = folder({ 'y.png': png(4, 4, 3, () => 20), 'x.png': png(4, 4, 3, () => 10) });
  const d = await openTranslationData(`pairs:${A},${B}`, { loadSize: 4, ...noCache });
  assert.equal(d.channelsA, 1);
  assert.equal(d.channelsB, 3);
  assert.deepEqual(Array.from(d.b.take([0]).x.slice(0, 3)), [unit(10), unit(10), unit(10)]);
  assert.deepEqual(Array.from(d.b.take([1]).x.slice(0, 3)), [unit(20), unit(20), unit(20)]);
  fs.writeFileSync(path.join(A, 'z.png'), png(4, 4, 1, () => 3));
  await assert.rejects(openTranslationData(`pairs:${A},${B}`, { loadSize: 4, ...noCache }), (e: Error) => e instanceof DataError && /z\.png/.test(e.message));
});

test('unpaired:DIR_A,DIR_B keeps the domains apart, of any sizes; bad specs are ConfigErrors', async () => {
  const A = folder({ 'a.png': png(6, 6, 1, () => 5) });
  const B = folder({ 'b1.png': png(6, 6, 1, () => 6), 'b2.png': png(6, 6, 1, () => 7) });
  const d = await openTranslationData(`unpaired:${A},${B}`, { loadSize: 6, ...noCache });
  assert.equal(d.paired, false);
  assert.equal(d.pairs, undefined);
  assert.equal(d.a.length, 1);
  assert.equal(d.b.length, 2);
  await assert.rejects(openTranslationData(`unpaired:${A}`, { loadSize: 6, ...noCache }), ConfigError);
  await assert.rejects(openTranslationData(`pair:${A}`, { loadSize: 6, ...noCache }), ConfigError);
  await assert.rejects(openTranslationData(`pairs:${A}`, { loadSize: 6, ...noCache, maxBytes: 10 }), /load-size/);
});

test('decoding on 2 workers gives the bytes of decoding in this thread', async () => {
  const dir = folder(Object.fromEntries(Array.from({ length: 7 }, (_, k) => [`${k}.png`, png(9, 5, 3, (x, y, c) => (x * 31 + y * 17 + c * 5 + k * 11) % 256)])));
  const files = listImageFiles(dir);
  const settings = { size: 4, channels: 3 as const, layout: 'split' as const };
  const seen: number[] = [];
  const here = await decodeFiles(files, settings, { workers: 0 });
  const pool = await decodeFiles(files, settings, { workers: 2, onProgress: (d) => seen.push(d) });
  assert.deepEqual(pool.kept, here.kept);
  assert.deepEqual(pool.parts, here.parts);
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7]);
});

test('--on-bad-image: fail names the broken file; skip leaves it (and its pair) out', async () => {
  const dir = folder({ '0.png': sideBySide(0), '1.png': 'not an image', '2.png': sideBySide(2) });
  for (const workers of [0, 2]) {
    await assert.rejects(openTranslationData(`pairs:${dir}`, { loadSize: 4, cache: false, workers }),
      (e: Error) => e instanceof DataError && e.message.includes(path.join(dir, '1.png')) && /on-bad-image skip/.test(e.message));
    const d = await openTranslationData(`pairs:${dir}`, { loadSize: 4, cache: false, workers, onBadImage: 'skip' });
    assert.equal(d.a.length, 2);
    assert.equal(d.skipped.length, 1);
    assert.equal(d.skipped[0]!.file, path.join(dir, '1.png'));
    assert.equal(d.b.take([1]).x[0], unit(120)); // row 1 is file 2.png
  }
});

test('the decode cache: a second open is served from it (same bytes, no decoding); a changed file or setting misses', async () => {
  const dir = folder({ '0.png': sideBySide(0), '1.png': sideBySide(1) });
  const cache = mkdir();
  const first = await openTranslationData(`pairs:${dir}`, { loadSize: 4, cache, workers: 0 });
  assert.equal(first.cache, 'miss');
  let progress = 0;
  const second = await openTranslationData(`pairs:${dir}`, { loadSize: 4, cache, workers: 0, onProgress: () => progress++ });
  assert.equal(second.cache, 'hit');
  assert.equal(progress, 1); // one report of the whole folder, not one per file decoded
  assert.deepEqual(second.pairs!.take([0, 1]), first.pairs!.take([0, 1]));
  assert.equal((await openTranslationData(`pairs:${dir}`, { loadSize: 5, cache, workers: 0 })).cache, 'miss');
  assert.equal((await openTranslationData(`pairs:${dir}`, { loadSize: 4, channels: 3, cache, workers: 0 })).cache, 'miss');
  fs.writeFileSync(path.join(dir, '1.png'), sideBySide(5));
  const changed = await openTranslationData(`pairs:${dir}`, { loadSize: 4, cache, workers: 0 });
  assert.equal(changed.cache, 'miss');
  assert.equal(changed.a.take([1]).x[0], unit(50));
  // The key is the files' contents and names, not the folder's path.
  const copy = folder({ '0.png': sideBySide(0), '1.png': sideBySide(5) });
  const s = { size: 4, channels: 1 as const, layout: 'split' as const };
  const entries = (d: string) => listImageFiles(d).map((f) => [path.basename(f), f] as const);
  assert.equal(decodeCacheKey(entries(copy), s), decodeCacheKey(entries(dir), s));
  // A corrupted entry is decoded again: one flipped payload byte (the checksum), then a torn file.
  for (const f of fs.readdirSync(cache)) {
    const bytes = fs.readFileSync(path.join(cache, f));
    bytes[bytes.length - 6]! ^= 1;
    fs.writeFileSync(path.join(cache, f), bytes);
  }
  assert.equal((await openTranslationData(`pairs:${dir}`, { loadSize: 4, cache, workers: 0 })).cache, 'miss');
  assert.equal((await openTranslationData(`pairs:${dir}`, { loadSize: 4, cache, workers: 0 })).cache, 'hit');
  for (const f of fs.readdirSync(cache)) fs.writeFileSync(path.join(cache, f), 'torn');
  assert.equal((await openTranslationData(`pairs:${dir}`, { loadSize: 4, cache, workers: 0 })).cache, 'miss');
});

test('cropFlip takes the stated window, mirrored when asked (against a direct index computation)', () => {
  const [h, w, c] = [5, 6, 2];
  const x = Float32Array.from({ length: 2 * h * w * c }, (_, i) => i);
  const out = cropFlip(x, 2, [h, w, c], 3, [1, 2], [2, 0], [false, true]);
  const at = (k: number, i: number, j: number, ch: number) => x[((k * h + i) * w + j) * c + ch]!;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let ch = 0; ch < c; ch++) {
    assert.equal(out[((0 * 3 + i) * 3 + j) * c + ch], at(0, 1 + i, 2 + j, ch));
    assert.equal(out[((1 * 3 + i) * 3 + j) * c + ch], at(1, 2 + i, 0 + 2 - j, ch));
  }
});

test('AugmentedStream: seeded, resumable from its state, crops every position and flips about half', () => {
  const L = 6, S = 4, n = 40;
  // Each pixel holds its own coordinates: channel 0 = row, channel 1 = column (bytes).
  const px = new Uint8Array(n * L * L * 2);
  for (let k = 0; k < n; k++) for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) {
    px[((k * L + i) * L + j) * 2] = i * 10; px[((k * L + i) * L + j) * 2 + 1] = j * 10;
  }
  const src = new ByteImageSource('coords', [L, L, 2], px);
  const s1 = new AugmentedStream(src, 8, 3, { size: S, flip: true });
  const s2 = new AugmentedStream(src, 8, 3, { size: S, flip: true });
  for (let k = 0; k < 3; k++) s1.next();
  s2.setState(JSON.parse(JSON.stringify(s1.getState())));
  const tops = new Set<number>(), lefts = new Set<number>();
  let flips = 0, total = 0;
  for (let k = 0; k < 30; k++) {
    const a = s1.next(), b = s2.next();
    assert.deepEqual(a.x, b.x);
    for (let e = 0; e < a.n; e++) {
      const base = e * S * S * 2;
      const row0 = Math.round(((a.x[base]! + 1) / 2) * 255 / 10);
      const c0 = Math.round(((a.x[base + 1]! + 1) / 2) * 255 / 10);
      const c1 = Math.round(((a.x[base + 3]! + 1) / 2) * 255 / 10);
      tops.add(row0);
      const flipped = c1 < c0;
      if (flipped) flips++;
      lefts.add(flipped ? c0 - (S - 1) : c0);
      total++;
    }
  }
  assert.deepEqual([...tops].sort(), [0, 1, 2]);
  assert.deepEqual([...lefts].sort(), [0, 1, 2]);
  assert.ok(flips > total * 0.35 && flips < total * 0.65, `${flips} flips of ${total}`);
  assert.throws(() => new AugmentedStream(src, 8, 3, { size: 7, flip: false }), /load-size/);
});

test('digit tasks: edge map of a filled square is its outline; inversion of the thickened digit', () => {
  const side = 6;
  const d = new Float32Array(side * side).fill(-1);
  for (let r = 1; r <= 4; r++) for (let c = 1; c <= 4; c++) d[r * side + c] = 1;
  const e = edgeMap(d, side);
  for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) {
    const inside = r >= 1 && r <= 4 && c >= 1 && c <= 4;
    const border = inside && (r === 1 || r === 4 || c === 1 || c === 4);
    assert.equal(e[r * side + c], border ? 1 : -1, `(${r}, ${c})`);
  }
  const t = invertThick(d, side);
  assert.ok(t.every((v) => v === -1)); // the dilated square covers the whole 6×6 picture
  const dot = new Float32Array(side * side).fill(-1);
  dot[2 * side + 2] = 1;
  const td = invertThick(dot, side);
  assert.equal(td.filter((v) => v === -1).length, 9);
  assert.equal(td[0], 1);
});

test('channels from the header alone: PNG colour type (grey 1; RGB, palette 3), JPEG components', async () => {
  const { sniffChannels } = await import('../../src/data/paired.js');
  assert.equal(sniffChannels(png(2, 2, 1, () => 0)), 1);
  assert.equal(sniffChannels(png(2, 2, 3, () => 0)), 3);
  const palette = Buffer.from(png(2, 2, 3, () => 0));
  palette[25] = 3; // colour type 3 (palette): decodePng gives RGB
  assert.equal(sniffChannels(palette), 3);
  const jpegjs = (await import('jpeg-js')).default;
  const j = jpegjs.encode({ data: Buffer.alloc(4 * 4 * 4, 128), width: 4, height: 4 }, 90).data;
  assert.equal(sniffChannels(j), 3);
  assert.equal(sniffChannels(Buffer.from('nope')), undefined);
});
