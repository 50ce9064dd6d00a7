/**
 * Image-to-image translation data: two image domains A and B, paired or not.
 *
 *   pairs:DIR            each file is A|B side by side (pix2pix's datasets), split down the middle
 *   pairs:DIR_A,DIR_B    A and B in two folders, paired by file name (relative path, extension aside)
 *   unpaired:DIR_A,DIR_B two folders of any sizes (CycleGAN's trainA/trainB)
 *
 * Paired data is one FiniteSource whose examples carry A and B stacked on the channel axis
 * ([L, L, C_A + C_B], A first): a random crop or flip (augment.ts) then moves both alike, and
 * `splitPair` separates them. Unpaired data is two FiniteSources read by independent streams.
 *
 * Folders are decoded on worker threads (decode-pool.ts) to the load size L (short side → L,
 * centre crop, antialiased bilinear), once: the bytes are cached on disk keyed by the files'
 * contents and the settings (decode-cache.ts), so a second run only hashes the files.
 *
 * Memory, stated and bounded: the decoded images stay in memory as bytes, L²·C per image and
 * domain (1,000 pairs at L = 286 RGB: 2 · 1,000 · 245 KB = 491 MB); floats are made per batch.
 * More than `maxBytes` (default 4 GiB) is refused before decoding, naming --load-size.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, DataError } from '../errors.js';
import { ByteImageSource } from './byte-source.js';
import { decodeCacheKey, defaultCacheDir, readDecodeCache, writeDecodeCache } from './decode-cache.js';
import { decodeFiles, type Decoded, type OnBadImage } from './decode-pool.js';
import { partBytes, type DecodeSettings } from './decode.js';
import { listImageFiles } from './image-folder.js';
import { jpegComponents } from '../io/jpeg.js';
import type { Examples, FiniteSource } from './source.js';

export interface TranslationDataOptions {
  /** Side the images are decoded and stored at (the load size, ≥ the crop size). */
  loadSize: number;
  /** 1 or 3; undefined: each domain as its first image. */
  channels?: 1 | 3;
  onBadImage?: OnBadImage;
  /** Decode worker threads (0 = this thread). */
  workers?: number;
  /** Cache folder; false = no cache. Default: defaultCacheDir(). */
  cache?: string | false;
  /** Refuse to hold more than this many bytes of decoded images. Default 4 GiB. */
  maxBytes?: number;
  onProgress?: (label: string, done: number, total: number) => void;
  onInfo?: (message: string) => void;
}

export interface TranslationData {
  readonly spec: string;
  readonly paired: boolean;
  /** Paired: [L, L, C_A + C_B] examples (A channels first). Unpaired: undefined. */
  readonly pairs?: FiniteSource;
  /** Domain A and B alone (paired: the same rows as `pairs`). */
  readonly a: FiniteSource;
  readonly b: FiniteSource;
  readonly channelsA: 1 | 3;
  readonly channelsB: 1 | 3;
  readonly loadSize: number;
  /** 'hit' when every folder came from the cache, 'miss' when one was decoded, 'off' without cache. */
  readonly cache: 'hit' | 'miss' | 'off';
  readonly skipped: { file: string; reason: string }[];
  /** Bytes of decoded images held in memory. */
  readonly memoryBytes: number;
}

export const TRANSLATION_SPECS = ['pairs:DIR', 'pairs:DIR_A,DIR_B', 'unpaired:DIR_A,DIR_B'] as const;
export const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;

/** A and B of the same rows, stacked on the channel axis: [L, L, C_A + C_B]. */
export class PairSource implements FiniteSource {
  readonly kind = 'images' as const;
  readonly finite = true as const;
  readonly length: number;
  readonly shape: readonly number[];
  constructor(readonly spec: string, readonly a: FiniteSource, readonly b: FiniteSource) {
    if (a.length !== b.length) throw new Error('ganbox internal error: paired domains differ in length');
    this.length = a.length;
    this.shape = [a.shape[0]!, a.shape[1]!, a.shape[2]! + b.shape[2]!];
  }
  take(indices: ArrayLike<number>): Examples {
    const ea = this.a.take(indices), eb = this.b.take(indices);
    return { n: ea.n, x: stackChannels(ea.x, this.a.shape[2]!, eb.x, this.b.shape[2]!) };
  }
}

