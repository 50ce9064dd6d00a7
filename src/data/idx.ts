/**
 * `idx:PATH` — MNIST-style IDX files (MNIST, Fashion-MNIST, KMNIST, EMNIST), raw or gzipped.
 *
 * IDX layout (LeCun): a big-endian magic 0x0000TTNN (TT = element type, 0x08 = ubyte; NN = number
 * of dims), NN big-endian uint32 dims, then the elements. Images are 0x00000803 [n, rows, cols],
 * labels 0x00000801 [n]. Gzip is detected by its magic bytes 1f 8b, not by the file name.
 *
 * PATH names the images file (or a folder holding train-images-idx3-ubyte[.gz]); the labels file
 * is found beside it by the standard naming (…-images-idx3-ubyte ↔ …-labels-idx1-ubyte), or given
 * explicitly as `idx:IMAGES,LABELS`. Pixels are kept as bytes; `take` maps x → x/255·2−1.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../errors.js';
import { ByteImageSource } from './byte-source.js';


/** Gzip bomb guard: refuse to inflate past 1 GiB (EMNIST's largest file is ~550 MB raw). */
export const MAX_INFLATED_BYTES = 1 << 30;

/** Reads a file, gunzipping it when it starts with 1f 8b. */
export function readMaybeGzip(path: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(
      code === 'ENOENT' ? `${path} does not exist.` : `${path} could not be read (${code ?? (e as Error).message}).`,
    );
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipSync(raw, { maxOutputLength: MAX_INFLATED_BYTES });
    } catch (e) {
      throw new DataError(`${path} looks gzipped but could not be decompressed: ${(e as Error).message}.`);
    }
  }
  return raw;
}

const hex = (v: number) => '0x' + v.toString(16).padStart(8, '0');

/** Parses an IDX buffer, checking magic and that the dims account for exactly the bytes present. */
export function parseIdx(bytes: Uint8Array, path: string, expectedMagic: number): { dims: number[]; data: Uint8Array } {
  const what = expectedMagic === 0x803 ? 'an IDX images file' : 'an IDX labels file';
  if (bytes.length < 4) throw new DataError(`${path} is too short (${bytes.length} bytes) to be ${what}.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== expectedMagic) {
    throw new DataError(`${path} has magic number ${hex(magic)} where ${what} has ${hex(expectedMagic)}.`);
  }
  const nDims = magic & 0xff;
  const headerLen = 4 + 4 * nDims;
  if (bytes.length < headerLen) throw new DataError(`${path} is truncated inside its IDX header.`);
  const dims = Array.from({ length: nDims }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1);
  const present = bytes.length - headerLen;
  if (expected !== present) {
    throw new DataError(
      `${path} declares dims [${dims.join(', ')}] = ${expected} bytes of data but holds ${present}` +
        (present < expected ? ' (truncated).' : '.'),
    );
  }
  return { dims, data: bytes.subarray(headerLen) };
}

/** The labels file beside an images file, by the standard naming; undefined when none exists. */
export function findLabelsFile(imagesPath: string): string | undefined {
  const name = basename(imagesPath);
  if (!/images/.test(name)) return undefined;
  const stem = name.replace('images', 'labels').replace('idx3', 'idx1').replace(/\.gz$/, '');
  for (const candidate of [stem, stem + '.gz']) {
    const p = join(dirname(imagesPath), candidate);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** A folder given as PATH: its training images file. */
function imagesInFolder(dir: string): string {
  for (const name of ['train-images-idx3-ubyte', 'train-images-idx3-ubyte.gz', 'train-images.idx3-ubyte']) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new DataError(`${dir} is a folder without train-images-idx3-ubyte[.gz]; give the images file as idx:PATH.`);
}

/** Opens `idx:PATH` or `idx:IMAGES,LABELS` (the part after 'idx:'). */
export function openIdx(pathSpec: string): ByteImageSource {
  const [imagesArg, labelsArg, ...rest] = pathSpec.split(',');
  if (!imagesArg || rest.length > 0) {
    throw new DataError(`idx:${pathSpec} should be idx:IMAGES or idx:IMAGES,LABELS.`);
  }
  let imagesPath = resolve(imagesArg);
  if (existsSync(imagesPath) && statSync(imagesPath).isDirectory()) imagesPath = imagesInFolder(imagesPath);
  const labelsPath = labelsArg ? resolve(labelsArg) : findLabelsFile(imagesPath);

  const images = parseIdx(readMaybeGzip(imagesPath), imagesPath, 0x803);
  const [n, rows, cols] = images.dims as [number, number, number];
  if (!(n >= 1 && rows >= 1 && cols >= 1)) {
    throw new DataError(`${imagesPath} declares ${n} images of ${rows}×${cols} pixels; an IDX images file needs at least one image of at least 1×1.`);
  }
  let labels: Uint8Array | undefined;
  let numClasses: number | undefined;
  if (labelsPath) {
    labels = parseIdx(readMaybeGzip(labelsPath), labelsPath, 0x801).data;
    if (labels.length !== n) {
      throw new DataError(`${labelsPath} holds ${labels.length} labels but ${imagesPath} holds ${n} images.`);
    }
    numClasses = labels.reduce((m, v) => Math.max(m, v), 0) + 1;
  }
  const spec = `idx:${imagesPath}${labelsArg ? ',' + labelsPath : ''}`;
  return new ByteImageSource(spec, [rows, cols, 1], images.data, labels, numClasses);
}
