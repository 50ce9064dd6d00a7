/**
 * The perceptual loss: its value against an independent float64 computation through a small
 * user network (model.json written here, loaded as a user's would be), its errors, and training
 * the MNIST DCGAN with the shipped classifier on the default wasm backend without changing the
 * classifier's weights. Tolerance of the value: rtol 1e-5 (float32 features of a 16-input dense
 * layer, then a sum of squares of mean differences).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '../../src/backend/index.js';
import { openDataSource } from '../../src/data/index.js';
import { ConfigError } from '../../src/errors.js';
import { saveLayersModel } from '../../src/io/tfjs-format.js';
import { getLoss, makePerceptual, perceptualModelSync } from '../../src/losses/index.js';
import { loadPerceptualModel } from '../../src/losses/perceptual-files.js';
import { GanTrainer } from '../../src/train/trainer.js';
import { runTraining } from '../../src/train/run.js';
import { buildModels } from '../../src/models/index.js';
import { Rng } from '../../src/train/rng.js';
import { assertClose } from './helpers.js';

await useBackend('wasm');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-perceptual-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

/** A user's network on 4×4×1 images: flatten → 'feat' dense 3 (ReLU) → 'out' dense 2. */
const W1 = Array.from({ length: 16 * 3 }, (_, i) => Math.sin(i + 1) * 0.5); // [16, 3]
const B1 = [0.1, -0.2, 0.05];
async function userModel(): Promise<string> {
  const input = tfl.input({ shape: [4, 4, 1] });
  const flat = tfl.layers.flatten({ name: 'flat' }).apply(input) as tfl.SymbolicTensor;
  const feat = tfl.layers.dense({ units: 3, activation: 'relu', name: 'feat' }).apply(flat) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 2, name: 'out' }).apply(feat) as tfl.SymbolicTensor;
  const m = tfl.model({ inputs: input, outputs: out });
  m.getLayer('feat').setWeights([tf.tensor2d(W1, [16, 3]), tf.tensor1d(B1)]);
  const file = await saveLayersModel(m, path.join(dir, 'user'));
  m.dispose();
  return file;
}
const userFile = await userModel();

const image = (shift: number, n: number): number[] => Array.from({ length: n * 16 }, (_, i) => Math.cos(shift * 7.1 + i * 1.3) + shift);
/** f(x) = relu(flatten(x)·W1 + b1), in float64. */
function feat64(x: number[], n: number): number[][] {
  return Array.from({ length: n }, (_, k) => [0, 1, 2].map((j) => {
    let s = B1[j]!;
    for (let i = 0; i < 16; i++) s += Math.fround(x[k * 16 + i]!) * Math.fround(W1[i * 3 + j]!);
    return Math.max(0, s);
  }));
}

test("value: ‖E f(x) − E f(G(z))‖² through a user's model.json, its penultimate layer by default", async () => {
  await loadPerceptualModel(userFile);
  const loss = makePerceptual({ perceptualModel: userFile });
  const d = buildModels({ arch: 'dcgan', dataShape: [28, 28, 1], latentDim: 4, width: 8, depth: 3 }, new Rng(0)).discriminator;
  // prepare() checks the input shape against D's: a 28×28×1 D does not fit this 4×4×1 network.
  assert.throws(() => loss.prepare!(d), (e: unknown) => e instanceof ConfigError && /--perceptual-model/.test(e.message) && /4, 4, 1/.test(e.message));
  const fit = { inputShape: [4, 4, 1], featureNames: [], arch: 'test', model: d.model };
  loss.prepare!(fit);
  const [nr, nf] = [5, 3];
  const xr = image(0.5, nr), xf = image(-0.5, nf);
  const real = tf.tensor4d(xr, [nr, 4, 4, 1]), fake = tf.tensor4d(xf, [nf, 4, 4, 1]);
  const got = loss.generator(tf.zeros([nf, 1]), { real: { image: real }, fake: { image: fake } }).dataSync()[0]!;
  const fr = feat64(xr, nr), ff = feat64(xf, nf);
  let want = 0;
  for (let j = 0; j < 3; j++) {
    const mr = fr.reduce((a, r) => a + r[j]!, 0) / nr, mf = ff.reduce((a, r) => a + r[j]!, 0) / nf;
    want += (mr - mf) ** 2;
  }
  assert.ok(want > 0.01, 'the two batches differ in feature space');
  assertClose([got], [want], 1e-5, 0, 'perceptual L_G');
  // An index picks another layer: −1 = 'out'; a bad name lists the layers and the flag.
  makePerceptual({ perceptualModel: userFile, perceptualLayer: '-1' }).prepare!(fit);
  assert.throws(() => makePerceptual({ perceptualModel: userFile, perceptualLayer: 'conv9' }).prepare!(fit),
    (e: unknown) => e instanceof ConfigError && /--perceptual-layer/.test(e.message) && /flat, feat, out/.test(e.message));
  tf.dispose([real, fake]);
});

