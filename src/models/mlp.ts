/**
 * Multilayer perceptrons for G and D, the architecture of the original GAN paper (Goodfellow et
 * al. 2014, "Generative Adversarial Nets", §5, which used MLPs on MNIST/TFD/CIFAR-10) and of the
 * 2-D toy experiments (Metz et al. 2016, "Unrolled GANs"; GAN Lab 2018). Used for points data and,
 * flattened, for small images.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { checkPositiveInt, dense, leakyRelu, relu, tanh, type Sym } from './layers.js';
import type { Discriminator, Generator } from './types.js';
import {
  discriminatorHeads, discriminatorInputs, generatorInputs, NO_CONDITIONING, type ModelConditioning,
} from './conditioning.js';

export interface MlpGeneratorOptions {
  /**
   * Default 8. A 2-D latent (GAN Lab's choice) lets one draw G as a warped sheet, but G must then
   * fold one Gaussian blob onto several separated modes; a few spare dimensions give it room to
   * put little mass between modes, at no real cost for these tiny nets.
   */
  latentDim?: number;
  /** Hidden units per layer. Default 128: ample for 2-D mixtures of up to 25 modes. */
  width?: number;
  /** Hidden layers. Default 3. */
  depth?: number;
  /** Output size for points. Default 2 (the 2-D toys). Ignored when `outputShape` is given. */
  outputDim?: number;
  /** Per-example output shape; rank > 1 (images) appends a Reshape. Default [outputDim]. */
  outputShape?: number[];
  /**
   * 'linear' for points (the toys are unbounded); 'tanh' for images in [-1, 1]. Default: linear
   * for rank-1 outputs, tanh otherwise.
   */
  outputActivation?: 'linear' | 'tanh';
  /** Class labels and InfoGAN codes (conditioning.ts). Default: none. */
  conditioning?: ModelConditioning;
}

export interface MlpDiscriminatorOptions {
  /** Input size for points. Default 2. Ignored when `inputShape` is given. */
  inputDim?: number;
  /** Per-example input shape; rank > 1 (images) prepends a Flatten. Default [inputDim]. */
  inputShape?: number[];
  width?: number;   // default 128
  depth?: number;   // default 3
  conditioning?: ModelConditioning;
}

/** z [B, latentDim] → Dense+ReLU × depth → Dense (→ tanh) → [B, ...outputShape]. */
export function mlpGenerator(options: MlpGeneratorOptions = {}): Generator {
  const latentDim = checkPositiveInt(options.latentDim ?? 8, 'latentDim', '--latent-dim');
  const width = checkPositiveInt(options.width ?? 128, 'width', '--width');
  const depth = checkPositiveInt(options.depth ?? 3, 'depth', '--depth');
  const outputShape = options.outputShape ?? [options.outputDim ?? 2];
  outputShape.forEach((s) => checkPositiveInt(s, 'output size', '--data'));
  const outputActivation = options.outputActivation ?? (outputShape.length === 1 ? 'linear' : 'tanh');
  const outputSize = outputShape.reduce((a, b) => a * b, 1);

  const conditioning = options.conditioning ?? NO_CONDITIONING;
  const { inputs, joined } = generatorInputs(latentDim, conditioning, 'mlp');   // z [B, latentDim] (+ y, c)
  let h = joined;
  for (let i = 1; i <= depth; i++) {
    h = dense(width, `g_dense${i}`).apply(h) as Sym;                            // [B, width]
    h = relu(`g_relu${i}`).apply(h) as Sym;
  }
  let out = dense(outputSize, 'g_out').apply(h) as Sym;                         // [B, outputSize]
  if (outputActivation === 'tanh') {
    out = tanh('g_tanh').apply(out) as Sym;
  }
  if (outputShape.length > 1) {
    out = tfl.layers.reshape({ targetShape: outputShape, name: 'g_reshape' }).apply(out) as Sym;
  }
  const model = tfl.model({ inputs, outputs: out, name: 'generator' });
  return { model, latentDim, outputShape: [...outputShape], arch: 'mlp', conditioning };
}

/**
 * x [B, ...inputShape] → (Flatten) → Dense+LeakyReLU(0.2) × depth → Dense → logit [B, 1].
 * LeakyReLU rather than ReLU: a dead ReLU region of x-space gives G a zero gradient there, which on
 * 2-D toys strands whole modes; slope 0.2 is DCGAN's. (Gradient penalties then need a zero
 * gradient registered for 'Greater', see NOTES-tfjs.md.)
 */
export function mlpDiscriminator(options: MlpDiscriminatorOptions = {}): Discriminator {
  const width = checkPositiveInt(options.width ?? 128, 'width', '--width');
  const depth = checkPositiveInt(options.depth ?? 3, 'depth', '--depth');
  const inputShape = options.inputShape ?? [options.inputDim ?? 2];
  inputShape.forEach((s) => checkPositiveInt(s, 'input size', '--data'));

  const conditioning = options.conditioning ?? NO_CONDITIONING;
  // x [B, ...inputShape], flattened (+ y for cgan)
  const { inputs, joined, y } = discriminatorInputs(inputShape, conditioning, true);
  let h = joined;
  const features: Sym[] = [];
  const featureNames: string[] = [];
  for (let i = 1; i <= depth; i++) {
    h = dense(width, `d_dense${i}`).apply(h) as Sym;                            // [B, width]
    h = leakyRelu(`d_lrelu${i}`).apply(h) as Sym;
    features.push(h);
    featureNames.push(`hidden${i}`);
  }
  const { logit, extra, extraNames } = discriminatorHeads(h, y, conditioning);   // [B, 1], heads
  const model = tfl.model({ inputs, outputs: [logit, ...features, ...extra], name: 'discriminator' });
  return { model, inputShape: [...inputShape], featureNames, arch: 'mlp', conditioning, extraNames };
}
