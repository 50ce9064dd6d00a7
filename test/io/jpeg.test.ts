import { test } from 'node:test';
import assert from 'node:assert/strict';
import jpeg from 'jpeg-js';
import { decodeJpeg, jpegComponents } from '../../src/io/jpeg.js';
import { DataError } from '../../src/errors.js';

function jpegOf(width: number, height: number, rgb: [number, number, number]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([...rgb, 255], 4 * p);
  return jpeg.encode({ width, height, data }, 100).data;
}

test('decodeJpeg: RGB JPEG → 3 channels, colour kept within JPEG rounding', () => {
  const img = decodeJpeg(jpegOf(16, 8, [200, 100, 50]));
  assert.deepEqual([img.width, img.height, img.channels], [16, 8, 3]);
  // Quality 100 on a constant image: only YCbCr↔RGB rounding remains, a few levels at most.
  for (let p = 0; p < 16 * 8; p++) {
    assert.ok(Math.abs(img.data[3 * p]! - 200) <= 3 && Math.abs(img.data[3 * p + 1]! - 100) <= 3 && Math.abs(img.data[3 * p + 2]! - 50) <= 3);
  }
});

test('jpegComponents reads the frame header component count', () => {
  assert.equal(jpegComponents(jpegOf(8, 8, [1, 2, 3])), 3);
  // SOI, APP0 (length 4: 2 payload bytes), SOF0 with Nf = 1
  const grey = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01]);
  assert.equal(jpegComponents(grey), 1);
  assert.equal(jpegComponents(Uint8Array.from([1, 2, 3, 4])), undefined);
});

test('decodeJpeg: garbage and a hostile frame size are DataErrors naming the file', () => {
  assert.throws(() => decodeJpeg(Buffer.from([0xff, 0xd8, 1, 2, 3]), 'x.jpg'), (e) => e instanceof DataError && /x\.jpg/.test(e.message));
  const bytes = Buffer.from(jpegOf(8, 8, [1, 2, 3]));
  const sof = bytes.indexOf(Buffer.from([0xff, 0xc0]));
  assert.ok(sof > 0);
  bytes.writeUInt16BE(60000, sof + 5); // height
  bytes.writeUInt16BE(60000, sof + 7); // width: 3.6 gigapixels
  assert.throws(() => decodeJpeg(bytes, 'big.jpg'), (e) => e instanceof DataError && /big\.jpg/.test(e.message) && /limit|memory/i.test(e.message));
});
