/**
 * Labelled images as one compact binary, and the finite source that reads it: how the digits page
 * gets MNIST into the browser. The server (report/playground-server.ts) packs the `mnist`
 * package's digits once; the page fetches `digits.bin` from it and trains on a `PackedSource`.
 * Browser-safe: no Node built-ins.
 *
 * Layout (little-endian), 16-byte header then two byte arrays:
 *   0  'GBIM'  magic
 *   4  u32     n, number of examples
 *   8  u16     height      10  u16  width      12  u8  channels      13  u8  classes
 *  14  u16     0 (reserved)
 *  16  u8[n]               labels, each < classes
 *  16 + n  u8[n·h·w·c]     pixels, NHWC, byte = round((v + 1) · 127.5) for v in [-1, 1]
 * The bytes map back to v = byte / 127.5 − 1: MNIST's 3-decimal values in [0, 1] are v·255 before
 * rounding, so the round trip is exact to half a grey level (1/255 in [-1, 1] units).
 */
import { DataError } from '../errors.js';
import type { Examples, FiniteSource } from './source.js';

const MAGIC = 0x4d494247; // 'GBIM' read as a little-endian u32
const HEADER = 16;

/** What a packed file holds, its arrays viewing the file's bytes. */
export interface PackedImages {
  n: number;
  shape: [number, number, number]; // [H, W, C]
  classes: number;
  labels: Uint8Array; // [n]
  pixels: Uint8Array; // [n, H, W, C]
}

/** Packs `x` ([n, ...shape] in [-1, 1]) and its labels into the layout above. */
export function packImages(x: Float32Array, labels: ArrayLike<number>, shape: readonly [number, number, number], classes: number): Uint8Array {
  const [h, w, c] = shape;
  const n = labels.length;
  const per = h * w * c;
  if (x.length !== n * per) throw new DataError(`packImages: ${x.length} values do not make ${n} images of ${shape.join('×')}.`);
  if (!(classes >= 1 && classes <= 255) || h > 65535 || w > 65535 || !(c >= 1 && c <= 255)) {
    throw new DataError(`packImages: ${shape.join('×')} images with ${classes} classes do not fit the packed header.`);
  }
  const out = new Uint8Array(HEADER + n + n * per);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, n, true);
  view.setUint16(8, h, true);
  view.setUint16(10, w, true);
  out[12] = c;
  out[13] = classes;
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (!(Number.isInteger(l) && l >= 0 && l < classes)) throw new DataError(`packImages: label ${l} of example ${i} is not in [0, ${classes}).`);
    out[HEADER + i] = l;
  }
  const base = HEADER + n;
  for (let i = 0; i < x.length; i++) out[base + i] = Math.max(0, Math.min(255, Math.round((x[i]! + 1) * 127.5)));
  return out;
}

/** Reads a packed file; `name` (a URL or path) is named in the error when it is not one. */
export function unpackImages(bytes: Uint8Array, name = 'the packed images'): PackedImages {
  const bad = (why: string) => new DataError(`${name} is not a ganbox packed image file (${why}); reload it from the ganbox server.`);
  if (bytes.length < HEADER) throw bad(`${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw bad('wrong magic');
  const n = view.getUint32(4, true);
  const shape: [number, number, number] = [view.getUint16(8, true), view.getUint16(10, true), bytes[12]!];
  const classes = bytes[13]!;
  const per = shape[0] * shape[1] * shape[2];
  if (bytes.length !== HEADER + n + n * per) throw bad(`${bytes.length} bytes, expected ${HEADER + n + n * per}`);
  const labels = bytes.subarray(HEADER, HEADER + n);
  for (const l of labels) if (l >= classes) throw bad(`label ${l} ≥ ${classes} classes`);
  return { n, shape, classes, labels, pixels: bytes.subarray(HEADER + n) };
}

/** A finite, labelled source over packed images (float32 in [-1, 1] on `take`). */
export class PackedSource implements FiniteSource {
  readonly kind = 'images' as const;
  readonly finite = true as const;
  readonly shape: readonly number[];
  readonly numClasses: number;
  readonly length: number;

  constructor(private readonly data: PackedImages, readonly spec = 'packed') {
    this.shape = data.shape;
    this.numClasses = data.classes;
    this.length = data.n;
  }

  take(indices: ArrayLike<number>): Examples {
    const n = indices.length;
    const per = this.data.shape[0] * this.data.shape[1] * this.data.shape[2];
    const x = new Float32Array(n * per);
    const labels = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const i = indices[k]!;
      if (!(Number.isInteger(i) && i >= 0 && i < this.length)) throw new RangeError(`${this.spec}: index ${i} out of range [0, ${this.length})`);
      const src = this.data.pixels.subarray(i * per, (i + 1) * per);
      for (let p = 0; p < per; p++) x[k * per + p] = src[p]! / 127.5 - 1;
      labels[k] = this.data.labels[i]!;
    }
    return { n, x, labels };
  }
}
