/**
 * The GAN value function (Goodfellow et al. 2014, eq. (1)) on logits, for logging:
 *   V(D, G) = E_x[log D(x)] + E_z[log(1 − D(G(z)))] = mean(log σ(r)) + mean(log(1 − σ(f))) = −L_D.
 * At the optimum D* = p_data / (p_data + p_g) it equals −log 4 + 2·JSD(p_data ‖ p_g) (Theorem 1),
 * so −log 4 ≈ −1.386 is the value of a perfect G against a perfect D.
 */
import * as tf from '@tensorflow/tfjs-core';
import { logOneMinusSigmoid, logSigmoid } from './stable.js';

export function valueFunction(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.add(tf.mean(logSigmoid(realLogits)), tf.mean(logOneMinusSigmoid(fakeLogits))));
}
