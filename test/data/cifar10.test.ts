import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCifar10 } from '../../src/data/cifar10.js';
import { DataError } from '../../src/errors.js';

const tmp: string[] = [];
after(() => tmp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const mkdir = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-cifar-')); tmp.push(d); return d; };

const PLANE = 1024;
/** The byte the fixture stores for record r, channel c, pixel p (row-major y·32+x). */
const byteAt = (r: number, c: number, p: number) => (r * 101 + c * 37 + p * 7) % 256;
const unit = (b: number) => Math.fround((b / 255) * 2 - 1);

function records(labels: number[], first = 0): Buffer {
  const buf = Buffer.alloc(labels.length * 3073);
  labels.forEach((label, i) => {
    const r = first + i;
    buf[i * 3073] = label;
    for (let c = 0; c < 3; c++) for (let p = 0; p < PLANE; p++) buf[i * 3073 + 1 + c * PLANE + p] = byteAt(r, c, p);
  });
  return buf;
}

test('cifar10: CHW records become HWC images, exactly, with labels', () => {
  const dir = mkdir();
  fs.writeFileSync(path.join(dir, 'data_batch_1.bin'), records([3, 0, 9]));
  const src = openCifar10(dir);
  assert.equal(src.length, 3);
  assert.deepEqual(src.shape, [32, 32, 3]);
  assert.equal(src.numClasses, 10);
  const ex = src.take([0, 1, 2]);
  assert.deepEqual(Array.from(ex.labels!), [3, 0, 9]);
  for (let r = 0; r < 3; r++) {
    for (const [y, x] of [[0, 0], [0, 1], [1, 0], [17, 5], [31, 31]] as const) {
      for (let c = 0; c < 3; c++) {
        assert.equal(ex.x[((r * 32 + y) * 32 + x) * 3 + c], unit(byteAt(r, c, y * 32 + x)), `record ${r} (${y},${x}) channel ${c}`);
      }
    }
  }
});

test('cifar10: batches are concatenated in order; test_batch.bin is not mixed in; a single file can be named', () => {
  const parent = mkdir();
  const dir = path.join(parent, 'cifar-10-batches-bin');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'data_batch_1.bin'), records([1, 2]));
  fs.writeFileSync(path.join(dir, 'data_batch_2.bin'), records([5], 2));
  fs.writeFileSync(path.join(dir, 'test_batch.bin'), records([8, 8, 8, 8]));
  const src = openCifar10(parent); // the extracted archive's parent folder works too
  assert.equal(src.length, 3);
  const ex = src.take([2]);
  assert.deepEqual(Array.from(ex.labels!), [5]);
  assert.equal(ex.x[0], unit(byteAt(2, 0, 0)));
  const test = openCifar10(path.join(dir, 'test_batch.bin'));
  assert.equal(test.length, 4);
});

test('cifar10 errors: bad size, bad label, no batches, missing folder', () => {
  const dir = mkdir();
  fs.writeFileSync(path.join(dir, 'data_batch_1.bin'), Buffer.concat([records([1, 2]), Buffer.alloc(1)]));
  assert.throws(() => openCifar10(dir), (e) => e instanceof DataError && /data_batch_1\.bin has 6147 bytes/.test(e.message));
  const bad = records([12]);
  fs.writeFileSync(path.join(dir, 'data_batch_1.bin'), bad);
  assert.throws(() => openCifar10(dir), (e) => e instanceof DataError && /label 12/.test(e.message));
  const empty = mkdir();
  assert.throws(() => openCifar10(empty), (e) => e instanceof DataError && /data_batch_1\.bin/.test(e.message));
  assert.throws(() => openCifar10(path.join(empty, 'nope')), (e) => e instanceof DataError && /does not exist/.test(e.message));
});
