import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadTorchCheckpoint, readTorchCheckpoint, tensorToFloat32, type TorchTensor } from '../../src/io/torch-pth.js';
import { encodeZip, readZip } from '../../src/io/zip.js';
import { mulberry32 } from '../reliability/helpers.js';
import { DataError } from '../../src/errors.js';

// Fixtures made by test/reference/make_pth_fixtures.py (torch 1.13; versions in versions.json).
const DIR = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'pth');
const fixture = (name: string) => path.join(DIR, name);
const bytesOf = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));
interface Expected { dtype: string; shape: number[]; hex: string }
const EXPECTED = JSON.parse(fs.readFileSync(fixture('expected.json'), 'utf8')) as Record<string, Record<string, Expected>>;
const hexOf = (t: TorchTensor) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');

function assertMatches(got: Map<string, TorchTensor>, want: Record<string, Expected>, file: string): void {
  assert.deepEqual([...got.keys()], Object.keys(want), `${file}: keys and their order`);
  for (const [k, e] of Object.entries(want)) {
    const t = got.get(k)!;
    assert.equal(t.dtype, e.dtype, `${file} ${k} dtype`);
    assert.deepEqual(t.shape, e.shape, `${file} ${k} shape`);
    assert.equal(t.data.length, e.shape.reduce((a, b) => a * b, 1), `${file} ${k} element count`);
    assert.equal(hexOf(t), e.hex, `${file} ${k}: bytes differ from PyTorch's`);
  }
}

/** A stored (uncompressed) zip with torch's layout, for hand-made or mutated pickles. */
function storedZip(members: Record<string, Uint8Array>): Uint8Array {
  return new Uint8Array(encodeZip(Object.entries(members)));
}
const pickleZip = (pkl: Uint8Array | number[] | string, extra: Record<string, Uint8Array> = {}) =>
  storedZip({ 'archive/data.pkl': typeof pkl === 'string' ? Buffer.from(pkl, 'latin1') : Uint8Array.from(pkl), 'archive/version': Buffer.from('3\n'), ...extra });

/**
 * Runs `fn`; it must throw a DataError (returned) within `ms`: a guard against hangs and
 * quadratic blow-ups (which take minutes), generous enough for a loaded 2-core CI machine.
 */
