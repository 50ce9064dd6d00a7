/** useBackend: names, errors, idempotence, and the threaded wasm build in Node. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, BACKEND_NAMES, type BackendName } from '../../src/backend/index.js';
import { BackendError, ConfigError } from '../../src/errors.js';
import { on, rand, relErr } from './helpers.js';

test('cpu: info, idempotent', async () => {
  const a = await useBackend('cpu');
  const b = await useBackend('cpu');
  assert.deepEqual(a, { name: 'cpu', threads: 1 });
  assert.deepEqual(b, a);
  assert.equal(tf.getBackend(), 'cpu');
});

test('wasm: SIMD, one thread per core (threaded build in Node), idempotent', async () => {
  const want = Math.min(os.availableParallelism(), 8);
  const a = await useBackend('wasm');
  assert.deepEqual(a, { name: 'wasm', threads: want, simd: true });
  await useBackend('cpu');
  const b = await useBackend('wasm', { threads: 1 }); // fixed at first initialisation
  assert.deepEqual(b, a);
  assert.equal(tf.getBackend(), 'wasm');
});

test('wasm (threaded) convolution equals cpu to 1e-5 relative', async () => {
  const x = rand([16, 14, 14, 64], 31), w = rand([4, 4, 64, 128], 32);
  const run = (b: BackendName) => on(b, () => [tf.conv2d(tf.tensor4d(x, [16, 14, 14, 64]), tf.tensor4d(w, [4, 4, 64, 128]), 2, 'same')]);
  const [cpu] = await run('cpu');
  const [wasm] = await run('wasm');
  assert.ok(relErr(wasm!, cpu!) <= 1e-5, `relative error ${relErr(wasm!, cpu!)}`);
});

test('tensorflow: one-sentence BackendError when tfjs-node is missing', async () => {
  await assert.rejects(useBackend('tensorflow'), (e: unknown) => {
    assert.ok(e instanceof BackendError);
    assert.equal(e.message,
      'the tensorflow backend needs @tensorflow/tfjs-node, which is not installed: run `npm install @tensorflow/tfjs-node`, or use --backend wasm|cpu');
    return true;
  });
});

test('unknown name and bad thread count are ConfigErrors naming the flag', async () => {
  await assert.rejects(useBackend('wsam' as BackendName), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /unknown backend 'wsam' \(--backend\); valid: onnxruntime, wasm, cpu, tensorflow; did you mean 'wasm'\?/);
    return true;
  });
  await assert.rejects(useBackend('wasm', { threads: 0 }), /--threads/);
  assert.deepEqual([...BACKEND_NAMES], ['onnxruntime', 'wasm', 'cpu', 'tensorflow']);
});
