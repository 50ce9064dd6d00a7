/**
 * Stock tfjs-layers constructors with the settings every ganbox network shares. Initialisers are
 * zeros (cheap): `initWeights` then sets every value from our seeded Rng.
 */
import * as tf from '@tensorflow/tfjs-core';
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

/**
 * Perf: tfjs-layers runs Dense and Conv2D through `tf.fused.matMul` / `tf.fused.conv2d`, whose
 * gradient (one `tf.customGrad`) computes the gradients of *every* input eagerly. The plain ops
 * (`matMul`/`conv2d`, then `add` for the bias) register one lazy gradient per input, and tfjs's tape
 * evaluates only those on a path from the differentiated variables: D's step then skips the
 * gradient with respect to the real images, and G's step the gradients of D's weights (two
 * convolution filter gradients and one input gradient per DCGAN iteration). The layer's config,
 * weights and saved format are the stock ones, so a saved model loads anywhere unchanged.
 */
export function withPlainOp(layer: tfl.layers.Layer, op: (x: tf.Tensor, kernel: tf.Tensor) => tf.Tensor): tfl.layers.Layer {
  const l = layer as unknown as {
    kernel: { read(): tf.Tensor };
    bias: { read(): tf.Tensor } | null;
    call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor;
  };
  l.call = (inputs) => tf.tidy(() => {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const y = op(x, l.kernel.read());
    return l.bias ? tf.add(y, l.bias.read()) : y;
  });
  return layer;
}

export function dense(units: number, name: string, useBias = true): tfl.layers.Layer {
  const layer = tfl.layers.dense({ units, useBias, name, kernelInitializer: 'zeros', biasInitializer: 'zeros' });
  return withPlainOp(layer, (x, kernel) => tf.matMul(x, kernel)); // [B, in]·[in, units]; rank-2 inputs only
}

/**
 * k×k convolution, stride 2, 'same' padding.
 * Compat: for even input sizes and k = 4, 'same' pads one pixel on every side — exactly PyTorch's
 * `Conv2d(k=4, stride=2, padding=1)` (output = input / 2).
 */
export function conv(filters: number, name: string, useBias: boolean, kernelSize = 4): tfl.layers.Layer {
  const layer = tfl.layers.conv2d({
    filters, kernelSize, strides: 2, padding: 'same', useBias, name,
    kernelInitializer: 'zeros', biasInitializer: 'zeros',
  });
  return withPlainOp(layer, (x, kernel) => tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 2, 'same'));
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
