import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { openImageFolder, resizeCrop } from '../../src/data/image-folder.js';
import { encodePng } from '../../src/io/png.js';
import { ConfigError, DataError, ShapeError } from '../../src/errors.js';

const tmp: string[] = [];
after(() => tmp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function folder(files: Record<string, Buffer | string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-img-'));
  tmp.push(dir);
  for (const [name, bytes] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), bytes);
  }
  return dir;
}

const unit = (b: number) => Math.fround((b / 255) * 2 - 1);
/** A w×h image whose pixel (x, y, c) is f(x, y, c). */
function pattern(w: number, h: number, c: 1 | 3, f: (x: number, y: number, ch: number) => number): Uint8Array {
  const d = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) d[(y * w + x) * c + ch] = f(x, y, ch);
  return d;
}
const png = (w: number, h: number, c: 1 | 3, f: (x: number, y: number, ch: number) => number) => encodePng(pattern(w, h, c, f), w, h, c);

test('images: a constant image stays constant through resize + crop (any aspect ratio)', () => {
  const dir = folder({ 'a.png': png(10, 7, 1, () => 77), 'b.png': png(5, 13, 1, () => 77) });
  const src = openImageFolder(dir, { size: 4 });
  assert.deepEqual(src.shape, [4, 4, 1]);
  assert.equal(src.length, 2);
  assert.ok(src.take([0, 1]).x.every((v) => v === unit(77)));
});

test('images: a 2:1 image at scale 1 is centre-cropped exactly (columns 2–5 of 8)', () => {
  const dir = folder({ 'wide.png': png(8, 4, 3, (x, y, ch) => x * 20 + y * 3 + ch) });
  const ex = openImageFolder(dir, { size: 4 }).take([0]);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) for (let ch = 0; ch < 3; ch++) {
    assert.equal(ex.x[(y * 4 + x) * 3 + ch], unit((x + 2) * 20 + y * 3 + ch));
  }
  const tall = folder({ 'tall.png': png(4, 8, 1, (x, y) => y * 30 + x) });
  const ey = openImageFolder(tall, { size: 4 }).take([0]);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) assert.equal(ey.x[y * 4 + x], unit((y + 2) * 30 + x));
});

test('images: shrinking uses the antialiased triangle filter (PIL BILINEAR), checked by hand', () => {
  // Columns 0, 40, 80, 120 → 2 columns. Scale 2, support 2: output 0 centre 1 → taps x=0,1,2 with
  // weights .75, .75, .25 → (0·.75 + 40·.75 + 80·.25)/1.75 = 28.57; output 1 centre 3 → taps
  // x=1,2,3 with .25, .75, .75 → (10 + 60 + 90)/1.75 = 91.43. Rows are constant, so they stay so.
  const out = resizeCrop({ width: 4, height: 4, channels: 1, data: pattern(4, 4, 1, (x) => x * 40) }, 2);
  const near = (a: number, b: number) => Math.abs(a - b) < 1e-9; // float64 sums of 3 terms
  assert.ok(near(out[0]!, 50 / 1.75) && near(out[1]!, 160 / 1.75) && near(out[2]!, 50 / 1.75) && near(out[3]!, 160 / 1.75), String(out));
  // Enlarging [0, 100] (2×2, constant columns) to 4×4: plain bilinear with half-pixel centres
  // (x_src = (j + ½)/2 − ½ = −¼, ¼, ¾, 1¼) and clamped edges → 0, 25, 75, 100.
  const up = resizeCrop({ width: 2, height: 2, channels: 1, data: Uint8Array.from([0, 100, 0, 100]) }, 4);
  for (let y = 0; y < 4; y++) [0, 25, 75, 100].forEach((v, x) => assert.ok(near(up[y * 4 + x]!, v), `up (${x},${y}) = ${up[y * 4 + x]}`));
});

test('images: RGBA PNG and JPEG decode to RGB; files found recursively in sorted order; dotfiles skipped', () => {
  const { PNG } = pngjs;
  const rgba = new PNG({ width: 2, height: 2 });
  rgba.data = Buffer.alloc(2 * 2 * 4, 200); // RGBA, alpha 200 too: dropped
  const jdata = Buffer.alloc(8 * 8 * 4);
  for (let p = 0; p < 64; p++) jdata.set([10, 120, 240, 255], 4 * p);
  const dir = folder({
    'b/z.png': PNG.sync.write(rgba, { colorType: 6 }),
    'a.jpg': jpeg.encode({ width: 8, height: 8, data: jdata }, 100).data,
    'b/a.PNG': png(3, 3, 3, () => 5),
    '.hidden.png': 'not an image',
    'notes.txt': 'ignored',
  });
  const src = openImageFolder(dir, { size: 2 });
  assert.equal(src.length, 3);
  assert.deepEqual(src.shape, [2, 2, 3]);
  const ex = src.take([0, 1, 2]);
  // order: a.jpg, b/a.PNG, b/z.png
  const px = (k: number, ch: number) => ex.x[k * 12 + ch]!;
  // JPEG quality 100 of a constant colour: within 3 levels (YCbCr rounding) → 3·2/255 in [-1, 1]
  [10, 120, 240].forEach((v, ch) => assert.ok(Math.abs(px(0, ch) - unit(v)) <= 6 / 255, `jpeg channel ${ch}`));
  assert.equal(px(1, 0), unit(5));
  assert.equal(px(2, 0), unit(200));
});

test('images: mixed grey/RGB → ShapeError naming the file and both counts, unless channels is given', () => {
  const dir = folder({ '1.png': png(4, 4, 1, () => 255), '2.png': png(4, 4, 3, (_x, _y, ch) => (ch === 0 ? 255 : 0)) });
  assert.throws(() => openImageFolder(dir, { size: 4 }), (e) => e instanceof ShapeError && /2\.png has 3 channel\(s\).*1\.png, has 1/.test(e.message));
  const rgb = openImageFolder(dir, { size: 4, channels: 3 }).take([0, 1]);
  assert.deepEqual(Array.from(rgb.x.subarray(0, 3)), [1, 1, 1]); // grey replicated
  assert.deepEqual(Array.from(rgb.x.subarray(48, 51)), [1, -1, -1]);
  const grey = openImageFolder(dir, { size: 4, channels: 1 }).take([1]);
  assert.equal(grey.x[0], unit(Math.round(0.299 * 255))); // ITU-R 601 luminance of pure red = 76
});

test('images errors: empty folder, no images, missing folder, a file, undecodable image, bad options', () => {
  const isData = (re: RegExp) => (e: unknown) => e instanceof DataError && re.test(e.message);
  assert.throws(() => openImageFolder(folder({})), isData(/holds no \.png/));
  assert.throws(() => openImageFolder(folder({ 'a.txt': 'x', 'sub/b.gif': 'GIF89a' })), isData(/holds no \.png/));
  const dir = folder({ 'x.png': 'this is not a png' });
  assert.throws(() => openImageFolder(path.join(dir, 'missing')), isData(/does not exist/));
  assert.throws(() => openImageFolder(path.join(dir, 'x.png')), isData(/is not a folder/));
  assert.throws(() => openImageFolder(dir), isData(/x\.png is neither a PNG nor a JPEG/));
  assert.throws(() => openImageFolder(dir, { size: 0 }), ConfigError);
  assert.throws(() => openImageFolder(dir, { channels: 2 as 1 }), ConfigError);
});
