/**
 * The minimax GAN loss of Goodfellow et al. 2014, "Generative Adversarial Nets", eq. (1):
 *   min_G max_D V(D, G) = E_x[log D(x)] + E_z[log(1 − D(G(z)))],   D(·) = σ(logit).
 * On logits r = D's logits for real x, f = for G(z) (see stable.ts):
 *   L_D = −E_x[log D(x)] − E_z[log(1 − D(G(z)))] = mean(softplus(−r)) + mean(softplus(f))
 *   L_G =  E_z[log(1 − D(G(z)))]                 = −mean(softplus(f))
 * L_G is the "saturating" loss: ∂L_G/∂f = −σ(f)/n → 0 as D(G(z)) → 0, i.e. exactly when D
 * rejects G's samples confidently, as early in training (the paper, §3 and Fig. 1).
 */
import * as tf from '@tensorflow/tfjs-core';
import { logOneMinusSigmoid, logSigmoid } from './stable.js';
import type { GanLoss } from './types.js';

/** L_D = −mean(log σ(r)) − mean(log(1 − σ(f))); shared by minimax and non-saturating. */
export function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.add(tf.mean(logSigmoid(realLogits)), tf.mean(logOneMinusSigmoid(fakeLogits))))) as tf.Scalar;
}

export const minimax: GanLoss = {
  name: 'minimax',
  discriminator: discriminatorLoss,
  generator: (fakeLogits: tf.Tensor): tf.Scalar => tf.tidy(() => tf.mean(logOneMinusSigmoid(fakeLogits))),
};
