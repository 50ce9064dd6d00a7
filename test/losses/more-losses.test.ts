/**
 * Wasserstein, least squares, hinge, f-GAN, label smoothing and feature matching against values
 * computed by hand in float64 from each paper's formula (not from our rewritten stable forms).
 * Tolerance: rtol 1e-6 (float32 losses, a few roundings; helpers.ts) unless stated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients of tfjs-core's ops
import '@tensorflow/tfjs-backend-cpu';
import { ConfigError } from '../../src/errors.js';
import {
  featureMatchingDistance, getLoss, hinge, leastSquares, lossDefaults, makeFGan, makeFeatureMatching, makeMinimax,
  makeNonSaturating, makeWassersteinClip, makeWassersteinGp, resolveFeatureLayer, type FDivergence,
} from '../../src/losses/index.js';
import { resolveConfig } from '../../src/train/trainer.js';
import { TRAIN_DEFAULTS } from '../../src/defaults.js';
import { assertClose, mean, sp } from './helpers.js';

await tf.setBackend('cpu');

const R = [-3, 0, 2.5, 0.7];     // D's raw outputs on real data
const F = [1.5, -2, 0.25];       // on G(z): a different batch size on purpose
const col = (xs: number[]) => tf.tensor2d(xs, [xs.length, 1]);
const val = (s: tf.Scalar) => s.dataSync()[0]!;

test('Wasserstein (clip and gp): L_D = mean(f) − mean(r), L_G = −mean(f), finite for large outputs', () => {
  // mean(F) = −0.25/3 = −0.083333…, mean(R) = 0.2/4 = 0.05
  const expectedD = (1.5 - 2 + 0.25) / 3 - (-3 + 0 + 2.5 + 0.7) / 4;
  for (const loss of [makeWassersteinClip(), makeWassersteinGp()]) {
    assertClose([val(loss.discriminator(col(R), col(F)))], [expectedD], 1e-6, 0, `${loss.name} L_D`);
    assertClose([val(loss.generator(col(F)))], [0.25 / 3], 1e-6, 0, `${loss.name} L_G`);
    assertClose([val(loss.discriminator(col([1e4, -1e4]), col([1e30])))], [1e30], 1e-6, 0, 'large');
    assert.equal(Math.abs(val(loss.generator(col([-1e30, 1e30])))), 0);
  }
});

test('least squares (a, b, c) = (0, 1, 1): ½E(r − 1)² + ½E f², ½E(f − 1)²', () => {
  const d = 0.5 * ((16 + 1 + 2.25 + 0.09) / 4) + 0.5 * ((2.25 + 4 + 0.0625) / 3);
  const g = 0.5 * ((0.25 + 9 + 0.5625) / 3);
  assertClose([val(leastSquares.discriminator(col(R), col(F)))], [d], 1e-6, 0, 'L_D');
  assertClose([val(leastSquares.generator(col(F)))], [g], 1e-6, 0, 'L_G');
  // Optimum of D for fixed data: r = 1, f = 0 → L_D = 0; G at c: L_G = 0.
  assert.equal(val(leastSquares.discriminator(col([1, 1]), col([0]))), 0);
  assertClose([val(leastSquares.generator(col([1e4])))], [0.5 * (1e4 - 1) ** 2], 1e-6, 0, 'large');
});

test('hinge: E relu(1 − r) + E relu(1 + f), −E f', () => {
  // relu(1 − r) = [4, 1, 0, 0.3]; relu(1 + f) = [2.5, 0, 1.25]
  assertClose([val(hinge.discriminator(col(R), col(F)))], [(4 + 1 + 0 + 0.3) / 4 + (2.5 + 0 + 1.25) / 3], 1e-6, 0, 'L_D');
  assertClose([val(hinge.generator(col(F)))], [0.25 / 3], 1e-6, 0, 'L_G');
  // Margins met: zero loss however large the outputs.
  assert.equal(val(hinge.discriminator(col([1, 1e4]), col([-1, -1e4]))), 0);
});

/** Nowozin et al. 2016, Table 2, in float64, applied literally: g_f and f* separately. */
const TABLE2: Record<FDivergence, { g: (v: number) => number; fstar: (t: number) => number }> = {
  kl: { g: (v) => v, fstar: (t) => Math.exp(t - 1) },
  'reverse-kl': { g: (v) => -Math.exp(-v), fstar: (t) => -1 - Math.log(-t) },
  pearson: { g: (v) => v, fstar: (t) => (t * t) / 4 + t },
  hellinger: { g: (v) => 1 - Math.exp(-v), fstar: (t) => t / (1 - t) },
  js: { g: (v) => Math.LN2 - Math.log(1 + Math.exp(-v)), fstar: (t) => -Math.log(2 - Math.exp(t)) },
};

