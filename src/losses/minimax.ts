/**
 * The minimax GAN loss of Goodfellow et al. 2014, "Generative Adversarial Nets", eq. (1):
 *   min_G max_D V(D, G) = E_x[log D(x)] + E_z[log(1 − D(G(z)))],   D(·) = σ(logit).
 * On logits r = D's logits for real x, f = for G(z) (see stable.ts):
 *   L_D = −E_x[log D(x)] − E_z[log(1 − D(G(z)))] = mean(softplus(−r)) + mean(softplus(f))
 *   L_G =  E_z[log(1 − D(G(z)))]                 = −mean(softplus(f))
 * L_G is the "saturating" loss: ∂L_G/∂f = −σ(f)/n → 0 as D(G(z)) → 0, i.e. exactly when D
 * rejects G's samples confidently, as early in training (the paper, §3 and Fig. 1).
 *
 * One-sided label smoothing (Salimans et al. 2016, "Improved Techniques for Training GANs", §3.4):
 * the real target 1 becomes 1 − α (fake targets stay 0), so with cross-entropy
 *   L_D = −(1−α)·E log σ(r) − α·E log(1 − σ(r)) − E log(1 − σ(f))
 *       = (1−α)·mean(softplus(−r)) + α·mean(softplus(r)) + mean(softplus(f)).
 * α = 0 (the default: off) is the paper's loss above. Salimans et al. use α = 0.1.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors.js';
import { logOneMinusSigmoid, logSigmoid } from './stable.js';
import type { GanLoss } from './types.js';

/** L_D = −mean(log σ(r)) − mean(log(1 − σ(f))), or its smoothed form; shared by minimax and non-saturating. */
export function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor, labelSmoothing = 0): tf.Scalar {
  return tf.tidy(() => {
    const fake = tf.mean(logOneMinusSigmoid(fakeLogits));
    if (labelSmoothing === 0) return tf.neg(tf.add(tf.mean(logSigmoid(realLogits)), fake));
    const a = labelSmoothing;
    const real = tf.add(tf.mul(1 - a, tf.mean(logSigmoid(realLogits))), tf.mul(a, tf.mean(logOneMinusSigmoid(realLogits))));
    return tf.neg(tf.add(real, fake));
  }) as tf.Scalar;
}

/** Validates α ∈ [0, 1). */
export function checkLabelSmoothing(a: number | undefined): number {
  const v = a ?? 0;
  if (!(Number.isFinite(v) && v >= 0 && v < 1)) {
    throw new ConfigError(`labelSmoothing (--label-smoothing) must be in [0, 1) (0 = off, 0.1 in Salimans et al. 2016), got ${a}`);
  }
  return v;
}

/** The minimax loss with one-sided label smoothing α on D's real targets (α = 0: off). */
export function makeMinimax(labelSmoothing = 0): GanLoss {
  const a = checkLabelSmoothing(labelSmoothing);
  return {
    name: 'minimax',
    discriminator: (r, f) => discriminatorLoss(r, f, a),
    generator: (fakeLogits: tf.Tensor): tf.Scalar => tf.tidy(() => tf.mean(logOneMinusSigmoid(fakeLogits))),
  };
}

export const minimax: GanLoss = makeMinimax(0);
