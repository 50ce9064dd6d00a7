/**
 * Stock tfjs-layers constructors with the settings every ganbox network shares. Initialisers are
 * zeros (cheap): `initWeights` then sets every value from our seeded Rng.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { ConfigError } from '../errors.js';

export type Sym = tfl.SymbolicTensor;

/** A positive integer option, or a ConfigError naming it and its flag. */
export function checkPositiveInt(value: number, option: string, flag: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${option} (${flag}) must be a positive integer, got ${value}`);
  }
  return value;
}

export function dense(units: number, name: string, useBias = true): tfl.layers.Layer {
  return tfl.layers.dense({ units, useBias, name, kernelInitializer: 'zeros', biasInitializer: 'zeros' });
}

/**
 * k×k convolution, stride 2, 'same' padding.
 * Compat: for even input sizes and k = 4, 'same' pads one pixel on every side — exactly PyTorch's
 * `Conv2d(k=4, stride=2, padding=1)` (output = input / 2).
 */
export function conv(filters: number, name: string, useBias: boolean, kernelSize = 4): tfl.layers.Layer {
  return tfl.layers.conv2d({
    filters, kernelSize, strides: 2, padding: 'same', useBias, name,
    kernelInitializer: 'zeros', biasInitializer: 'zeros',
  });
}

/**
 * k×k transposed convolution, stride 2, 'same' padding (output = 2 × input).
 * Compat: equals PyTorch's `ConvTranspose2d(k=4, stride=2, padding=1)`. Kernel layouts differ:
 * tfjs [kh, kw, out, in], PyTorch [in, out, kh, kw] (no spatial flip between them).
 */
export function convTranspose(filters: number, name: string, useBias: boolean, kernelSize = 4): tfl.layers.Layer {
  return tfl.layers.conv2dTranspose({
    filters, kernelSize, strides: 2, padding: 'same', useBias, name,
    kernelInitializer: 'zeros', biasInitializer: 'zeros',
  });
}

/**
 * BatchNorm over the last (channel) axis (Ioffe & Szegedy 2015).
 * Compat: PyTorch's defaults, momentum 0.1 and eps 1e-5; Keras/tfjs count momentum the other way
 * (moving = m·moving + (1−m)·batch), so PyTorch's 0.1 is tfjs's 0.9 (tfjs defaults: 0.99, 1e-3).
 * Compat: tfjs updates the moving variance with the biased batch variance, PyTorch with the
 * unbiased one (factor N/(N−1), N = B·H·W); normalisation itself uses the biased one in both.
 */
export function batchNorm(name: string): tfl.layers.Layer {
  return tfl.layers.batchNormalization({
    axis: -1, momentum: 0.9, epsilon: 1e-5, name,
    gammaInitializer: 'ones', betaInitializer: 'zeros',
    movingMeanInitializer: 'zeros', movingVarianceInitializer: 'ones',
  });
}

export function relu(name: string): tfl.layers.Layer {
  return tfl.layers.reLU({ name });
}

/** LeakyReLU with DCGAN's slope 0.2. */
export function leakyRelu(name: string): tfl.layers.Layer {
  return tfl.layers.leakyReLU({ alpha: 0.2, name });
}

export function tanh(name: string): tfl.layers.Layer {
  return tfl.layers.activation({ activation: 'tanh', name });
}
