/**
 * Sets of uint8 images read by index range — what feature extraction consumes. Each kind reads
 * lazily or from memory, and says how to recognise its content again (for cache keys):
 * - a folder of PNG/JPEG files at their own size (as pytorch-fid reads them: no resize here; the
 *   extractor resizes), every image of one size;
 * - pixels in memory (a `.npy` of uint8 images, generated samples);
 * - a finite ganbox data source (`mnist`, `idx:PATH`, `cifar10:DIR`): the run's training data.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError, ShapeError } from '../errors.js';
import { decodeImageFile, listImageFiles } from '../data/image-folder.js';
import type { FiniteSource } from '../data/source.js';

export interface ImageSet {
  readonly kind: 'images';
  /** What the user named: a path or a data spec. */
  readonly source: string;
  readonly n: number;
  /** [H, W, C], C = 1 or 3. */
  readonly shape: readonly [number, number, number];
  /** Pixels of images start … start + count − 1: [count, H, W, C] uint8. */
  read(start: number, count: number): Uint8Array;
  /** A digest that changes when the content does (cache keys). */
  fingerprint(): string;
}

const sha256 = (...parts: (string | Uint8Array)[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

/** Images held in memory, [n, H, W, C] uint8. */
export class MemoryImageSet implements ImageSet {
  readonly kind = 'images' as const;
  readonly n: number;
  private digest?: string;
  constructor(readonly source: string, readonly shape: readonly [number, number, number], private readonly pixels: Uint8Array) {
    const per = shape[0] * shape[1] * shape[2];
    this.n = pixels.length / per;
    if (!Number.isInteger(this.n)) throw new Error('ganbox internal error: pixel count is not a multiple of the image size');
  }
  read(start: number, count: number): Uint8Array {
    const per = this.shape[0] * this.shape[1] * this.shape[2];
    return this.pixels.slice(start * per, (start + count) * per);
  }
  fingerprint(): string {
    return (this.digest ??= sha256(JSON.stringify(this.shape), this.pixels));
  }
}

/**
 * PNG/JPEG files under a folder (recursively, in the order of data/image-folder.ts), decoded when
 * read. Their size and channel count are the first file's; another size is a DataError, since the
 * reference implementations batch images of one size. The fingerprint covers names, sizes and
 * modification times (decoding every file to hash it would cost as much as half the extraction).
 */
export class FolderImageSet implements ImageSet {
  readonly kind = 'images' as const;
  readonly n: number;
  readonly shape: readonly [number, number, number];
  private constructor(readonly source: string, private readonly files: string[], shape: [number, number, number]) {
    this.n = files.length;
    this.shape = shape;
  }

  static open(dir: string): FolderImageSet {
    const files = listImageFiles(dir);
    if (files.length === 0) throw new DataError(`${dir} holds no .png, .jpg or .jpeg files (searched recursively).`);
    const first = decodeImageFile(files[0]!);
    return new FolderImageSet(dir, files, [first.height, first.width, first.channels]);
  }

  read(start: number, count: number): Uint8Array {
    const [h, w, c] = this.shape;
    const out = new Uint8Array(count * h * w * c);
    for (let k = 0; k < count; k++) {
      const file = this.files[start + k]!;
      const img = decodeImageFile(file);
      if (img.width !== w || img.height !== h) {
        throw new DataError(`${file} is ${img.width}x${img.height} but ${this.files[0]} is ${w}x${h}; every image of ${this.source} must have one size.`);
      }
      if (img.channels !== c) {
        throw new ShapeError(`${file} has ${img.channels} channel(s) but ${this.files[0]} has ${c}; convert the folder to one channel count.`);
      }
      out.set(img.data, k * h * w * c);
    }
    return out;
  }

  fingerprint(): string {
    const lines = this.files.map((f) => {
      const st = fs.statSync(f);
      return `${path.relative(this.source, f)}\t${st.size}\t${st.mtimeMs}`;
    });
    return sha256(JSON.stringify(this.shape), lines.join('\n'));
  }
}

/**
 * byte ← [-1, 1] float of a data source: the exact inverse of byte-source.ts's x/255·2−1 (idx,
 * cifar10, images); for `mnist`, whose package stores byte/255 to 3 decimals, the nearest byte.
 */
const toByte = (v: number) => Math.min(255, Math.max(0, Math.round((v + 1) * 127.5)));

/** A finite image data source (the `--data` of a run), as uint8 images. */
export class SourceImageSet implements ImageSet {
  readonly kind = 'images' as const;
  readonly n: number;
  readonly shape: readonly [number, number, number];
  private digest?: string;
  constructor(private readonly data: FiniteSource, n = data.length) {
    if (data.kind !== 'images') throw new DataError(`${data.spec} holds 2-D points, not images; image metrics need image data.`);
    this.n = Math.min(n, data.length);
    this.shape = data.shape as [number, number, number];
  }
  get source(): string { return this.data.spec; }
  /** The data source itself (its labels serve the per-class metrics, evaluate/conditional.ts). */
  get dataSource(): FiniteSource { return this.data; }
  read(start: number, count: number): Uint8Array {
    const x = this.data.take(Array.from({ length: count }, (_, i) => start + i)).x;
    return Uint8Array.from(x, toByte);
  }
  fingerprint(): string {
    if (this.digest) return this.digest;
    const h = createHash('sha256').update(`${this.data.spec}\n${JSON.stringify(this.shape)}\n${this.n}\n`);
    for (let s = 0; s < this.n; s += 1024) h.update(this.read(s, Math.min(1024, this.n - s)));
    return (this.digest = h.digest('hex'));
  }
}
