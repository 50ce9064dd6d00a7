/**
 * The gradient penalty of WGAN-GP (Gulrajani, Ahmed, Arjovsky, Dumoulin & Courville 2017,
 * "Improved Training of Wasserstein GANs", eq. (3) and Algorithm 1, lines 4–7):
 *   ε ~ U[0, 1] (one per sample),  x̂ = ε·x + (1 − ε)·G(z) = G(z) + ε·(x − G(z))
 *   penalty = λ · E_x̂[(‖∇_x̂ D(x̂)‖₂ − 1)²],   λ = 10.
 * We write x̂ = x + α(G(z) − x) with α = 1 − ε (the form); α and ε have the same U[0, 1]
 * distribution, and α is what we draw.
 *
 * The penalty is differentiated w.r.t. D's weights, so ∇_x̂ D(x̂) itself must be differentiable:
 * a gradient (tf.grad) inside the critic's tf.variableGrads — second order through every op of D.
 * `useBackend` installs the gradients tfjs lacks for that (src/backend/kernels).
 *
 * Since D(x̂) for sample i depends only on x̂_i (no BatchNorm in the paper's critic), ∇ of
 * Σ_i D(x̂_i) w.r.t. x̂ gives every per-sample gradient in one pass. With BatchNorm in training
 * mode (our DCGAN D) samples interact through the batch statistics, so this is the gradient of the
 * batch's summed output — the paper warns against BN in the critic for exactly this reason; it
 * still trains, but prefer an architecture without it for WGAN-GP.
 *
 * The norm is sqrt(Σ g² + 1e−12): the 1e−12 keeps its gradient finite when ∇ = 0 (a dead critic)
 * and changes ‖g‖ by less than 1e−12/(2‖g‖) otherwise.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors.js';
import type { Rng } from '../train/rng.js';

/** λ = 10: the paper's value for every experiment (Algorithm 1's defaults). */
export const DEFAULT_GP_WEIGHT = 10;

export function checkGpWeight(l: number | undefined): number {
  const v = l ?? DEFAULT_GP_WEIGHT;
  if (!(Number.isFinite(v) && v >= 0)) throw new ConfigError(`gpWeight (--gp-weight) must be a number ≥ 0, got ${l}`);
  return v;
}

/**
 * λ·mean((‖∇_x̂ critic(x̂)‖₂ − 1)²) with x̂ = real + α(fake − real); `alpha` has one value per
 * sample. Differentiable w.r.t. the critic's variables.
 */
export function gradientPenalty(
  critic: (x: tf.Tensor) => tf.Tensor,
  real: tf.Tensor, // [B, ...shape]
  fake: tf.Tensor, // [B, ...shape]
  alpha: Float32Array, // [B]
  weight: number,
): tf.Scalar {
  return tf.tidy(() => {
    const b = real.shape[0]!;
    if (fake.shape[0] !== b || alpha.length !== b) {
      throw new Error(`ganbox internal error: gradient penalty needs equal batches, got ${b}, ${fake.shape[0]}, ${alpha.length}`);
    }
    const a = tf.tensor(alpha, [b, ...real.shape.slice(1).map(() => 1)]); // [B, 1, …]
    const xHat = tf.add(real, tf.mul(a, tf.sub(fake, real))); // [B, ...shape]
    const g = tf.grad((x: tf.Tensor) => tf.sum(critic(x)))(xHat); // [B, ...shape]
    const axes = g.shape.slice(1).map((_, i) => i + 1);
    const norm = tf.sqrt(tf.add(tf.sum(tf.square(g), axes), 1e-12)); // [B]
    return tf.mul(weight, tf.mean(tf.square(tf.sub(norm, 1)))) as tf.Scalar;
  });
}

/** One α ~ U[0, 1) per sample from `rng` (float64 draws rounded to float32). */
export function drawAlpha(rng: Rng, n: number): Float32Array {
  return rng.uniformArray(n);
}
