/**
 * The interface every GAN loss family implements: the original minimax and non-saturating losses
 * (Goodfellow et al. 2014), Wasserstein with weight clipping or gradient penalty (Arjovsky et al.
 * 2017; Gulrajani et al. 2017), hinge (Lim & Ye 2017), least squares (Mao et al. 2017), f-GAN
 * (Nowozin et al. 2016) and feature matching (Salimans et al. 2016).
 *
 * `discriminator`/`generator` take D's raw outputs — logits for the probabilistic losses, critic
 * values for Wasserstein/hinge/least squares, the unconstrained "V" of f-GAN — as tensors of any
 * shape (usually [B, 1]), average over every element and return a scalar to *minimise*. They hold
 * no state and create no variables, so they run inside `tf.variableGrads`.
 *
 * The optional hooks let a loss bring its constraint without special cases in the trainer
 * (src/train/trainer.ts calls them in this order, per discriminator step):
 *   1. inside D's variableGrads: L = discriminator(r, f) + penalty(ctx)   (gradient penalty)
 *   2. after the optimiser update:  afterDiscriminatorStep(D's variables)  (weight clipping)
 * and, per generator step, `generator(f, features)` with D's named feature maps on the last real
 * batch and on G(z) when `usesFeatures` is set (feature matching), or with those images themselves
 * when `usesImages` is set (the perceptual loss).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../defaults.js';
import type { Discriminator } from '../models/types.js';
import type { Rng } from '../train/rng.js';

/** What a penalty term sees inside the discriminator's `tf.variableGrads`. */
export interface PenaltyContext {
  /** The real batch, [B, ...shape]. */
  real: tf.Tensor;
  /** G(z) for the same step, [B, ...shape]; constant here (only D's variables are differentiated). */
  fake: tf.Tensor;
  /** D's raw output on any batch, in training mode: x [n, ...shape] → [n, 1]. */
  critic: (x: tf.Tensor) => tf.Tensor;
  /** The trainer's penalty stream (saved in checkpoints, so resumes are bit-exact). */
  rng: Rng;
}

/** D's named feature maps (name → [B, ...]) on the real batch and on G(z). */
export interface FeaturePair {
  real: Record<string, tf.Tensor>;
  fake: Record<string, tf.Tensor>;
}

export interface GanLoss {
  /** Registry name, as given to --loss. */
  readonly name: string;
  /** D's loss on a batch of real and a batch of generated examples (sizes may differ). */
  discriminator(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar;
  /** G's loss on D's outputs for generated examples (and D's features when `usesFeatures`). */
  generator(fakeLogits: tf.Tensor, features?: FeaturePair): tf.Scalar;
  /** The paper's training settings; applied by resolveConfig only to options the user left unset. */
  readonly defaults?: Readonly<Partial<TrainConfig>>;
  /**
   * Elementwise map of D's raw output whose batch mean is logged as d_real/d_fake. Default σ
   * (a probability) for the logit losses; identity for critics (Wasserstein, hinge, least
   * squares), whose d_real − d_fake is then the critic's estimate; g_f (the paper's T) for f-GAN.
   */
  readonly report?: (logits: tf.Tensor) => tf.Tensor;
  /** Added to the discriminator's loss inside its variableGrads (e.g. the gradient penalty). */
  penalty?(ctx: PenaltyContext): tf.Scalar;
  /** Runs after each discriminator update (e.g. weight clipping). */
  afterDiscriminatorStep?(dVars: readonly tf.Variable[]): void;
  /** When true, `generator` receives D's features on the last real batch and on G(z). */
  readonly usesFeatures?: boolean;
  /**
   * When true, `generator` receives the images themselves instead of D's features: the last real
   * batch as `real.image` and G(z) as `fake.image` (the perceptual loss runs its own fixed network).
   */
  readonly usesImages?: boolean;
  /** Checks the loss against the discriminator it will train with; throws ConfigError if unfit. */
  prepare?(d: Discriminator): void;
}

/** Options of the losses that have any, from TrainConfig. */
export interface LossOptions {
  /** One-sided label smoothing α (real target 1 − α) for minimax/non-saturating/feature-matching D. */
  labelSmoothing?: number;
  /** Feature matching: D's feature map by name ('hidden2', 'conv2') or index ('0', '-1' = last). */
  featureLayer?: string;
  /** Perceptual loss: the fixed network ('mnist' or a tfjs model.json) and its layer (name or index). */
  perceptualModel?: string;
  perceptualLayer?: string;
  /** Weight clipping bound c. */
  clipValue?: number;
  /** Gradient penalty weight λ. */
  gpWeight?: number;
}
