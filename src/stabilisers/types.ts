/**
 * The stabiliser seam: the GAN-training toolbox beyond the loss (spectral normalisation, EMA of G,
 * R1/R2, DiffAugment, PacGAN packing, historical averaging…) as small objects with hooks, in the
 * spirit of `GanLoss`'s hooks (src/losses/types.ts). The trainer composes the configured ones into
 * one `StabiliserStack` (index.ts) and calls the stack at fixed points; it never asks which
 * stabilisers are on.
 *
 * Order of the calls, per discriminator step (src/train/trainer.ts):
 *   1. beforeDiscriminatorStep()                     (spectral norm: one power iteration)
 *   2. inside D's variableGrads:
 *        restore = bindDiscriminator()               (spectral norm: D's kernels read as W/σ(W))
 *        x_D = transformD(x, 'real' | 'fake')        (DiffAugment, then packing)
 *        L_D = loss.discriminator(D(x_D real), D(x_D fake)) + loss.penalty + Σ discriminatorPenalty(ctx)
 *        restore()
 *   3. after the optimiser update: afterDiscriminatorStep(D's variables)
 * and per generator step: bindDiscriminator/transformD around D(G(z)), L_G = loss.generator(...) +
 * Σ generatorPenalty(ctx), then afterGeneratorStep(G's variables) (EMA, historical averages).
 * Every hook that builds tensors runs inside the trainer's tidy/tape; hooks that keep tensors
 * (EMA weights, averages, power-iteration vectors) hold them as variables and save them through
 * getState/setState, so `--resume` is exact.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../defaults.js';
import type { DOutput, Discriminator, Generator } from '../models/types.js';
import type { Rng } from '../train/rng.js';
import type { NamedArray } from '../train/checkpoint.js';
import type { Optimizer } from '../train/optimizers.js';

/** What a stabiliser may see once the models exist. */
export interface StabiliserSetup {
  config: TrainConfig;
  generator: Generator;
  discriminator: Discriminator;
  gVars: readonly tf.Variable[];
  /** D's variables: the model's, then earlier stabilisers' own (discriminatorVariables). */
  dVars: readonly tf.Variable[];
  /** Per-example data shape ([H, W, C] images, [D] points), before any transform. */
  dataShape: readonly number[];
  /** This stabiliser's own random stream (forked by name, saved by the stack). */
  rng: Rng;
  /** D's optimiser (read-only use: the unrolled D follows its rule and state). */
  optD: Optimizer;
  /** A fresh generator of the trained one's architecture (weights to be overwritten). */
  buildGenerator: () => Generator;
}

/** What a penalty on D's loss sees inside D's variableGrads. */
export interface DiscriminatorPenaltyContext {
  /** The real batch as D sees it (after transformD). */
  real: tf.Tensor;
  /** G(z) as D sees it (after transformD); constant here (only D's variables are differentiated). */
  fake: tf.Tensor;
  /** D's logit on inputs in D's space (already transformed), training mode: [n, ...] → [n, 1]. */
  critic: (x: tf.Tensor) => tf.Tensor;
  dVars: readonly tf.Variable[];
  /** Discriminator updates completed before this one (0-based index of this update). */
  dStep: number;
}

/** What a penalty on G's loss sees inside G's variableGrads. */
export interface GeneratorPenaltyContext {
  gVars: readonly tf.Variable[];
  /** Generator updates completed before this one. */
  gStep: number;
}

/** What binding D for G's loss sees (unrolled GANs), inside G's variableGrads. */
export interface GeneratorBindContext {
  /** G(z) of this step, [B, ...shape] (depends on G's variables). */
  fake: tf.Tensor;
  /** D's loss (the loss family's term, no penalties) on this step's real batch and `fake`, with D as currently bound. */
  dLoss: (fake: tf.Tensor) => tf.Scalar;
}

/** A stabiliser's checkpointed state: JSON plus named float32 tensors. */
export interface StabiliserState {
  json: Record<string, unknown>;
  tensors: Map<string, NamedArray>;
}

export interface Stabiliser {
  /** Registry name, as in `--name` flags and checkpoint keys. */
  readonly name: string;
  /** The per-example shape D takes, given the one it would take without this stabiliser (PacGAN). */
  discriminatorShape?(shape: readonly number[]): number[];
  /** Called once, after the models are built and before the first step. */
  attach?(setup: StabiliserSetup): void;
  /** Runs before each D update, inside a tidy (power iteration). */
  beforeDiscriminatorStep?(): void;
  /**
   * Called inside a tape before D is evaluated; changes how D reads its weights (spectral norm) and
   * returns the function that undoes it. The trainer calls it around each D-forward scope.
   */
  bindDiscriminator?(): () => void;
  /**
   * D's own extra trainable variables (minibatch features' weights): appended to D's variable list,
   * so D's optimiser trains them; the stabiliser saves their values in getState.
   */
  discriminatorVariables?(): tf.Variable[];
  /** Changes D's output in training (a minibatch term added to the logit); inside the tapes. */
  discriminatorOutput?(out: DOutput): DOutput;
  /**
   * Called inside G's tape before G's loss: makes D read other weights for it (the unrolled D) and
   * returns the function that undoes it. Needs the real batch (`wantsRealForGenerator`).
   */
  bindForGenerator?(ctx: GeneratorBindContext): () => void;
  /** Maps a batch on its way into D: differentiable (G's gradient flows through it on fakes). */
  transformD?(x: tf.Tensor, which: 'real' | 'fake'): tf.Tensor;
  /** Added to D's loss inside its variableGrads; undefined = nothing this step (lazy R1). */
  discriminatorPenalty?(ctx: DiscriminatorPenaltyContext): tf.Scalar | undefined;
  /** Added to G's loss inside its variableGrads. */
  generatorPenalty?(ctx: GeneratorPenaltyContext): tf.Scalar | undefined;
  afterDiscriminatorStep?(dVars: readonly tf.Variable[]): void;
  afterGeneratorStep?(gVars: readonly tf.Variable[]): void;
  /** The generator to sample, evaluate and export with (EMA); default the trained G. */
  samplingGenerator?(): Generator | undefined;
  getState?(): StabiliserState;
  /** Restore from getState's output; throw an Error naming what does not fit. */
  setState?(state: StabiliserState): void;
  dispose?(): void;
}

/** A registry entry: builds the stabiliser from the resolved config, or returns undefined when it is off. */
export interface StabiliserFactory {
  readonly name: string;
  /** CLI flag, for messages. */
  readonly flag: string;
  create(config: TrainConfig, dataKind: 'images' | 'points'): Stabiliser | undefined;
}
