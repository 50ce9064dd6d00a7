import { test } from 'node:test';
import assert from 'node:assert/strict';
import pngjs from 'pngjs';
import { decodePng, encodePng, imageGrid, toByte } from '../../src/io/png.js';
import { DataError, ShapeError } from '../../src/errors.js';

const { PNG } = pngjs;

/** Encodes with pngjs directly, in any colour type / depth, to exercise the decoder. */
function pngOf(width: number, height: number, data: Uint8Array | Uint16Array, colorType: 0 | 2 | 4 | 6, bitDepth: 8 | 16 = 8): Buffer {
  const png = new PNG({ width, height });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: colorType >= 4, bitDepth });
}

test('encodePng/decodePng round-trip grey and RGB exactly', () => {
  const grey = Uint8Array.from({ length: 5 * 3 }, (_, i) => i * 17);
  const g = decodePng(encodePng(grey, 5, 3, 1));
  assert.deepEqual([g.width, g.height, g.channels], [5, 3, 1]);
  assert.deepEqual(Array.from(g.data), Array.from(grey));
  const rgb = Uint8Array.from({ length: 4 * 2 * 3 }, (_, i) => (i * 37) % 256);
  const c = decodePng(encodePng(rgb, 4, 2, 3));
  assert.deepEqual([c.width, c.height, c.channels], [4, 2, 3]);
  assert.deepEqual(Array.from(c.data), Array.from(rgb));
});

test('decodePng drops alpha: RGBA → 3 channels, grey+alpha → 1 channel', () => {
  const rgba = Uint8Array.from([10, 20, 30, 0, 40, 50, 60, 255]);
  const a = decodePng(pngOf(2, 1, rgba, 6));
  assert.equal(a.channels, 3);
  assert.deepEqual(Array.from(a.data), [10, 20, 30, 40, 50, 60]);
  const ga = Uint8Array.from([7, 0, 200, 128]);
  const b = decodePng(pngOf(2, 1, ga, 4));
  assert.equal(b.channels, 1);
  assert.deepEqual(Array.from(b.data), [7, 200]);
});

test('decodePng rescales 16-bit to 8-bit (257·k → k)', () => {
  const v16 = Uint16Array.from([0, 257 * 1, 257 * 128, 65535]);
  const d = decodePng(pngOf(4, 1, v16, 0, 16));
  assert.equal(d.channels, 1);
  assert.deepEqual(Array.from(d.data), [0, 1, 128, 255]);
});

test('decodePng: not a PNG, corrupt data, and a huge declared size are DataErrors naming the file', () => {
  assert.throws(() => decodePng(Buffer.from('hello world, not a png at all'), 'a.png'), (e) => e instanceof DataError && /a\.png/.test(e.message));
  const good = encodePng(new Uint8Array(16), 4, 4, 1);
  const corrupt = Buffer.from(good.subarray(0, good.length - 20));
  assert.throws(() => decodePng(corrupt, 'b.png'), (e) => e instanceof DataError && /b\.png/.test(e.message));
  const huge = Buffer.from(good);
  huge.writeUInt32BE(100_000, 16); // IHDR width
  huge.writeUInt32BE(100_000, 20); // IHDR height: 10^10 pixels
  assert.throws(() => decodePng(huge, 'c.png'), (e) => e instanceof DataError && /limit/.test(e.message));
});

test('toByte maps [-1, 1] to bytes with rounding, clamping and NaN → 0', () => {
  assert.deepEqual([-1, 0, 1, 2, -3, NaN, -0.5].map(toByte), [0, 128, 255, 255, 0, 0, 64]);
});

test('imageGrid tiles images with padding around every cell', () => {
  const n = 3, h = 2, w = 2, c = 1;
  const images = new Float32Array(n * h * w * c);
  for (let k = 0; k < n; k++) images.fill([-1, 0, 1][k]!, k * 4, k * 4 + 4); // image k constant
  const g = imageGrid(images, n, h, w, c, { pad: 2, padValue: 7 });
  // cols = ceil(sqrt(3)) = 2, rows = 2; each side = 2·(2+2) + 2 = 10
  assert.deepEqual([g.width, g.height, g.channels], [10, 10, 1]);
  const at = (x: number, y: number) => g.data[y * g.width + x];
  assert.equal(at(2, 2), 0); // image 0 (value -1) at (2, 2)
  assert.equal(at(7, 3), 128); // image 1 (value 0) at (6, 2)..(7, 3)
  assert.equal(at(2, 6), 255); // image 2 (value 1) at (2, 6)
  assert.equal(at(6, 6), 7); // the empty fourth cell is padding
  assert.equal(at(0, 0), 7);
  assert.equal(at(4, 2), 7); // gap between columns
  const rgb = imageGrid(new Float32Array(2 * 3 * 3 * 3).fill(1), 2, 3, 3, 3, { cols: 2, pad: 0 });
  assert.deepEqual([rgb.width, rgb.height, rgb.channels], [6, 3, 3]);
  assert.ok(rgb.data.every((v) => v === 255));
  assert.throws(() => imageGrid(new Float32Array(5), 1, 2, 2, 1), ShapeError);
  assert.throws(() => imageGrid(new Float32Array(8), 1, 2, 2, 2), ShapeError);
});
