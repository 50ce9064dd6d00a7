/**
 * The model registry: an architecture name and the data's per-example shape → G and D,
 * initialised from a seeded Rng.
 */
import { ConfigError, unknownName } from '../errors.js';
import type { Rng } from '../train/rng.js';
import { dcganDiscriminator, dcganGenerator } from './dcgan.js';
import { initWeights, type InitOptions } from './init.js';
import { infoganDiscriminator, infoganGenerator } from './infogan-net.js';
import { mlpDiscriminator, mlpGenerator } from './mlp.js';
import type { Discriminator, Generator } from './types.js';
import { checkConditioning, NO_CONDITIONING, type ModelConditioning } from './conditioning.js';

export * from './types.js';
export { initWeights, type InitOptions } from './init.js';
export {
  CONDITIONAL_MODES, NO_CONDITIONING, checkConditioning, codeSize, type ConditionalMode, type ModelConditioning,
} from './conditioning.js';
export { mlpGenerator, mlpDiscriminator, type MlpGeneratorOptions, type MlpDiscriminatorOptions } from './mlp.js';
export {
  dcganGenerator, dcganDiscriminator, dcganStages, DCGAN_SHAPES,
  type DcganGeneratorOptions, type DcganDiscriminatorOptions,
} from './dcgan.js';
export { infoganGenerator, infoganDiscriminator, INFOGAN_FC } from './infogan-net.js';

export const ARCHS = ['dcgan', 'infogan', 'mlp'] as const;
export type Arch = (typeof ARCHS)[number];

export interface BuildModelsOptions {
  /** 'auto': mlp for points data ([D]), dcgan for images ([H, W, C]). */
  arch: Arch | 'auto' | string;
  /** Per-example shape of the data: [D] for points, [H, W, C] for images. */
  dataShape: readonly number[];
  /** Default: dcgan 100 (the paper's), infogan 62 (Chen et al.'s MNIST noise), mlp 8 (see mlp.ts). */
  latentDim?: number;
  /** dcgan: ngf = ndf (default 64); mlp: hidden units (default 128). */
  width?: number;
  /** mlp only: hidden layers in each net (default 3). */
  depth?: number;
  /** D's per-example input shape when it differs from the data's (PacGAN packing); default dataShape. */
  discriminatorShape?: readonly number[];
  /** Class labels (cgan, acgan, projection) and InfoGAN codes; default none (conditioning.ts). */
  conditioning?: ModelConditioning;
}

export interface Models {
  generator: Generator;
  discriminator: Discriminator;
}

/** The architecture 'auto' stands for, given the data's per-example shape. */
export function resolveArch(arch: string, dataShape: readonly number[]): Arch {
  if (arch === 'auto') return dataShape.length === 3 ? 'dcgan' : 'mlp';
  if (!(ARCHS as readonly string[]).includes(arch)) throw unknownName('architecture', arch, ['auto', ...ARCHS], '--arch');
  return arch as Arch;
}

/**
 * Build G and D for `dataShape` and initialise them from `rng`, G first then D (so a seed fixes
 * both). dcgan: DCGAN init, N(0, 0.02) (Radford et al. 2015). mlp: N(0, 1/fan_in) kernels
 * (LeCun 1998), because at 0.02 a 128-wide ReLU MLP shrinks its signal ~6× per layer and G(z)
 * starts as a dot at the origin.
 */
export function buildModels(options: BuildModelsOptions, rng: Rng): Models {
  const { dataShape } = options;
  if (dataShape.length !== 1 && dataShape.length !== 3) {
    throw new ConfigError(`data examples must have shape [D] (points) or [H, W, C] (images), got [${dataShape.join(', ')}]`);
  }
  const arch = resolveArch(options.arch, dataShape);
  const conditioning = checkConditioning(options.conditioning ?? NO_CONDITIONING);
  let models: Models;
  let init: InitOptions;
  if (arch === 'dcgan' || arch === 'infogan') {
    if (dataShape.length !== 3) {
      throw new ConfigError(`--arch ${arch} needs image data [H, W, C], got points of shape [${dataShape.join(', ')}]; use --arch mlp`);
    }
    const [makeG, makeD] = arch === 'dcgan' ? [dcganGenerator, dcganDiscriminator] : [infoganGenerator, infoganDiscriminator];
    models = {
      generator: makeG({ imageShape: dataShape, latentDim: options.latentDim, ngf: options.width, conditioning }),
      discriminator: makeD({ imageShape: options.discriminatorShape ?? dataShape, ndf: options.width, conditioning }),
    };
    init = { kernelStd: 0.02 };
  } else {
    models = {
      generator: mlpGenerator({ outputShape: [...dataShape], latentDim: options.latentDim, width: options.width, depth: options.depth, conditioning }),
      discriminator: mlpDiscriminator({ inputShape: [...(options.discriminatorShape ?? dataShape)], width: options.width, depth: options.depth, conditioning }),
    };
    init = { kernelStd: 'lecun' };
  }
  initWeights(models.generator.model, rng, init);
  initWeights(models.discriminator.model, rng, init);
  return models;
}

// Image-to-image translation (pix2pix, CycleGAN): U-Net and ResNet generators, PatchGAN.
export * from './translation.js';