/** [n, H, W, ca] and [n, H, W, cb] → [n, H, W, ca + cb]. */
export function stackChannels(a: Float32Array, ca: number, b: Float32Array, cb: number): Float32Array {
  const pixels = a.length / ca;
  const out = new Float32Array(pixels * (ca + cb));
  for (let p = 0; p < pixels; p++) {
    for (let k = 0; k < ca; k++) out[p * (ca + cb) + k] = a[p * ca + k]!;
    for (let k = 0; k < cb; k++) out[p * (ca + cb) + ca + k] = b[p * cb + k]!;
  }
  return out;
}

/** [n, H, W, ca + cb] → A [n, H, W, ca] and B [n, H, W, cb]. */
export function splitPair(x: Float32Array, ca: number, cb: number): { a: Float32Array; b: Float32Array } {
  const pixels = x.length / (ca + cb);
  const a = new Float32Array(pixels * ca), b = new Float32Array(pixels * cb);
  for (let p = 0; p < pixels; p++) {
    for (let k = 0; k < ca; k++) a[p * ca + k] = x[p * (ca + cb) + k]!;
    for (let k = 0; k < cb; k++) b[p * cb + k] = x[p * (ca + cb) + ca + k]!;
  }
  return { a, b };
}

function checkDir(dir: string, spec: string): string {
  const d = path.resolve(dir);
  const st = fs.statSync(d, { throwIfNoEntry: false });
  if (!st?.isDirectory()) throw new DataError(`${d} is not a folder (--data ${spec} names folders of .png/.jpg images).`);
  return d;
}

function listNonEmpty(dir: string): string[] {
  const files = listImageFiles(dir);
  if (files.length === 0) throw new DataError(`${dir} holds no .png, .jpg or .jpeg files (searched recursively).`);
  return files;
}

const relName = (dir: string, f: string) => path.relative(dir, f).split(path.sep).join('/');
const stem = (name: string) => name.replace(/\.(png|jpe?g)$/i, '');

/**
 * Channels an image decodes to, from its header alone (no decoding, so a cached run stays fast):
 * PNG colour type with the colour bit (RGB, palette, RGBA) → 3, else 1 (as decodePng);
 * JPEG: 1 component → 1, else 3 (as decodeJpeg). Undefined when the header is not readable.
 */
export function sniffChannels(bytes: Uint8Array): 1 | 3 | undefined {
  if (bytes.length >= 26 && bytes[0] === 0x89 && bytes[1] === 0x50) return (bytes[25]! & 2) ? 3 : 1;
  const c = jpegComponents(bytes);
  return c === undefined ? undefined : c === 1 ? 1 : 3;
}

/** Channels of a folder: the option, or its first readable image's. */
function channelsOf(files: string[], option: 1 | 3 | undefined): 1 | 3 {
  if (option) return option;
  for (const f of files) {
    let bytes: Uint8Array;
    try { bytes = fs.readFileSync(f); } catch { continue; }
    const c = sniffChannels(bytes);
    if (c !== undefined) return c;
  }
  return 3;
}

interface FolderDecode { decoded: Decoded; fromCache: boolean }