test('f-GAN: L_D = E f*(g_f(V(G(z)))) − E g_f(V(x)), L_G = −E g_f(V(G(z))) (the paper\'s alternative)', () => {
  for (const div of Object.keys(TABLE2) as FDivergence[]) {
    const { g, fstar } = TABLE2[div];
    const loss = makeFGan(div);
    assert.equal(loss.name, `f-${div}`);
    const d = mean(F.map((v) => fstar(g(v)))) - mean(R.map(g));
    // rtol 1e-5: exp/expm1 of float32 arguments, a few more roundings than the logit losses.
    assertClose([val(loss.discriminator(col(R), col(F)))], [d], 1e-5, 1e-7, `${loss.name} L_D`);
    assertClose([val(loss.generator(col(F)))], [-mean(F.map(g))], 1e-5, 1e-7, `${loss.name} L_G`);
    assertClose(tf.mean(loss.report!(col(R))).dataSync(), [mean(R.map(g))], 1e-5, 1e-7, `${loss.name} report`);
  }
});

test('f-GAN at large |V|: the stable forms stay finite where the literal Table 2 form is not', () => {
  const js = makeFGan('js');
  // JS, f = 100: literally 2 − exp(g) = 2 − 2σ(100) = 0 in float64 → f* = ∞; exactly softplus(100) − log 2 = 100 − log 2.
  assert.equal(TABLE2.js.fstar(TABLE2.js.g(100)), Infinity);
  // L_D = mean(f*(g(f))) − mean(g(r)), f = [100, −100, 1e4], r = [−100, 1e4]:
  //   f*(g(−100)) = softplus(−100) − log 2 ≈ −log 2; f*(g(1e4)) = 1e4 − log 2
  //   g(−100) = log 2 − 100 − e^−100 ≈ log 2 − 100;  g(1e4) = log 2
  const d = (100 - Math.LN2 - Math.LN2 + 1e4 - Math.LN2) / 3 - (Math.LN2 - 100 + Math.LN2) / 2;
  assertClose([val(js.discriminator(col([-100, 1e4]), col([100, -100, 1e4])))], [d], 1e-6, 0, 'JS L_D');
  assertClose([val(js.generator(col([-1e4, 1e4])))], [-(Math.LN2 - 1e4 + Math.LN2) / 2], 1e-6, 0, 'JS L_G');
  // Reverse KL, f = 1e4: literally −1 − log(e^−1e4) = −1 − log(0) = ∞ in float64; exactly 1e4 − 1.
  const rkl = makeFGan('reverse-kl');
  assert.equal(TABLE2['reverse-kl'].fstar(TABLE2['reverse-kl'].g(1e4)), Infinity);
  assertClose([val(rkl.discriminator(col([1e4]), col([1e4])))], [1e4 - 1], 1e-6, 0, 'RKL L_D');
  // Hellinger, f = −100: f*(g) = e^−100 − 1 = −1 (t/(1−t) with t = 1 − e^100 is −1 + e^−100 too).
  const hel = makeFGan('hellinger');
  assertClose([val(hel.discriminator(col([50]), col([-100])))], [-1 - (1 - Math.exp(-50))], 1e-6, 0, 'Hellinger L_D');
  // Where the divergence itself exceeds float32 (KL's e^(v−1), v = 100), the loss is +∞, not NaN.
  assert.equal(val(makeFGan('kl').discriminator(col([0]), col([100]))), Infinity);
});

test('one-sided label smoothing α: (1−α)E softplus(−r) + α E softplus(r) + E softplus(f); α = 0 is the paper\'s loss', () => {
  const a = 0.1;
  // By hand: target 0.9 for real, 0 for fake, cross-entropy in float64 with σ written out.
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const ce = mean(R.map((r) => -(1 - a) * Math.log(sig(r)) - a * Math.log(1 - sig(r)))) + mean(F.map((f) => -Math.log(1 - sig(f))));
  for (const loss of [makeMinimax(a), makeNonSaturating(a), makeFeatureMatching({ labelSmoothing: a })]) {
    assertClose([val(loss.discriminator(col(R), col(F)))], [ce], 1e-6, 0, `${loss.name} smoothed L_D`);
  }
  const plain = mean(R.map((r) => sp(-r))) + mean(F.map(sp));
  assertClose([val(makeMinimax(0).discriminator(col(R), col(F)))], [plain], 1e-6, 0, 'α = 0');
  // Large logits stay finite: r = 1e4 → 0.1·softplus(1e4) = 1000.
  assertClose([val(makeNonSaturating(a).discriminator(col([1e4]), col([-1e4])))], [0.1 * 1e4], 1e-6, 0, 'large');
  assert.throws(() => makeMinimax(1), /labelSmoothing \(--label-smoothing\) must be in \[0, 1\)/);
  assert.throws(() => getLoss('hinge', { labelSmoothing: 0.1 }), (e: unknown) => e instanceof ConfigError && /not to 'hinge'/.test(e.message));
});

