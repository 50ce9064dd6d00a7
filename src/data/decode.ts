/**
 * Decoding one image file into the byte store of a translation source: read, decode (PNG/JPEG by
 * content), optionally split a side-by-side A|B picture into its two halves, resize each part
 * (short side → `size`, centre crop, PIL-style antialiased bilinear: image-folder.ts's
 * `resizeCrop`) and convert channels. Pure and synchronous, so the main thread and the decode
 * workers (decode-worker.ts) run exactly the same code and produce the same bytes.
 */
import { decodeImageFile, resizeCrop, storeBytes } from './image-folder.js';
import type { RawImage } from '../io/png.js';

export interface DecodeSettings {
  /** Side of the stored (square) image: the load size, before any random crop. */
  size: number;
  /** Stored channels. */
  channels: 1 | 3;
  /** 'whole': the file is one image; 'split': the file is A|B side by side (pix2pix's datasets). */
  layout: 'whole' | 'split';
}

/** Bytes per stored part ([size, size, channels]). */
export const partBytes = (s: DecodeSettings) => s.size * s.size * s.channels;

/** The left or right half of a side-by-side picture (pix2pix's `AB` images: A left, B right). */
export function half(img: RawImage, which: 0 | 1): RawImage {
  const w = Math.floor(img.width / 2);
  const c = img.channels;
  const data = new Uint8Array(w * img.height * c);
  for (let y = 0; y < img.height; y++) {
    const src = (y * img.width + which * w) * c;
    data.set(img.data.subarray(src, src + w * c), y * w * c);
  }
  return { width: w, height: img.height, channels: c, data };
}

/**
 * One file → its parts' bytes, one Uint8Array of `partBytes(settings)` per part (1 for 'whole',
 * 2 for 'split'). Throws the decoder's DataError (naming the file) for a broken file.
 */
export function decodeParts(file: string, settings: DecodeSettings): Uint8Array[] {
  const img = decodeImageFile(file);
  const parts = settings.layout === 'split' ? [half(img, 0), half(img, 1)] : [img];
  return parts.map((p) => {
    const out = new Uint8Array(partBytes(settings));
    storeBytes(resizeCrop(p, settings.size), p.channels, settings.channels, out, 0);
    return out;
  });
}
