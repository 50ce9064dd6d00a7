/**
 * Training a discriminator (or critic) alone on 1-D data, with the generator held fixed at a
 * known distribution: the setting of Goodfellow et al. 2014, Proposition 1 ("for G fixed, the
 * optimal discriminator is …") and of the critic of Arjovsky et al. 2017 (§3, "train the critic
 * till optimality"). Everything is the library's: the MLP discriminator (models/mlp.ts) with its
 * LeCun initialisation from a seeded Rng, the loss's `discriminator` term, its `penalty` and
 * `afterDiscriminatorStep` hooks (gradient penalty, weight clipping) called in the trainer's
 * order (train/trainer.ts), and the optimisers of train/optimizers.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GanLoss } from '../losses/types.js';
import { initWeights } from '../models/init.js';
import { mlpDiscriminator } from '../models/mlp.js';
import { discriminate, trainableVariables, type Discriminator } from '../models/types.js';
import { Optimizer, type OptimizerConfig } from '../train/optimizers.js';
import { Rng } from '../train/rng.js';
import type { Density1D } from './densities.js';

export interface Critic1DOptions {
  /** Hidden units per layer. */
  width: number;
  /** Hidden layers. */
  depth: number;
  /**
   * Start from the zero function: the output layer's kernel set to 0 after initialisation. For
   * a 1-D critic under the gradient penalty this matters: f' can only change sign by passing
   * through 0, where the penalty costs λ, so a critic whose random initial slope has the wrong
   * sign stays stuck near slope −1 (measured: E_P f − E_Q f = −2.5 instead of +3). Default false.
   */
  zeroOutput?: boolean;
}

/** An MLP D for 1-D inputs, x [B, 1] → logit [B, 1], initialised from `seed` (LeCun normal, as buildModels). */
export function critic1d(options: Critic1DOptions, seed: number): Discriminator {
  const d = mlpDiscriminator({ inputDim: 1, width: options.width, depth: options.depth });
  initWeights(d.model, new Rng(seed), { kernelStd: 'lecun' });
  if (options.zeroOutput) {
    const out = d.model.getLayer('d_logit');
    tf.tidy(() => {
      const [kernel, ...rest] = out.getWeights();
      out.setWeights([tf.zerosLike(kernel!), ...rest]);
    });
  }
  return d;
}

/**
 * Where a side's examples come from: fresh draws each step from a known density or any sampler
 * (e.g. a fixed generator network), or a fixed finite sample used whole.
 */
export type Examples1D =
  | { density: Density1D }
  | { draw: (rng: Rng, n: number) => Float32Array }
  | { fixed: Float32Array };

export interface TrainCritic1DOptions {
  /** Examples of p_data (D's "real" side). */
  real: Examples1D;
  /** Examples of the fixed generator p_g (D's "fake" side). */
  fake: Examples1D;
  /** The loss whose discriminator term (plus penalty and after-step hooks) D minimises. */
  loss: GanLoss;
  steps: number;
  /** Fresh draws per side per step (a fixed sample is used whole, full batch). */
  batch: number;
  optimizer: OptimizerConfig;
  /**
   * Step decay: from step ⌊at·steps⌋ on, the learning rate is `factor` × the initial one (the
   * optimiser's moments carry over); entries in increasing `at`. A smaller final rate averages out
   * the minibatch noise that otherwise keeps D(x) jittering around its optimum. Default: none.
   */
  lrDecay?: readonly { at: number; factor: number }[];
  /** Seeds the data draws and the penalty's α. */
  seed: number;
}

function batchOf(e: Examples1D, rng: Rng, n: number): tf.Tensor2D {
  const x = 'fixed' in e ? e.fixed : 'draw' in e ? e.draw(rng, n) : e.density.sample(rng, n);
  return tf.tensor2d(x, [x.length, 1]);
}

/**
 * The schedule of the discriminators that estimate D* (optimal-discriminator, saddle-point):
 * ×0.1 from half-way, ×0.01 for the last fifth. With one step to ×0.1 at 2/3 the large D's max
 * error still wandered between 0.016 and 0.064 across step counts (minibatch noise in the flanks).
 */
export const LR_DECAY = [{ at: 0.5, factor: 0.1 }, { at: 0.8, factor: 0.01 }] as const;

/** Train D for `steps` optimiser steps; returns D's loss (with penalty) at every step. */
export function trainCritic1d(d: Discriminator, o: TrainCritic1DOptions): Float32Array {
  const vars = trainableVariables(d.model);
  let opt = new Optimizer(o.optimizer);
  const decays = new Map((o.lrDecay ?? []).map((d) => [Math.floor(d.at * o.steps), d.factor] as const));
  const root = new Rng(o.seed);
  const dataRng = root.fork(1);
  const penaltyRng = root.fork(2);
  const critic = (x: tf.Tensor) => discriminate(d, x, true).logit; // [n, 1]
  const losses = new Float32Array(o.steps);
  try {
    for (let s = 0; s < o.steps; s++) {
      const factor = decays.get(s);
      if (factor !== undefined && s > 0) {
        const slower = new Optimizer({ ...o.optimizer, lr: o.optimizer.lr * factor });
        slower.setState(opt.getState(), vars);
        opt.dispose();
        opt = slower;
      }
      losses[s] = tf.tidy(() => {
        const real = batchOf(o.real, dataRng, o.batch); // [B, 1]
        const fake = batchOf(o.fake, dataRng, o.batch); // [B, 1]
        const { value, grads } = tf.variableGrads(() => {
          const base = o.loss.discriminator(critic(real), critic(fake));
          if (!o.loss.penalty) return base;
          return tf.add(base, o.loss.penalty({ real, fake, critic, rng: penaltyRng })) as tf.Scalar;
        }, vars);
        opt.apply(vars, vars.map((v) => grads[v.name]!));
        o.loss.afterDiscriminatorStep?.(vars);
        return value.dataSync()[0]!;
      });
    }
  } finally {
    opt.dispose();
  }
  return losses;
}

/** D's raw output (logit or critic value) at each x, in inference mode. */
export function evalCritic1d(d: Discriminator, xs: ArrayLike<number>): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor2d(Float32Array.from(xs), [xs.length, 1]);
    return discriminate(d, x, false).logit.dataSync() as Float32Array;
  });
}

/** The logistic function, in float64 (for D(x) = σ(logit) on the JS side of a comparison). */
export const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
