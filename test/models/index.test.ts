/** The model registry, the generate/discriminate helpers, and the variable lists for training. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ConfigError } from '../../src/errors.js';
import { ARCHS, buildModels, discriminate, generate, resolveArch, trainableVariables } from '../../src/models/index.js';
import { Rng } from '../../src/train/rng.js';

await tf.setBackend('cpu');

test("arch 'auto': mlp for points, dcgan for images; explicit names", () => {
  assert.deepEqual([...ARCHS], ['dcgan', 'infogan', 'mlp']);
  assert.equal(resolveArch('auto', [2]), 'mlp');
  assert.equal(resolveArch('auto', [28, 28, 1]), 'dcgan');
  const pts = buildModels({ arch: 'auto', dataShape: [2] }, new Rng(1));
  assert.equal(pts.generator.arch, 'mlp');
  assert.equal(pts.generator.latentDim, 8);
  const img = buildModels({ arch: 'auto', dataShape: [28, 28, 1], width: 8, latentDim: 12 }, new Rng(1));
  assert.equal(img.discriminator.arch, 'dcgan');
  assert.equal(img.generator.latentDim, 12);
  const mlpImg = buildModels({ arch: 'mlp', dataShape: [28, 28, 1], width: 16, depth: 1 }, new Rng(1));
  assert.deepEqual(mlpImg.generator.outputShape, [28, 28, 1]);
  for (const m of [pts, img, mlpImg]) { m.generator.model.dispose(); m.discriminator.model.dispose(); }
});

test('bad names and shapes are ConfigErrors naming the flag', () => {
  assert.throws(() => buildModels({ arch: 'dcgn', dataShape: [28, 28, 1] }, new Rng(1)), (e: unknown) =>
    e instanceof ConfigError && /--arch/.test(e.message) && /did you mean 'dcgan'/.test(e.message));
  assert.throws(() => buildModels({ arch: 'dcgan', dataShape: [2] }, new Rng(1)), /--arch mlp/);
  assert.throws(() => buildModels({ arch: 'dcgan', dataShape: [48, 48, 3] }, new Rng(1)), /48×48×3/);
  assert.throws(() => buildModels({ arch: 'mlp', dataShape: [2, 2] }, new Rng(1)), ConfigError);
});

test('a seed fixes both networks', () => {
  const a = buildModels({ arch: 'mlp', dataShape: [2], width: 16 }, new Rng(5));
  const b = buildModels({ arch: 'mlp', dataShape: [2], width: 16 }, new Rng(5));
  for (const k of ['generator', 'discriminator'] as const) {
    const wa = a[k].model.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = b[k].model.getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepEqual(wa, wb);
  }
  assert.notDeepEqual(a.generator.model.getWeights()[0]!.dataSync(), a.discriminator.model.getWeights()[0]!.dataSync());
});

test('trainableVariables feeds tf.variableGrads; G and D lists are disjoint; no leaks', () => {
  const { generator: g, discriminator: d } = buildModels({ arch: 'dcgan', dataShape: [28, 28, 1], width: 4, latentDim: 8 }, new Rng(2));
  const gVars = trainableVariables(g.model);
  const dVars = trainableVariables(d.model);
  assert.equal(gVars.length, g.model.trainableWeights.length);
  assert.ok(gVars.every((v) => v instanceof tf.Variable && v.trainable));
  assert.ok(!gVars.some((v) => dVars.includes(v)));
  const z = tf.tensor2d(new Rng(3).normalArray(4 * 8), [4, 8]);
  const step = () => tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => tf.mean(discriminate(d, generate(g, z, true), true).logit) as tf.Scalar, gVars);
    assert.deepEqual(Object.keys(grads).sort(), gVars.map((v) => v.name).sort());
    assert.ok(Object.values(grads).some((t) => tf.any(tf.notEqual(t, 0)).dataSync()[0]));
    return value;
  });
  tf.dispose(step());
  const before = tf.memory().numTensors;
  tf.dispose(step());
  assert.equal(tf.memory().numTensors, before, 'a training-mode step keeps the tensor count flat');
});
