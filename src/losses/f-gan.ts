/**
 * f-GAN (Nowozin, Cseke & Tomioka 2016, "f-GAN: Training Generative Neural Samplers using
 * Variational Divergence Minimization", eq. (6) and Table 2). For a convex f with conjugate f*,
 *   F(θ, ω) = E_x[g_f(V_ω(x))] − E_z[f*(g_f(V_ω(G(z))))]
 * is a lower bound on D_f(P ‖ Q_θ) that D (the "variational function" T = g_f ∘ V) maximises;
 * g_f is the output activation that maps V's real line into dom f*. On raw outputs r = V(x),
 * f = V(G(z)):
 *   L_D = mean(f*(g_f(f))) − mean(g_f(r))                      (= −F)
 *   L_G = −mean(g_f(f))
 * L_G is the paper's alternative generator update (§3.2: "maximize E_{x∼Q_θ}[g_f(V_ω(x))]",
 * the analogue of the non-saturating GAN loss, used in the paper's experiments), NOT the saddle
 * point form −mean(f*(g_f(f))).
 *
 * Table 2, and the composition f*(g_f(v)) written in a form that cannot cancel or overflow early:
 *   name            g_f(v)                 f*(t)               f*(g_f(v))
 *   KL              v                      exp(t − 1)          exp(v − 1)
 *   reverse KL      −exp(−v)               −1 − log(−t)        v − 1
 *   Pearson χ²      v                      t²/4 + t            v²/4 + v
 *   sq. Hellinger   1 − exp(−v)            t/(1 − t)           exp(v) − 1 = expm1(v)
 *   Jensen–Shannon  log 2 − log(1 + e^−v)  −log(2 − exp(t))    softplus(v) − log 2
 * (JS: e^g = 2σ(v), so 2 − e^g = 2σ(−v) and −log(2σ(−v)) = softplus(v) − log 2; Hellinger:
 * 1 − g = e^−v, so g/(1 − g) = e^v − 1; reverse KL: −log(e^−v) = v.) g_f for Hellinger is
 * −expm1(−v), for JS log 2 − softplus(−v) (stable.ts's softplus is exact for any |v|).
 * Where the divergence itself grows exponentially (KL's exp(v − 1) and Hellinger's e^v for
 * v > 88.7, reverse KL's −e^−v for v < −88.7) float32 overflows to ±∞ and the trainer stops with
 * a NumericalError: that is the value, not a rounding artefact.
 * d_real/d_fake report mean g_f(V), i.e. the mean of T on each batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GanLoss } from './types.js';

export type FDivergence = 'kl' | 'reverse-kl' | 'js' | 'pearson' | 'hellinger';

interface FPair {
  /** g_f(v), elementwise. */
  activation(v: tf.Tensor): tf.Tensor;
  /** f*(g_f(v)), elementwise, in the stable form above. */
  conjugateOfActivation(v: tf.Tensor): tf.Tensor;
}

const F_PAIRS: Readonly<Record<FDivergence, FPair>> = {
  kl: { activation: (v) => tf.clone(v), conjugateOfActivation: (v) => tf.exp(tf.sub(v, 1)) },
  'reverse-kl': { activation: (v) => tf.neg(tf.exp(tf.neg(v))), conjugateOfActivation: (v) => tf.sub(v, 1) },
  pearson: { activation: (v) => tf.clone(v), conjugateOfActivation: (v) => tf.add(tf.mul(0.25, tf.square(v)), v) },
  hellinger: { activation: (v) => tf.neg(tf.expm1(tf.neg(v))), conjugateOfActivation: (v) => tf.expm1(v) },
  js: { activation: (v) => tf.sub(Math.LN2, tf.softplus(tf.neg(v))), conjugateOfActivation: (v) => tf.sub(tf.softplus(v), Math.LN2) },
};

/** The f-GAN loss for one divergence of Table 2. */
export function makeFGan(divergence: FDivergence): GanLoss {
  const p = F_PAIRS[divergence];
  return {
    name: `f-${divergence}`,
    discriminator: (r, f) =>
      tf.tidy(() => tf.sub(tf.mean(p.conjugateOfActivation(f)), tf.mean(p.activation(r)))) as tf.Scalar,
    generator: (f) => tf.tidy(() => tf.neg(tf.mean(p.activation(f)))) as tf.Scalar,
    report: (v) => tf.tidy(() => p.activation(v)),
  };
}

export const fKl = makeFGan('kl');
export const fReverseKl = makeFGan('reverse-kl');
export const fJs = makeFGan('js');
export const fPearson = makeFGan('pearson');
export const fHellinger = makeFGan('hellinger');
