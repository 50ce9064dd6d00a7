/**
 * Feature-extraction throughput (images/s) of the 'inception' and 'mnist' extractors on this
 * machine's default backend; not a test.
 *
 *   node --import tsx bench/features.ts [--weights pt_inception-2015-12-05-6726825d.pth] [--batch 8] [--batches 3] [--engine tfjs|onnxruntime]
 *
 * Without --weights the Inception network gets the formula weights of the fixture test (same
 * shapes and cost as the real file). Inputs are 32×32 RGB pixels (CIFAR-10 size, resized to
 * 299×299 as pytorch-fid does); one warm-up batch is excluded from the timing. PyTorch's side:
 * /usr/bin/python3 bench/reference/inception_features.py (same network, batches and warm-up).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/backend/index.js';
import { openExtractor, type FeatureExtractor } from '../src/features/index.js';
import { INCEPTION_CONVS, convTensorShapes, FC_SHAPES } from '../src/features/inception-arch.js';
import { formulaWeights } from '../test/features/formula-weights.js';
import { encodeTorchZip } from '../test/features/pth-writer.js';

const args = process.argv.slice(2);
const flag = (name: string, def?: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : def; };
const BATCH = Number(flag('batch', '8'));
const BATCHES = Number(flag('batches', '3'));
const ENGINE = flag('engine', 'tfjs') as 'tfjs' | 'onnxruntime'; // the onnxruntime comparison with PyTorch: bench/features-section.ts

const info = await useBackend('wasm');
let weights = flag('weights');
let tmp: string | undefined;
if (!weights) {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-bench-'));
  const state: [string, number[], Float32Array][] = [];
  for (const c of INCEPTION_CONVS) for (const [n, s] of Object.entries(convTensorShapes(c))) state.push([n, s, formulaWeights(n, s)]);
  for (const [n, s] of Object.entries(FC_SHAPES)) state.push([n, [...s], formulaWeights(n, s)]);
  weights = path.join(tmp, 'formula.pth');
  fs.writeFileSync(weights, encodeTorchZip(state));
}

async function time(ex: FeatureExtractor, layers: string[], side: number, channels: number, batch: number, batches: number): Promise<number> {
  const images = tf.tidy(() => tf.floor(tf.mul(tf.randomUniform([batch, side, side, channels], 0, 1, 'float32', 1), 256))) as tf.Tensor4D;
  tf.dispose(Object.values(await ex.extract(images, layers))); // warm-up
  const t0 = performance.now();
  for (let b = 0; b < batches; b++) {
    const out = await ex.extract(images, layers);
    for (const t of Object.values(out)) t.dataSync();
    tf.dispose(Object.values(out));
  }
  images.dispose();
  return (batch * batches) / ((performance.now() - t0) / 1000);
}

const t0 = performance.now();
const inception = await openExtractor('inception', { weights, engine: ENGINE });
console.log(`engine ${ENGINE}, backend ${info.name}, ${info.threads} threads; inception weights loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
console.log(`inception pool3+logits, 32×32 RGB → 299×299, batch ${BATCH}: ${(await time(inception, ['pool3', 'logits-unbiased'], 32, 3, BATCH, BATCHES)).toFixed(2)} images/s`);
inception.dispose();
const mnist = await openExtractor('mnist', { engine: ENGINE });
console.log(`mnist features+logits, 28×28 grey, batch 500: ${(await time(mnist, ['features', 'logits'], 28, 1, 500, 4)).toFixed(0)} images/s`);
mnist.dispose();
if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
