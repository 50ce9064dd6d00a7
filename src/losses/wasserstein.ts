/**
 * The Wasserstein GAN loss (Arjovsky, Chintala & Bottou 2017, "Wasserstein GAN", eq. (3) and
 * Algorithm 1). By Kantorovich–Rubinstein duality
 *   W1(P_r, P_g) = sup_{‖D‖_L ≤ 1} E_x[D(x)] − E_z[D(G(z))],
 * so the critic D (raw output, no sigmoid) maximises E[D(x)] − E[D(G(z))] and G minimises W1:
 *   L_D = E_z[D(G(z))] − E_x[D(x)] = mean(f) − mean(r)
 *   L_G = −E_z[D(G(z))]            = −mean(f)
 * These are linear in D's output: no log, nothing to stabilise, finite for any finite output.
 * The Lipschitz constraint comes from a constraint in src/constraints:
 *   wasserstein-clip: weight clipping, c = 0.01 (Arjovsky et al. 2017, Algorithm 1)
 *   wasserstein-gp:   gradient penalty, λ = 10 (Gulrajani et al. 2017, Algorithm 1)
 * d_real/d_fake are the mean raw critic outputs, so d_real − d_fake = −L_D is the critic's W1
 * estimate (up to the Lipschitz constant K with clipping).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkClipValue, clipWeights } from '../constraints/weight-clipping.js';
import { checkGpWeight, drawAlpha, gradientPenalty } from '../constraints/gradient-penalty.js';
import type { TrainConfig } from '../defaults.js';
import type { GanLoss } from './types.js';

export function wassersteinDiscriminator(realOut: tf.Tensor, fakeOut: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sub(tf.mean(fakeOut), tf.mean(realOut))) as tf.Scalar;
}
export function wassersteinGenerator(fakeOut: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(fakeOut))) as tf.Scalar;
}
const identity = (x: tf.Tensor) => tf.clone(x);

/**
 * Arjovsky et al. 2017, Algorithm 1 defaults: α = 0.00005 with RMSProp for both networks,
 * n_critic = 5 ("momentum based methods such as Adam … cause instability", §3). RMSProp's ρ = 0.99
 * is PyTorch's default, which the authors' code used; ε as PyTorch's 1e−8.
 */
export const WGAN_CLIP_DEFAULTS: Readonly<Partial<TrainConfig>> = {
  optD: 'rmsprop', optG: 'rmsprop', lrD: 5e-5, lrG: 5e-5, beta2: 0.99, dSteps: 5,
};

/**
 * Gulrajani et al. 2017, Algorithm 1 defaults: λ = 10, n_critic = 5, Adam α = 0.0001,
 * β1 = 0.5, β2 = 0.9 for both networks.
 */
export const WGAN_GP_DEFAULTS: Readonly<Partial<TrainConfig>> = {
  optD: 'adam', optG: 'adam', lrD: 1e-4, lrG: 1e-4, beta1: 0.5, beta2: 0.9, dSteps: 5,
};

/** WGAN with weight clipping to [−c, c] after every critic update. */
export function makeWassersteinClip(clipValue?: number): GanLoss {
  const c = checkClipValue(clipValue);
  return {
    name: 'wasserstein-clip',
    discriminator: wassersteinDiscriminator,
    generator: wassersteinGenerator,
    defaults: WGAN_CLIP_DEFAULTS,
    report: identity,
    afterDiscriminatorStep: (vars) => clipWeights(vars, c),
  };
}

/** WGAN-GP: the critic's loss plus λ·E[(‖∇D(x̂)‖₂ − 1)²]; α drawn from the trainer's penalty Rng. */
export function makeWassersteinGp(gpWeight?: number): GanLoss {
  const lambda = checkGpWeight(gpWeight);
  return {
    name: 'wasserstein-gp',
    discriminator: wassersteinDiscriminator,
    generator: wassersteinGenerator,
    defaults: WGAN_GP_DEFAULTS,
    report: identity,
    penalty: ({ real, fake, critic, rng }) => gradientPenalty(critic, real, fake, drawAlpha(rng, real.shape[0]!), lambda),
  };
}
