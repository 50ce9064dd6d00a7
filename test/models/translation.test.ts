/** Translation networks: U-Net, PatchGAN (receptive field measured), ResNet generator. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ConfigError } from '../../src/errors.js';
import {
  buildPatchDiscriminator, buildTranslator, countParams, resnetDownsampleFor, initWeights, patchGanDiscriminator, patchReceptiveField, setNoiseKey, unetGenerator,
} from '../../src/models/index.js';
import { Rng } from '../../src/train/rng.js';

await tf.setBackend('cpu');

const image = (shape: number[], seed = 1) => tf.tensor(new Rng(seed).uniformArray(shape.reduce((a, b) => a * b, 1), -1, 1), shape);

test('U-Net 32×32: 1 → 3 channels, output in [−1, 1], 4 skip concatenations', () => {
  const g = buildTranslator('unet', { inputShape: [32, 32, 1], outChannels: 3, width: 4, dropout: 0 }, new Rng(3));
  assert.deepEqual(g.outputShape, [32, 32, 3]);
  const x = image([2, 32, 32, 1]);
  const y = g.model.apply(x, { training: false }) as tf.Tensor;
  assert.deepEqual(y.shape, [2, 32, 32, 3]);
  const v = y.dataSync();
  assert.ok(v.every((u) => u >= -1 && u <= 1));
  // 5 halvings to 1×1, 5 encoder convs + 4 decoder convts + the output convt.
  const convs = g.model.layers.filter((l) => /conv/.test(l.getClassName().toLowerCase()));
  assert.equal(convs.length, 10);
  assert.equal(g.model.layers.filter((l) => l.getClassName() === 'Concatenate').length, 4);
  tf.dispose([x, y]);
  g.model.dispose();
});

test('U-Net noise: dropout acts at test time too; the same key gives the same output, another key another', () => {
  const x = image([1, 32, 32, 1]);
  const h = buildTranslator('unet', { inputShape: [32, 32, 1], outChannels: 1, width: 4, noiseSeed: 9 }, new Rng(5));
  const run = (key: number) => { setNoiseKey(h.model, key); return (h.model.apply(x, { training: false }) as tf.Tensor).dataSync(); };
  const a = run(1), b = run(1), c = run(2);
  assert.deepEqual(a, b);
  assert.ok(a.some((v, i) => v !== c[i]));
  assert.equal(h.model.layers.filter((l) => l.getClassName() === 'GanboxNoiseDropout').length, 1);
  x.dispose();
  h.model.dispose();
  assert.throws(() => unetGenerator({ inputShape: [48, 48, 1], outChannels: 1 }), ConfigError);
});

for (const [side, n, rf] of [[256, 3, 70], [128, 2, 34], [32, 1, 16]] as const) {
  test(`PatchGAN at ${side} px: ${n} stride-2 layers, receptive field ${rf}×${rf} measured by back-propagating one logit`, () => {
    assert.equal(patchReceptiveField(n), rf);
    assert.equal(buildPatchDiscriminator([side, side, 2], 2, new Rng(7)).receptiveField, rf);
    // Instance norm couples every pixel of a layer (its mean), so the field is measured on the same
    // convolutions without the norm layers.
    const d = patchGanDiscriminator({ inputShape: [side, side, 2], ndf: 2, norm: 'none' });
    initWeights(d.model, new Rng(7));
    const x = image([1, side, side, 2]);
    const g = tf.tidy(() => tf.grad((inp: tf.Tensor) => {
      const out = d.model.apply(inp, { training: true }) as tf.Tensor4D; // [1, P, P, 1]
      const p = out.shape[1]!;
      return tf.sum(tf.slice(out, [0, Math.floor(p / 2), Math.floor(p / 2), 0], [1, 1, 1, 1]));
    })(x));
    const v = g.dataSync();
    let rmin = Infinity, rmax = -1, cmin = Infinity, cmax = -1;
    for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) for (let ch = 0; ch < 2; ch++) {
      if (v[(r * side + c) * 2 + ch] !== 0) { rmin = Math.min(rmin, r); rmax = Math.max(rmax, r); cmin = Math.min(cmin, c); cmax = Math.max(cmax, c); }
    }
    assert.equal(rmax - rmin + 1, rf);
    assert.equal(cmax - cmin + 1, rf);
    tf.dispose([x, g]);
    d.model.dispose();
  });
}

test('ResNet generator 32×32: shapes and 6 residual blocks by default below 256 px', () => {
  const g = buildTranslator('resnet', { inputShape: [32, 32, 3], outChannels: 1, width: 4 }, new Rng(1));
  const x = image([2, 32, 32, 3]);
  const y = g.model.apply(x) as tf.Tensor;
  assert.deepEqual(y.shape, [2, 32, 32, 1]);
  assert.equal(g.model.layers.filter((l) => l.getClassName() === 'Add').length, 6);
  assert.ok(countParams(g.model) > 0);
  tf.dispose([x, y]);
  g.model.dispose();
  assert.throws(() => buildTranslator('resnett', { inputShape: [32, 32, 3], outChannels: 1 }, new Rng(1)), /resnet/);
});

test('ResNet generator --downsample: 0 keeps the blocks at full size, 1 halves, 2 quarters; by size by default', () => {
  const side = (d: number | undefined) => {
    const g = buildTranslator('resnet', { inputShape: [32, 32, 1], outChannels: 1, width: 4, blocks: 1, downsample: d }, new Rng(1));
    const add = g.model.layers.find((l) => l.getClassName() === 'Add')!;
    const shape = (add.outputShape as number[]).slice(1);
    const x = image([1, 32, 32, 1]);
    const y = g.model.apply(x) as tf.Tensor;
    assert.deepEqual(y.shape, [1, 32, 32, 1]);
    tf.dispose([x, y]);
    g.model.dispose();
    return shape;
  };
  assert.deepEqual(side(0), [32, 32, 4]);
  assert.deepEqual(side(1), [16, 16, 8]);
  assert.deepEqual(side(2), [8, 8, 16]);
  assert.deepEqual(side(undefined), [32, 32, 4]); // 32 px: 0
  assert.deepEqual([32, 64, 128, 256, 512].map(resnetDownsampleFor), [0, 1, 2, 2, 2]); // the paper's 2 at 128 and 256
  assert.throws(() => buildTranslator('resnet', { inputShape: [36, 36, 1], outChannels: 1, downsample: 3 }, new Rng(1)), ConfigError);
});