async function decodeFolder(
  dir: string, files: string[], settings: DecodeSettings, opts: TranslationDataOptions, label: string,
): Promise<FolderDecode> {
  const cacheDir = opts.cache === false ? undefined : opts.cache ?? defaultCacheDir();
  const key = cacheDir ? decodeCacheKey(files.map((f) => [relName(dir, f), f] as const), settings) : '';
  if (cacheDir) {
    const hit = readDecodeCache(cacheDir, key, files);
    if (hit) {
      if (hit.skipped.length && (opts.onBadImage ?? 'fail') === 'fail') {
        const s = hit.skipped[0]!;
        throw new DataError(`${s.reason.replace(/\.$/, '')} (--on-bad-image skip leaves such files out).`);
      }
      opts.onProgress?.(label, files.length, files.length);
      return { decoded: hit, fromCache: true };
    }
  }
  const decoded = await decodeFiles(files, settings, {
    workers: opts.workers, onBadImage: opts.onBadImage, onProgress: (d, t) => opts.onProgress?.(label, d, t),
  });
  if (cacheDir) {
    try {
      writeDecodeCache(cacheDir, key, decoded, files, partBytes(settings));
    } catch (err) {
      opts.onInfo?.(`decode cache not written (${(err as Error).message}); the next run decodes again`);
    }
  }
  return { decoded, fromCache: false };
}

function checkOptions(o: TranslationDataOptions): void {
  if (!Number.isInteger(o.loadSize) || o.loadSize < 4 || o.loadSize > 4096) {
    throw new ConfigError(`load size ${o.loadSize} (--load-size) must be an integer from 4 to 4096.`);
  }
  if (o.channels !== undefined && o.channels !== 1 && o.channels !== 3) {
    throw new ConfigError(`channels ${String(o.channels)} (--channels) must be 1 or 3.`);
  }
  if (o.onBadImage !== undefined && o.onBadImage !== 'skip' && o.onBadImage !== 'fail') {
    throw new ConfigError(`--on-bad-image ${String(o.onBadImage)} must be 'skip' or 'fail'.`);
  }
}

function checkMemory(bytes: number, o: TranslationDataOptions, spec: string): void {
  const max = o.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes > max) {
    throw new DataError(
      `${spec} would hold ${(bytes / 1024 ** 2).toFixed(0)} MB of decoded images at --load-size ${o.loadSize}, ` +
        `more than the ${(max / 1024 ** 2).toFixed(0)} MB allowed; use a smaller --load-size or fewer images.`,
    );
  }
}

