import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Optimizer } from '../../src/train/optimizers.js';

await tf.setBackend('cpu');

/** Run `steps` updates on θ with gradient g(θ) = 2θ - 1 (loss θ² - θ), in float32 tfjs. */
function run(opt: Optimizer, theta0: number[], steps: number): Float32Array {
  const v = tf.variable(tf.tensor1d(theta0));
  for (let i = 0; i < steps; i++) {
    const g = tf.tidy(() => tf.sub(tf.mul(v, 2), 1));
    opt.apply([v], [g]);
    g.dispose();
  }
  const out = v.dataSync() as Float32Array;
  v.dispose();
  return out;
}

/** The same updates in float64 by hand, from the formulas in PyTorch's documentation. */
function adamByHand(theta: number, steps: number, lr: number, b1: number, b2: number, eps: number): number {
  let m = 0, v = 0;
  for (let t = 1; t <= steps; t++) {
    const g = 2 * theta - 1;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    theta -= (lr * (m / (1 - b1 ** t))) / (Math.sqrt(v / (1 - b2 ** t)) + eps);
  }
  return theta;
}

// float32 arithmetic over a few steps: relative error ~1e-6; 1e-5 leaves room for rounding.
const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

test('Adam matches the hand-computed update (PyTorch form, bias-corrected)', () => {
  const opt = new Optimizer({ name: 'adam', lr: 0.1, beta1: 0.5, beta2: 0.999, eps: 1e-8 });
  const got = run(opt, [3, -2], 7);
  close(got[0]!, adamByHand(3, 7, 0.1, 0.5, 0.999, 1e-8));
  close(got[1]!, adamByHand(-2, 7, 0.1, 0.5, 0.999, 1e-8));
  assert.equal(opt.step, 7);
  opt.dispose();
});

test('RMSProp and SGD (with and without momentum) match hand-computed updates', () => {
  let theta = 3, s = 0;
  for (let t = 0; t < 5; t++) { const g = 2 * theta - 1; s = 0.9 * s + 0.1 * g * g; theta -= (0.01 * g) / (Math.sqrt(s) + 1e-8); }
  close(run(new Optimizer({ name: 'rmsprop', lr: 0.01, beta1: 0, beta2: 0.9, eps: 1e-8 }), [3], 5)[0]!, theta);

  theta = 3;
  for (let t = 0; t < 5; t++) theta -= 0.1 * (2 * theta - 1);
  close(run(new Optimizer({ name: 'sgd', lr: 0.1, beta1: 0, beta2: 0, eps: 0 }), [3], 5)[0]!, theta);

  theta = 3; let b = 0;
  for (let t = 0; t < 5; t++) { b = 0.9 * b + (2 * theta - 1); theta -= 0.1 * b; }
  close(run(new Optimizer({ name: 'sgd', lr: 0.1, beta1: 0.9, beta2: 0, eps: 0 }), [3], 5)[0]!, theta);
});

test('getState/setState continue exactly as an uninterrupted optimiser would (bit for bit)', () => {
  const cfg = { name: 'adam' as const, lr: 0.05, beta1: 0.5, beta2: 0.999, eps: 1e-8 };
  const straight = run(new Optimizer(cfg), [1.5, -0.25, 4], 10);

  const a = new Optimizer(cfg);
  const v = tf.variable(tf.tensor1d([1.5, -0.25, 4]));
  const stepOnce = (o: Optimizer) => { const g = tf.tidy(() => tf.sub(tf.mul(v, 2), 1)); o.apply([v], [g]); g.dispose(); };
  for (let i = 0; i < 4; i++) stepOnce(a);
  const saved = a.getState();
  a.dispose();
  const b = new Optimizer(cfg);
  b.setState(saved, [v]);
  for (let i = 0; i < 6; i++) stepOnce(b);
  assert.deepEqual(Array.from(v.dataSync()), Array.from(straight));
  b.dispose();
  v.dispose();
});

test('unknown optimiser names list the valid ones', () => {
  assert.throws(() => new Optimizer({ name: 'adamw' as 'adam', lr: 1, beta1: 0, beta2: 0, eps: 0 }), /valid: adam, rmsprop, sgd/);
});

test('the optimiser does not leak tensors across steps', () => {
  const opt = new Optimizer({ name: 'adam', lr: 0.1, beta1: 0.5, beta2: 0.999, eps: 1e-8 });
  const v = tf.variable(tf.ones([4, 4]));
  const step = () => { const g = tf.onesLike(v); opt.apply([v], [g]); g.dispose(); };
  step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) step();
  assert.equal(tf.memory().numTensors, before);
  opt.dispose();
  v.dispose();
});
