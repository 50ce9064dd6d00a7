/**
 * log σ(x) and log(1 − σ(x)) from a logit x without ever forming σ(x), in the manner of tfjs
 * core's `sigmoid_cross_entropy`.
 *
 * With σ(x) = 1 / (1 + e^(−x)):
 *   log σ(x)       = −log(1 + e^(−x))                     = −softplus(−x)
 *   log(1 − σ(x))  = log(e^(−x) / (1 + e^(−x)))
 *                  = −x − log(1 + e^(−x)) = −log(1 + e^x)  = −softplus(x)
 * and softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^(−|x|)) never overflows and keeps its
 * full relative precision when tiny (softplus(−100) = e^(−100), not 0).
 * The naive log(sigmoid(x)) fails in float32: sigmoid(−104) underflows to 0 and its log is −∞
 * (then ∞ − ∞ = NaN in a loss), and sigmoid(x) rounds to 1 for x > 17.4, so log(1 − σ) is −∞.
 *
 * We call tf.softplus rather than the max/log1p form: measured on tfjs 4.22 (cpu and wasm) it is
 * the stable form already — it switches to x above 13.9 and to e^x below −13.9 (float64 inside on cpu), and returns 100
 * and 3.78e−44 (= e^(−100) in float32) for ±100, 1e4 and 0 for ±1e4 — and its gradient is
 * σ(x) exactly. The wasm backend's log1p is *not* accurate for tiny arguments (log1p(1e−8) = 0),
 * so the hand-written form would be the worse one there. test/losses/stable.test.ts pins this.
 */
import * as tf from '@tensorflow/tfjs-core';

/** log σ(x) = −softplus(−x), elementwise. */
export function logSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.neg(tf.softplus(tf.neg(x))));
}

/** log(1 − σ(x)) = −softplus(x), elementwise. */
export function logOneMinusSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.neg(tf.softplus(x)));
}
