/**
 * The fixed network of the perceptual loss: 'mnist' (the digit classifier shipped in
 * assets/mnist-classifier) or any tfjs LayersModel (model.json) a user names with
 * perceptualModel / --perceptual-model. The trainer builds its loss synchronously, so the network
 * is loaded first — in Node with `await loadPerceptualModel(spec)` (perceptual-files.ts; runTraining
 * and the CLI do it), in a page with `registerPerceptualModel(spec, model)` — and taken from this
 * process-wide cache. This file reads no files, so the browser bundle can include the loss. The
 * cache owns the models; nothing here trains them (the trainer differentiates only G's and D's
 * variable lists).
 */
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ConfigError, DataError } from '../errors.js';

const cache = new Map<string, tfl.LayersModel>();

/** Makes `model` the network that perceptualModel `spec` names. */
export function registerPerceptualModel(spec: string, model: tfl.LayersModel): void {
  cache.set(spec, model);
}

/** The loaded network of `spec`, if any. */
export function cachedPerceptualModel(spec: string): tfl.LayersModel | undefined {
  return cache.get(spec);
}

/** The network `spec` names, which must have been loaded or registered already. */
export function perceptualModelSync(spec: string): tfl.LayersModel {
  const model = cache.get(spec);
  if (!model) {
    throw new ConfigError(
      `perceptual model ${spec} (--perceptual-model) is not loaded; call \`await loadPerceptualModel('${spec}')\` before ` +
        'building the trainer (runTraining and the CLI do this; in a browser, registerPerceptualModel)',
    );
  }
  return model;
}

/** Layer names of `model` other than its inputs, in order. */
function layerNames(model: tfl.LayersModel): string[] {
  return model.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name);
}

/**
 * The layer `spec` selects in `model`: a name, or an index (negative from the end); '' picks
 * `fallback` if the model has it, else the penultimate layer (the last before the output).
 */
export function resolvePerceptualLayer(model: tfl.LayersModel, spec: string | undefined, fallback?: string): string {
  const names = layerNames(model);
  const s = (spec ?? '').trim();
  if (s === '') {
    if (fallback && names.includes(fallback)) return fallback;
    if (names.length < 2) throw new ConfigError(`the perceptual model has only ${names.length} layer(s); name one with --perceptual-layer`);
    return names[names.length - 2]!;
  }
  if (names.includes(s)) return s;
  if (/^-?\d+$/.test(s)) {
    const i = Number(s);
    const k = i < 0 ? names.length + i : i;
    if (k >= 0 && k < names.length) return names[k]!;
  }
  throw new ConfigError(`perceptualLayer (--perceptual-layer) '${s}' is not a layer of the perceptual model: ${names.join(', ')} or an index 0…${names.length - 1} (negative from the end)`);
}

/**
 * f: x [B, ...inputShape] → the activation of `layer` [B, ...], in inference mode (dropout off,
 * BatchNorm on its moving statistics). A sub-model sharing the network's weights (no copies).
 */
export function featureFunction(model: tfl.LayersModel, layer: string, spec: string): (x: tf.Tensor) => tf.Tensor {
  let sub: tfl.LayersModel;
  try {
    sub = tfl.model({ inputs: model.inputs, outputs: model.getLayer(layer).output as tfl.SymbolicTensor });
  } catch (e) {
    throw new DataError(`cannot take layer '${layer}' of the perceptual model ${spec}: ${(e as Error).message}`);
  }
  return (x) => sub.apply(x, { training: false }) as tf.Tensor;
}

/** A ConfigError unless the data are images [H, W, C]. */
export function checkImageData(dataShape: readonly number[]): void {
  if (dataShape.length !== 3) {
    throw new ConfigError(
      `loss 'perceptual' compares images through a fixed network, but the data are ${dataShape.length === 1 ? `${dataShape[0]}-D points` : 'not images'} ` +
        `(shape [${dataShape.join(', ')}]); use it with image data, or use --loss feature-matching`,
    );
  }
}

/** A ConfigError naming the flag unless the network takes one input of the data's shape. */
export function checkPerceptualInput(model: tfl.LayersModel, dataShape: readonly number[], spec: string): void {
  checkImageData(dataShape);
  if (model.inputs.length !== 1) throw new ConfigError(`the perceptual model ${spec} (--perceptual-model) has ${model.inputs.length} inputs; it must take one image batch`);
  const want = model.inputs[0]!.shape.slice(1);
  if (want.length !== 3 || want.some((d, i) => d !== null && d !== dataShape[i])) {
    throw new ConfigError(
      `the perceptual model ${spec} (--perceptual-model) takes inputs [${want.map((d) => d ?? '?').join(', ')}] but the data are ` +
        `[${dataShape.join(', ')}]; give a model for this image size (the built-in 'mnist' takes 28×28×1)`,
    );
  }
}
