/**
 * NumPy `.npz` reading and writing: a zip archive whose members are `.npy` files (np.savez writes
 * them stored, np.savez_compressed deflated). Reading goes through the validated zip reader in
 * zip.ts (offsets and sizes checked, inflate bounded, CRC-32 verified); writing produces a plain
 * zip (no zip64) with the layout described there. Every problem is a DataError naming the file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { DataError } from '../errors.js';
import { encodeNpy, readNpy, type NpyArray } from './npy.js';
import { crc32, readZip, SIG_CENTRAL, SIG_EOCD, SIG_LOCAL } from './zip.js';

export { crc32 };

export interface NpzWriteOptions {
  /** Deflate members (np.savez_compressed). Default false (np.savez). */
  compress?: boolean;
}

/** Encodes named arrays as .npz bytes; member `name` is stored as `name.npy`. */
export function encodeNpz(arrays: Record<string, NpyArray>, opts: NpzWriteOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [key, array] of Object.entries(arrays)) {
    const name = Buffer.from(`${key}.npy`, 'utf8');
    const raw = encodeNpy(array);
    const data = opts.compress ? deflateRawSync(raw) : raw;
    const method = opts.compress ? 8 : 0;
    const crc = crc32(raw);
    if (offset + 30 + name.length + data.length > 0xfffffffe || raw.length > 0xfffffffe) {
      throw new DataError(`encodeNpz: member '${key}' does not fit a zip without zip64 (over 4 GiB); save fewer or smaller arrays.`);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(SIG_LOCAL, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // flags: UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(SIG_CENTRAL, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(SIG_EOCD, 0);
  const count = Object.keys(arrays).length;
  eocd.writeUInt16LE(count, 8);
  eocd.writeUInt16LE(count, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** Writes named arrays to `path` as .npz. */
export function writeNpz(path: string, arrays: Record<string, NpyArray>, opts: NpzWriteOptions = {}): void {
  writeFileSync(path, encodeNpz(arrays, opts));
}

/** Reads an .npz file from disk. */
export function loadNpz(path: string): Record<string, NpyArray> {
  let bytes: Buffer;
  try { bytes = readFileSync(path); } catch (e) {
    throw new DataError(`cannot read ${path}: ${(e as Error).message}.`);
  }
  return readNpz(bytes, path);
}

/** Parses .npz bytes into named arrays (the `.npy` suffix dropped from member names). */
export function readNpz(bytes: Uint8Array, fileName = '.npz data'): Record<string, NpyArray> {
  const out: Record<string, NpyArray> = {};
  for (const { name, data } of readZip(bytes, fileName, 'a valid .npz (zip) file')) {
    const key = name.endsWith('.npy') ? name.slice(0, -4) : name;
    out[key] = readNpy(data, `${fileName} (member ${name})`);
  }
  return out;
}
