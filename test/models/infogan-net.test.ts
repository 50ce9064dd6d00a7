/** The InfoGAN paper's MNIST nets (Chen et al. 2016, App. C, Table 1): shapes and hand-counted parameters. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import {
  buildModels, countParams, discriminate, generate, type ModelConditioning,
} from '../../src/models/index.js';
import { openDataSource } from '../../src/data/index.js';
import { GanTrainer, resolveConfig } from '../../src/train/trainer.js';
import { Rng } from '../../src/train/rng.js';

await tf.setBackend('cpu');

const codes: ModelConditioning = { mode: 'none', classes: 0, codes: { categorical: 10, continuous: 2 } };

test('infogan 28×28×1 with a 10-way and two continuous codes: Table 1 of Chen et al., counted by hand', () => {
  const { generator: g, discriminator: d } = buildModels({ arch: 'infogan', dataShape: [28, 28, 1], conditioning: codes }, new Rng(1));
  assert.equal(g.latentDim, 62, "the paper's 62 noise variables");
  // G: FC 74→1024 (no bias, BN follows) + BN γβ 1024 + FC 1024→7·7·128 + BN 128 + upconv 4·4·128→64 + BN 64 + upconv 4·4·64→1 (+bias).
  assert.equal(countParams(g.model, true), 74 * 1024 + 2 * 1024 + 1024 * 6272 + 2 * 128 + 16 * 128 * 64 + 2 * 64 + 16 * 64 + 1);
  // D: conv 4·4·1→64 (+bias) + conv 64→128 + BN 128 + FC 6272→1024 + BN 1024 + logit 1024→1 (+bias)
  //    + Q: FC 1024→128 + BN 128 + 128→12 (+bias).
  assert.equal(countParams(d.model, true),
    16 * 64 + 64 + 16 * 64 * 128 + 2 * 128 + 6272 * 1024 + 2 * 1024 + 1025 + 1024 * 128 + 2 * 128 + 128 * 12 + 12);
  assert.deepEqual(d.featureNames, ['conv1', 'conv2', 'fc']);
  tf.tidy(() => {
    const c = tf.concat([tf.cast(tf.oneHot(tf.tensor1d([3, 7], 'int32'), 10), 'float32'), tf.zeros([2, 2])], 1);
    const x = generate(g, tf.randomNormal([2, 62], 0, 1, 'float32', 5), true, { c });
    assert.deepEqual(x.shape, [2, 28, 28, 1]);
    const out = discriminate(d, x, true, { c });
    assert.deepEqual(out.logit.shape, [2, 1]);
    assert.deepEqual(out.features.fc!.shape, [2, 1024]);
    assert.deepEqual(out.q!.shape, [2, 12]);
  });
  g.model.dispose(); d.model.dispose();
});

test('--arch infogan defaults to the paper\'s 62-d noise; other image sizes use the DCGAN stage rule', () => {
  assert.equal(resolveConfig({ arch: 'infogan' }, 'images').latentDim, 62);
  const { generator: g, discriminator: d } = buildModels({ arch: 'infogan', dataShape: [32, 32, 3], width: 4 }, new Rng(2));
  tf.tidy(() => {
    const x = generate(g, tf.zeros([1, 62]), false);
    assert.deepEqual(x.shape, [1, 32, 32, 3]);
    assert.deepEqual(discriminate(d, x, false).logit.shape, [1, 1]);
  });
  g.model.dispose(); d.model.dispose();
  assert.throws(() => buildModels({ arch: 'infogan', dataShape: [2] }, new Rng(3)), /--arch infogan needs image data/);
});

test('InfoGAN runs default to the paper\'s net on images and its rates, below the user\'s flags and the WGAN losses\' own', () => {
  const codes = { infoCategorical: 10, infoContinuous: 2 };
  const c = resolveConfig(codes, 'images');
  assert.deepEqual([c.arch, c.latentDim, c.lrG, c.lrD], ['infogan', 62, 1e-3, 2e-4]);
  assert.equal(resolveConfig({ ...codes, arch: 'dcgan' }, 'images').latentDim, 100);
  assert.equal(resolveConfig({ ...codes, lrG: 5e-4 }, 'images').lrG, 5e-4);
  assert.equal(resolveConfig({ ...codes, loss: 'wasserstein-gp' }, 'images').lrG, 1e-4);
  assert.equal(resolveConfig(codes, 'points').arch, 'mlp');
  const plain = resolveConfig({}, 'images');
  assert.deepEqual([plain.arch, plain.lrG], ['dcgan', 2e-4]);
});

test('an InfoGAN run on the paper\'s net resumes bit for bit and keeps the tensor count flat', async () => {
  const mnist = await openDataSource('mnist');
  const opts = { infoCategorical: 10, infoContinuous: 2, width: 4, batch: 8, seed: 4 };
  const a = new GanTrainer(mnist, opts);
  assert.equal(a.config.arch, 'infogan');
  for (let i = 0; i < 4; i++) a.trainStep();
  const b1 = new GanTrainer(mnist, opts);
  for (let i = 0; i < 2; i++) b1.trainStep();
  const ck = b1.getCheckpoint();
  b1.dispose();
  const b = new GanTrainer(mnist, opts);
  b.loadCheckpoint(ck);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 2; i++) b.trainStep();
  assert.equal(tf.memory().numTensors, before, 'steps leave the tensor count flat');
  const [wa, wb] = [a.getCheckpoint().tensors, b.getCheckpoint().tensors];
  assert.deepEqual([...wa.keys()], [...wb.keys()]);
  for (const [k, v] of wa) assert.ok(Buffer.from(v.values.buffer).equals(Buffer.from(wb.get(k)!.values.buffer)), `tensor ${k} differs`);
  a.dispose(); b.dispose();
});
