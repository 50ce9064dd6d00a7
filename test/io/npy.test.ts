import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeNpy, readNpy, writeNpy, type NpyArray } from '../../src/io/npy.js';
import { DataError } from '../../src/errors.js';

const cases: NpyArray[] = [
  { dtype: '|u1', shape: [2, 3], data: Uint8Array.from([0, 1, 2, 253, 254, 255]) },
  { dtype: '|i1', shape: [3], data: Int8Array.from([-128, 0, 127]) },
  { dtype: '<i2', shape: [2], data: Int16Array.from([-32768, 32767]) },
  { dtype: '<u2', shape: [2], data: Uint16Array.from([0, 65535]) },
  { dtype: '<i4', shape: [2, 2], data: Int32Array.from([-2147483648, -1, 0, 2147483647]) },
  { dtype: '<u4', shape: [1], data: Uint32Array.from([4294967295]) },
  { dtype: '<f4', shape: [2, 2, 1], data: Float32Array.from([0.1, -2.5, NaN, Infinity]) },
  { dtype: '<f8', shape: [3], data: Float64Array.from([Math.PI, -1e300, 5e-324]) },
  { dtype: '<i8', shape: [2], data: BigInt64Array.from([-(2n ** 63n), 2n ** 63n - 1n]) },
  { dtype: '<u8', shape: [1], data: BigUint64Array.from([2n ** 64n - 1n]) },
  { dtype: '<f4', shape: [], data: Float32Array.from([7]) }, // 0-d scalar
  { dtype: '<f4', shape: [0, 5], data: new Float32Array(0) }, // empty
];

test('npy round trip for every dtype, bit-exact (NaN included)', () => {
  for (const a of cases) {
    const back = readNpy(encodeNpy(a), 'mem.npy');
    assert.equal(back.dtype, a.dtype);
    assert.deepEqual(back.shape, a.shape);
    assert.equal(back.data.constructor, a.data.constructor);
    assert.deepEqual(new Uint8Array(back.data.buffer, back.data.byteOffset, back.data.byteLength),
      new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), `${a.dtype} [${a.shape}]`);
  }
});

test('npy header: format 1.0, data starts at a multiple of 64, header ends with a newline, numpy spelling', () => {
  const buf = encodeNpy({ dtype: '<f4', shape: [3, 4], data: new Float32Array(12) });
  assert.equal(buf[6], 1);
  const headerLen = buf.readUInt16LE(8);
  assert.equal((10 + headerLen) % 64, 0);
  assert.equal(buf.length, 10 + headerLen + 48);
  const header = buf.subarray(10, 10 + headerLen).toString('latin1');
  assert.ok(header.endsWith('\n'));
  // What numpy 1.x/2.x's np.save writes for np.zeros((3, 4), np.float32) (128-byte preamble).
  assert.equal(header.trimEnd(), "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }");
  assert.equal(10 + headerLen, 128);
  const one = encodeNpy({ dtype: '|u1', shape: [5], data: new Uint8Array(5) }).toString('latin1');
  assert.ok(one.includes("'shape': (5,)"), 'a 1-tuple has a trailing comma');
});

test('writeNpy writes the same bytes to a file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-npy-'));
  const a: NpyArray = { dtype: '<i4', shape: [2], data: Int32Array.from([1, 2]) };
  writeNpy(path.join(dir, 'a.npy'), a);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'a.npy')), encodeNpy(a));
  fs.rmSync(dir, { recursive: true });
});

/** A hand-made .npy with any header text and data bytes. */
function rawNpy(header: string, data: number[], major = 1): Buffer {
  const prefix = major === 1 ? 10 : 12;
  const total = Math.ceil((prefix + header.length + 1) / 64) * 64;
  const h = Buffer.alloc(total, 0x20);
  h.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  if (major === 1) h.writeUInt16LE(total - prefix, 8); else h.writeUInt32LE(total - prefix, 8);
  h.write(header, prefix, 'latin1');
  h[total - 1] = 0x0a;
  return Buffer.concat([h, Buffer.from(data)]);
}

test('readNpy reads format 2.0 and big-endian data (byte-swapped)', () => {
  const be = rawNpy("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", [0, 0, 1, 2, 0xff, 0xff, 0xff, 0xfe], 2);
  const a = readNpy(be, 'be.npy');
  assert.equal(a.dtype, '<i4');
  assert.deepEqual(Array.from(a.data as Int32Array), [258, -2]);
});

test('readNpy: bad magic, truncation, Fortran order and unknown dtypes are DataErrors naming the file', () => {
  const good = encodeNpy({ dtype: '<f4', shape: [4], data: new Float32Array(4) });
  const isData = (re: RegExp) => (e: unknown) => e instanceof DataError && /f\.npy/.test(e.message) && re.test(e.message);
  assert.throws(() => readNpy(Buffer.from('PK\x03\x04 not npy at all'), 'f.npy'), isData(/not a \.npy/));
  assert.throws(() => readNpy(good.subarray(0, 50), 'f.npy'), isData(/truncated/));
  assert.throws(() => readNpy(good.subarray(0, good.length - 1), 'f.npy'), isData(/truncated/));
  assert.throws(() => readNpy(Buffer.concat([good, Buffer.alloc(4)]), 'f.npy'), isData(/holds 20/));
  assert.throws(() => readNpy(rawNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", [0, 0, 0, 0]), 'f.npy'), isData(/Fortran/));
  assert.throws(() => readNpy(rawNpy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", [0, 0, 0, 0, 0, 0, 0, 0]), 'f.npy'), isData(/not supported/));
  // A shape claiming 10^12 elements is refused by comparison with the bytes present, not allocated.
  assert.throws(() => readNpy(rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }", []), 'f.npy'), isData(/truncated/));
  assert.throws(() => readNpy(rawNpy("{'descr': '<f8', 'shape': (1,), }", []), 'f.npy'), isData(/malformed/));
  const v9 = Buffer.from(good); v9[6] = 9;
  assert.throws(() => readNpy(v9, 'f.npy'), isData(/version 9/));
});
