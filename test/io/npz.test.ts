import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, encodeNpz, loadNpz, readNpz, writeNpz } from '../../src/io/npz.js';
import type { NpyArray } from '../../src/io/npy.js';
import { decodeStatistics, encodeStatistics, featuresToStatistics, mergeStatistics } from '../../src/metrics/statistics.js';
import { DataError } from '../../src/errors.js';

const REF = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'reference');

const arrays: Record<string, NpyArray> = {
  mu: { dtype: '<f8', shape: [3], data: Float64Array.of(1, -2.5, Math.PI) },
  sigma: { dtype: '<f8', shape: [3, 3], data: Float64Array.from({ length: 9 }, (_, i) => i / 7) },
  n: { dtype: '<i8', shape: [], data: BigInt64Array.of(12345n) },
  img: { dtype: '|u1', shape: [2, 2, 3], data: Uint8Array.from({ length: 12 }, (_, i) => i * 20) },
};

test('CRC-32 of the standard check string is 0xCBF43926', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});

test('npz round trip, stored and deflated, bit-exact', () => {
  for (const compress of [false, true]) {
    const back = readNpz(encodeNpz(arrays, { compress }), 'mem.npz');
    assert.deepEqual(Object.keys(back), Object.keys(arrays));
    for (const [k, a] of Object.entries(arrays)) {
      assert.equal(back[k]!.dtype, a.dtype);
      assert.deepEqual(back[k]!.shape, a.shape);
      assert.deepEqual(Array.from(back[k]!.data as ArrayLike<number | bigint>), Array.from(a.data as ArrayLike<number | bigint>));
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-npz-'));
  writeNpz(path.join(dir, 's.npz'), arrays, { compress: true });
  assert.equal((loadNpz(path.join(dir, 's.npz')).n!.data as BigInt64Array)[0], 12345n);
  fs.rmSync(dir, { recursive: true });
});

test('reads numpy-written archives: np.savez (zip64 local headers) and np.savez_compressed', () => {
  const plain = readNpz(fs.readFileSync(path.join(REF, 'fid_stats_64.npz')), 'fid_stats_64.npz');
  assert.deepEqual(Object.keys(plain).sort(), ['mu', 'sigma']);
  assert.deepEqual(plain.sigma!.shape, [64, 64]);
  const packed = readNpz(fs.readFileSync(path.join(REF, 'fid_stats_64_compressed.npz')), 'fid_stats_64_compressed.npz');
  assert.deepEqual(Array.from(packed.mu!.data as Float64Array), Array.from(plain.mu!.data as Float64Array));
  assert.deepEqual(packed.n!.shape, []);
});

test('statistics files: ours keep n and merge; the merge of two halves is the whole to 1e-10', () => {
  const d = 5;
  const x = Float64Array.from({ length: 40 * d }, (_, i) => Math.sin(i * 1.7) * (1 + (i % d)));
  const a = featuresToStatistics(x.subarray(0, 15 * d), 15, d);
  const b = featuresToStatistics(x.subarray(15 * d), 25, d);
  const whole = featuresToStatistics(x, 40, d);
  const aa = decodeStatistics(encodeStatistics(a), 'a.npz');
  const bb = decodeStatistics(encodeStatistics(b, { compress: true }), 'b.npz');
  const m = mergeStatistics(aa, bb);
  assert.equal(m.n, 40);
  const top = Math.max(...whole.sigma.map(Math.abs));
  for (let i = 0; i < d * d; i++) assert.ok(Math.abs(m.sigma[i]! - whole.sigma[i]!) <= 1e-10 * top);
  for (let i = 0; i < d; i++) assert.ok(Math.abs(m.mu[i]! - whole.mu[i]!) <= 1e-10 * Math.abs(whole.mu[i]!) + 1e-16);
  assert.throws(() => decodeStatistics(encodeNpz({ mu: arrays.mu! }), 'only-mu.npz'), (e: unknown) => e instanceof DataError && /only-mu\.npz.*'mu' and 'sigma'/.test(e.message));
});

const isDataErr = (re: RegExp) => (e: unknown) => e instanceof DataError && /bad\.npz/.test(e.message) && re.test(e.message);

test('bad archives are DataErrors naming the file: truncated, wrong CRC, oversize or out-of-range fields', () => {
  const good = encodeNpz(arrays);
  const packed = encodeNpz(arrays, { compress: true });
  // Truncated anywhere: no end record, or a central directory / member outside the file.
  for (const cut of [0, 10, good.length - 30, good.length - 1]) {
    assert.throws(() => readNpz(good.subarray(0, cut), 'bad.npz'), isDataErr(/./), `cut at ${cut}`);
  }
  // A flipped data byte: CRC mismatch (stored) or a deflate error / CRC mismatch (deflated).
  const flipped = Buffer.from(good);
  flipped[30 + 'mu.npy'.length + 130]! ^= 0x01;
  assert.throws(() => readNpz(flipped, 'bad.npz'), isDataErr(/CRC-32 mismatch in member 'mu\.npy'/));
  const flippedZ = Buffer.from(packed);
  flippedZ[30 + 'mu.npy'.length + 20]! ^= 0xff;
  assert.throws(() => readNpz(flippedZ, 'bad.npz'), isDataErr(/mu\.npy/));
  // Central directory fields: find the first entry and corrupt its sizes and offset.
  const cdOffset = good.readUInt32LE(good.length - 22 + 16);
  const withField = (at: number, value: number) => { const b = Buffer.from(good); b.writeUInt32LE(value, cdOffset + at); return b; };
  assert.throws(() => readNpz(withField(20, 0x7fffffff), 'bad.npz'), isDataErr(/outside/)); // compressed size
  assert.throws(() => readNpz(withField(42, 0x7ffffff0), 'bad.npz'), isDataErr(/outside/)); // local header offset
  assert.throws(() => readNpz(withField(24, 5), 'bad.npz'), isDataErr(/declares/)); // stored size ≠ uncompressed size
  // A deflated member that inflates to more than it declares (a zip bomb) is refused without inflating it all.
  const pcd = packed.readUInt32LE(packed.length - 22 + 16);
  const small = Buffer.from(packed);
  small.writeUInt32LE(10, pcd + 24);
  assert.throws(() => readNpz(small, 'bad.npz'), isDataErr(/does not inflate|inflates to/));
  // An entry count that cannot fit the directory, and a non-zip.
  const many = Buffer.from(good);
  many.writeUInt16LE(0xfff0, many.length - 22 + 10);
  assert.throws(() => readNpz(many, 'bad.npz'), isDataErr(/cannot fit/));
  assert.throws(() => readNpz(Buffer.from('\x93NUMPY not a zip at all, just text of some length'), 'bad.npz'), isDataErr(/end-of-central-directory/));
  // A member that is not a valid .npy: the npy reader's DataError names the archive and member.
  const notNpy = encodeNpz({ x: arrays.mu! });
  notNpy[30 + 'x.npy'.length] = 0x00; // breaks the \x93NUMPY magic (and the CRC, checked first)
  assert.throws(() => readNpz(notNpy, 'bad.npz'), isDataErr(/./));
});
