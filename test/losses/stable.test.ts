/**
 * logSigmoid / logOneMinusSigmoid against float64, on cpu and (when it initialises) wasm,
 * including logits where the naive log(sigmoid(x)) is −∞.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients of tfjs-core's ops
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { logOneMinusSigmoid, logSigmoid } from '../../src/losses/stable.js';
import { assertClose, sigmoid, sp } from './helpers.js';

const XS = [-1e4, -200, -100, -30, -20, -14, -13.9, -10, -3, -0.5, 0, 0.5, 2.5, 10, 13.9, 14, 20, 30, 100, 200, 1e4];

for (const backend of ['cpu', 'wasm']) {
  test(`logSigmoid and logOneMinusSigmoid match float64 on ${backend}`, async (t) => {
    if (!(await tf.setBackend(backend))) return t.skip(`${backend} backend unavailable`);
    const x = tf.tensor1d(XS);
    assertClose(logSigmoid(x).dataSync(), XS.map((v) => -sp(-v)), 1e-6, 1e-40, 'logSigmoid');
    assertClose(logOneMinusSigmoid(x).dataSync(), XS.map((v) => -sp(v)), 1e-6, 1e-40, 'logOneMinusSigmoid');
    // The asymptotes exactly: log σ(1e4) = 0 (−e^−1e4 underflows), log σ(−100) = −100.
    assert.equal(logSigmoid(tf.scalar(-100)).dataSync()[0], -100);
    assert.equal(logOneMinusSigmoid(tf.scalar(1e4)).dataSync()[0], -1e4);
    tf.dispose(x);
  });

  test(`gradients are finite and equal σ(−x), −σ(x) on ${backend}`, async (t) => {
    if (!(await tf.setBackend(backend))) return t.skip(`${backend} backend unavailable`);
    const x = tf.tensor1d(XS);
    const g1 = tf.grad((v: tf.Tensor) => tf.sum(logSigmoid(v)))(x).dataSync();
    const g2 = tf.grad((v: tf.Tensor) => tf.sum(logOneMinusSigmoid(v)))(x).dataSync();
    // wasm flushes float32 denormals to 0 (σ(−100) = 3.7e−44): atol 1e−40 covers it.
    assertClose(g1, XS.map((v) => sigmoid(-v)), 1e-6, 1e-40, 'd logSigmoid');
    assertClose(g2, XS.map((v) => -sigmoid(v)), 1e-6, 1e-40, 'd logOneMinusSigmoid');
    tf.dispose(x);
  });
}

test('the naive log(sigmoid(x)) is what these avoid: −∞ at large |x| in float32', async () => {
  await tf.setBackend('cpu');
  const naive = tf.log(tf.sigmoid(tf.tensor1d([-1e4, -200]))).dataSync();
  assert.deepEqual(Array.from(naive), [-Infinity, -Infinity]);
  const naive1m = tf.log(tf.sub(1, tf.sigmoid(tf.tensor1d([20, 100])))).dataSync();
  assert.deepEqual(Array.from(naive1m), [-Infinity, -Infinity]);
  assertClose(logSigmoid(tf.tensor1d([-1e4, -200])).dataSync(), [-1e4, -200]);
  assertClose(logOneMinusSigmoid(tf.tensor1d([20, 100])).dataSync(), [-sp(20), -100]);
});
