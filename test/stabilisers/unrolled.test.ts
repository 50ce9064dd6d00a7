/**
 * Unrolled GAN gradients against central finite differences of the surrogate loss
 * f_K(θ_G) = L_G(θ_G, θ_D^K(θ_G)) itself: the exact mode must match them; the first-order mode
 * (θ_D^K held constant) must not, when D's unrolled steps are large enough to matter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../src/backend/index.js';
import { openDataSource } from '../../src/data/index.js';
import { GanTrainer } from '../../src/train/trainer.js';
import { generate } from '../../src/models/types.js';
import type { TrainConfig } from '../../src/defaults.js';

type Internals = {
  gVars: tf.Variable[];
  generatorLoss(real: tf.Tensor, fake: tf.Tensor): tf.Scalar;
};

async function gradientsVsDifferences(options: Partial<TrainConfig>) {
  const data = await openDataSource('ring8');
  const t = new GanTrainer(data, { batch: 8, width: 6, depth: 1, latentDim: 2, seed: 4, ...options });
  for (let i = 0; i < 2; i++) t.trainStep(); // non-trivial optimiser state
  const p = t as unknown as Internals;
  const real = tf.tensor2d(Float32Array.from({ length: 16 }, (_, i) => Math.sin(i * 1.7) * 2), [8, 2]);
  const z = t.noise(8);
  t.stabilisers.beforeDiscriminatorStep(); // θ_D⁰ = D now
  const loss = () => p.generatorLoss(real, generate(t.generator, z, true));
  const { grads } = tf.variableGrads(loss, p.gVars);
  const value = () => tf.tidy(() => loss().dataSync()[0]!);
  const h = 1e-3; // D is piecewise linear (LeakyReLU): h = 1e-2 measurably crosses kinks here, 1e-3 does not
  const out: { analytic: number; fd: number }[] = [];
  for (const v of [p.gVars[0]!, p.gVars[2]!]) {
    const base = v.dataSync().slice();
    const g = grads[v.name]!.dataSync();
    for (const idx of [0, 1, 3]) {
      const at = (d: number) => { const w = base.slice(); w[idx]! += d; tf.tidy(() => v.assign(tf.tensor(w, v.shape))); return value(); };
      const fd = (at(h) - at(-h)) / (2 * h);
      tf.tidy(() => v.assign(tf.tensor(base, v.shape)));
      out.push({ analytic: g[idx]!, fd });
    }
  }
  tf.dispose([real, z, ...Object.values(grads)]);
  t.dispose();
  return out;
}

for (const backend of ['cpu', 'wasm'] as const) {
  for (const [opt, lrD] of [['sgd', 0.5], ['adam', 0.05]] as const) {
    test(`${backend}, D by ${opt}: exact unrolled gradient matches finite differences; first-order does not`, async () => {
      await useBackend(backend);
      const common = { unroll: 3, optD: opt, lrD, beta1: opt === 'sgd' ? 0 : 0.5 } as const;
      const exact = await gradientsVsDifferences({ ...common, unrollMode: 'exact' });
      // Central differences of a float32 loss ≈ 0.7 with h = 1e-3: round-off ≈ 0.7·6e-8/1e-3 ≈ 4e-5;
      // 3e-4 absolute + 2 % relative still separates "equal" from the first-order gap below.
      for (const { analytic, fd } of exact) {
        assert.ok(Math.abs(analytic - fd) < 3e-4 + 0.02 * Math.abs(fd), `exact: ${analytic} vs FD ${fd}`);
      }
      const first = await gradientsVsDifferences({ ...common, unrollMode: 'first-order' });
      const worst = Math.max(...first.map(({ analytic, fd }) => Math.abs(analytic - fd) / (3e-4 + 0.02 * Math.abs(fd))));
      assert.ok(worst > 1, `first-order should miss the second-order term (worst ratio ${worst})`);
    });
  }
}
