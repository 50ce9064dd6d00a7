/**
 * DCGAN generator and discriminator (Radford, Metz & Chintala 2015, "Unsupervised Representation
 * Learning with Deep Convolutional Generative Adversarial Networks"): stride-2 (transposed)
 * convolutions instead of pooling, BatchNorm in both nets except G's output and D's input layer,
 * ReLU in G with tanh output, LeakyReLU(0.2) in D.
 *
 * One rule builds every size. With s stride-2 stages, G projects z to (H/2^s)² × (ngf·2^(s−1)) and
 * halves channels while doubling the side; D mirrors it with ndf, 2·ndf, … channels.
 *   28×28 (s = 2): G 7·7·128 → 14·14·64 → 28·28·C. This is the canonical DCGAN-MNIST workload
 *                  (PyTorch reference: Linear(100, 6272, bias=False), BatchNorm2d(128), …);
 *                  D 28→14·14·64→7·7·128 → Dense 6272→1.
 *   32×32 (s = 3): 4·4·256 → 8·8·128 → 16·16·64 → 32·32·C.
 *   64×64 (s = 4): 4·4·512 → 8·8·256 → 16·16·128 → 32·32·64 → 64·64·C: the PyTorch DCGAN example's
 *                  net (the paper's Fig. 1 draws 1024 channels at 4×4, i.e. ngf = 128).
 * Compat: the PyTorch example projects z with ConvTranspose2d(nz, 8·ngf, 4, 1, 0) on a 1×1 input,
 * and ends D with Conv2d(8·ndf, 1, 4, 1, 0); both are exactly a Dense layer on the (un)flattened
 * tensor, which is what we use (our final Dense has a bias, theirs does not). Flatten order is
 * NHWC here, NCHW in PyTorch: weights ported from PyTorch need the Dense rows permuted.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { ConfigError } from '../errors.js';
import {
  batchNorm, checkPositiveInt, conv, convTranspose, dense, leakyRelu, relu, tanh, type Sym,
} from './layers.js';
import type { Discriminator, Generator } from './types.js';
import {
  discriminatorHeads, discriminatorInputs, generatorBatchNorm, generatorInputs, NO_CONDITIONING,
  type ModelConditioning,
} from './conditioning.js';

/** Image side → number of stride-2 stages. Channels may be 1 (grey) or 3 (RGB) for every side. */
const STAGES: Readonly<Record<number, number>> = { 28: 2, 32: 3, 64: 4 };
const CHANNELS = [1, 3];

/** The supported [H, W, C], for messages: '28×28×1, 28×28×3, 32×32×1, …'. */
export const DCGAN_SHAPES: readonly string[] = Object.keys(STAGES).flatMap((s) =>
  CHANNELS.map((c) => `${s}×${s}×${c}`));

export interface DcganGeneratorOptions {
  /** Per-example [H, W, C]. */
  imageShape: readonly number[];
  /** Default 100, the paper's and PyTorch example's nz. */
  latentDim?: number;
  /** Channels of the last hidden stage (PyTorch's ngf). Default 64, as in the paper's code. */
  ngf?: number;
  /** Class labels and InfoGAN codes (conditioning.ts). Default: none. */
  conditioning?: ModelConditioning;
}

export interface DcganDiscriminatorOptions {
  imageShape: readonly number[];
  /** Channels of the first conv (PyTorch's ndf). Default 64. */
  ndf?: number;
  conditioning?: ModelConditioning;
}

/** Number of stride-2 stages for a supported image shape; otherwise a ConfigError. */
export function dcganStages(imageShape: readonly number[]): number {
  const [h, w, c] = imageShape;
  const stages = h !== undefined ? STAGES[h] : undefined;
  if (imageShape.length !== 3 || h !== w || stages === undefined || !CHANNELS.includes(c!)) {
    throw new ConfigError(
      `--arch dcgan does not support images of shape ${imageShape.join('×')}; supported: ` +
        `${DCGAN_SHAPES.join(', ')} (resize the images to one of these, or use --arch mlp)`,
    );
  }
  return stages;
}

