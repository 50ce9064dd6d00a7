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
import type { ModelConditioning } from './conditioning.js';

/** The conditioning inputs of one batch (conditioning.ts): one-hot labels and InfoGAN codes. */
export interface CondInputs {
  y?: tf.Tensor;   // [B, K] one-hot labels
  c?: tf.Tensor;   // [B, K' + M] codes: one-hot categorical, then continuous
}

export interface Generator {
  readonly model: tfl.LayersModel;  // [B, latentDim] → [B, ...outputShape]
  readonly latentDim: number;
  /** Shape of one example: [H, W, C] for images, [D] for points. */
  readonly outputShape: number[];
  readonly arch: string;
  /** Labels/codes the model takes besides z (absent: none). */
  readonly conditioning?: ModelConditioning;
}

export interface Discriminator {
  /** Outputs, in order: the logit [B, 1], then one feature map per name in `featureNames`. */
  readonly model: tfl.LayersModel;
  /** Shape of one example: [H, W, C] for images, [D] for points. */
  readonly inputShape: number[];
  /** Names of the activations after each hidden block's nonlinearity: 'conv1', 'hidden1', … */
  readonly featureNames: string[];
  readonly arch: string;
  readonly conditioning?: ModelConditioning;
  /** Outputs after the features: 'classLogits' (acgan) and 'q' (InfoGAN), in that order. */
  readonly extraNames?: string[];
}

export interface DOutput {
  logit: tf.Tensor2D;                    // [B, 1]
  features: Record<string, tf.Tensor>;   // name → [B, ...] (e.g. conv1: [B, 14, 14, 64])
  /** acgan: the auxiliary classifier's logits [B, K]. */
  classLogits?: tf.Tensor2D;
  /** InfoGAN: the Q head's outputs [B, K' + M] (categorical logits, then continuous means). */
  q?: tf.Tensor2D;
}

/** The model's inputs in its order: z (or x), then y and c when it takes them. */
function withCond(model: tfl.LayersModel, first: tf.Tensor, cond: CondInputs | undefined): tf.Tensor | tf.Tensor[] {
  if (model.inputs.length === 1) return first;
  const ins = model.inputNames.slice(1).map((name) => {
    const t = name === 'y' ? cond?.y : name === 'c' ? cond?.c : undefined;
    assert(t !== undefined, `the model's input '${name}' needs its tensor (labels y or codes c)`);
    return t;
  });
  return [first, ...ins];
}

/**
 * G(z). `training: true` normalises BatchNorm layers with the batch's own statistics *and*
 * updates their moving averages (tfjs-layers does the update inside `apply`); `false` uses the
 * moving averages and changes nothing.
 */
export function generate(g: Generator, z: tf.Tensor, training: boolean, cond?: CondInputs): tf.Tensor {
  const out = g.model.apply(withCond(g.model, z, cond), { training });   // [B, ...outputShape]
  assert(!Array.isArray(out), 'generator model has exactly one output');
  return out as tf.Tensor;
}

/** D(x) → {logit, features}; `training` as for `generate`. */
export function discriminate(d: Discriminator, x: tf.Tensor, training: boolean, cond?: CondInputs): DOutput {
  const raw = d.model.apply(withCond(d.model, x, cond), { training });
  const outs = (Array.isArray(raw) ? raw : [raw]) as tf.Tensor[];
  const extraNames = d.extraNames ?? [];
  assert(outs.length === d.featureNames.length + 1 + extraNames.length, 'discriminator outputs = logit + one per feature name + heads');
  const features: Record<string, tf.Tensor> = {};
  d.featureNames.forEach((name, i) => { features[name] = outs[i + 1]!; });
  const out: DOutput = { logit: outs[0] as tf.Tensor2D, features };
  extraNames.forEach((name, i) => {
    const t = outs[d.featureNames.length + 1 + i] as tf.Tensor2D;
    if (name === 'classLogits') out.classLogits = t;
    else if (name === 'q') out.q = t;
  });
  return out;
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