test('feature matching: ‖mean f(x) − mean f(G(z))‖² over a named or indexed layer', () => {
  // real features [2, 2]: [[1, 2], [3, 6]] → mean [2, 4]; fake [3, 2]: [[0, 0], [1, 1], [2, 5]] → mean [1, 2]
  const real = tf.tensor2d([[1, 2], [3, 6]]);
  const fake = tf.tensor2d([[0, 0], [1, 1], [2, 5]]);
  assertClose([val(featureMatchingDistance(real, fake))], [1 + 4], 1e-6, 0, 'distance');
  const other = tf.zeros([2, 3]);
  const loss = makeFeatureMatching({ featureLayer: 'conv2' });
  const pair = { real: { conv1: other, conv2: real }, fake: { conv1: tf.zeros([3, 3]), conv2: fake } };
  loss.prepare!({ featureNames: ['conv1', 'conv2'] } as never);
  assertClose([val(loss.generator(col(F), pair))], [5], 1e-6, 0, 'by name');
  const byIndex = makeFeatureMatching({ featureLayer: '-1' });
  byIndex.prepare!({ featureNames: ['conv1', 'conv2'] } as never);
  assertClose([val(byIndex.generator(col(F), pair))], [5], 1e-6, 0, 'by index −1');
  assert.equal(resolveFeatureLayer('0', ['hidden1', 'hidden2']), 'hidden1');
  assert.equal(resolveFeatureLayer('hidden2', ['hidden1', 'hidden2']), 'hidden2');
  assert.throws(() => resolveFeatureLayer('conv9', ['hidden1', 'hidden2']),
    (e: unknown) => e instanceof ConfigError && /--feature-layer.*hidden1, hidden2/.test(e.message));
  assert.throws(() => resolveFeatureLayer('2', ['hidden1', 'hidden2']), ConfigError);
});

test('perceptual: registered; its network is resolved when the trainer prepares it (test/losses/perceptual.test.ts)', () => {
  const loss = getLoss('perceptual', { labelSmoothing: 0.1 });
  assert.equal(loss.name, 'perceptual');
  assert.equal(loss.usesImages, true);
  // D keeps the cross-entropy loss with one-sided label smoothing, as feature matching's D does.
  assertClose([val(loss.discriminator(col(R), col(F)))], [val(makeFeatureMatching({ labelSmoothing: 0.1 }).discriminator(col(R), col(F)))], 1e-7, 0, 'L_D');
});

test('paper defaults apply only to options the user left unset', () => {
  const gp = resolveConfig({ loss: 'wasserstein-gp' });
  assert.deepEqual([gp.optD, gp.optG, gp.lrD, gp.lrG, gp.beta1, gp.beta2, gp.dSteps], ['adam', 'adam', 1e-4, 1e-4, 0.5, 0.9, 5]);
  const clip = resolveConfig({ loss: 'wasserstein-clip', lrD: 1e-3, dSteps: undefined });
  assert.deepEqual([clip.optD, clip.optG, clip.lrD, clip.lrG, clip.dSteps, clip.clipValue], ['rmsprop', 'rmsprop', 1e-3, 5e-5, 5, 0.01]);
  const ns = resolveConfig({});
  assert.deepEqual([ns.optD, ns.lrD, ns.dSteps, ns.labelSmoothing], [TRAIN_DEFAULTS.optD, TRAIN_DEFAULTS.lrD, 1, 0]);
  assert.deepEqual(lossDefaults('hinge'), {});
  // A saved (complete) config is not changed by the loss defaults: resumes see what they saved.
  assert.deepEqual(resolveConfig({ ...clip }), clip);
});

test('the new losses leave no tensors behind', () => {
  const r = col(R);
  const f = col(F);
  const before = tf.memory().numTensors;
  for (const name of ['wasserstein-clip', 'wasserstein-gp', 'least-squares', 'hinge', 'f-kl', 'f-reverse-kl', 'f-js', 'f-pearson', 'f-hellinger']) {
    const loss = getLoss(name);
    tf.dispose([loss.discriminator(r, f), loss.generator(f), ...(loss.report ? [loss.report(f)] : [])]);
  }
  assert.equal(tf.memory().numTensors, before);
});
