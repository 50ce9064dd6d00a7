/**
 * JPEG decoding (jpeg-js, pure JS) to 8-bit grey or RGB HWC pixels.
 *
 * jpeg-js always returns RGB(A), so the channel count is read from the frame header (SOFn's
 * component count): a 1-component JPEG decodes to 1 channel, anything else (YCbCr, CMYK) to 3.
 * `maxResolutionInMP` and `maxMemoryUsageInMB` are passed to jpeg-js so a hostile header cannot
 * make the decoder allocate gigabytes.
 */
import jpeg from 'jpeg-js';
import { DataError } from '../errors.js';
import type { RawImage } from './png.js';

export interface JpegLimits {
  /** Largest frame accepted, in megapixels. Default 50. */
  maxResolutionInMP?: number;
  /** Largest total allocation by the decoder, in MB. Default 512. */
  maxMemoryUsageInMB?: number;
}

export const JPEG_LIMITS: Required<JpegLimits> = { maxResolutionInMP: 50, maxMemoryUsageInMB: 512 };

/**
 * Pixels a JPEG file can plausibly hold per byte. A flat-colour 16×16 block with 4:2:0 chroma
 * codes in about 12 bits (~170 pixels per byte); real photos hold 3–10. jpeg-js allocates its
 * buffers from the frame header before it reads any scan data, so the header is checked first.
 */
const MAX_PIXELS_PER_BYTE = 512;

/** Number of colour components in the first SOFn frame header, or undefined if none is found. */
export function jpegComponents(bytes: Uint8Array): number | undefined {
  return jpegFrame(bytes)?.components;
}

/** The first SOFn frame header's size and component count, or undefined if none is found. */
export function jpegFrame(bytes: Uint8Array): { width: number; height: number; components: number } | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) { i++; continue; } // fill byte
    if ((marker >= 0xd0 && marker <= 0xd9) || marker === 0x01) { i += 2; continue; } // no length field
    const segLen = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) { // FF Cn Lh Ll P Yh Yl Xh Xl Nf
      if (i + 9 >= bytes.length) return undefined;
      return { height: (bytes[i + 5]! << 8) | bytes[i + 6]!, width: (bytes[i + 7]! << 8) | bytes[i + 8]!, components: bytes[i + 9]! };
    }
    if (marker === 0xda) return undefined; // start of scan before any frame header
    i += 2 + segLen;
  }
  return undefined;
}

/** Decodes a JPEG to 8-bit grey (1-component files) or RGB. Errors name `fileName`. */
export function decodeJpeg(bytes: Uint8Array, fileName = 'JPEG data', limits: JpegLimits = {}): RawImage {
  const lim = { ...JPEG_LIMITS, ...limits };
  const frame = jpegFrame(bytes);
  if (frame && frame.width * frame.height > lim.maxResolutionInMP * 1e6) {
    throw new DataError(
      `${fileName} declares ${frame.width}×${frame.height} pixels, more than the limit of ${lim.maxResolutionInMP} megapixels; shrink the image first.`,
    );
  }
  if (frame && frame.width * frame.height > MAX_PIXELS_PER_BYTE * bytes.length + (1 << 20)) {
    throw new DataError(
      `${fileName} declares ${frame.width}×${frame.height} pixels but holds only ${bytes.length} bytes, too few for them (truncated or corrupt).`,
    );
  }
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false, // [height, width, 3]
      maxResolutionInMP: lim.maxResolutionInMP,
      maxMemoryUsageInMB: lim.maxMemoryUsageInMB,
    });
  } catch (e) {
    throw new DataError(`${fileName} could not be decoded as JPEG: ${(e as Error).message}.`);
  }
  const { width, height, data } = img;
  if (width <= 0 || height <= 0 || data.length !== width * height * 3) {
    throw new DataError(`${fileName} decoded to an empty or inconsistent ${width}×${height} JPEG image.`);
  }
  if (jpegComponents(bytes) !== 1) return { width, height, channels: 3, data };
  const grey = new Uint8Array(width * height); // [height, width, 1]
  for (let p = 0; p < grey.length; p++) grey[p] = data[3 * p]!; // R = G = B for a 1-component frame
  return { width, height, channels: 1, data: grey };
}
