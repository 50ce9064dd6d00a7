/**
 * PNG reading and writing (pngjs, synchronous), and the sample-grid tiler used for training
 * snapshots.
 *
 * - `decodePng` returns 8-bit HWC pixels, grey (1 channel) or RGB (3): grey, grey+alpha, RGB,
 *   RGBA, palette and 1/2/4/16-bit images are all accepted; pngjs rescales every depth to 8 bits
 *   (round(v·255/(2^depth−1))) and we drop alpha (transparent pixels keep their colour values,
 *   except tRNS colour-key pixels, which pngjs sets to 0).
 * - `encodePng` writes 8-bit grey or RGB.
 * - `imageGrid` tiles [n, h, w, c] images in [-1, 1] into one picture, value v → round((v+1)·127.5)
 *   clamped to [0, 255], like torchvision's make_grid (padding around every cell).
 */
import pngjs from 'pngjs';
import { DataError, ShapeError } from '../errors.js';

const { PNG } = pngjs;

/** An 8-bit image, row-major HWC. */
export interface RawImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array; // [height, width, channels]
}

/** Refuse images larger than this before pngjs allocates anything (a 100 MP RGBA buffer is 400 MB). */
export const MAX_PNG_PIXELS = 100_000_000;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Deflate's best compression ratio (a run of one byte: 258 bytes per ~2 bits, about 1032:1). */
const MAX_DEFLATE_RATIO = 1032;
/** Samples per pixel by PNG colour type (grey, RGB, palette, grey+alpha, RGBA). */
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Checks the signature and the IHDR size fields, so a hostile header cannot make us allocate gigabytes. */
function checkHeader(bytes: Uint8Array, fileName: string, maxPixels: number): void {
  if (bytes.length < 24 || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new DataError(`${fileName} is not a PNG file (its first bytes are not the PNG signature).`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width * height > maxPixels) {
    throw new DataError(
      `${fileName} declares ${width}×${height} pixels, more than the limit of ${maxPixels}; shrink the image first.`,
    );
  }
  // The decoder allocates width·height·4 bytes from the header alone: first check that the file
  // can hold that many pixels at all (scanline bytes at deflate's best ratio), so a 70-byte file
  // cannot ask for gigabytes.
  const bitsPerPixel = (SAMPLES[bytes[25]!] ?? 1) * Math.max(1, Math.min(16, bytes[24]!));
  const scanlineBytes = height * (1 + Math.ceil((width * bitsPerPixel) / 8));
  if (scanlineBytes > MAX_DEFLATE_RATIO * bytes.length + 1024) {
    throw new DataError(
      `${fileName} declares ${width}×${height} pixels but holds only ${bytes.length} bytes, too few for them even at the best compression (truncated or corrupt).`,
    );
  }
}

/** Decodes a PNG to 8-bit grey or RGB (alpha dropped). Errors name `fileName`. */
export function decodePng(bytes: Uint8Array, fileName = 'PNG data', maxPixels = MAX_PNG_PIXELS): RawImage {
  checkHeader(bytes, fileName, maxPixels);
  let png: ReturnType<typeof PNG.sync.read>;
  try {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    png = PNG.sync.read(buf); // RGBA, 8 bits per sample after pngjs's normalisation
  } catch (e) {
    throw new DataError(`${fileName} could not be decoded as PNG: ${(e as Error).message}.`);
  }
  const { width, height } = png;
  const channels: 1 | 3 = png.color || png.palette ? 3 : 1;
  const rgba = png.data; // [height, width, 4]
  const out = new Uint8Array(width * height * channels); // [height, width, channels]
  const nPix = width * height;
  if (channels === 1) {
    for (let p = 0; p < nPix; p++) out[p] = rgba[4 * p]!;
  } else {
    for (let p = 0; p < nPix; p++) {
      out[3 * p] = rgba[4 * p]!;
      out[3 * p + 1] = rgba[4 * p + 1]!;
      out[3 * p + 2] = rgba[4 * p + 2]!;
    }
  }
  return { width, height, channels, data: out };
}

/** Encodes 8-bit HWC grey (channels 1) or RGB (channels 3) pixels as a PNG. */
export function encodePng(data: Uint8Array, width: number, height: number, channels: 1 | 3): Buffer {
  if (channels !== 1 && channels !== 3) throw new ShapeError(`encodePng needs 1 or 3 channels, got ${channels}.`);
  if (data.length !== width * height * channels) {
    throw new ShapeError(
      `encodePng got ${data.length} bytes for a ${width}×${height}×${channels} image (expected ${width * height * channels}).`,
    );
  }
  const png = new PNG({ width, height });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const colorType = channels === 1 ? 0 : 2;
  // Same input and output colour type: pngjs writes the bytes as they are.
  return PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false, bitDepth: 8 });
}

export interface GridOptions {
  /** Images per row. Default: ceil(sqrt(n)), so the grid is about square. */
  cols?: number;
  /** Pixels of padding around every cell. Default 2. */
  pad?: number;
  /** Byte value of the padding. Default 0 (black), as torchvision's make_grid. */
  padValue?: number;
}

/** Maps [-1, 1] to a byte: round((v+1)·127.5) clamped; NaN → 0. */
export function toByte(v: number): number {
  const b = Math.round((v + 1) * 127.5);
  return b > 255 ? 255 : b >= 0 ? b : 0; // NaN fails both comparisons → 0
}

/** Tiles n images [n, h, w, c] (values in [-1, 1]) into one grid image. */
export function imageGrid(
  images: Float32Array, // [n, h, w, c]
  n: number,
  h: number,
  w: number,
  c: number,
  options: GridOptions = {},
): RawImage {
  if (c !== 1 && c !== 3) throw new ShapeError(`imageGrid needs 1 or 3 channels, got ${c}.`);
  if (images.length !== n * h * w * c) {
    throw new ShapeError(`imageGrid got ${images.length} values for ${n} images of ${h}×${w}×${c}.`);
  }
  const pad = options.pad ?? 2;
  const cols = Math.max(1, Math.min(options.cols ?? Math.ceil(Math.sqrt(n)), Math.max(n, 1)));
  const rows = Math.max(1, Math.ceil(n / cols));
  const width = cols * (w + pad) + pad;
  const height = rows * (h + pad) + pad;
  const data = new Uint8Array(width * height * c).fill(options.padValue ?? 0); // [height, width, c]
  for (let k = 0; k < n; k++) {
    const top = pad + Math.floor(k / cols) * (h + pad);
    const left = pad + (k % cols) * (w + pad);
    for (let y = 0; y < h; y++) {
      const src = ((k * h + y) * w) * c;
      const dst = ((top + y) * width + left) * c;
      for (let i = 0; i < w * c; i++) data[dst + i] = toByte(images[src + i]!);
    }
  }
  return { width, height, channels: c, data };
}
