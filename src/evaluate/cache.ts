/**
 * A cache of feature statistics and features of reference data, so that evaluating a run a second
 * time does not extract its 10,000+ training images again. An entry is an .npz whose file name is
 * a digest of its key — data fingerprint + extractor + its settings (weights, resize) + layer + N —
 * and which holds the key itself (`ganbox_key`) and a SHA-256 of its arrays (`ganbox_sha256`).
 * A file whose key or checksum does not match, or that does not parse, is never used: `get`
 * reports it through `log` and returns undefined, and the caller recomputes and overwrites it.
 * Default folder: $GANBOX_CACHE, else $XDG_CACHE_HOME/ganbox, else ~/.cache/ganbox.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IoError } from '../errors.js';
import { encodeNpz, readNpz } from '../io/npz.js';
import type { NpyArray } from '../io/npy.js';
import { writeFileAtomic, ioErrorMessage } from '../io/atomic.js';

export interface CacheKey {
  what: 'statistics' | 'features';
  /** Fingerprint of the images (image-sets.ts). */
  data: string;
  extractor: string;
  /** The extractor's settings: weights, resize, … */
  settings: Readonly<Record<string, string | number>>;
  layer: string;
  n: number;
}

export function defaultCacheDir(): string {
  const env = process.env;
  if (env.GANBOX_CACHE) return env.GANBOX_CACHE;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'ganbox');
}

/** JSON with sorted object keys: one text per key, whatever the order it was built in. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

/** SHA-256 over the arrays' names, dtypes, shapes and bytes, in name order. */
function checksum(arrays: Record<string, NpyArray>): string {
  const h = createHash('sha256');
  for (const name of Object.keys(arrays).sort()) {
    const a = arrays[name]!;
    h.update(`${name}\0${a.dtype}\0${a.shape.join(',')}\0`);
    h.update(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
  }
  return h.digest('hex');
}

const text = (s: string): NpyArray => ({ dtype: '|u1', shape: [Buffer.byteLength(s)], data: new Uint8Array(Buffer.from(s)) });
const untext = (a: NpyArray | undefined) => (a && a.dtype === '|u1' ? Buffer.from(a.data as Uint8Array).toString('utf8') : undefined);

export class StatsCache {
  constructor(readonly dir: string = defaultCacheDir(), private readonly log: (message: string) => void = () => {}) {}

  /** The entry's file: <dir>/<what>-<first 32 hex digits of SHA-256(key)>.npz. */
  fileFor(key: CacheKey): string {
    return path.join(this.dir, `${key.what}-${createHash('sha256').update(canonical(key)).digest('hex').slice(0, 32)}.npz`);
  }

  /** The cached arrays for `key`, or undefined when absent, stale or corrupt (reported through log). */
  get(key: CacheKey): Record<string, NpyArray> | undefined {
    const file = this.fileFor(key);
    if (!fs.existsSync(file)) return undefined;
    let arrays: Record<string, NpyArray>;
    try {
      arrays = readNpz(fs.readFileSync(file), file);
    } catch (e) {
      this.log(`cache: ignoring ${file}: ${(e as Error).message}`);
      return undefined;
    }
    const storedKey = untext(arrays.ganbox_key), storedSum = untext(arrays.ganbox_sha256);
    delete arrays.ganbox_key;
    delete arrays.ganbox_sha256;
    if (storedKey !== canonical(key)) {
      this.log(`cache: ignoring ${file}: it was written for other data or settings.`);
      return undefined;
    }
    if (storedSum !== checksum(arrays)) {
      this.log(`cache: ignoring ${file}: its checksum does not match its contents.`);
      return undefined;
    }
    this.log(`cache: ${key.what} of ${key.n} images from ${file}`);
    return arrays;
  }

  /** Stores `arrays` under `key`, atomically (a failure to write is an IoError naming the file). */
  put(key: CacheKey, arrays: Record<string, NpyArray>): string {
    const file = this.fileFor(key);
    try {
      fs.mkdirSync(this.dir, { recursive: true });
    } catch (e) {
      throw new IoError(`${ioErrorMessage(this.dir, e, 'create the cache folder')}; pass --cache DIR with a writable folder, or --no-cache.`);
    }
    writeFileAtomic(file, encodeNpz({ ...arrays, ganbox_key: text(canonical(key)), ganbox_sha256: text(checksum(arrays)) }));
    return file;
  }
}
