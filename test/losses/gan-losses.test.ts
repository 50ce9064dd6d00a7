/**
 * The original GAN losses (Goodfellow et al. 2014) against closed forms evaluated in float64.
 * With r = D's logits on real data, f = on G(z):
 *   L_D = mean(softplus(−r)) + mean(softplus(f));  minimax L_G = −mean(softplus(f));
 *   non-saturating L_G = mean(softplus(−f));        V = −L_D.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients of tfjs-core's ops
import '@tensorflow/tfjs-backend-cpu';
import { ConfigError } from '../../src/errors.js';
import { getLoss, LOSS_NAMES, minimax, nonSaturating, valueFunction } from '../../src/losses/index.js';
import { assertClose, mean, sigmoid, sp } from './helpers.js';

await tf.setBackend('cpu');

const R = [-3, 0, 2.5];               // D's logits on real data
const F = [1.5, -2, 0.25, -7];        // on G(z): a different batch size on purpose
const col = (xs: number[]) => tf.tensor2d(xs, [xs.length, 1]);   // [B, 1], as D returns
const val = (s: tf.Scalar) => s.dataSync()[0]!;

const lossD = (r: number[], f: number[]) => mean(r.map((x) => sp(-x))) + mean(f.map(sp));

test('discriminator loss (shared) = mean(softplus(−r)) + mean(softplus(f))', () => {
  // By hand: (log1p(e^3)+log 2+log1p(e^−2.5))/3 + (1.5+log1p(e^−1.5)+log1p(e^−2)+log1p(e^0.25)+log1p(e^−7))/4
  const expected = (Math.log1p(Math.exp(3)) + Math.LN2 + Math.log1p(Math.exp(-2.5))) / 3 +
    (1.5 + Math.log1p(Math.exp(-1.5)) + Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(0.25)) + Math.log1p(Math.exp(-7))) / 4;
  assertClose([expected], [lossD(R, F)], 1e-15, 0, 'reference');
  for (const loss of [minimax, nonSaturating]) {
    assertClose([val(loss.discriminator(col(R), col(F)))], [expected], 1e-6, 0, `${loss.name} L_D`);
    assertClose([val(loss.discriminator(tf.tensor1d(R), tf.tensor1d(F)))], [expected], 1e-6, 0, `${loss.name} L_D, [B]`);
  }
  // D that cannot tell: every logit 0 → L_D = 2 log 2.
  assertClose([val(minimax.discriminator(col([0, 0]), col([0])))], [2 * Math.LN2]);
});

test('generator losses: minimax −mean(softplus(f)), non-saturating mean(softplus(−f))', () => {
  assertClose([val(minimax.generator(col(F)))], [-mean(F.map(sp))], 1e-6, 0, 'minimax L_G');
  assertClose([val(nonSaturating.generator(col(F)))], [mean(F.map((x) => sp(-x)))], 1e-6, 0, 'non-saturating L_G');
  // logits [−3, 0, 2.5] written out: minimax −(log1p(e^−3) + log 2 + 2.5 + log1p(e^−2.5))/3
  const byHand = -(Math.log1p(Math.exp(-3)) + Math.LN2 + 2.5 + Math.log1p(Math.exp(-2.5))) / 3;
  assertClose([val(minimax.generator(col(R)))], [byHand], 1e-6, 0, 'minimax by hand');
});

test('value function V = E log D(x) + E log(1 − D(G(z))) = −L_D', () => {
  assertClose([val(valueFunction(col(R), col(F)))], [-lossD(R, F)], 1e-6, 0, 'V');
  assert.equal(val(valueFunction(col(R), col(F))), -val(minimax.discriminator(col(R), col(F))));
  // D(x) = 1/2 everywhere (the optimum against a perfect G): V = −log 4 (Theorem 1).
  assertClose([val(valueFunction(col([0]), col([0, 0])))], [-Math.log(4)]);
});

test('large |logit|: finite and equal to the asymptote where log(sigmoid) is −∞/NaN', () => {
  const big = [100, 1e4, -100, -1e4];
  // softplus(100) = 100, softplus(1e4) = 1e4, softplus(−100) = e^−100, softplus(−1e4) = 0.
  const ld = val(minimax.discriminator(col(big), col(big)));
  const expectedD = (Math.exp(-100) + 0 + 100 + 1e4) / 4 + (100 + 1e4 + Math.exp(-100) + 0) / 4;
  assertClose([ld], [expectedD], 1e-6, 0, 'L_D');
  assertClose([val(minimax.generator(col(big)))], [-(100 + 1e4) / 4], 1e-6, 0, 'minimax L_G');
  assertClose([val(nonSaturating.generator(col(big)))], [(100 + 1e4) / 4], 1e-6, 0, 'NS L_G');
  assertClose([val(nonSaturating.generator(col([1e4])))], [0], 0, 0, 'NS L_G at D(G(z)) = 1');
  assertClose([val(valueFunction(col(big), col(big)))], [-expectedD], 1e-6, 0, 'V');
  // The naive form on the same logits is not finite:
  const naive = tf.neg(tf.mean(tf.log(tf.sigmoid(col(big))))).dataSync()[0]!;
  assert.ok(!Number.isFinite(naive), `naive −mean(log σ) = ${naive}`);
});

test('gradients w.r.t. the logits match the closed forms; minimax saturates as D(G(z)) → 0', () => {
  const fs = [2, 0, -3, -10, -20, -100, -1e4];
  const n = fs.length;
  const gMinimax = tf.grad((f: tf.Tensor) => minimax.generator(f))(col(fs)).dataSync();
  const gNs = tf.grad((f: tf.Tensor) => nonSaturating.generator(f))(col(fs)).dataSync();
  // rtol 1e-5: σ is rounded to float32 and divided by n; atol for e^−100-sized denormals.
  assertClose(gMinimax, fs.map((f) => -sigmoid(f) / n), 1e-5, 1e-40, 'minimax ∂L_G/∂f = −σ(f)/n');
  assertClose(gNs, fs.map((f) => -(1 - sigmoid(f)) / n), 1e-5, 1e-40, 'NS ∂L_G/∂f = −(1−σ(f))/n');
  // Saturation: at f = −10 (D(G(z)) ≈ 4.5e−5) minimax's gradient is ~22000× smaller than NS's;
  // at f = −1e4 it is exactly 0 while NS still pushes with −1/n.
  assert.ok(Math.abs(gMinimax[3]!) < 1e-4 * Math.abs(gNs[3]!));
  assert.equal(Math.abs(gMinimax[6]!), 0);
  assertClose([gNs[6]!], [-1 / n]);

  const [gr, gf] = tf.grads((r: tf.Tensor, f: tf.Tensor) => minimax.discriminator(r, f))([col(R), col(F)]);
  assertClose(gr!.dataSync(), R.map((r) => -(1 - sigmoid(r)) / R.length), 1e-5, 1e-40, '∂L_D/∂r');
  assertClose(gf!.dataSync(), F.map((f) => sigmoid(f) / F.length), 1e-5, 1e-40, '∂L_D/∂f');
});

test('registry: names, lookup, and an unknown name that names the flag and the nearest', () => {
  assert.deepEqual([...LOSS_NAMES], [
    'minimax', 'non-saturating', 'wasserstein-clip', 'wasserstein-gp', 'feature-matching', 'perceptual',
    'f-kl', 'f-reverse-kl', 'f-js', 'f-pearson', 'f-hellinger', 'least-squares', 'hinge',
  ]);
  for (const name of LOSS_NAMES) assert.equal(getLoss(name).name, name);
  assert.throws(() => getLoss('non-saturing'), (e: unknown) =>
    e instanceof ConfigError && /--loss/.test(e.message) && /did you mean 'non-saturating'/.test(e.message));
  assert.throws(() => getLoss('wgan'), ConfigError);
});

test('losses leave no tensors behind', () => {
  const r = col(R);
  const f = col(F);
  const before = tf.memory().numTensors;
  for (const loss of [minimax, nonSaturating]) {
    tf.dispose([loss.discriminator(r, f), loss.generator(f)]);
  }
  tf.dispose(valueFunction(r, f));
  assert.equal(tf.memory().numTensors, before);
});
