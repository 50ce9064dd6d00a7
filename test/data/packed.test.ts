/**
 * The packed labelled-image format the digits page fetches (src/data/packed.ts): a round trip of
 * pixels and labels, the source reading it, the errors for files that are not one, and the packed
 * MNIST the server sends (every digit within half a grey level of the Node data layer's).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PackedSource, packImages, unpackImages } from '../../src/data/packed.js';
import { loadMnist, packedMnist } from '../../src/data/mnist.js';
import { DataError } from '../../src/errors.js';

test('packed images: pixels and labels survive the round trip', () => {
  const shape = [3, 2, 2] as const;
  const n = 5, per = 12;
  const bytes = Uint8Array.from({ length: n * per }, (_, i) => (i * 37 + 11) % 256);
  const x = Float32Array.from(bytes, (b) => b / 127.5 - 1);
  const labels = [0, 6, 2, 6, 1];
  const packed = packImages(x, labels, shape, 7);
  assert.equal(packed.length, 16 + n + n * per);
  const p = unpackImages(packed);
  assert.equal(p.n, n);
  assert.deepEqual(p.shape, [3, 2, 2]);
  assert.equal(p.classes, 7);
  assert.deepEqual([...p.labels], labels);
  assert.deepEqual([...p.pixels], [...bytes]); // exact: each value was a grey level
  const src = new PackedSource(p, 'test');
  assert.deepEqual([src.length, src.numClasses, [...src.shape]], [n, 7, [3, 2, 2]]);
  const ex = src.take([3, 0]);
  assert.deepEqual([...ex.labels!], [6, 0]);
  for (let i = 0; i < per; i++) {
    assert.ok(Math.abs(ex.x[i]! - x[3 * per + i]!) < 1e-6);
    assert.ok(Math.abs(ex.x[per + i]! - x[i]!) < 1e-6);
  }
  assert.throws(() => src.take([5]), RangeError);
});

test('packed images: values in between grey levels round to the nearest; out-of-range values clamp', () => {
  const p = unpackImages(packImages(Float32Array.from([-1, -0.999, 0, 0.5, 1, 3, -7]), [0, 1, 0, 1, 0, 1, 0], [1, 1, 1], 2));
  assert.deepEqual([...p.pixels], [0, 0, 128, 191, 255, 255, 0]); // (v + 1)·127.5 rounded: 0.13 → 0, 127.5 → 128, 191.25 → 191
});

test('packed images: a file that is not one, or does not fit, is a DataError naming it', () => {
  const good = packImages(new Float32Array(8), [0, 1], [2, 2, 1], 2);
  const bad = (bytes: Uint8Array, why: RegExp) => assert.throws(() => unpackImages(bytes, 'digits.bin'), (e: unknown) =>
    e instanceof DataError && /^digits\.bin is not a ganbox packed image file/.test(e.message) && why.test(e.message));
  bad(good.subarray(0, 10), /10 bytes/);
  bad(Uint8Array.from(good, (b, i) => (i === 0 ? 0 : b)), /magic/);
  bad(good.subarray(0, good.length - 1), /expected 26/);
  bad(Uint8Array.from(good, (b, i) => (i === 17 ? 2 : b)), /label 2/);
  assert.throws(() => packImages(new Float32Array(8), [0, 2], [2, 2, 1], 2), /label 2 of example 1/);
  assert.throws(() => packImages(new Float32Array(7), [0, 1], [2, 2, 1], 2), /7 values do not make 2 images/);
});

test('packed mnist: the 10,000 digits with their labels, each pixel within half a grey level', () => {
  const bytes = packedMnist();
  assert.equal(bytes.length, 16 + 10000 + 10000 * 784); // 7.9 MB
  assert.equal(packedMnist(), bytes, 'cached');
  const p = unpackImages(bytes);
  const { x, labels } = loadMnist();
  assert.deepEqual([p.n, ...p.shape, p.classes], [10000, 28, 28, 1, 10]);
  assert.deepEqual([...p.labels], [...labels]);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(p.pixels[i]! / 127.5 - 1 - x[i]!));
  assert.ok(worst <= 1 / 255 + 1e-6, `worst pixel error ${worst}`);
});
