/** initWeights: DCGAN init (Radford et al. 2015) drawn from our Rng in a fixed order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { dcganDiscriminator, dcganGenerator, initWeights, mlpGenerator } from '../../src/models/index.js';
import type * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '../../src/train/rng.js';

await tf.setBackend('cpu');

const G = dcganGenerator({ imageShape: [28, 28, 1] });
const D = dcganDiscriminator({ imageShape: [28, 28, 1] });
const snapshot = (m: tfl.LayersModel) => m.getWeights().map((w) => w.dataSync().slice());

function stats(xs: Float32Array): { mean: number; std: number } {
  let s = 0;
  let s2 = 0;
  for (const x of xs) { s += x; s2 += x * x; }
  const mean = s / xs.length;
  return { mean, std: Math.sqrt(s2 / xs.length - mean * mean) };
}

test('same seed ⇒ bit-identical weights; different seed ⇒ different', () => {
  initWeights(G.model, new Rng(42));
  const a = snapshot(G.model);
  initWeights(G.model, new Rng(42));
  const b = snapshot(G.model);
  initWeights(G.model, new Rng(43));
  const c = snapshot(G.model);
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.deepEqual(Buffer.from(a[i]!.buffer), Buffer.from(b[i]!.buffer));
  assert.notDeepEqual(a[0], c[0]);
});

test('fixed draw order: layer order, then weight order, straight from the Rng', () => {
  initWeights(G.model, new Rng(7));
  const ref = new Rng(7);
  // G's layers: Dense kernel [100, 6272], BN0 gamma [128], ConvT1 kernel [4,4,64,128], BN1 gamma [64], ConvT2 kernel [4,4,1,64].
  const dense = G.model.getLayer('g_project').getWeights()[0]!.dataSync();
  assert.deepEqual(dense, ref.normalArray(100 * 6272, 0, 0.02));
  const gamma0 = G.model.getLayer('g_bn0').getWeights()[0]!.dataSync();
  assert.deepEqual(gamma0, ref.normalArray(128, 1, 0.02));
  const convt1 = G.model.getLayer('g_convt1').getWeights()[0]!;
  assert.deepEqual(convt1.shape, [4, 4, 64, 128]);
  assert.deepEqual(convt1.dataSync(), ref.normalArray(4 * 4 * 64 * 128, 0, 0.02));
});

test('init statistics: kernels N(0, 0.02), gamma N(1, 0.02), biases/beta 0, moving stats 0 and 1', () => {
  initWeights(D.model, new Rng(9));
  initWeights(G.model, new Rng(8));
  for (const model of [G.model, D.model]) {
    for (const layer of model.layers) {
      layer.weights.forEach((w, i) => {
        const v = layer.getWeights()[i]!.dataSync() as Float32Array;
        const kind = w.originalName.split('/').pop();
        const n = v.length;
        if (kind === 'kernel' || kind === 'gamma') {
          const { mean, std } = stats(v);
          const mu = kind === 'gamma' ? 1 : 0;
          // Sampling error: mean ± 5·σ/√n, std ± 5·σ/√(2n) (5 standard errors: never flaky for a fixed seed).
          assert.ok(Math.abs(mean - mu) < 5 * 0.02 / Math.sqrt(n), `${w.originalName} mean ${mean}`);
          assert.ok(Math.abs(std - 0.02) < 5 * 0.02 / Math.sqrt(2 * n), `${w.originalName} std ${std}`);
        } else {
          const expected = kind === 'moving_variance' ? 1 : 0;
          assert.ok(v.every((x) => x === expected), `${w.originalName} = ${expected}`);
        }
      });
    }
  }
});

test("kernelStd 'lecun': N(0, 1/fan_in) for MLPs", () => {
  const g = mlpGenerator({ latentDim: 8, width: 256, depth: 2 });
  initWeights(g.model, new Rng(10), { kernelStd: 'lecun' });
  for (const [name, fanIn] of [['g_dense1', 8], ['g_dense2', 256], ['g_out', 256]] as const) {
    const v = g.model.getLayer(name).getWeights()[0]!.dataSync() as Float32Array;
    const { std } = stats(v);
    const target = 1 / Math.sqrt(fanIn);
    assert.ok(Math.abs(std - target) < 5 * target / Math.sqrt(2 * v.length), `${name} std ${std} vs ${target}`);
  }
  g.model.dispose();
});
