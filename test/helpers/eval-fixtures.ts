/** Small deterministic inputs for the evaluation tests: uint8 images, PNG folders, .npy files. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodePng } from '../../src/io/png.js';
import { encodeNpy } from '../../src/io/npy.js';
import { Rng } from '../../src/train/rng.js';

/** n images [h, w, c] of smooth random blobs (so a resize does not average them to one grey). */
export function makeImages(n: number, h: number, w: number, c: 1 | 3, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const px = new Uint8Array(n * h * w * c);
  for (let i = 0; i < n; i++) {
    const cx = rng.uniform() * w, cy = rng.uniform() * h, r = 2 + rng.uniform() * (w / 3), base = rng.int(80);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) {
      const inside = (x - cx) ** 2 + (y - cy) ** 2 < r * r;
      px[((i * h + y) * w + x) * c + ch] = inside ? 255 - ch * 40 : base + rng.int(20);
    }
  }
  return px;
}

/** Writes the images as PNG files img-000.png … in `dir`. */
export function writePngFolder(dir: string, px: Uint8Array, h: number, w: number, c: 1 | 3): void {
  fs.mkdirSync(dir, { recursive: true });
  const per = h * w * c;
  for (let i = 0; i < px.length / per; i++) {
    fs.writeFileSync(path.join(dir, `img-${String(i).padStart(3, '0')}.png`), encodePng(px.subarray(i * per, (i + 1) * per), w, h, c));
  }
}

export function writeImagesNpy(file: string, px: Uint8Array, h: number, w: number, c: number): void {
  fs.writeFileSync(file, encodeNpy({ dtype: '|u1', shape: [px.length / (h * w * c), h, w, c], data: px }));
}

export function writeFeaturesNpy(file: string, data: Float32Array | Float64Array, n: number, d: number): void {
  fs.writeFileSync(file, encodeNpy({ dtype: data instanceof Float64Array ? '<f8' : '<f4', shape: [n, d], data }));
}

/** Relative difference |a − b| / max(|a|, |b|, tiny). */
export const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
