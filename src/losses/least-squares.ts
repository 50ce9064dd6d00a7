/**
 * Least squares GAN (Mao, Li, Xie, Lau, Wang & Smolley 2017, "Least Squares Generative
 * Adversarial Networks", eq. (2)), with the a-b-c = 0-1-1 coding of §3.2.3 (eq. (9)):
 *   min_D ½·E_x[(D(x) − b)²] + ½·E_z[(D(G(z)) − a)²]  = ½·mean((r − 1)²) + ½·mean(f²)
 *   min_G ½·E_z[(D(G(z)) − c)²]                        = ½·mean((f − 1)²)
 * D's raw output is used (no sigmoid). Squares of a finite float32 overflow only for |D| > 1.8e19,
 * so there is nothing to stabilise. d_real/d_fake report the mean raw output (targets 1 and 0).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GanLoss } from './types.js';

const A = 0; // fake label for D
const B = 1; // real label for D
const C = 1; // the value G wants D to believe for fake data

export const leastSquares: GanLoss = {
  name: 'least-squares',
  discriminator: (r, f) =>
    tf.tidy(() => tf.add(tf.mul(0.5, tf.mean(tf.square(tf.sub(r, B)))), tf.mul(0.5, tf.mean(tf.square(tf.sub(f, A)))))) as tf.Scalar,
  generator: (f) => tf.tidy(() => tf.mul(0.5, tf.mean(tf.square(tf.sub(f, C))))) as tf.Scalar,
  report: (x) => tf.clone(x),
};
