/**
 * Sampling conditional runs (sampling/conditions.ts, sampler.ts): class requests, the class grid,
 * fixed codes and sweeps, their errors, and a saved conditional generator reloaded from a run folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../src/backend/index.js';
import { ConfigError } from '../../src/errors.js';
import { saveLayersModel } from '../../src/io/tfjs-format.js';
import { buildModels, type ModelConditioning } from '../../src/models/index.js';
import { parseCodes, planSamples } from '../../src/sampling/conditions.js';
import { loadRunGenerator, sampleGenerator, samplePlan } from '../../src/sampling/sampler.js';
import { Rng } from '../../src/train/rng.js';

await useBackend('cpu');

const cond: ModelConditioning = { mode: 'acgan', classes: 10, codes: { categorical: 4, continuous: 2 } };
const g = { latentDim: 3, conditioning: cond };

test('--class, --classes all, --code and --sweep give the per-sample labels, codes and shared noise', () => {
  const one = planSamples(g, { n: 5, class: 3 });
  assert.deepEqual([...one.labels!], [3, 3, 3, 3, 3]);
  const def = planSamples(g, { n: 12 });
  assert.deepEqual([...def.labels!], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  const grid = planSamples(g, { classesAll: true, cols: 4 });
  assert.equal(grid.n, 40);
  assert.equal(grid.cols, 4);
  assert.deepEqual([...grid.labels!.subarray(0, 8)], [0, 0, 0, 0, 1, 1, 1, 1]);
  // Column j has the same noise and codes in every row: only the class changes down a column.
  assert.deepEqual([...grid.z.subarray(1 * 3, 2 * 3)], [...grid.z.subarray(5 * 3, 6 * 3)]);
  assert.deepEqual([...grid.codes!.subarray(1 * 6, 2 * 6)], [...grid.codes!.subarray(5 * 6, 6 * 6)]);
  assert.notDeepEqual([...grid.z.subarray(0, 3)], [...grid.z.subarray(3, 6)]);
  const fixed = planSamples(g, { n: 3, codes: parseCodes('c0=2,c2=0.5') });
  for (let i = 0; i < 3; i++) {
    const row = [...fixed.codes!.subarray(i * 6, i * 6 + 6)];
    assert.deepEqual(row.slice(0, 4), [0, 0, 1, 0], 'c0 = 2, one-hot');
    assert.equal(row[5], 0.5, 'c2 is the second continuous code');
    assert.ok(row[4]! >= -1 && row[4]! <= 1);
  }
  const sweep = planSamples(g, { n: 10, cols: 5, sweep: { code: 'c1' } });
  const c1 = Array.from({ length: 10 }, (_, i) => sweep.codes![i * 6 + 4]!);
  assert.deepEqual(c1, [-1, -0.5, 0, 0.5, 1, -1, -0.5, 0, 0.5, 1]);
  assert.deepEqual([...sweep.z.subarray(0, 3)], [...sweep.z.subarray(4 * 3, 5 * 3)], 'a row shares its noise');
  assert.deepEqual([...sweep.codes!.subarray(0, 4)], [...sweep.codes!.subarray(4 * 6, 4 * 6 + 4)], 'and its other codes');
  const rowCat = (r: number) => sweep.codes!.subarray(r * 5 * 6, r * 5 * 6 + 4).indexOf(1);
  assert.deepEqual([rowCat(0), rowCat(1)], [0, 1], 'row r takes categorical code r mod K');
});

test('wrong combinations: one sentence naming the flag', () => {
  const bad = (req: Parameters<typeof planSamples>[1], re: RegExp, gen = g) =>
    assert.throws(() => planSamples(gen, req), (e: unknown) => e instanceof ConfigError && re.test(e.message) && e.message.split('. ').length === 1);
  bad({ class: 12 }, /^--class 12 is out of range: this run has 10 classes \(0–9\)\.$/);
  bad({ class: 'cat' }, /^--class cat is not a class of this run/);
  bad({ class: 1 }, /^--class 1: this run is not class-conditional/, { latentDim: 3, conditioning: { ...cond, mode: 'none', classes: 0 } });
  bad({ classesAll: true }, /^--classes all: this run is not class-conditional/, { latentDim: 3 } as typeof g);
  bad({ class: 1, classesAll: true }, /--class and --classes all/);
  bad({ codes: { c3: 1 } }, /^--code c3: this run has c0 \(categorical, 0–3\), c1 \(continuous\), c2 \(continuous\)\.$/);
  bad({ codes: { c0: 4 } }, /^--code c0=4: the categorical code takes an integer from 0 to 3\.$/);
  bad({ sweep: { code: 'c0' } }, /^--sweep c0: the swept code must be a continuous one/);
  bad({ sweep: { code: 'c1' }, codes: { c1: 0 } }, /--sweep c1 and --code c1/);
  assert.throws(() => parseCodes('c0:3'), /--code c0:3: expected NAME=VALUE/);
  // Named classes (cifar10 runs).
  const named = { ...g, classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] };
  assert.deepEqual([...planSamples(named, { n: 2, class: 'cat' }).labels!], [3, 3]);
});

test('a saved conditional generator reloads with its conditioning and follows the requested class', async () => {
  const { generator, discriminator } = buildModels({ arch: 'mlp', dataShape: [2], width: 8, latentDim: 3, conditioning: cond }, new Rng(1));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-cond-sample-'));
  await saveLayersModel(generator.model, path.join(dir, 'generator'));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ train: { data: 'mnist', conditional: 'acgan', infoCategorical: 4, infoContinuous: 2 } }));
  const loaded = await loadRunGenerator(dir);
  assert.deepEqual(loaded.conditioning, cond);
  // The reloaded model equals the trained one on the same inputs.
  const plan = planSamples(loaded, { n: 6, class: 7, seed: 4 });
  const a = samplePlan(loaded, plan, 4);
  const b = samplePlan({ ...generator, classNames: undefined }, plan);
  assert.deepEqual([...a], [...b]);
  // A different class, same noise and codes: different samples.
  const other = samplePlan(loaded, { ...plan, labels: new Int32Array(6).fill(2) });
  assert.notDeepEqual([...other], [...a]);
  // The default path (used by eval) works for conditional generators; memory stays flat.
  const before = tf.memory().numTensors;
  assert.equal(sampleGenerator(loaded, 300, 0, 128).length, 600);
  assert.equal(tf.memory().numTensors, before);
  loaded.model.dispose(); generator.model.dispose(); discriminator.model.dispose();
});