const mb = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MB`;

/** Opens `pairs:…` or `unpaired:…` (see the module comment). */
export async function openTranslationData(spec: string, opts: TranslationDataOptions): Promise<TranslationData> {
  checkOptions(opts);
  const colon = spec.indexOf(':');
  const kind = spec.slice(0, colon);
  const rest = colon >= 0 ? spec.slice(colon + 1) : '';
  if ((kind !== 'pairs' && kind !== 'unpaired') || !rest) {
    throw new ConfigError(`data source '${spec}' (--data) for translation must be one of ${TRANSLATION_SPECS.join(', ')}.`);
  }
  const dirs = rest.split(',').map((d) => d.trim()).filter(Boolean);
  const L = opts.loadSize;
  const info = opts.onInfo ?? (() => {});

  if (kind === 'pairs' && dirs.length === 1) {
    const dir = checkDir(dirs[0]!, spec);
    const files = listNonEmpty(dir);
    const c = channelsOf(files, opts.channels);
    const settings: DecodeSettings = { size: L, channels: c, layout: 'split' };
    checkMemory(files.length * 2 * partBytes(settings), opts, spec);
    const { decoded, fromCache } = await decodeFolder(dir, files, settings, opts, 'pairs');
    const n = decoded.kept.length;
    if (n === 0) throw new DataError(`${dir} holds no readable image pairs.`);
    const a = new ByteImageSource(`${spec}#A`, [L, L, c], decoded.parts[0]!);
    const b = new ByteImageSource(`${spec}#B`, [L, L, c], decoded.parts[1]!);
    const memoryBytes = 2 * n * partBytes(settings);
    info(`${spec}: ${n} pairs at ${L}×${L}×${c}, ${mb(memoryBytes)} in memory${fromCache ? ' (decode cache)' : ''}`);
    return {
      spec, paired: true, pairs: new PairSource(spec, a, b), a, b, channelsA: c, channelsB: c, loadSize: L,
      cache: opts.cache === false ? 'off' : fromCache ? 'hit' : 'miss', skipped: decoded.skipped, memoryBytes,
    };
  }
  if (dirs.length !== 2) {
    throw new ConfigError(`data source '${spec}' (--data) needs ${kind === 'pairs' ? 'one folder or ' : ''}two folders separated by a comma: ${kind}:DIR_A,DIR_B.`);
  }
  const dirA = checkDir(dirs[0]!, spec), dirB = checkDir(dirs[1]!, spec);
  let filesA = listNonEmpty(dirA), filesB = listNonEmpty(dirB);
  if (kind === 'pairs') {
    const byStem = new Map(filesB.map((f) => [stem(relName(dirB, f)), f]));
    const missing = filesA.filter((f) => !byStem.has(stem(relName(dirA, f))));
    if (missing.length > 0) {
      throw new DataError(
        `${missing.length} image(s) in ${dirA} have no file of the same name in ${dirB}, e.g. ${relName(dirA, missing[0]!)}; ` +
          `pairs:DIR_A,DIR_B pairs files by name.`,
      );
    }
    filesB = filesA.map((f) => byStem.get(stem(relName(dirA, f)))!);
  }
  const ca = channelsOf(filesA, opts.channels), cb = channelsOf(filesB, opts.channels);
  const sa: DecodeSettings = { size: L, channels: ca, layout: 'whole' };
  const sb: DecodeSettings = { size: L, channels: cb, layout: 'whole' };
  checkMemory(filesA.length * partBytes(sa) + filesB.length * partBytes(sb), opts, spec);
  const da = await decodeFolder(dirA, filesA, sa, opts, 'A');
  const db = await decodeFolder(dirB, filesB, sb, opts, 'B');
  let pa = da.decoded.parts[0]!, pb = db.decoded.parts[0]!;
  const skipped = [...da.decoded.skipped, ...db.decoded.skipped];
  if (kind === 'pairs') {
    // A pair stays only when both of its files decoded.
    const okB = new Set(db.decoded.kept);
    const both = da.decoded.kept.filter((i) => okB.has(i));
    const rowA = new Map(da.decoded.kept.map((i, r) => [i, r]));
    const rowB = new Map(db.decoded.kept.map((i, r) => [i, r]));
    const pick = (store: Uint8Array, rows: Map<number, number>, bytes: number) => {
      if (rows.size === both.length) return store;
      const out = new Uint8Array(both.length * bytes);
      both.forEach((i, r) => out.set(store.subarray(rows.get(i)! * bytes, (rows.get(i)! + 1) * bytes), r * bytes));
      return out;
    };
    pa = pick(pa, rowA, partBytes(sa));
    pb = pick(pb, rowB, partBytes(sb));
  }
  const a = new ByteImageSource(`${spec}#A`, [L, L, ca], pa);
  const b = new ByteImageSource(`${spec}#B`, [L, L, cb], pb);
  if (a.length === 0 || b.length === 0) throw new DataError(`${spec} holds no readable images in ${a.length === 0 ? dirA : dirB}.`);
  const memoryBytes = pa.length + pb.length;
  const fromCache = da.fromCache && db.fromCache;
  info(`${spec}: ${a.length} A images (${L}×${L}×${ca}) and ${b.length} B images (${L}×${L}×${cb}), ${mb(memoryBytes)} in memory${fromCache ? ' (decode cache)' : ''}`);
  return {
    spec, paired: kind === 'pairs', pairs: kind === 'pairs' ? new PairSource(spec, a, b) : undefined, a, b,
    channelsA: ca, channelsB: cb, loadSize: L,
    cache: opts.cache === false ? 'off' : fromCache ? 'hit' : 'miss', skipped, memoryBytes,
  };
}
