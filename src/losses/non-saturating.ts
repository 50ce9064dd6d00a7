/**
 * The non-saturating GAN loss (Goodfellow et al. 2014, "Generative Adversarial Nets", §3):
 * "Rather than training G to minimize log(1 − D(G(z))) we can train G to maximize log D(G(z)).
 * This objective function results in the same fixed point of the dynamics of G and D but provides
 * much stronger gradients early in learning."
 *   L_D = mean(softplus(−r)) + mean(softplus(f))      (as minimax.ts, with optional label smoothing)
 *   L_G = −E_z[log D(G(z))] = −mean(log σ(f)) = mean(softplus(−f)),  ∂L_G/∂f = −(1 − σ(f))/n
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkLabelSmoothing, discriminatorLoss } from './minimax.js';
import { logSigmoid } from './stable.js';
import type { GanLoss } from './types.js';

/** L_G = mean(softplus(−f)). */
export function nonSaturatingGenerator(fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(logSigmoid(fakeLogits)))) as tf.Scalar;
}

/** The non-saturating loss with one-sided label smoothing α on D's real targets (α = 0: off). */
export function makeNonSaturating(labelSmoothing = 0): GanLoss {
  const a = checkLabelSmoothing(labelSmoothing);
  return {
    name: 'non-saturating',
    discriminator: (r, f) => discriminatorLoss(r, f, a),
    generator: nonSaturatingGenerator,
  };
}

export const nonSaturating: GanLoss = makeNonSaturating(0);