function dataError(fn: () => unknown, ms = 15_000): DataError {
  const t0 = performance.now();
  try { fn(); } catch (err) {
    assert.ok(performance.now() - t0 < ms, `took ${(performance.now() - t0).toFixed(0)} ms`);
    assert.ok(err instanceof DataError, `expected a DataError, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
    return err;
  }
  assert.fail('expected a DataError, but it loaded');
}

test('zip and legacy checkpoints give exactly the tensors PyTorch saved (bit for bit)', () => {
  for (const fmt of ['zip', 'legacy']) {
    assertMatches(loadTorchCheckpoint(fixture(`tensors_${fmt}.pth`)), EXPECTED.tensors!, `tensors_${fmt}.pth`);
  }
});

test('views come out as PyTorch shows them: transpose, slice with storage offset, step, permute, expand', () => {
  for (const fmt of ['zip', 'legacy']) {
    const m = loadTorchCheckpoint(fixture(`tensors_${fmt}.pth`));
    const big = m.get('big')!.data as Float32Array; // [4, 6]
    const tr = m.get('transposed')!.data as Float32Array; // [6, 4]
    for (let i = 0; i < 6; i++) for (let j = 0; j < 4; j++) assert.equal(tr[i * 4 + j], big[j * 6 + i]);
    const sl = m.get('slice')!.data as Float32Array; // big[1:3, 2:5]
    assert.deepEqual(Array.from(sl), [big[8], big[9], big[10], big[14], big[15], big[16]]);
    assert.deepEqual(Array.from(m.get('steps')!.data as Float64Array), [3, 7, 11, 15, 19].map((i) => i / 3));
    assert.deepEqual(Array.from(m.get('expanded')!.data as Float32Array), [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    const conv = m.get('conv')!.data as Float32Array, perm = m.get('permuted')!; // conv.permute(2, 0, 3, 1)
    assert.deepEqual(perm.shape, [3, 2, 3, 3]);
    // permuted[a, b, c, d] = conv[b, d, a, c]; conv is [2, 3, 3, 3].
    const at = (b: number, d: number, a: number, c: number) => conv[((b * 3 + d) * 3 + a) * 3 + c];
    let k = 0;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 2; b++) for (let c = 0; c < 3; c++) for (let d = 0; d < 3; d++) {
      assert.equal((perm.data as Float32Array)[k++], at(b, d, a, c));
    }
    assert.deepEqual(m.get('scalar')!.shape, []);
    assert.equal((m.get('scalar')!.data as Float32Array)[0], 2.5);
    assert.equal(m.get('empty')!.data.length, 0);
    assert.deepEqual(Array.from(tensorToFloat32(m.get('f16')!)), Array.from(tensorToFloat32({ ...m.get('f16')!, dtype: 'float16' })));
  }
});

test('float16/bfloat16 decode to the values PyTorch rounds to', () => {
  const t = (dtype: 'float16' | 'bfloat16', bits: number[]) => Array.from(tensorToFloat32({ dtype, shape: [bits.length], data: Uint16Array.from(bits) }));
  assert.deepEqual(t('float16', [0x3c00, 0xc000, 0x0001, 0x7c00, 0x3555]), [1, -2, 2 ** -24, Infinity, Math.fround(0.333251953125)]);
  assert.deepEqual(t('bfloat16', [0x3f80, 0xc040]), [1, -3]);
});

test('a BatchNorm state_dict nested under state_dict (OrderedDict with _metadata), int64 scalar', () => {
  for (const fmt of ['zip', 'legacy']) {
    const m = loadTorchCheckpoint(fixture(`batchnorm_${fmt}.pth`));
    assertMatches(m, EXPECTED.batchnorm!, `batchnorm_${fmt}.pth`);
    const n = m.get('num_batches_tracked')!;
    assert.deepEqual(n.shape, []);
    assert.equal((n.data as BigInt64Array)[0], 2n);
  }
});

test('malicious files are refused with the global named, and nothing ran', () => {
  const marker = '/tmp/ganbox-pwned-pth-fixture';
  const suffixes = ['-system', '-eval', '-raw'];
  for (const s of suffixes) fs.rmSync(marker + s, { force: true });
  const cases: [string, string][] = [
    ['evil_system_zip.pth', 'posix.system'], ['evil_system_legacy.pth', 'posix.system'],
    ['evil_eval_zip.pth', 'builtins.eval'], ['evil_eval_legacy.pth', 'builtins.eval'],
    ['evil_os_raw_legacy.pth', 'os.system'],
  ];
  for (const [file, global] of cases) {
    const e = dataError(() => loadTorchCheckpoint(fixture(file)));
    assert.match(e.message, new RegExp(`^refusing to load ${global.replace('.', '\\.')} from .*${file}: only tensors and containers are allowed`));
  }
  for (const s of suffixes) assert.equal(fs.existsSync(marker + s), false, `${marker + s} exists: something ran`);
});

test('hand-made pickles: other refused globals, opcodes and calls', () => {
  const refuse = (pkl: string, what: RegExp) => assert.match(dataError(() => readTorchCheckpoint(pickleZip(pkl), 'x.pth')).message, what);
  // STACK_GLOBAL (protocol 4) naming os.system
  refuse('\x80\x04\x8c\x02os\x94\x8c\x06system\x94\x93\x94\x8c\x04true\x85R.', /refusing to load os\.system from x\.pth/);
  refuse('\x80\x02c__builtin__\nexec\nX\x01\x00\x00\x001\x85R.', /refusing to load builtins\.exec/);
  refuse('\x80\x02csubprocess\nPopen\n.', /refusing to load subprocess\.Popen/);
  refuse('\x80\x02ctorch\nload\n.', /refusing to load torch\.load/);
  refuse('\x80\x02ctorch._utils\n_rebuild_tensor_v2\nctorch\nFloatStorage\n\x85R.', /_rebuild_tensor_v2 needs at least 4 arguments, got 1/);
  refuse('(S\'os\'\nS\'system\'\ni.', /opcode 0x53 'S'/); // protocol-0 text STRING
  refuse('\x80\x02(cos\nsystem\nX\x02\x00\x00\x00idi.', /refusing to load os\.system/);
  refuse('\x80\x02(]o.', /opcode 0x6f 'o'/); // OBJ
  refuse('\x80\x02]X\x01\x00\x00\x00a\x85R.', /REDUCE calls a list/);
  refuse('\x80\x02]}b.', /BUILD on a list/);
  refuse('\x80\x02ccollections\nOrderedDict\n)\x81.', /NEWOBJ instantiates collections\.OrderedDict/);
  refuse('\x80\x02X\x01\x00\x00\x00xQ.', /persistent id that is a str/);
  refuse('\x80\x02(X\x06\x00\x00\x00socketq\x00tQ.', /only 'storage' is allowed/);
  refuse('\x80\x02h\x05.', /memo entry 5 is read before it is written/);
  refuse('\x80\x02\x86.', /stack underflow/);
  refuse('\x80\x02}]]s.', /unhashable list/);
  refuse('\x80\x02K\x01', /ends without STOP/);
  refuse('\x80\x02K\x01.', /holds a int, not a state_dict/);
});

test('huge length fields are refused before anything is allocated', () => {
  const p = (...ops: number[]) => readTorchCheckpoint(pickleZip([0x80, 0x02, ...ops, 0x2e]), 'tiny.pth');
  const t0 = performance.now();
  assert.match(dataError(() => p(0x42, 0x00, 0x00, 0x00, 0x80)).message, /BINBYTES of 2147483648 bytes runs past the end of the \d+-byte file/);
  dataError(() => p(0x42, 0xff, 0xff, 0xff, 0xff));
  dataError(() => p(0x58, 0xff, 0xff, 0xff, 0x7f)); // BINUNICODE 2^31-1
  dataError(() => p(0x8d, 0, 0, 0, 0, 0, 0, 0, 0x40)); // BINUNICODE8 2^62
  dataError(() => p(0x8e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)); // BINBYTES8 2^64-1
  dataError(() => p(0x95, 0, 0, 0, 0, 0, 0, 0, 0x10)); // FRAME 2^60
  dataError(() => p(0x8b, 0xff, 0xff, 0xff, 0x7f)); // LONG4 2^31-1
  dataError(() => p(0x54, 0xff, 0xff, 0xff, 0xff)); // BINSTRING -1
  // A stride-0 view of 2^40 elements over a 1-element storage (a valid PyTorch file).
  assert.match(dataError(() => loadTorchCheckpoint(fixture('huge_expand_zip.pth'))).message, /larger than it could hold/);
  // A storage declaring 2^40 elements in a tiny zip: refused when its data member is checked.
  const zip = bytesOf('tensors_zip.pth');
  const pkl = readZip(zip, 'z').find((e) => e.name.endsWith('data.pkl'))!.data;
  const patched = Buffer.from(pkl);
  const at = patched.indexOf(Buffer.from('cpuq\x07K\x0c', 'latin1')); // numel 12 of storage '0'
  assert.ok(at > 0);
  const bigNumel = Buffer.concat([patched.subarray(0, at + 5), Buffer.from([0x8a, 6, 0, 0, 0, 0, 0, 1]), patched.subarray(at + 7)]);
  const members = Object.fromEntries(readZip(zip, 'z').map((e) => [e.name, e.name.endsWith('data.pkl') ? new Uint8Array(bigNumel) : e.data]));
  assert.match(dataError(() => readTorchCheckpoint(storedZip(members), 'big-numel.pth')).message, /storage '0' holds 48 bytes, not the 4398046511104/);
  assert.ok(performance.now() - t0 < 15_000, 'huge-length cases took over 15 s');
});

test('quadratic work (one big list turned into a set thousands of times) stops at the work budget', () => {
  const list = [0x5d, 0x71, 0x00, 0x28, ...Array.from({ length: 50000 }, () => [0x4b, 0x01]).flat(), 0x65];
  const call = [...Buffer.from('cbuiltins\nset\n', 'latin1'), 0x68, 0x00, 0x85, 0x52, 0x30]; // set(memo[0]); POP
  const pkl = [0x80, 0x02, ...list, ...Array.from({ length: 5000 }, () => call).flat(), 0x4e, 0x2e];
  assert.match(dataError(() => readTorchCheckpoint(pickleZip(pkl), 'slow.pth')).message, /slow\.pth.*more than \d+ steps/);
});

test('a view reaching past its storage, or a missing/short storage, is a DataError naming the file', () => {
  const zip = bytesOf('tensors_zip.pth');
  const entries = readZip(zip, 'z');
  const without = Object.fromEntries(entries.filter((e) => !e.name.endsWith('/data/0')).map((e) => [e.name, e.data]));
  assert.match(dataError(() => readTorchCheckpoint(storedZip(without), 'missing.pth')).message, /missing\.pth.*storage '0'.*is missing/);
  const short = Object.fromEntries(entries.map((e) => [e.name, e.name.endsWith('/data/0') ? e.data.subarray(0, 8) : e.data]));
  assert.match(dataError(() => readTorchCheckpoint(storedZip(short), 'short.pth')).message, /short\.pth.*holds 8 bytes/);
  // w32 is size (3, 4), stride (4, 1) on storage '0' (12 floats): make the stride (5, 1).
  const pkl = Buffer.from(entries.find((e) => e.name.endsWith('data.pkl'))!.data);
  const at = pkl.indexOf(Buffer.from('K\x04K\x01\x86', 'latin1'));
  pkl[at + 1] = 5;
  const bad = Object.fromEntries(entries.map((e) => [e.name, e.name.endsWith('data.pkl') ? new Uint8Array(pkl) : e.data]));
  assert.match(dataError(() => readTorchCheckpoint(storedZip(bad), 'oob.pth')).message, /oob\.pth.*reaches element 13 of a 12-element storage/);
  assert.match(dataError(() => readTorchCheckpoint(new Uint8Array([1, 2, 3]), 'junk.bin')).message, /junk\.bin is not a PyTorch checkpoint/);
});


function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const int = (n: number) => Math.floor(r() * n);
  const kind = int(6);
  if (kind === 0) return src.slice(0, int(src.length)); // truncation
  if (kind === 1) return Uint8Array.from({ length: int(400) }, () => int(256)); // random bytes
  const b = src.slice();
  if (kind === 2) { for (let i = 1 + int(8); i > 0; i--) b[int(b.length)]! ^= 1 << int(8); return b; } // bit flips
  if (kind === 3) { for (let i = 1 + int(4); i > 0; i--) b[int(b.length)] = [0, 0xff, 0x7f, 0x80, int(256)][int(5)]!; return b; }
  if (kind === 4) { const at = int(b.length); return Uint8Array.from([...b.subarray(0, at), ...Array.from({ length: 1 + int(8) }, () => int(256)), ...b.subarray(at)]); }
  const at = int(b.length); return Uint8Array.from([...b.subarray(0, at), ...b.subarray(Math.min(b.length, at + 1 + int(16)))]); // deletion
}

test('seeded fuzz: mutated, truncated and random inputs only ever give DataError, quickly', () => {
  const r = mulberry32(20240605);
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.pth'));
  // Zip files: mutate the container, and (so the CRC does not stop every case) the pickle inside.
  const zipPickles = files.filter((f) => f.includes('zip')).map((f) => {
    const entries = readZip(bytesOf(f), f);
    return { f, entries, pkl: entries.find((e) => e.name.endsWith('data.pkl'))! };
  });
  let cases = 0, loaded = 0, slowest = 0;
  const run = (input: Uint8Array, label: string) => {
    const t0 = performance.now();
    try { readTorchCheckpoint(input, label); loaded++; } catch (err) {
      if (!(err instanceof DataError)) assert.fail(`${label}: ${(err as Error)?.name}: ${(err as Error)?.message}`);
      assert.ok(err.message.includes(label), `${label}: the message does not name the file: ${err.message}`);
    }
    const ms = performance.now() - t0;
    slowest = Math.max(slowest, ms);
    assert.ok(ms < 500, `${label} took ${ms.toFixed(0)} ms`);
    cases++;
  };
  for (let i = 0; i < 400; i++) {
    const f = files[i % files.length]!;
    run(mutate(bytesOf(f), r), `fuzz-${i}-${f}`);
  }
  for (let i = 0; i < 400; i++) {
    const { f, entries, pkl } = zipPickles[i % zipPickles.length]!;
    const members = Object.fromEntries(entries.map((e) => [e.name, e === pkl ? mutate(pkl.data, r) : e.data]));
    run(storedZip(members), `fuzz-pkl-${i}-${f}`);
  }
  assert.equal(cases, 800);
  assert.ok(loaded < cases, 'every mutated file loaded: the mutations are not reaching the parser');
  assert.ok(slowest < 500);
});
