/**
 * The 'mnist' feature extractor: a small CNN classifier of 28×28 digits, trained by
 * scripts/train-mnist-classifier.ts on the 10,000 digits of the `mnist` package (a seeded split,
 * `mnistClassifierSplit`) and shipped as assets/mnist-classifier/ (tfjs LayersModel format).
 * It stands in for Inception when the data are digits: FID/KID/PRDC on its 'features' (the
 * penultimate layer, as pool3 is Inception's), the Inception Score on its 'logits'.
 *
 *   input [n, 28, 28, 1] in [−1, 1] (the data sources' range)
 *   conv1  3×3, 32, same, ReLU → maxpool 2 → [n, 14, 14, 32]
 *   conv2  3×3, 64, same, ReLU → maxpool 2 → [n, 7, 7, 64]
 *   flatten → features: dense 128, ReLU → [n, 128]
 *   dropout 0.3 (training only) → logits: dense 10 → [n, 10]
 *
 * Layers: 'features' [n, 128], 'logits' [n, 10], 'probabilities' [n, 10] (softmax of the logits).
 * Input to `extract`: [n, h, w, 1|3] pixels in [0, 255]; RGB becomes grey by ITU-R 601 luma
 * (0.299 R + 0.587 G + 0.114 B, what PIL's convert('L') does) and other sizes are resized
 * bilinearly (half-pixel centres) to 28×28.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DataError } from '../errors.js';
import { loadLayersModel } from '../io/tfjs-format.js';
import { Rng } from '../train/rng.js';
import { checkImages, checkLayers } from './checks.js';
import type { FeatureExtractor } from './types.js';

export const MNIST_SIDE = 28;
export const MNIST_FEATURES = 128;
export const MNIST_LAYERS = ['features', 'logits', 'probabilities'] as const;
/** Digits of the `mnist` package the classifier never trained on (see mnistClassifierSplit). */
export const MNIST_HELD_OUT = 2000;
/** Seed of the split's permutation. */
export const MNIST_SPLIT_SEED = 20251125;

/**
 * The training/held-out split of the package's 10,000 digits (stored in class order): a seeded
 * Fisher–Yates permutation; its last MNIST_HELD_OUT indices are held out. The training script and
 * the accuracy test both take it from here.
 */
export function mnistClassifierSplit(total = 10000): { train: Int32Array; heldOut: Int32Array } {
  const rng = new Rng(MNIST_SPLIT_SEED);
  const p = Int32Array.from({ length: total }, (_, i) => i);
  for (let i = total - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i]!; p[i] = p[j]!; p[j] = t;
  }
  return { train: p.slice(0, total - MNIST_HELD_OUT), heldOut: p.slice(total - MNIST_HELD_OUT) };
}

/** The untrained network (glorot-uniform weights from `seed`), outputs [features, logits]. */
export function buildMnistClassifier(seed: number): tfl.LayersModel {
  const init = (k: number) => tfl.initializers.glorotUniform({ seed: seed * 10 + k });
  const input = tfl.input({ shape: [MNIST_SIDE, MNIST_SIDE, 1], name: 'image' });
  let h = tfl.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1), name: 'conv1' }).apply(input) as tfl.SymbolicTensor;
  h = tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2), name: 'conv2' }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.flatten({ name: 'flatten' }).apply(h) as tfl.SymbolicTensor;
  const features = tfl.layers.dense({ units: MNIST_FEATURES, activation: 'relu', kernelInitializer: init(3), name: 'features' }).apply(h) as tfl.SymbolicTensor;
  const dropped = tfl.layers.dropout({ rate: 0.3, seed, name: 'dropout' }).apply(features) as tfl.SymbolicTensor;
  const logits = tfl.layers.dense({ units: 10, kernelInitializer: init(4), name: 'logits' }).apply(dropped) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: [features, logits], name: 'mnist_classifier' });
}

/** assets/mnist-classifier/model.json of this package (from src/features or dist/src/features). */
export function mnistClassifierPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    const candidate = join(dir, 'assets', 'mnist-classifier', 'model.json');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new DataError('the MNIST classifier (assets/mnist-classifier/model.json) is missing from the ganbox package; reinstall ganbox or run scripts/train-mnist-classifier.ts');
}

