/** MLP G and D (Goodfellow et al. 2014; the 2-D toys): shapes, features, parameter counts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { ConfigError } from '../../src/errors.js';
import { countParams, discriminate, generate, initWeights, mlpDiscriminator, mlpGenerator } from '../../src/models/index.js';
import { Rng } from '../../src/train/rng.js';

await tf.setBackend('cpu');

test('mlp defaults: z [B, 8] → [B, 2]; D → logit [B, 1], hidden1..3 [B, 128]', () => {
  const g = mlpGenerator();
  const d = mlpDiscriminator();
  initWeights(g.model, new Rng(1), { kernelStd: 'lecun' });
  initWeights(d.model, new Rng(2), { kernelStd: 'lecun' });
  assert.equal(g.latentDim, 8);
  assert.deepEqual(g.outputShape, [2]);
  assert.deepEqual(d.featureNames, ['hidden1', 'hidden2', 'hidden3']);
  // G: Dense 8→128, 128→128 (×2), 128→2, each + bias. D: 2→128, 128→128 (×2), 128→1.
  assert.equal(countParams(g.model), (8 * 128 + 128) + 2 * (128 * 128 + 128) + (128 * 2 + 2));
  assert.equal(countParams(d.model), (2 * 128 + 128) + 2 * (128 * 128 + 128) + (128 * 1 + 1));
  tf.tidy(() => {
    const x = generate(g, tf.tensor2d(new Rng(3).normalArray(5 * 8), [5, 8]), true);
    assert.deepEqual(x.shape, [5, 2]);
    const out = discriminate(d, x, true);
    assert.deepEqual(out.logit.shape, [5, 1]);
    for (const name of d.featureNames) assert.deepEqual(out.features[name]!.shape, [5, 128]);
    // A feature is its block's output after LeakyReLU(0.2), not the Dense pre-activation.
    const dense1 = tfl.model({ inputs: d.model.inputs, outputs: d.model.getLayer('d_dense1').output as tfl.SymbolicTensor });
    const pre = dense1.apply(x) as tf.Tensor;
    assert.ok(tf.min(pre).dataSync()[0]! < 0, 'some pre-activations are negative');
    assert.deepEqual(out.features['hidden1']!.dataSync(), tf.leakyRelu(pre, 0.2).dataSync());
    // Linear output for points: not squashed into [−1, 1]; no tanh layer.
    assert.ok(!g.model.layers.some((l) => l.name === 'g_tanh'));
  });
});

test('mlp options: width, depth, latentDim, outputDim; images get Flatten/Reshape and tanh', () => {
  const g = mlpGenerator({ latentDim: 3, width: 16, depth: 1, outputDim: 5 });
  assert.deepEqual(g.model.outputs[0]!.shape, [null, 5]);
  assert.equal(countParams(g.model), 3 * 16 + 16 + 16 * 5 + 5);
  const gi = mlpGenerator({ outputShape: [28, 28, 1], width: 32, depth: 2 });
  const di = mlpDiscriminator({ inputShape: [28, 28, 1], width: 32, depth: 2 });
  initWeights(gi.model, new Rng(4), { kernelStd: 'lecun' });
  initWeights(di.model, new Rng(5), { kernelStd: 'lecun' });
  tf.tidy(() => {
    const x = generate(gi, tf.randomNormal([3, 8], 0, 1, 'float32', 7), false);
    assert.deepEqual(x.shape, [3, 28, 28, 1]);
    assert.ok(tf.max(tf.abs(x)).dataSync()[0]! <= 1);
    const out = discriminate(di, x, false);
    assert.deepEqual(out.logit.shape, [3, 1]);
    assert.deepEqual(out.features['hidden2']!.shape, [3, 32]);
  });
  assert.throws(() => mlpGenerator({ depth: 0 }), (e: unknown) => e instanceof ConfigError && /--depth/.test(e.message));
  assert.throws(() => mlpDiscriminator({ width: 2.5 }), /--width/);
});
