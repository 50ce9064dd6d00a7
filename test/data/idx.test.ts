import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { openIdx } from '../../src/data/idx.js';
import { openDataSource } from '../../src/data/index.js';
import { DataError } from '../../src/errors.js';

/** An IDX file: big-endian magic 0x000008NN, dims, bytes. */
function idx(dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(0x800 + dims.length, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, data]);
}

const N = 3, ROWS = 2, COLS = 3;
const PIXELS = Uint8Array.from({ length: N * ROWS * COLS }, (_, i) => [0, 255, 51, 128, 1, 254][i % 6]! ^ i);
const LABELS = Uint8Array.from([7, 0, 9]);
const unit = (b: number) => Math.fround((b / 255) * 2 - 1);

const tmp: string[] = [];
after(() => tmp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function fixtureDir(files: Record<string, Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-idx-'));
  tmp.push(dir);
  for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
  return dir;
}

function checkSource(src: ReturnType<typeof openIdx>, withLabels = true) {
  assert.equal(src.length, N);
  assert.deepEqual(src.shape, [ROWS, COLS, 1]);
  const ex = src.take([2, 0]);
  assert.equal(ex.n, 2);
  const expected = [...PIXELS.subarray(12, 18), ...PIXELS.subarray(0, 6)].map(unit);
  assert.deepEqual(Array.from(ex.x), expected); // exact: x/255·2−1 rounded once to float32
  if (withLabels) {
    assert.deepEqual(Array.from(ex.labels!), [9, 7]);
    assert.equal(src.numClasses, 10);
  } else {
    assert.equal(ex.labels, undefined);
  }
}

test('idx: raw files, labels found by the standard naming, exact values', () => {
  const dir = fixtureDir({ 'train-images-idx3-ubyte': idx([N, ROWS, COLS], PIXELS), 'train-labels-idx1-ubyte': idx([N], LABELS) });
  checkSource(openIdx(path.join(dir, 'train-images-idx3-ubyte')));
  checkSource(openIdx(dir)); // a folder: its train-images file
  assert.equal(unit(0), -1);
  assert.equal(unit(255), 1);
});

test('idx: gzipped files (t10k naming), and gzip detected by magic bytes, not by name', () => {
  const dir = fixtureDir({
    't10k-images-idx3-ubyte.gz': gzipSync(idx([N, ROWS, COLS], PIXELS)),
    't10k-labels-idx1-ubyte.gz': gzipSync(idx([N], LABELS)),
    'imgs.bin': gzipSync(idx([N, ROWS, COLS], PIXELS)),
    'labs.raw': idx([N], LABELS),
  });
  checkSource(openIdx(path.join(dir, 't10k-images-idx3-ubyte.gz')));
  checkSource(openIdx(`${path.join(dir, 'imgs.bin')},${path.join(dir, 'labs.raw')}`));
  checkSource(openIdx(path.join(dir, 'imgs.bin')), false); // no labels file by that naming: unlabelled
});

test('idx via openDataSource keeps a normalised spec', async () => {
  const dir = fixtureDir({ 'train-images-idx3-ubyte': idx([N, ROWS, COLS], PIXELS) });
  const src = await openDataSource(`idx:${path.join(dir, 'train-images-idx3-ubyte')}`);
  assert.equal(src.spec, `idx:${path.join(dir, 'train-images-idx3-ubyte')}`);
  assert.ok(src.finite && src.length === N && src.numClasses === undefined);
});

test('idx errors: missing file, wrong magic, truncated, label count mismatch', () => {
  const dir = fixtureDir({
    'a-images-idx3-ubyte': idx([N], LABELS), // a labels file where images are expected
    'b-images-idx3-ubyte': idx([N, ROWS, COLS], PIXELS).subarray(0, 4 + 12 + 17), // one byte short
    'c-images-idx3-ubyte': idx([N, ROWS, COLS], PIXELS),
    'c-labels-idx1-ubyte': idx([N - 1], LABELS.subarray(0, N - 1)),
    'd-images-idx3-ubyte.gz': gzipSync(idx([N, ROWS, COLS], PIXELS)).subarray(0, 20),
    'e-images-idx3-ubyte': idx([N, ROWS, COLS], PIXELS).subarray(0, 9), // cut inside the dims
  });
  const err = (file: string, re: RegExp) => (e: unknown) => e instanceof DataError && e.message.includes(file) && re.test(e.message);
  assert.throws(() => openIdx(path.join(dir, 'nope-images-idx3-ubyte')), err('nope-images', /does not exist/));
  assert.throws(() => openIdx(path.join(dir, 'a-images-idx3-ubyte')), err('a-images', /0x00000801.*0x00000803/));
  assert.throws(() => openIdx(path.join(dir, 'b-images-idx3-ubyte')), err('b-images', /\[3, 2, 3\] = 18 bytes of data but holds 17 \(truncated\)/));
  assert.throws(() => openIdx(path.join(dir, 'c-images-idx3-ubyte')), err('c-labels', /holds 2 labels but .* holds 3 images/));
  assert.throws(() => openIdx(path.join(dir, 'd-images-idx3-ubyte.gz')), err('d-images', /gzipped/));
  assert.throws(() => openIdx(path.join(dir, 'e-images-idx3-ubyte')), err('e-images', /truncated/));
  assert.throws(() => openIdx(`${path.join(dir, 'c-images-idx3-ubyte')},${path.join(dir, 'missing')}`), err('missing', /does not exist/));
});
