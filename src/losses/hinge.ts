/**
 * The hinge loss (Lim & Ye 2017, "Geometric GAN", eqs. (12)–(13); as used by Miyato et al. 2018
 * and BigGAN):
 *   L_D = E_x[max(0, 1 − D(x))] + E_z[max(0, 1 + D(G(z)))] = mean(relu(1 − r)) + mean(relu(1 + f))
 *   L_G = −E_z[D(G(z))]                                     = −mean(f)
 * On D's raw output; piecewise linear, so finite for any finite output. d_real/d_fake report the
 * mean raw output (D pushes real above +1 and fake below −1).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GanLoss } from './types.js';

export const hinge: GanLoss = {
  name: 'hinge',
  discriminator: (r, f) =>
    tf.tidy(() => tf.add(tf.mean(tf.relu(tf.sub(1, r))), tf.mean(tf.relu(tf.add(1, f))))) as tf.Scalar,
  generator: (f) => tf.tidy(() => tf.neg(tf.mean(f))) as tf.Scalar,
  report: (x) => tf.clone(x),
};
