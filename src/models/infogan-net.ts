/**
 * The InfoGAN paper's MNIST networks (Chen et al. 2016, "InfoGAN: Interpretable Representation
 * Learning by Information Maximizing Generative Adversarial Nets", App. C, Table 1): a DCGAN with
 * one fully connected 1024-unit layer on each side of the convolutions.
 *   G: [z, c] → FC 1024 BN ReLU → FC 7·7·128 BN ReLU → 4×4 upconv 64 s2 BN ReLU → 4×4 upconv C s2.
 *   D: x → 4×4 conv 64 s2 lReLU → 4×4 conv 128 s2 BN lReLU → FC 1024 BN lReLU → D's logit;
 *      Q shares everything up to the FC 1024 and adds FC 128 BN lReLU → codes (conditioning.ts).
 * The paper's G ends in a sigmoid on images in [0, 1]; ours ends in tanh on [−1, 1], the same map
 * up to an affine change of the pixel scale, as every ganbox image model.
 * Larger images (32×32, 64×64) use DCGAN's stage rule (dcgan.ts) for the convolutions, with the
 * same two FC 1024 layers; the paper's SVHN/CelebA nets are not reproduced.
 *
 * The FC layers matter for the categorical code: with them, the code reaches G's layout through
 * a nonlinear layer and Q reads it from a 1024-d summary of the image (bench/conditional-results.md
 * compares the plain DCGAN). They help plain image GANs too: `--preset quality` uses this net
 * (stabilisers/presets.ts; bench/quality-results.md).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { batchNorm, checkPositiveInt, dense, leakyRelu, relu, type Sym } from './layers.js';
import type { Discriminator, Generator } from './types.js';
import {
  discriminatorHeads, discriminatorInputs, generatorBatchNorm, generatorInputs, NO_CONDITIONING,
} from './conditioning.js';
import {
  dcganDownsample, dcganStages, dcganUpsample, type DcganDiscriminatorOptions, type DcganGeneratorOptions,
} from './dcgan.js';

/** Units of the fully connected hidden layer in G and D (Table 1: FC 1024). */
export const INFOGAN_FC = 1024;

/** [z, c] [B, latentDim + …] → image [B, H, W, C] in [−1, 1]. latentDim default 62 (the paper's MNIST noise). */
export function infoganGenerator(options: DcganGeneratorOptions): Generator {
  const [side, , channels] = options.imageShape as [number, number, number];
  const latentDim = checkPositiveInt(options.latentDim ?? 62, 'latentDim', '--latent-dim');
  const ngf = checkPositiveInt(options.ngf ?? 64, 'width', '--width');
  const conditioning = options.conditioning ?? NO_CONDITIONING;
  const { inputs, joined, y } = generatorInputs(latentDim, conditioning, 'dcgan');
  let h = dense(INFOGAN_FC, 'g_fc', false).apply(joined) as Sym;                        // [B, 1024]
  h = generatorBatchNorm(h, 'g_bn_fc', y, conditioning);
  h = relu('g_relu_fc').apply(h) as Sym;
  const image = dcganUpsample(h, options.imageShape, ngf, y, conditioning);             // [B, H, W, C]
  const model = tfl.model({ inputs, outputs: image, name: 'generator' });
  return { model, latentDim, outputShape: [side, side, channels], arch: 'infogan', conditioning };
}

/** image [B, H, W, C] → logit [B, 1]; features conv1…convS and fc (after BN and LeakyReLU); heads on fc. */
export function infoganDiscriminator(options: DcganDiscriminatorOptions): Discriminator {
  const stages = dcganStages(options.imageShape);
  const ndf = checkPositiveInt(options.ndf ?? 64, 'width', '--width');
  const inputShape = [...options.imageShape];
  const conditioning = options.conditioning ?? NO_CONDITIONING;
  const { inputs, joined, y } = discriminatorInputs(inputShape, conditioning, false);
  const { flat, features, featureNames } = dcganDownsample(joined, stages, ndf);        // [B, 6272] for 28×28
  let h = dense(INFOGAN_FC, 'd_fc', false).apply(flat) as Sym;                          // [B, 1024]
  h = batchNorm('d_bn_fc').apply(h) as Sym;
  h = leakyRelu('d_lrelu_fc').apply(h) as Sym;
  features.push(h);
  featureNames.push('fc');
  const { logit, extra, extraNames } = discriminatorHeads(h, y, conditioning, true);
  const model = tfl.model({ inputs, outputs: [logit, ...features, ...extra], name: 'discriminator' });
  return { model, inputShape, featureNames, arch: 'infogan', conditioning, extraNames };
}
