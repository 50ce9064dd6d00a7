/**
 * The decode cache: byte stores of decoded, resized images on disk, so a second run over the same
 * folders skips decoding and resizing. Key: SHA-256 over the cache format version, the decode
 * settings (size, channels, layout) and, for every file in order, its name relative to its
 * folder and the SHA-256 of its bytes. Renaming a folder keeps the key; changing, adding,
 * removing or renaming a file, or changing --load-size/--channels, changes it.
 *
 * File: "GANBOXDC" | u32 headerBytes | header JSON {n, parts, bytesPerPart, kept, skipped} |
 * payload (the stores one after another) | SHA-256 of everything before. A torn or corrupted
 * entry fails its checksum and is decoded again (and rewritten). Writes are atomic.
 *
 * Location: `cacheDir` if given, else $GANBOX_CACHE_DIR, else ~/.cache/ganbox/decoded.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import type { DecodeSettings } from './decode.js';
import type { Decoded } from './decode-pool.js';

const MAGIC = Buffer.from('GANBOXDC', 'ascii');
const FORMAT = 1;

export function defaultCacheDir(): string {
  return process.env.GANBOX_CACHE_DIR || path.join(os.homedir(), '.cache', 'ganbox', 'decoded');
}

/** Key of a decode: `entries` are [name relative to its folder, absolute path] in store order. */
export function decodeCacheKey(entries: readonly (readonly [string, string])[], settings: DecodeSettings, extra = ''): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ format: FORMAT, size: settings.size, channels: settings.channels, layout: settings.layout, extra }));
  for (const [name, file] of entries) {
    h.update('\0' + name + '\0');
    h.update(createHash('sha256').update(fs.readFileSync(file)).digest());
  }
  return h.digest('hex');
}

export const cacheFile = (dir: string, key: string) => path.join(dir, `${key}.gbdc`);

/** The cached decode, or undefined when absent or unusable (then it is decoded again). */
export function readDecodeCache(dir: string, key: string, files: readonly string[]): Decoded | undefined {
  const file = cacheFile(dir, key);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (buf.length < 12 + 32 || !buf.subarray(0, 8).equals(MAGIC)) return undefined;
  const body = buf.subarray(0, buf.length - 32);
  if (!createHash('sha256').update(body).digest().equals(buf.subarray(buf.length - 32))) return undefined;
  const hb = buf.readUInt32LE(8);
  let header: { n: number; parts: number; bytesPerPart: number; kept: number[]; skipped: { index: number; reason: string }[] };
  try {
    header = JSON.parse(body.subarray(12, 12 + hb).toString('utf8'));
  } catch {
    return undefined;
  }
  const payload = body.subarray(12 + hb);
  const len = header.kept.length * header.bytesPerPart;
  if (payload.length !== len * header.parts) return undefined;
  const parts = Array.from({ length: header.parts }, (_, k) => new Uint8Array(payload.subarray(k * len, (k + 1) * len)));
  return { parts, kept: header.kept, skipped: header.skipped.map((s) => ({ file: files[s.index]!, reason: s.reason })) };
}

export function writeDecodeCache(dir: string, key: string, decoded: Decoded, files: readonly string[], bytesPerPart: number): void {
  const index = new Map(files.map((f, i) => [f, i]));
  const header = Buffer.from(JSON.stringify({
    n: files.length, parts: decoded.parts.length, bytesPerPart, kept: decoded.kept,
    skipped: decoded.skipped.map((s) => ({ index: index.get(s.file), reason: s.reason })),
  }), 'utf8');
  const prefix = Buffer.alloc(12);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(header.length, 8);
  const body = Buffer.concat([prefix, header, ...decoded.parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))]);
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(cacheFile(dir, key), Buffer.concat([body, createHash('sha256').update(body).digest()]));
}
