/**
 * Weight clipping (Arjovsky, Chintala & Bottou 2017, "Wasserstein GAN", Algorithm 1, line 7):
 *   w ← clip(w, −c, c)   after every critic update, c = 0.01.
 * Clipping keeps the critic in a compact set of functions, so it is K-Lipschitz for some K that
 * depends on c and the architecture: the critic then estimates K·W1(P_r, P_g). The paper calls it
 * "a clearly terrible way to enforce a Lipschitz constraint" (too small c: vanishing gradients;
 * too large: slow) — gradient-penalty.ts is the usual alternative.
 *
 * Every *trainable* D variable is clipped (kernels, biases and BatchNorm γ/β, as in the authors'
 * PyTorch code `for p in netD.parameters(): p.data.clamp_(-c, c)`); BatchNorm's moving statistics
 * are buffers, not parameters, and are left alone.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors.js';

/** c = 0.01: the paper's value for all its experiments (Algorithm 1's defaults). */
export const DEFAULT_CLIP_VALUE = 0.01;

export function checkClipValue(c: number | undefined): number {
  const v = c ?? DEFAULT_CLIP_VALUE;
  if (!(Number.isFinite(v) && v > 0)) throw new ConfigError(`clipValue (--clip-value) must be a positive number, got ${c}`);
  return v;
}

/** Clips each variable in place to [−c, c]. */
export function clipWeights(vars: readonly tf.Variable[], c: number): void {
  for (const v of vars) tf.tidy(() => { v.assign(tf.clipByValue(v, -c, c)); });
}
