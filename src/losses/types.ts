/**
 * The interface every GAN loss family implements: the original minimax and non-saturating losses
 * (Goodfellow et al. 2014) and, later, Wasserstein (Arjovsky et al. 2017), hinge (Lim & Ye 2017),
 * least squares (Mao et al. 2017) and f-GAN (Nowozin et al. 2016).
 *
 * Both functions take D's raw outputs — logits for the probabilistic losses, critic values for
 * Wasserstein/hinge, the unconstrained "V" of f-GAN — as tensors of any shape (usually [B, 1]),
 * average over every element and return a scalar to *minimise*. They hold no state and create no
 * variables, so they can run inside `tf.variableGrads`; constraints that need D itself (gradient
 * penalty, weight clipping) live in src/constraints, not here.
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface GanLoss {
  /** Registry name, as given to --loss. */
  readonly name: string;
  /** D's loss on a batch of real and a batch of generated examples (sizes may differ). */
  discriminator(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar;
  /** G's loss on D's outputs for generated examples. */
  generator(fakeLogits: tf.Tensor): tf.Scalar;
}
