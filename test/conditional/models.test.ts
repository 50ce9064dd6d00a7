/**
 * Conditioning as a model option (models/conditioning.ts): every mode builds for mlp and for dcgan
 * at each supported size, takes its labels/codes as named inputs, and has the heads it promises.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import { ConfigError } from '../../src/errors.js';
import {
  buildModels, CONDITIONAL_MODES, discriminate, generate, trainableVariables, type ModelConditioning,
} from '../../src/models/index.js';
import { Rng } from '../../src/train/rng.js';

await tf.setBackend('cpu');

const cond = (mode: ModelConditioning['mode'], classes = 10, categorical = 0, continuous = 0): ModelConditioning =>
  ({ mode, classes: mode === 'none' ? 0 : classes, codes: { categorical, continuous } });

const oneHot = (labels: number[], k: number) => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), k), 'float32');

for (const [arch, shape, width] of [
  ['mlp', [2], 8], ['mlp', [28, 28, 1], 8], ['dcgan', [28, 28, 1], 4], ['infogan', [28, 28, 1], 4], ['dcgan', [32, 32, 3], 4], ['dcgan', [64, 64, 1], 2],
] as const) {
  for (const mode of CONDITIONAL_MODES) {
    test(`${arch} ${shape.join('×')} --conditional ${mode} (+ InfoGAN codes 3 + 2): inputs, outputs, heads`, () => {
      const c = cond(mode, 4, 3, 2);
      const { generator: g, discriminator: d } = buildModels({ arch, dataShape: shape, width, latentDim: 5, conditioning: c }, new Rng(1));
      const names = g.model.inputNames;
      assert.deepEqual(names, mode === 'none' ? ['z', 'c'] : ['z', 'y', 'c']);
      const dNames = d.model.inputNames;
      assert.deepEqual(dNames, mode === 'cgan' || mode === 'projection' ? ['x', 'y'] : ['x']);
      tf.tidy(() => {
        const y = oneHot([0, 1, 2], 4);
        const codes = tf.concat([oneHot([2, 0, 1], 3), tf.zeros([3, 2])], 1);
        const x = generate(g, tf.zeros([3, 5]), false, { y, c: codes });
        assert.deepEqual(x.shape, [3, ...shape]);
        const out = discriminate(d, x, false, { y, c: codes });
        assert.deepEqual(out.logit.shape, [3, 1]);
        assert.equal(out.classLogits?.shape.join(), mode === 'acgan' ? '3,4' : undefined);
        assert.deepEqual(out.q?.shape, [3, 5]);
      });
      g.model.dispose(); d.model.dispose();
    });
  }
}

test('the label changes G(z, y) (cgan, acgan, projection BatchNorm) and D(x, y) (cgan, projection)', () => {
  for (const mode of ['cgan', 'acgan', 'projection'] as const) {
    for (const arch of ['mlp', 'dcgan'] as const) {
      const { generator: g, discriminator: d } = buildModels(
        { arch, dataShape: [28, 28, 1], width: 4, latentDim: 6, conditioning: cond(mode, 3) }, new Rng(2));
      tf.tidy(() => {
        const z = tf.tensor2d(new Rng(3).normalArray(12), [2, 6]);
        const a = generate(g, z, true, { y: oneHot([0, 0], 3) });
        const b = generate(g, z, true, { y: oneHot([1, 1], 3) });
        assert.ok(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! > 1e-6, `${arch} ${mode}: G ignores y`);
        if (mode !== 'acgan') {
          const la = discriminate(d, a, false, { y: oneHot([0, 0], 3) }).logit;
          const lb = discriminate(d, a, false, { y: oneHot([2, 2], 3) }).logit;
          assert.ok(tf.max(tf.abs(tf.sub(la, lb))).dataSync()[0]! > 1e-7, `${arch} ${mode}: D ignores y`);
        }
      });
      g.model.dispose(); d.model.dispose();
    }
  }
});

test('projection: logit = ψ(φ) + e(y)ᵀφ, checked against the weights by hand (mlp)', () => {
  const { discriminator: d, generator: g } = buildModels({ arch: 'mlp', dataShape: [2], width: 5, depth: 1, conditioning: cond('projection', 3) }, new Rng(4));
  tf.tidy(() => {
    const x = tf.tensor2d([[0.3, -0.7], [1.1, 0.2]]);
    const y = oneHot([2, 0], 3);
    const out = discriminate(d, x, false, { y });
    const w = (name: string) => d.model.getLayer(name).getWeights();
    const [k1, b1] = w('d_dense1');
    const h = tf.leakyRelu(tf.add(tf.matMul(x, k1!), b1!), 0.2);                  // φ [2, 5]
    const [kl, bl] = w('d_logit');
    const [v] = w('d_project');                                                     // V [3, 5]
    const expected = tf.add(tf.add(tf.matMul(h, kl!), bl!), tf.sum(tf.mul(tf.matMul(y, v!), h), 1, true));
    const diff = tf.max(tf.abs(tf.sub(out.logit, expected))).dataSync()[0]!;
    assert.ok(diff < 1e-6, `max diff ${diff} (float32 rounding only)`);
  });
  g.model.dispose(); d.model.dispose();
});

test('projection dcgan G: conditional BatchNorm has per-class γ, β; D trains its projection', () => {
  const { generator: g, discriminator: d } = buildModels({ arch: 'dcgan', dataShape: [28, 28, 1], width: 4, conditioning: cond('projection', 10) }, new Rng(5));
  const names = trainableVariables(g.model).map((v) => v.name);
  assert.ok(names.some((n) => /g_bn0_gamma/.test(n)) && names.some((n) => /g_bn1_beta/.test(n)), names.join());
  assert.ok(trainableVariables(d.model).some((v) => /d_project/.test(v.name)));
  g.model.dispose(); d.model.dispose();
});

test('bad conditioning is a ConfigError naming the flag', () => {
  const build = (c: ModelConditioning) => buildModels({ arch: 'mlp', dataShape: [2], width: 4, conditioning: c }, new Rng(1));
  assert.throws(() => build(cond('cgan', 1)), (e: unknown) => e instanceof ConfigError && /--conditional cgan/.test(e.message));
  assert.throws(() => build({ ...cond('none'), mode: 'acgn' as never }), /--conditional must be one of none, cgan, acgan, projection/);
  assert.throws(() => build(cond('none', 0, 1, 0)), /--info-categorical/);
  assert.throws(() => build(cond('none', 0, 0, -1)), /--info-continuous/);
  assert.throws(() => build(cond('none', 0, 2.5, 0)), /--info-categorical/);
});
