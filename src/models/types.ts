/**
 * The two networks of a GAN (Goodfellow et al. 2014) as the trainer sees them: G maps a latent
 * z to an example, D maps an example to a logit (log-odds of "real") and, for feature matching
 * and diagnostics, the activations of its hidden blocks.
 *
 * Both wrap a functional tfjs-layers `LayersModel` built only from stock layers, so
 * `model.save(...)` writes the tfjs LayersModel format that a browser reads with
 * `tf.loadLayersModel` unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { assert } from '../errors.js';

export interface Generator {
  readonly model: tfl.LayersModel;  // [B, latentDim] → [B, ...outputShape]
  readonly latentDim: number;
  /** Shape of one example: [H, W, C] for images, [D] for points. */
  readonly outputShape: number[];
  readonly arch: string;
}

export interface Discriminator {
  /** Outputs, in order: the logit [B, 1], then one feature map per name in `featureNames`. */
  readonly model: tfl.LayersModel;
  /** Shape of one example: [H, W, C] for images, [D] for points. */
  readonly inputShape: number[];
  /** Names of the activations after each hidden block's nonlinearity: 'conv1', 'hidden1', … */
  readonly featureNames: string[];
  readonly arch: string;
}

export interface DOutput {
  logit: tf.Tensor2D;                    // [B, 1]
  features: Record<string, tf.Tensor>;   // name → [B, ...] (e.g. conv1: [B, 14, 14, 64])
}

/**
 * G(z). `training: true` normalises BatchNorm layers with the batch's own statistics *and*
 * updates their moving averages (tfjs-layers does the update inside `apply`); `false` uses the
 * moving averages and changes nothing.
 */
export function generate(g: Generator, z: tf.Tensor, training: boolean): tf.Tensor {
  const out = g.model.apply(z, { training });   // [B, ...outputShape]
  assert(!Array.isArray(out), 'generator model has exactly one output');
  return out as tf.Tensor;
}

/** D(x) → {logit, features}; `training` as for `generate`. */
export function discriminate(d: Discriminator, x: tf.Tensor, training: boolean): DOutput {
  const raw = d.model.apply(x, { training });
  const outs = (Array.isArray(raw) ? raw : [raw]) as tf.Tensor[];
  assert(outs.length === d.featureNames.length + 1, 'discriminator outputs = logit + one per feature name');
  const features: Record<string, tf.Tensor> = {};
  d.featureNames.forEach((name, i) => { features[name] = outs[i + 1]!; });
  return { logit: outs[0] as tf.Tensor2D, features };
}

/**
 * The trainable variables of a model (kernels, biases, BatchNorm gamma/beta; not the moving
 * statistics), as the `tf.Variable`s that `tf.variableGrads(f, varList)` and
 * `optimizer.minimize(f, returnCost, varList)` expect. Pass G's and D's lists explicitly: the
 * default list is every trainable variable in the process, i.e. both networks.
 */
export function trainableVariables(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Number of scalars in a model's weights; `trainableOnly` leaves out BatchNorm moving stats. */
export function countParams(model: tfl.LayersModel, trainableOnly = false): number {
  const ws = trainableOnly ? model.trainableWeights : model.weights;
  return ws.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

/** Release the weights of both networks. */
export function disposeModels(...models: Array<{ model: tfl.LayersModel }>): void {
  for (const m of models) m.model.dispose();
}
