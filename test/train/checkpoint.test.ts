import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  decodeCheckpoint, encodeCheckpoint, listCheckpoints, loadLatestCheckpoint, writeCheckpoint, type CheckpointData,
} from '../../src/train/checkpoint.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-ckpt-'));

function sample(step: number): CheckpointData {
  const tensors = new Map([
    ['G/0', { shape: [2, 3], values: new Float32Array([1, -2, 3.5, Math.PI, 0, -0]) }],
    ['D/0', { shape: [1], values: new Float32Array([step]) }],
  ]);
  return { step, state: { rng: { s: [1, 2, 3, 4], spare: null }, note: 'ü' }, tensors };
}

test('encode/decode round-trips tensors and state exactly', () => {
  const ck = sample(12);
  const back = decodeCheckpoint(encodeCheckpoint(ck), 'mem');
  assert.equal(back.step, 12);
  assert.deepEqual(back.state, ck.state);
  for (const [k, v] of ck.tensors) {
    assert.deepEqual(back.tensors.get(k)!.shape, v.shape);
    assert.deepEqual(Array.from(back.tensors.get(k)!.values), Array.from(v.values));
  }
});

test('a torn or corrupted file is detected, naming the file', () => {
  const buf = encodeCheckpoint(sample(1));
  assert.throws(() => decodeCheckpoint(buf.subarray(0, buf.length - 5), 'a.ckpt'), /a\.ckpt.*checksum/);
  const flipped = Buffer.from(buf);
  flipped[40] ^= 0x10;
  assert.throws(() => decodeCheckpoint(flipped, 'b.ckpt'), /b\.ckpt.*checksum/);
  assert.throws(() => decodeCheckpoint(Buffer.from('not a checkpoint at all, really not one'), 'c.ckpt'), /c\.ckpt.*magic/);
});

test('writeCheckpoint keeps the newest K; loadLatest falls back past a corrupted newest one', () => {
  const dir = tmp();
  for (const s of [100, 200, 300, 400]) writeCheckpoint(dir, sample(s), 3);
  assert.deepEqual(listCheckpoints(dir).map((f) => path.basename(f)), ['step-000200.ckpt', 'step-000300.ckpt', 'step-000400.ckpt']);
  assert.equal(fs.readdirSync(dir).filter((f) => f.includes('.tmp')).length, 0, 'no temporary files left');
  const newest = listCheckpoints(dir).at(-1)!;
  fs.truncateSync(newest, 100); // a torn write
  const loaded = loadLatestCheckpoint(dir)!;
  assert.equal(loaded.data.step, 300);
  assert.equal(loaded.skipped.length, 1);
  assert.match(loaded.skipped[0]!.reason, /step-000400\.ckpt/);
  assert.equal(loadLatestCheckpoint(path.join(dir, 'none')), undefined);
});
