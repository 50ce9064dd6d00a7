/**
 * The R1 and R2 gradient penalties (Mescheder, Geiger & Nowozin 2018, "Which Training Methods for
 * GANs do actually Converge?", ICML, eq. (9) and (10)):
 *   R1(ψ) = (γ/2) · E_{x ~ P_data}[‖∇_x D_ψ(x)‖²],    R2(ψ) = (γ/2) · E_{x ~ P_θ}[‖∇_x D_ψ(x)‖²],
 * added to D's loss (D's raw output = the logit). They penalise D's slope on the real (R1) or the
 * generated (R2) data only, which makes the Dirac-GAN locally convergent (their Theorem 4.1).
 *
 * Lazy regularisation (Karras, Laine, Aittala, Hellsten, Lehtinen & Aila 2020, "Analyzing and
 * Improving the Image Quality of StyleGAN", §3.1 and Appendix B): the penalty is computed only on
 * every k-th discriminator update and multiplied by k there, so its average weight is unchanged
 * and the second-order gradient costs 1/k as much (`--reg-interval k`, default 16; k = 1 = every
 * update).
 *
 * ∇_x D is taken with `tf.grad` inside D's `tf.variableGrads`: second order through D, as the
 * WGAN-GP penalty (constraints/gradient-penalty.ts). The gradient of Σ_i D(x_i) gives every
 * per-sample gradient at once when samples do not interact; with BatchNorm in training mode (our
 * DCGAN D) it is the gradient of the batch's summed output, as for WGAN-GP.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DiscriminatorPenaltyContext, Stabiliser, StabiliserFactory } from './types.js';

/** (γ/2)·mean_i ‖∇_{x_i} Σ_j critic(x)_j‖²: differentiable in the critic's variables. */
export function gradientSquaredPenalty(critic: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, gamma: number): tf.Scalar {
  return tf.tidy(() => {
    const g = tf.grad((t: tf.Tensor) => tf.sum(critic(t)))(x); // [B, ...shape]
    const axes = g.shape.slice(1).map((_, i) => i + 1);
    return tf.mul(gamma / 2, tf.mean(tf.sum(tf.square(g), axes))) as tf.Scalar;
  });
}

class GradientPenaltyOn implements Stabiliser {
  constructor(readonly name: 'r1' | 'r2', readonly gamma: number, readonly interval: number) {}

  discriminatorPenalty(ctx: DiscriminatorPenaltyContext): tf.Scalar | undefined {
    if (ctx.dStep % this.interval !== 0) return undefined;
    const x = this.name === 'r1' ? ctx.real : ctx.fake;
    return gradientSquaredPenalty(ctx.critic, x, this.gamma * this.interval);
  }
}

export const r1Factory: StabiliserFactory = {
  name: 'r1',
  flag: '--r1',
  create: (c) => (c.r1 > 0 ? new GradientPenaltyOn('r1', c.r1, c.regInterval) : undefined),
};

export const r2Factory: StabiliserFactory = {
  name: 'r2',
  flag: '--r2',
  create: (c) => (c.r2 > 0 ? new GradientPenaltyOn('r2', c.r2, c.regInterval) : undefined),
};
