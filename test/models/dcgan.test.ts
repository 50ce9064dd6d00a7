/** DCGAN (Radford et al. 2015): shapes, hand-counted parameters, BatchNorm modes, save/load. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { ConfigError } from '../../src/errors.js';
import {
  countParams, dcganDiscriminator, dcganGenerator, discriminate, generate, initWeights,
} from '../../src/models/index.js';
import { Rng } from '../../src/train/rng.js';

await tf.setBackend('cpu');

const B = 2;
const noise = (n: number, d: number, seed = 1) => tf.tensor2d(new Rng(seed).normalArray(n * d), [n, d]);

const CASES: Array<{ shape: [number, number, number]; features: Record<string, number[]> }> = [
  { shape: [28, 28, 1], features: { conv1: [B, 14, 14, 64], conv2: [B, 7, 7, 128] } },
  { shape: [32, 32, 3], features: { conv1: [B, 16, 16, 64], conv2: [B, 8, 8, 128], conv3: [B, 4, 4, 256] } },
  { shape: [64, 64, 3], features: { conv1: [B, 32, 32, 64], conv2: [B, 16, 16, 128], conv3: [B, 8, 8, 256], conv4: [B, 4, 4, 512] } },
];

for (const { shape, features } of CASES) {
  test(`dcgan ${shape.join('×')}: G(z) [B, ${shape}] in [−1, 1]; D → logit [B, 1] + features`, () => {
    const g = dcganGenerator({ imageShape: shape });
    const d = dcganDiscriminator({ imageShape: shape });
    initWeights(g.model, new Rng(1));
    initWeights(d.model, new Rng(2));
    assert.equal(g.latentDim, 100);
    assert.deepEqual(g.outputShape, shape);
    assert.deepEqual(d.inputShape, shape);
    assert.deepEqual(d.featureNames, Object.keys(features));
    tf.tidy(() => {
      const x = generate(g, noise(B, 100), true);
      assert.deepEqual(x.shape, [B, ...shape]);
      const [lo, hi] = [tf.min(x).dataSync()[0]!, tf.max(x).dataSync()[0]!];
      assert.ok(lo >= -1 && hi <= 1 && hi > lo, `G output range [${lo}, ${hi}]`);
      const out = discriminate(d, x, true);
      assert.deepEqual(out.logit.shape, [B, 1]);
      for (const [name, s] of Object.entries(features)) assert.deepEqual(out.features[name]!.shape, s, name);
    });
    g.model.dispose();
    d.model.dispose();
  });
}

test('dcgan 28×28×1 parameter counts equal the hand count of the canonical workload', () => {
  const g = dcganGenerator({ imageShape: [28, 28, 1] });
  const d = dcganDiscriminator({ imageShape: [28, 28, 1] });
  // G: Dense 100→7·7·128 no bias; BN(128) γ,β (+ moving μ,σ²); ConvT 4·4·128→64 no bias;
  //    BN(64); ConvT 4·4·64→1 + bias.
  const gTrainable = 100 * 6272 + 2 * 128 + 4 * 4 * 128 * 64 + 2 * 64 + (4 * 4 * 64 * 1 + 1);
  const gMoving = 2 * 128 + 2 * 64;
  assert.equal(countParams(g.model, true), gTrainable);      // 759,681
  assert.equal(countParams(g.model), gTrainable + gMoving);  // 760,065
  // D: Conv 4·4·1→64 + bias; Conv 4·4·64→128 no bias; BN(128); Dense 6272→1 + bias.
  const dTrainable = (4 * 4 * 1 * 64 + 64) + 4 * 4 * 64 * 128 + 2 * 128 + (6272 + 1);
  assert.equal(countParams(d.model, true), dTrainable);      // 138,689
  assert.equal(countParams(d.model), dTrainable + 2 * 128);  // 138,945
  // Layer by layer, in the order of the workload's description.
  assert.deepEqual(g.model.layers.map((l) => l.getClassName()), [
    'InputLayer', 'Dense', 'Reshape', 'BatchNormalization', 'ReLU',
    'Conv2DTranspose', 'BatchNormalization', 'ReLU', 'Conv2DTranspose', 'Activation',
  ]);
  assert.deepEqual(d.model.layers.map((l) => l.getClassName()), [
    'InputLayer', 'Conv2D', 'LeakyReLU', 'Conv2D', 'BatchNormalization', 'LeakyReLU', 'Flatten', 'Dense',
  ]);
  const bn = g.model.getLayer('g_bn0').getConfig();
  assert.equal(bn['momentum'], 0.9);   // PyTorch momentum 0.1
  assert.equal(bn['epsilon'], 1e-5);
  g.model.dispose();
  d.model.dispose();
});

test('dcgan width multiplier and latentDim options; other shapes are a ConfigError', () => {
  const g = dcganGenerator({ imageShape: [32, 32, 1], latentDim: 16, ngf: 8 });
  assert.deepEqual(g.model.outputs[0]!.shape, [null, 32, 32, 1]);
  assert.deepEqual(g.model.getLayer('g_project').outputShape, [null, 4 * 4 * 32]);
  g.model.dispose();
  for (const bad of [[48, 48, 3], [28, 28, 4], [28, 32, 1], [784]]) {
    assert.throws(() => dcganDiscriminator({ imageShape: bad }), (e: unknown) =>
      e instanceof ConfigError && e.message.includes(bad.join('×')) && e.message.includes('64×64×3'));
  }
  assert.throws(() => dcganGenerator({ imageShape: [28, 28, 1], latentDim: 0 }), /--latent-dim/);
});

test('training flag: batch statistics and moving-average updates only when training', () => {
  const d = dcganDiscriminator({ imageShape: [28, 28, 1], ndf: 8 });
  initWeights(d.model, new Rng(3));
  const bn = d.model.getLayer('d_bn2');
  const movingMean = () => bn.getWeights()[2]!.dataSync().slice();
  const x = tf.tensor4d(new Rng(4).uniformArray(4 * 784, -1, 1), [4, 28, 28, 1]);
  const preBn = tfl.model({ inputs: d.model.inputs, outputs: d.model.getLayer('d_conv2').output as tfl.SymbolicTensor });

  // Inference: moving stats untouched, and example 0's logit does not depend on its batch-mates.
  const evalAll = discriminate(d, x, false).logit.dataSync();
  const evalOne = discriminate(d, tf.slice(x, 0, 1), false).logit.dataSync();
  assert.ok(Math.abs(evalAll[0]! - evalOne[0]!) < 1e-6);
  assert.ok(movingMean().every((v) => v === 0));

  // Training: batch statistics (example 0's logit changes with the batch) ...
  const trainAll = discriminate(d, x, true).logit.dataSync();
  const trainPair = discriminate(d, tf.slice(x, 0, 2), true).logit.dataSync();
  assert.ok(Math.abs(trainAll[0]! - trainPair[0]!) > 1e-6, 'batch statistics in training mode');
  assert.ok(Math.abs(trainAll[0]! - evalAll[0]!) > 1e-6);
  // ... and each training apply moves the moving mean 10% of the way to the batch mean (PyTorch
  // momentum 0.1). Two applies so far: m = 0.9·(0.1·μ_all) + 0.1·μ_pair.
  const mu = (t: tf.Tensor) => tf.mean(preBn.apply(t) as tf.Tensor, [0, 1, 2]).dataSync();
  const [muAll, muPair] = [mu(x), mu(tf.slice(x, 0, 2))];
  const m = movingMean();
  for (let c = 0; c < m.length; c++) {
    const expected = 0.9 * 0.1 * muAll[c]! + 0.1 * muPair[c]!;
    assert.ok(Math.abs(m[c]! - expected) <= 1e-6 + 1e-4 * Math.abs(expected), `channel ${c}: ${m[c]} vs ${expected}`);
  }
  d.model.dispose();
});

test('G saves in tfjs LayersModel format and loads with tf.loadLayersModel unchanged', async () => {
  const g = dcganGenerator({ imageShape: [28, 28, 1], ngf: 8, latentDim: 10 });
  initWeights(g.model, new Rng(5));
  let artifacts: tf.io.ModelArtifacts | undefined;
  await g.model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
  const z = noise(3, 10, 6);
  const a = generate(g, z, false).dataSync();
  const b = (loaded.predict(z) as tf.Tensor).dataSync();
  assert.deepEqual(Array.from(b), Array.from(a));
  g.model.dispose();
  loaded.dispose();
});
