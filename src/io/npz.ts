/**
 * NumPy `.npz` reading and writing: a zip archive whose members are `.npy` files (np.savez writes
 * them stored, np.savez_compressed deflated). Reading goes through the validated zip reader in
 * zip.ts (offsets and sizes checked, inflate bounded, CRC-32 verified); writing produces a plain
 * zip (no zip64) with the layout described there. Every problem is a DataError naming the file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DataError } from '../errors.js';
import { encodeNpy, readNpy, type NpyArray } from './npy.js';
import { crc32, encodeZip, readZip } from './zip.js';

export { crc32 };

export interface NpzWriteOptions {
  /** Deflate members (np.savez_compressed). Default false (np.savez). */
  compress?: boolean;
}

/** Encodes named arrays as .npz bytes; member `name` is stored as `name.npy`. */
export function encodeNpz(arrays: Record<string, NpyArray>, opts: NpzWriteOptions = {}): Buffer {
  const members = Object.entries(arrays).map(([key, array]) => [`${key}.npy`, encodeNpy(array)] as const);
  return encodeZip(members, { compress: opts.compress, what: 'encodeNpz' });
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
