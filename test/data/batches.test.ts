import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { BatchStream, type BatchStreamState } from '../../src/data/batches.js';
import { ring8 } from '../../src/data/toy2d.js';
import { openMnist } from '../../src/data/mnist.js';
import type { Examples, FiniteSource } from '../../src/data/source.js';
import { ConfigError } from '../../src/errors.js';

await tf.setBackend('cpu');

/** A finite source whose example i is the single value i (so batches reveal their indices). */
function indexSource(length: number): FiniteSource {
  return {
    spec: `index:${length}`, kind: 'points', shape: [1], finite: true, length, numClasses: 3,
    take(indices: ArrayLike<number>): Examples {
      const idx = Array.from(indices);
      return { n: idx.length, x: Float32Array.from(idx), labels: Int32Array.from(idx, (i) => i % 3) };
    },
  };
}
const indicesOf = (s: BatchStream) => Array.from(s.nextExamples().x);

test('BatchStream: same seed ⇒ identical tensor batches; another seed ⇒ another order', () => {
  const a = new BatchStream(indexSource(100), 10, 7), b = new BatchStream(indexSource(100), 10, 7);
  for (let k = 0; k < 3; k++) {
    const ba = a.next(), bb = b.next();
    assert.deepEqual(ba.x.shape, [10, 1]);
    assert.equal(ba.x.dtype, 'float32');
    assert.equal(ba.labels!.dtype, 'int32');
    assert.deepEqual(ba.x.arraySync(), bb.x.arraySync());
    assert.deepEqual(ba.labels!.arraySync(), bb.labels!.arraySync());
    tf.dispose([ba.x, ba.labels!, bb.x, bb.labels!]);
  }
  assert.notDeepEqual(indicesOf(new BatchStream(indexSource(100), 10, 7)), indicesOf(new BatchStream(indexSource(100), 10, 8)));
});

test('BatchStream: an epoch covers every index once; the partial last batch is dropped', () => {
  const s = new BatchStream(indexSource(12), 4, 1);
  const epoch0 = [indicesOf(s), indicesOf(s), indicesOf(s)].flat();
  assert.deepEqual([...epoch0].sort((p, q) => p - q), Array.from({ length: 12 }, (_, i) => i));
  const epoch1 = [indicesOf(s), indicesOf(s), indicesOf(s)].flat();
  assert.deepEqual([...epoch1].sort((p, q) => p - q), Array.from({ length: 12 }, (_, i) => i));
  assert.notDeepEqual(epoch1, epoch0, 'each epoch has its own permutation');
  assert.equal(s.epochsDone, 1);
  const r = new BatchStream(indexSource(10), 4, 1); // 2 full batches per epoch, 2 examples dropped
  assert.equal(r.batchesPerEpoch, 2);
  const e0 = [indicesOf(r), indicesOf(r)].flat();
  assert.equal(new Set(e0).size, 8);
  indicesOf(r);
  assert.equal(r.epochsDone, 1, 'the third batch starts epoch 1');
});

test('BatchStream: getState/setState mid-epoch resumes exactly (finite and distribution sources)', () => {
  for (const make of [() => indexSource(10), () => ring8()]) {
    const a = new BatchStream(make(), 4, 123);
    for (let k = 0; k < 3; k++) a.nextExamples(); // mid-epoch 1 for the finite source
    const state = JSON.parse(JSON.stringify(a.getState())) as BatchStreamState; // plain JSON
    const expected = Array.from({ length: 5 }, () => Array.from(a.nextExamples().x));
    const b = new BatchStream(make(), 4, 999); // a different seed, overwritten by the state
    b.setState(state);
    const resumed = Array.from({ length: 5 }, () => Array.from(b.nextExamples().x));
    assert.deepEqual(resumed, expected, make().spec);
  }
});

test('BatchStream: point batches are [B, 2]; image batches [B, 28, 28, 1]; tensors are all released', () => {
  const before = tf.memory().numTensors;
  const p = new BatchStream(ring8(), 16, 0).next();
  assert.deepEqual(p.x.shape, [16, 2]);
  assert.equal(p.labels, undefined);
  const m = new BatchStream(openMnist(), 8, 0).next();
  assert.deepEqual(m.x.shape, [8, 28, 28, 1]);
  assert.deepEqual(m.labels!.shape, [8]);
  const v = m.x.dataSync();
  assert.ok(v.every((x) => x >= -1 && x <= 1));
  tf.dispose([p.x, m.x, m.labels!]);
  assert.equal(tf.memory().numTensors, before);
});

test('BatchStream: bad batch sizes and mismatched states are ConfigErrors', () => {
  assert.throws(() => new BatchStream(indexSource(3), 4, 0), (e) => e instanceof ConfigError && /--batch/.test(e.message));
  assert.throws(() => new BatchStream(ring8(), 0, 0), ConfigError);
  const s = new BatchStream(indexSource(8), 4, 0);
  assert.throws(() => s.setState(new BatchStream(ring8(), 4, 0).getState()), ConfigError);
  assert.throws(() => s.setState(new BatchStream(indexSource(8), 2, 0).getState()), ConfigError);
});
