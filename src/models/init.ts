/**
 * Weight initialisation from our seeded Rng, so that a seed reproduces every weight bit for bit
 * on every backend (tfjs's own initialisers draw from their own generators).
 *
 * DCGAN init (Radford, Metz & Chintala 2015, "Unsupervised Representation Learning with Deep
 * Convolutional Generative Adversarial Networks", §4): "All weights were initialized from a
 * zero-centered Normal distribution with standard deviation 0.02."
 * Compat: as the PyTorch DCGAN example's `weights_init`: conv kernels N(0, 0.02), BatchNorm
 * gamma N(1, 0.02) and beta 0. That example has no Linear layers and leaves conv biases at
 * PyTorch's default; we give Dense kernels N(0, 0.02) too and set every bias to 0.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { assert } from '../errors.js';
import type { Rng } from '../train/rng.js';

export interface InitOptions {
  /**
   * Standard deviation of the kernels: a number (DCGAN: 0.02), or 'lecun' for N(0, 1/fan_in)
   * (LeCun et al. 1998; the variance of PyTorch's default Linear init), which keeps activations
   * at unit scale through a deep ReLU MLP where 0.02 shrinks them ~6× per layer.
   */
  kernelStd?: number | 'lecun';
  /** BatchNorm gamma ~ N(1, gammaStd). Default 0.02 (PyTorch DCGAN example). */
  gammaStd?: number;
}

/** Inputs feeding one output unit of a layer's kernel. */
function fanIn(layer: tfl.layers.Layer, shape: number[]): number {
  switch (layer.getClassName()) {
    case 'Dense': return shape[0]!;                                    // kernel [in, out]
    case 'Conv2D': return shape[0]! * shape[1]! * shape[2]!;           // kernel [kh, kw, in, out]
    case 'Conv2DTranspose': return shape[0]! * shape[1]! * shape[3]!;  // kernel [kh, kw, out, in]
    default: throw new Error(`ganbox internal error: no fan-in rule for ${layer.getClassName()}`);
  }
}

/**
 * Set every weight of `model` from `rng`: kernels N(0, kernelStd), biases 0, BatchNorm gamma
 * N(1, gammaStd), beta 0, moving mean 0, moving variance 1. Draws happen in a fixed order —
 * `model.layers` (topological) order, then each layer's weight order — so the same seed gives the
 * same weights. A weight this function does not know is an internal error, not a silent default.
 */
export function initWeights(model: tfl.LayersModel, rng: Rng, options: InitOptions = {}): void {
  const kernelStd = options.kernelStd ?? 0.02;
  const gammaStd = options.gammaStd ?? 0.02;
  for (const layer of model.layers) {
    for (const w of layer.weights) {
      const shape = w.shape as number[];
      const n = shape.reduce((a, b) => a * b, 1);
      const kind = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
      let values: Float32Array;
      switch (kind) {
        case 'kernel': {
          const std = kernelStd === 'lecun' ? 1 / Math.sqrt(fanIn(layer, shape)) : kernelStd;
          values = rng.normalArray(n, 0, std);
          break;
        }
        case 'gamma': values = rng.normalArray(n, 1, gammaStd); break;
        case 'bias': case 'beta': case 'moving_mean': values = new Float32Array(n); break;
        case 'moving_variance': values = new Float32Array(n).fill(1); break;
        default: assert(false, `initWeights: unknown weight '${w.originalName}' in layer ${layer.name}`);
      }
      // The variable keeps a reference to the new data; tidy releases our handle.
      tf.tidy(() => { w.write(tf.tensor(values, shape, 'float32')); });
    }
  }
}
