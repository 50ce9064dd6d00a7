/**
 * The checkpoint file: everything a run needs to continue exactly where it stopped.
 *
 * Layout (little-endian):
 *   "GANBOXCK" | u32 version | u32 headerBytes | header JSON (utf-8) | payload | sha256(all before)
 * The header lists each tensor {name, shape, offset, length} (float32, offsets into the payload)
 * and carries the JSON state (step, RNG and data-stream state, optimiser step counts, config).
 * The trailing SHA-256 detects torn and corrupted files; `loadLatestCheckpoint` then falls back to
 * the previous good one. Files are written atomically (io/atomic.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { DataError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';

const MAGIC = Buffer.from('GANBOXCK', 'ascii');
const VERSION = 1;
const HASH_BYTES = 32;

export interface NamedArray {
  shape: number[];
  values: Float32Array;
}

export interface CheckpointData {
  step: number;
  state: Record<string, unknown>;
  tensors: Map<string, NamedArray>;
}

interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

export function encodeCheckpoint(data: CheckpointData): Buffer {
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const [name, t] of data.tensors) {
    entries.push({ name, shape: t.shape, offset, length: t.values.length });
    offset += t.values.length * 4;
  }
  const header = Buffer.from(JSON.stringify({ step: data.step, state: data.state, tensors: entries }), 'utf8');
  const prefix = Buffer.alloc(16);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(VERSION, 8);
  prefix.writeUInt32LE(header.length, 12);
  const payload = Buffer.alloc(offset);
  for (const e of entries) {
    const v = data.tensors.get(e.name)!.values;
    Buffer.from(v.buffer, v.byteOffset, v.byteLength).copy(payload, e.offset);
  }
  const body = Buffer.concat([prefix, header, payload]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

export function decodeCheckpoint(buf: Buffer, file: string): CheckpointData {
  const bad = (why: string) => new DataError(`checkpoint ${file} is unusable: ${why}`);
  if (buf.length < 16 + HASH_BYTES || !buf.subarray(0, 8).equals(MAGIC)) throw bad('not a ganbox checkpoint (wrong magic)');
  const version = buf.readUInt32LE(8);
  if (version !== VERSION) throw bad(`version ${version} is not supported (expected ${VERSION})`);
  const body = buf.subarray(0, buf.length - HASH_BYTES);
  const digest = createHash('sha256').update(body).digest();
  if (!digest.equals(buf.subarray(buf.length - HASH_BYTES))) throw bad('checksum mismatch (torn or corrupted file)');
  const headerBytes = buf.readUInt32LE(12);
  if (16 + headerBytes > body.length) throw bad('header longer than the file');
  let header: unknown;
  try {
    header = JSON.parse(body.subarray(16, 16 + headerBytes).toString('utf8'));
  } catch {
    throw bad('header is not valid JSON');
  }
  // The checksum proves the bytes are as written, not that a writer was ganbox: check the shape too.
  const h = header as { step?: unknown; state?: unknown; tensors?: unknown } | null;
  if (typeof h !== 'object' || h === null || Array.isArray(h)) throw bad('header is not a JSON object');
  if (!Number.isSafeInteger(h.step) || (h.step as number) < 0) throw bad('step is not a non-negative integer');
  if (h.state !== undefined && (typeof h.state !== 'object' || h.state === null || Array.isArray(h.state))) throw bad('state is not an object');
  if (!Array.isArray(h.tensors)) throw bad('the tensor list is missing');
  const payload = body.subarray(16 + headerBytes);
  const tensors = new Map<string, NamedArray>();
  for (const e of h.tensors as Partial<TensorEntry>[]) {
    const name = typeof e?.name === 'string' ? e.name : undefined;
    if (name === undefined || tensors.has(name)) throw bad('a tensor entry has no name, or a repeated one');
    const shape = e.shape;
    if (!Array.isArray(shape) || shape.length > 8 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw bad(`tensor ${name} has a malformed shape`);
    }
    const count = shape.reduce((a: number, b: number) => a * b, 1);
    const { offset, length } = e;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || count !== length ||
      offset! < 0 || offset! + length! * 4 > payload.length) {
      throw bad(`tensor ${name} lies outside the payload`);
    }
    // Sizes were checked against the payload above: this allocation is bounded by the file.
    const values = new Float32Array(length!);
    Buffer.from(values.buffer).set(payload.subarray(offset!, offset! + length! * 4));
    tensors.set(name, { shape: shape as number[], values });
  }
  return { step: h.step as number, state: (h.state as Record<string, unknown> | undefined) ?? {}, tensors };
}

const NAME = /^step-(\d{6,})\.ckpt$/;

export function checkpointPath(dir: string, step: number): string {
  return path.join(dir, `step-${String(step).padStart(6, '0')}.ckpt`);
}

/** Checkpoint files in `dir`, oldest first. */
export function listCheckpoints(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => NAME.test(f))
    .sort((a, b) => Number(NAME.exec(a)![1]) - Number(NAME.exec(b)![1]))
    .map((f) => path.join(dir, f));
}

/** Write atomically, then keep only the newest `keep` checkpoints. */
export function writeCheckpoint(dir: string, data: CheckpointData, keep: number): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = checkpointPath(dir, data.step);
  writeFileAtomic(file, encodeCheckpoint(data));
  const all = listCheckpoints(dir);
  for (const old of all.slice(0, Math.max(0, all.length - Math.max(1, keep)))) fs.rmSync(old, { force: true });
  return file;
}

export interface LoadedCheckpoint {
  data: CheckpointData;
  file: string;
  /** Newer checkpoints that were unusable, with the reason. */
  skipped: { file: string; reason: string }[];
}

/** The newest checkpoint that reads and verifies; undefined when there is none. */
export function loadLatestCheckpoint(dir: string): LoadedCheckpoint | undefined {
  const skipped: { file: string; reason: string }[] = [];
  for (const file of listCheckpoints(dir).reverse()) {
    try {
      return { data: decodeCheckpoint(fs.readFileSync(file), file), file, skipped };
    } catch (err) {
      skipped.push({ file, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return undefined;
}
