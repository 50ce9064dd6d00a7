/**
 * The translation families in the model registry: generators (unet, resnet) map an image to an
 * image; the discriminator is a PatchGAN. Names are a closed set; an unknown one fails with the
 * list and the nearest name. Weights: N(0, 0.02) kernels, γ ~ N(1, 0.02), biases 0 — the init of
 * pix2pix and CycleGAN's reference code (`init_type='normal'`, gain 0.02), from our seeded Rng.
 */
import { unknownName } from '../errors.js';
import type { Rng } from '../train/rng.js';
import { initWeights } from './init.js';
import { patchGanDiscriminator } from './patchgan.js';
import { resnetGenerator } from './resnet-generator.js';
import type { ImageTranslator, PatchDiscriminator } from './translation-layers.js';
import { unetGenerator } from './unet.js';

export { unetGenerator, unetDepth, type UnetOptions } from './unet.js';
export { patchGanDiscriminator, patchLayersFor, patchReceptiveField, type PatchGanOptions } from './patchgan.js';
export { resnetDownsampleFor, resnetGenerator, type ResnetGeneratorOptions } from './resnet-generator.js';
export { InstanceNorm, NoiseDropout, setNoiseKey, type ImageTranslator, type PatchDiscriminator } from './translation-layers.js';

export const TRANSLATOR_ARCHS = ['unet', 'resnet'] as const;
export type TranslatorArch = (typeof TRANSLATOR_ARCHS)[number];

export interface TranslatorOptions {
  inputShape: readonly number[];
  outChannels: number;
  /** ngf; 0 or undefined = 64. */
  width?: number;
  /** resnet: residual blocks (0/undefined = by size). */
  blocks?: number;
  /** resnet: stride-2 steps (negative/undefined = by size). */
  downsample?: number;
  /** unet: dropout rate of the noise (default 0.5). */
  dropout?: number;
  /** unet: seed of the dropout masks. */
  noiseSeed?: number;
}

/** A generator of the named family, initialised from `rng`. */
export function buildTranslator(arch: string, o: TranslatorOptions, rng: Rng): ImageTranslator {
  let g: ImageTranslator;
  if (arch === 'unet') g = unetGenerator({ inputShape: o.inputShape, outChannels: o.outChannels, ngf: o.width || 64, dropout: o.dropout, noiseSeed: o.noiseSeed });
  else if (arch === 'resnet') g = resnetGenerator({ inputShape: o.inputShape, outChannels: o.outChannels, ngf: o.width || 64, blocks: o.blocks || undefined, downsample: o.downsample !== undefined && o.downsample >= 0 ? o.downsample : undefined });
  else throw unknownName('generator', arch, TRANSLATOR_ARCHS, '--generator');
  initWeights(g.model, rng, { kernelStd: 0.02 });
  return g;
}

/** A PatchGAN on `inputShape`, initialised from `rng`. */
export function buildPatchDiscriminator(inputShape: readonly number[], width: number | undefined, rng: Rng): PatchDiscriminator {
  const d = patchGanDiscriminator({ inputShape, ndf: width || 64 });
  initWeights(d.model, rng, { kernelStd: 0.02 });
  return d;
}
