/**
 * Layers the image-to-image translation networks (unet.ts, patchgan.ts, resnet-generator.ts)
 * share: convolutions of any kernel/stride/padding, instance normalisation and dropout used as
 * the generator's noise. The two custom layers register with tfjs's serialisation, so a saved
 * generator's model.json names them (`GanboxInstanceNorm`, `GanboxNoiseDropout`); a page that
 * loads it imports this module first.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { withPlainOp, type Sym } from './layers.js';

/**
 * k×k convolution with stride s. `pad`: 'same', or a number p of zero pixels on every side
 * followed by a 'valid' convolution — PyTorch's `Conv2d(k, s, padding=p)` exactly.
 */
export function convK(x: Sym, filters: number, kernelSize: number, stride: number, pad: number | 'same', name: string, useBias = true): Sym {
  let h = x;
  if (typeof pad === 'number' && pad > 0) {
    h = tfl.layers.zeroPadding2d({ padding: pad, name: `${name}_pad` }).apply(h) as Sym;
  }
  const padding = pad === 'same' ? 'same' : 'valid';
  const layer = tfl.layers.conv2d({
    filters, kernelSize, strides: stride, padding, useBias, name, kernelInitializer: 'zeros', biasInitializer: 'zeros',
  });
  withPlainOp(layer, (t, k) => tf.conv2d(t as tf.Tensor4D, k as tf.Tensor4D, stride, padding));
  return layer.apply(h) as Sym;
}

/** k×k transposed convolution, stride 2, 'same': output side = 2 × input side. */
export function upConv(x: Sym, filters: number, kernelSize: number, name: string, useBias = true): Sym {
  return tfl.layers.conv2dTranspose({
    filters, kernelSize, strides: 2, padding: 'same', useBias, name, kernelInitializer: 'zeros', biasInitializer: 'zeros',
  }).apply(x) as Sym;
}

/**
 * Instance normalisation (Ulyanov, Vedaldi & Lempitsky 2016): each example's each channel to zero
 * mean and unit variance over H×W, then γ·x̂ + β per channel:
 *   y = γ (x − μ_{b,c}) / √(σ²_{b,c} + ε) + β,   μ, σ² over the spatial axes (biased variance).
 * CycleGAN's networks use it; pix2pix's BatchNorm at batch size 1 in training mode is the same
 * thing (Isola et al. 2017 §6.2), and unlike BatchNorm it has no train/test difference.
 * Compat: PyTorch's InstanceNorm2d(eps=1e-5); CycleGAN's has no γ, β (affine=False); ours keeps them
 * (initialised γ ~ N(1, 0.02), β = 0 like pix2pix's BatchNorm).
 */
export class InstanceNorm extends tfl.layers.Layer {
  static className = 'GanboxInstanceNorm';
  private gamma!: tfl.LayerVariable;
  private beta!: tfl.LayerVariable;
  readonly epsilon: number;
  constructor(config: { name?: string; epsilon?: number } = {}) {
    super(config);
    this.epsilon = config.epsilon ?? 1e-5;
  }
  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const c = s[s.length - 1]!;
    this.gamma = this.addWeight('gamma', [c], 'float32', tfl.initializers.ones());
    this.beta = this.addWeight('beta', [c], 'float32', tfl.initializers.zeros());
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D; // [B, H, W, C]
      const { mean, variance } = tf.moments(x, [1, 2], true);                // [B, 1, 1, C]
      const xhat = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(xhat, this.gamma.read()), this.beta.read());
    });
  }
  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return inputShape;
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(InstanceNorm);

export function instanceNorm(x: Sym, name: string): Sym {
  return new InstanceNorm({ name }).apply(x) as Sym;
}

/**
 * Dropout as the generator's source of noise (Isola et al. 2017 §3.1: "we provide noise only in
 * the form of dropout, applied on several layers of our generator at both training and test
 * time"): active whatever the `training` flag says. Each mask is drawn from tfjs's seeded
 * generator with seed = f(layer seed, noise key); the trainer sets the key to the step number
 * (setNoiseKey), so a resumed run draws exactly the masks of an uninterrupted one, and sampling
 * uses keys of its own.
 */
export class NoiseDropout extends tfl.layers.Layer {
  static className = 'GanboxNoiseDropout';
  readonly rate: number;
  readonly seed: number;
  /** Set by setNoiseKey before each forward pass. */
  key = 0;
  constructor(config: { name?: string; rate: number; seed: number }) {
    super(config);
    this.rate = config.rate;
    this.seed = config.seed;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (this.rate <= 0) return tf.clone(x);
    const seed = (Math.imul(this.seed + 1, 0x9e3779b1) ^ Math.imul(this.key + 7, 0x85ebca6b)) >>> 0;
    return tf.tidy(() => {
      const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), this.rate), 'float32');
      return tf.mul(x, tf.mul(keep, 1 / (1 - this.rate)));
    });
  }
  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return inputShape;
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(NoiseDropout);

/** Sets the noise key of every NoiseDropout layer of `model` (see NoiseDropout). */
export function setNoiseKey(model: tfl.LayersModel, key: number): void {
  for (const l of model.layers) if (l instanceof NoiseDropout) l.key = key;
}

export const leaky = (x: Sym, name: string) => tfl.layers.leakyReLU({ alpha: 0.2, name }).apply(x) as Sym;
export const reluL = (x: Sym, name: string) => tfl.layers.reLU({ name }).apply(x) as Sym;
export const tanhL = (x: Sym, name: string) => tfl.layers.activation({ activation: 'tanh', name }).apply(x) as Sym;

/** A translation network: image [B, S, S, C_in] → image [B, S, S, C_out] in [-1, 1]. */
export interface ImageTranslator {
  readonly model: tfl.LayersModel;
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly arch: string;
}

/** A patch discriminator: image [B, S, S, C] → logits [B, P, P, 1], one per patch. */
export interface PatchDiscriminator {
  readonly model: tfl.LayersModel;
  readonly inputShape: number[];
  /** Receptive field of one output logit, in input pixels. */
  readonly receptiveField: number;
  readonly arch: string;
}
