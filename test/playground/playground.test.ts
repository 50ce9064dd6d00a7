/**
 * The maths behind the playground, in Node on the cpu backend: D-only and G-only trainer steps
 * move only their own network; the push field is minus the gradient of each point's own G loss
 * (checked by central differences); the KDE and D* against closed forms; drawn points as a
 * mixture; and the browser entry bundles without any Node built-in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as esbuild from 'esbuild';
import { useBackend } from '../../src/backend/index.js';
import { ring8 } from '../../src/data/toy2d.js';
import { discriminate, generate } from '../../src/models/types.js';
import { GanTrainer } from '../../src/train/trainer.js';
import { decisionSurface, generatorField, gridCentres } from '../../src/playground/surface.js';
import { gaussianKde, scottBandwidth } from '../../src/playground/kde.js';
import { optimalDiscriminator } from '../../src/playground/optimal-d.js';
import { pointSet } from '../../src/playground/point-set.js';
import { Rng } from '../../src/train/rng.js';

await useBackend('cpu');

const weights = (m: { weights: { read(): tf.Tensor }[] }) => m.weights.map((w) => Array.from(w.read().dataSync()));

test('stepDiscriminator moves only D, stepGenerator only G (and counts a step); no tensor leaks', () => {
  const t = new GanTrainer(ring8(), { batch: 16, width: 16, depth: 2, seed: 3, lrD: 1e-2, lrG: 1e-2 });
  t.trainStep(); // creates the optimisers' slots (Adam's moments), which live as long as the trainer
  const g0 = weights(t.generator.model);
  const d0 = weights(t.discriminator.model);
  const before = tf.memory().numTensors;
  const d = t.stepDiscriminator();
  assert.equal(t.step, 1);
  assert.ok(Number.isFinite(d.loss_d) && d.d_real > 0 && d.d_real < 1);
  assert.deepEqual(weights(t.generator.model), g0);
  assert.notDeepEqual(weights(t.discriminator.model), d0);
  const d1 = weights(t.discriminator.model);
  const g = t.stepGenerator();
  assert.equal(g.step, 2);
  assert.equal(t.step, 2);
  assert.deepEqual(weights(t.discriminator.model), d1);
  assert.notDeepEqual(weights(t.generator.model), g0);
  t.trainStep();
  assert.equal(tf.memory().numTensors, before, 'tensor count flat over D, G and full steps');
  t.dispose();
});

test('the push on each fake point is −∂(its own G loss)/∂x (central differences), for two losses', () => {
  for (const loss of ['non-saturating', 'least-squares']) {
    const t = new GanTrainer(ring8(), { batch: 8, width: 16, depth: 2, seed: 1, loss });
    const z = t.noise(5, new Rng(9));
    const f = generatorField(t, z);
    assert.equal(f.points.length, 10);
    const own = (x: number, y: number) => tf.tidy(() => t.loss.generator(discriminate(t.discriminator, tf.tensor2d([[x, y]]), false).logit).dataSync()[0]!);
    const h = 1e-3;
    for (let i = 0; i < 5; i++) {
      const [x, y] = [f.points[2 * i]!, f.points[2 * i + 1]!];
      const gx = (own(x + h, y) - own(x - h, y)) / (2 * h);
      const gy = (own(x, y + h) - own(x, y - h)) / (2 * h);
      // float32 forward passes: differences of O(1e-7) relative, divided by 2h = 2e-3
      assert.ok(Math.abs(-gx - f.push[2 * i]!) < 2e-3 + 1e-2 * Math.abs(gx), `${loss} point ${i} x: ${-gx} vs ${f.push[2 * i]}`);
      assert.ok(Math.abs(-gy - f.push[2 * i + 1]!) < 2e-3 + 1e-2 * Math.abs(gy), `${loss} point ${i} y: ${-gy} vs ${f.push[2 * i + 1]}`);
    }
    const gz = tf.tidy(() => Array.from(generate(t.generator, z, false).dataSync()));
    assert.deepEqual(Array.from(f.points), gz, 'points are G(z) in inference mode');
    z.dispose();
    t.dispose();
  }
});

test("decisionSurface is σ(D's logit) at the grid's cell centres, row 0 at the top", () => {
  const t = new GanTrainer(ring8(), { batch: 8, width: 16, depth: 2, seed: 2 });
  const grid = { xmin: -2, xmax: 2, ymin: -1, ymax: 3, n: 4 };
  const c = gridCentres(grid);
  assert.deepEqual(Array.from(c.subarray(0, 4)), [-1.5, 2.5, -0.5, 2.5]);
  assert.deepEqual(Array.from(c.subarray(30)), [1.5, -0.5]);
  const s = decisionSurface(t, grid);
  const direct = tf.tidy(() => Array.from(tf.sigmoid(discriminate(t.discriminator, tf.tensor2d(c, [16, 2]), false).logit).dataSync()));
  assert.deepEqual(Array.from(s.values), direct);
  t.dispose();
});

test('KDE: one sample gives the Gaussian density; Scott bandwidth σ·n^(−1/6); D* from log-densities', () => {
  const h = 0.5;
  const logp = gaussianKde([1, 2], [1, 2, 2, 2], h);
  assert.ok(Math.abs(logp[0]! - -Math.log(2 * Math.PI * h * h)) < 1e-12);
  assert.ok(Math.abs(logp[1]! - (-Math.log(2 * Math.PI * h * h) - 1 / (2 * h * h))) < 1e-12);
  // far away: finite (log space), not −∞
  assert.ok(Number.isFinite(gaussianKde([0, 0], [100, 100], 0.1)[0]!));
  const rng = new Rng(4);
  const n = 4096;
  const xs = Float64Array.from(rng.normalArray(2 * n)).map((v) => 3 * v);
  const bw = scottBandwidth(xs);
  assert.ok(Math.abs(bw / (3 * n ** (-1 / 6)) - 1) < 0.05, `bandwidth ${bw}`);
  const d = optimalDiscriminator([0, Math.log(3), -Infinity, -1000], [0, 0, -Infinity, 0]);
  assert.deepEqual(Array.from(d, (v) => Math.round(v * 1e6) / 1e6), [0.5, 0.75, 0.5, 0]);
});

test('drawn points are a Gaussian mixture with an exact density; none drawn is a user error', () => {
  const p = pointSet([[0, 0], [1, 1]], 0.1);
  const lp = p.logDensity([0, 0])[0]!;
  const expected = Math.log(0.5 / (2 * Math.PI * 0.01) * (1 + Math.exp(-2 / 0.02)));
  assert.ok(Math.abs(lp - expected) < 1e-9);
  assert.throws(() => pointSet([]), /draw at least one point/);
});

test('the browser entry bundles for the browser without any Node built-in or run-folder module', async () => {
  const r = await esbuild.build({
    entryPoints: [path.resolve('src/browser.ts')], bundle: true, write: false, platform: 'browser', format: 'esm', metafile: true, logLevel: 'silent',
  });
  const inputs = Object.keys(r.metafile.inputs);
  assert.deepEqual(inputs.filter((f) => /^node:|^src\/(train\/run|train\/checkpoint|io\/(?!scatter)|sampling\/(?!conditions)|data\/(index|mnist|idx|cifar10|image-folder))/.test(f)), []);
  assert.ok(inputs.includes('src/train/trainer.ts') && inputs.includes('src/losses/index.ts') && inputs.includes('src/data/toy2d.ts'));
});