/** z [B, latentDim] → image [B, H, W, C] in [-1, 1]. */
export function dcganGenerator(options: DcganGeneratorOptions): Generator {
  const stages = dcganStages(options.imageShape);
  const [side, , channels] = options.imageShape as [number, number, number];
  const latentDim = checkPositiveInt(options.latentDim ?? 100, 'latentDim', '--latent-dim');
  const ngf = checkPositiveInt(options.ngf ?? 64, 'width', '--width');
  const conditioning = options.conditioning ?? NO_CONDITIONING;
  const { inputs, joined, y } = generatorInputs(latentDim, conditioning, 'dcgan');      // z [B, nz] (+ y, c)
  const image = dcganUpsample(joined, options.imageShape, ngf, y, conditioning);
  const model = tfl.model({ inputs, outputs: image, name: 'generator' });
  return { model, latentDim, outputShape: [side, side, channels], arch: 'dcgan', conditioning };
}

/**
 * G's body from a flat input [B, F]: project to (H/2^s)² × (ngf·2^(s−1)), BN, ReLU, then the
 * stride-2 transposed convolutions down to C channels and tanh → [B, H, W, C]. Shared with the
 * InfoGAN paper's net (infogan-net.ts), which puts an FC layer before it.
 */
export function dcganUpsample(
  input: Sym, imageShape: readonly number[], ngf: number, y: Sym | undefined, conditioning: ModelConditioning,
): Sym {
  const stages = dcganStages(imageShape);
  const [side, , channels] = imageShape as [number, number, number];
  const start = side >> stages;                         // 7 or 4
  let ch = ngf << (stages - 1);                         // 128 (28×28), 256 (32×32), 512 (64×64)
  let h = dense(start * start * ch, 'g_project', false).apply(input) as Sym;            // [B, s·s·ch]
  h = tfl.layers.reshape({ targetShape: [start, start, ch], name: 'g_reshape' }).apply(h) as Sym;
  h = generatorBatchNorm(h, 'g_bn0', y, conditioning);                                  // [B, s, s, ch]
  h = relu('g_relu0').apply(h) as Sym;
  for (let i = 1; i < stages; i++) {
    ch /= 2;
    h = convTranspose(ch, `g_convt${i}`, false).apply(h) as Sym;                         // [B, 2^i·s, 2^i·s, ch]
    h = generatorBatchNorm(h, `g_bn${i}`, y, conditioning);
    h = relu(`g_relu${i}`).apply(h) as Sym;
  }
  h = convTranspose(channels, `g_convt${stages}`, true).apply(h) as Sym;                // [B, H, W, C]
  return tanh('g_tanh').apply(h) as Sym;
}

/**
 * image [B, H, W, C] → logit [B, 1], features conv1 [B, H/2, W/2, ndf], …, convS [B, H/2^S, W/2^S, ndf·2^(S−1)].
 * Each feature is the block's output after LeakyReLU (after BatchNorm for blocks 2…S).
 */
export function dcganDiscriminator(options: DcganDiscriminatorOptions): Discriminator {
  const stages = dcganStages(options.imageShape);
  const ndf = checkPositiveInt(options.ndf ?? 64, 'width', '--width');
  const inputShape = [...options.imageShape];

  const conditioning = options.conditioning ?? NO_CONDITIONING;
  const { inputs, joined, y } = discriminatorInputs(inputShape, conditioning, false);   // x [B, H, W, C] (+ K label planes for cgan)
  const { flat, features, featureNames } = dcganDownsample(joined, stages, ndf);
  const { logit, extra, extraNames } = discriminatorHeads(flat, y, conditioning);       // [B, 1], heads
  const model = tfl.model({ inputs, outputs: [logit, ...features, ...extra], name: 'discriminator' });
  return { model, inputShape, featureNames, arch: 'dcgan', conditioning, extraNames };
}

/**
 * D's convolutions: stride-2 conv, BN (not on the first), LeakyReLU, S times; returns the blocks'
 * outputs as features conv1…convS and the last one flattened ([B, 6272] for 28×28). Shared with
 * infogan-net.ts.
 */
export function dcganDownsample(x: Sym, stages: number, ndf: number): { flat: Sym; features: Sym[]; featureNames: string[] } {
  const features: Sym[] = [];
  const featureNames: string[] = [];
  let h = x;
  for (let i = 1; i <= stages; i++) {
    const first = i === 1;                              // no BatchNorm on D's input layer (paper §3)
    h = conv(ndf << (i - 1), `d_conv${i}`, first).apply(h) as Sym;                      // [B, H/2^i, W/2^i, ndf·2^(i−1)]
    if (!first) h = batchNorm(`d_bn${i}`).apply(h) as Sym;
    h = leakyRelu(`d_lrelu${i}`).apply(h) as Sym;
    features.push(h);
    featureNames.push(`conv${i}`);
  }
  return { flat: tfl.layers.flatten({ name: 'd_flatten' }).apply(h) as Sym, features, featureNames };
}