/**
 * The classifier at `path` (default: the shipped one) loaded synchronously: ganbox's architecture
 * (buildMnistClassifier) with the weights of its weights.bin, matched by name. For the
 * perceptual loss, whose setup runs inside the synchronous trainer constructor.
 */
export function loadMnistClassifierSync(path = mnistClassifierPath()): tfl.LayersModel {
  let json: tf.io.ModelJSON;
  const buffers: Buffer[] = [];
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as tf.io.ModelJSON;
    for (const group of json.weightsManifest) for (const p of group.paths) buffers.push(readFileSync(join(dirname(path), p)));
  } catch (e) {
    throw new DataError(`cannot read the MNIST classifier ${path}: ${(e as Error).message}`);
  }
  const all = Buffer.concat(buffers);
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const named = tf.io.decodeWeights(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength), specs);
  const model = buildMnistClassifier(0);
  try {
    model.loadWeights(named, true);
  } catch (e) {
    model.dispose();
    throw new DataError(`${path} does not hold the weights of ganbox's MNIST classifier: ${(e as Error).message}`);
  } finally {
    tf.dispose(Object.values(named));
  }
  return model;
}

/** Loads the shipped classifier (or the one at `path`). */
export async function loadMnistClassifier(path = mnistClassifierPath()): Promise<tfl.LayersModel> {
  return loadLayersModel(path);
}

/** Pixels [n, h, w, 1|3] in [0, 255] → the classifier's [n, 28, 28, 1] in [−1, 1]. */
export function mnistInput(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    let x: tf.Tensor4D = images;
    if (x.shape[3] === 3) x = tf.sum(tf.mul(x, tf.tensor1d([0.299, 0.587, 0.114])), 3, true) as tf.Tensor4D;
    if (x.shape[1] !== MNIST_SIDE || x.shape[2] !== MNIST_SIDE) x = tf.image.resizeBilinear(x, [MNIST_SIDE, MNIST_SIDE], false, true);
    return tf.sub(tf.div(x, 127.5), 1) as tf.Tensor4D;
  });
}

export class MnistClassifierExtractor implements FeatureExtractor {
  readonly name = 'mnist' as const;
  readonly layers: readonly string[] = MNIST_LAYERS;
  readonly dims: Readonly<Record<string, number>> = { features: MNIST_FEATURES, logits: 10, probabilities: 10 };
  readonly settings: Readonly<Record<string, string | number>>;

  /** `source`: where the model came from, for the settings (cache keys, --json). */
  constructor(readonly model: tfl.LayersModel, source = 'assets/mnist-classifier') {
    this.settings = { extractor: 'mnist', size: MNIST_SIDE, model: source };
  }

  extract(images: tf.Tensor4D, layers: readonly string[]): Record<string, tf.Tensor2D> {
    checkLayers(layers, this.layers);
    checkImages(images, 'mnist');
    return tf.tidy(() => {
      const [features, logits] = this.model.predict(mnistInput(images)) as [tf.Tensor2D, tf.Tensor2D];
      const all: Record<string, tf.Tensor2D> = { features, logits };
      if (layers.includes('probabilities')) all.probabilities = tf.softmax(logits);
      const out: Record<string, tf.Tensor2D> = {};
      for (const l of layers) out[l] = all[l]!;
      return out;
    });
  }

  dispose(): void { this.model.dispose(); }
}

/** The shipped classifier (or a retrained one at `modelJson`) as a FeatureExtractor. */
export async function openMnistExtractor(modelJson?: string): Promise<MnistClassifierExtractor> {
  const model = await loadMnistClassifier(modelJson);
  const outs = model.outputs.map((o) => o.shape.slice(1).join('×'));
  if (outs.length !== 2 || outs[0] !== String(MNIST_FEATURES) || outs[1] !== '10') {
    model.dispose();
    throw new DataError(`${modelJson ?? 'the MNIST classifier'} is not an MNIST classifier of ganbox's shape (outputs [${MNIST_FEATURES}] features and [10] logits; it has ${outs.join(', ')})`);
  }
  return new MnistClassifierExtractor(model, modelJson);
}