test('errors: 2-D data, a model.json that was not loaded first', async () => {
  const ring = await openDataSource('ring8');
  assert.throws(() => new GanTrainer(ring, { loss: 'perceptual' }), (e: unknown) => e instanceof ConfigError && /2-D points/.test(e.message));
  const d = buildModels({ arch: 'dcgan', dataShape: [28, 28, 1], latentDim: 4, width: 8, depth: 3 }, new Rng(0)).discriminator;
  assert.throws(() => getLoss('perceptual', { perceptualModel: path.join(dir, 'other.json') }).prepare!(d),
    (e: unknown) => e instanceof ConfigError && /not loaded/.test(e.message) && /loadPerceptualModel/.test(e.message));
});

test('MNIST DCGAN with the shipped classifier on wasm: finite losses, G moves, the classifier does not', async () => {
  const mnist = await openDataSource('mnist');
  const classifier = await loadPerceptualModel('mnist');
  const before = classifier.getWeights().map((w) => w.dataSync().slice());
  const t = new GanTrainer(mnist, { loss: 'perceptual', batch: 8, seed: 3 });
  const g0 = t.generator.model.getWeights().map((w) => w.dataSync().slice());
  let tensors = 0;
  for (let i = 0; i < 3; i++) {
    if (i === 1) tensors = tf.memory().numTensors; // after step 1, which creates the optimisers' moments
    const m = t.trainStep();
    for (const k of ['loss_d', 'loss_g', 'd_real', 'd_fake'] as const) assert.ok(Number.isFinite(m[k]), `${k} = ${m[k]}`);
    assert.ok(m.loss_g > 0, `loss_g ${m.loss_g}`);
  }
  assert.equal(tf.memory().numTensors, tensors, 'a step leaks no tensors');
  classifier.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), before[i], `classifier weight ${i} changed`));
  assert.ok(t.generator.model.getWeights().some((w, i) => w.dataSync().some((v, j) => v !== g0[i]![j])), "G's weights moved");
  t.dispose();
});

test("runTraining loads a user's model.json for --perceptual-model and records it in config.json", async () => {
  const input = tfl.input({ shape: [28, 28, 1] });
  const flat = tfl.layers.flatten().apply(input) as tfl.SymbolicTensor;
  const f = tfl.layers.dense({ units: 8, activation: 'relu', name: 'f' }).apply(flat) as tfl.SymbolicTensor;
  const m = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 1, name: 'o' }).apply(f) as tfl.SymbolicTensor });
  const file = await saveLayersModel(m, path.join(dir, 'digits-net'));
  m.dispose();
  const out = path.join(dir, 'run');
  await runTraining({ data: 'mnist', loss: 'perceptual', perceptualModel: file, perceptualLayer: 'f', steps: 2, batch: 8, logEvery: 1, sampleEvery: 2, checkpointEvery: 2 },
    { out, onInfo: () => {} });
  const lines = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  for (const l of lines) assert.ok(Number.isFinite(l.loss_g) && l.loss_g >= 0, `loss_g ${l.loss_g}`);
  const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')).train;
  assert.equal(config.perceptualModel, file);
  assert.equal(config.perceptualLayer, 'f');
});
