/**
 * The value of the game at the optimal discriminator (Goodfellow et al. 2014, "Generative
 * Adversarial Nets", Theorem 1 and its proof): with D*(x) = p_data/(p_data + p_g),
 *   C(G) = V(D*, G) = E_pdata[log D*(x)] + E_pg[log(1 − D*(x))] = −log 4 + 2·JSD(p_data ‖ p_g),
 * whose global minimum −log 4 is reached exactly when p_g = p_data: the saddle point of the game.
 *
 * For each generator p_g = N(μ_g, σ_g²) against p_data = N(0, 1), a discriminator is trained
 * with the minimax loss (critic-1d.ts) and V(D, G) estimated by the library's value function
 * (losses/value.ts) on fresh samples; the exact value comes from the JSD by quadrature of the two
 * known densities (quadrature.ts). A trained D is never better than D*, so the estimate sits
 * slightly below the exact value, by D's error plus the Monte Carlo error (±~0.01 for 20,000
 * samples per side).
 */
import * as tf from '@tensorflow/tfjs-core';
import { minimax } from '../losses/minimax.js';
import { valueFunction } from '../losses/value.js';
import { discriminate } from '../models/types.js';
import type { ChartSpec } from '../plot/index.js';
import { Rng } from '../train/rng.js';
import { critic1d, LR_DECAY, trainCritic1d } from './critic-1d.js';
import { gaussian, type Density1D } from './densities.js';
import { jsd, optimalValue } from './quadrature.js';
import { adamConfig, checkTheoryOptions, type TheoryOptions } from './options.js';
import { ConfigError } from '../errors.js';

export interface SaddlePointCase {
  p_g: string;
  mean_g: number;
  value_estimate: number;
  value_exact: number;
  jsd: number;
}

export interface SaddlePointResult {
  experiment: 'saddle-point';
  p_data: string;
  /** The main case, p_g = N(`mean`, σ_g²). */
  p_g: string;
  value_estimate: number;
  value_exact: number;
  jsd: number;
  /** −log 4: the value at p_g = p_data. */
  value_at_equilibrium: number;
  /** The p_g = p_data case (μ_g = 0, σ_g = 1): its estimate should be ≈ −log 4. */
  equal: SaddlePointCase;
  /** Every generator mean tried (the main case and the equal case included). */
  sweep: SaddlePointCase[];
  /** Samples per side for each value estimate. */
  eval_samples: number;
  seed: number;
  steps: number;
}

export const P_DATA_SADDLE: Density1D = gaussian(0, 1);

export const SADDLE_POINT_DEFAULTS = {
  steps: 1500, // the optimal-discriminator settings (a 3 × 64 D), which fit D* to ≤ 0.05
  batch: 256,
  lr: 3e-3,
  width: 64,
  depth: 3,
  /** Generator means of the sweep; p_g = N(μ_g, σ_g²). 0 is the p_g = p_data case. */
  means: [0, 0.5, 1, 1.5, 2, 3] as readonly number[],
  /** The main case's mean (reported as value_estimate / value_exact). */
  mean: 1.5,
  stdG: 1,
  evalSamples: 20_000,
} as const;

export interface SaddlePointOptions extends TheoryOptions {
  means?: readonly number[];
  mean?: number;
  evalSamples?: number;
}

/** V(D, G) of a trained D by valueFunction on `n` fresh samples of each side. */
function estimateValue(pData: Density1D, pG: Density1D, o: { width: number; depth: number; steps: number; batch: number; lr: number }, seed: number, n: number): number {
  const d = critic1d({ width: o.width, depth: o.depth }, seed);
  trainCritic1d(d, {
    real: { density: pData }, fake: { density: pG }, loss: minimax, steps: o.steps, batch: o.batch,
    optimizer: adamConfig(o.lr), lrDecay: LR_DECAY, seed: seed + 1,
  });
  const rng = new Rng(seed + 2);
  const v = tf.tidy(() => {
    const real = tf.tensor2d(pData.sample(rng, n), [n, 1]);
    const fake = tf.tensor2d(pG.sample(rng, n), [n, 1]);
    return valueFunction(discriminate(d, real, false).logit, discriminate(d, fake, false).logit).dataSync()[0]!;
  });
  d.model.dispose();
  return v;
}

export function saddlePoint(options: SaddlePointOptions = {}): SaddlePointResult {
  const o = checkTheoryOptions(options, SADDLE_POINT_DEFAULTS);
  const mean = options.mean ?? SADDLE_POINT_DEFAULTS.mean;
  const means = [...new Set([0, mean, ...(options.means ?? SADDLE_POINT_DEFAULTS.means)])].sort((a, b) => a - b);
  const n = options.evalSamples ?? SADDLE_POINT_DEFAULTS.evalSamples;
  if (!means.every(Number.isFinite)) throw new ConfigError(`the generator means (--means) must be numbers, got ${means.join(', ')}`);
  if (!(Number.isInteger(n) && n >= 100)) throw new ConfigError(`evalSamples (--eval-samples) must be an integer ≥ 100, got ${n}`);
  const sweep = means.map((m, i): SaddlePointCase => {
    const pG = gaussian(m, SADDLE_POINT_DEFAULTS.stdG);
    const j = jsd(P_DATA_SADDLE, pG);
    return {
      p_g: pG.label, mean_g: m, jsd: j, value_exact: -Math.log(4) + 2 * j,
      value_estimate: estimateValue(P_DATA_SADDLE, pG, o, o.seed * 1009 + 10 * i, n),
    };
  });
  const main = sweep.find((c) => c.mean_g === mean)!;
  return {
    experiment: 'saddle-point',
    p_data: P_DATA_SADDLE.label,
    p_g: main.p_g,
    value_estimate: main.value_estimate,
    value_exact: main.value_exact,
    jsd: main.jsd,
    value_at_equilibrium: -Math.log(4),
    equal: sweep.find((c) => c.mean_g === 0)!,
    sweep,
    eval_samples: n,
    seed: o.seed,
    steps: o.steps,
  };
}

/** Exact C(G) = −log 4 + 2·JSD as a curve over μ_g, the trained-D estimates as points. */
export function saddlePointChart(r: SaddlePointResult): ChartSpec {
  const lo = Math.min(0, ...r.sweep.map((c) => c.mean_g)), hi = Math.max(...r.sweep.map((c) => c.mean_g));
  const curve = Array.from({ length: 61 }, (_, i) => {
    const m = lo + ((hi - lo) * i) / 60;
    return { mean_g: m, value: optimalValue(P_DATA_SADDLE, gaussian(m, SADDLE_POINT_DEFAULTS.stdG), 4000) };
  });
  const x = { field: 'mean_g', type: 'quantitative', title: 'generator mean μ_g  (p_g = N(μ_g, 1), p_data = N(0, 1))' } as const;
  const y = { field: 'value', type: 'quantitative', title: 'V(D, G)' } as const;
  return {
    title: {
      text: 'The value at the optimal discriminator (Goodfellow et al. 2014, Thm. 1)',
      subtitle: [
        'line: exact V(D*, G) = −log 4 + 2·JSD(p_data ‖ p_g), the JSD by quadrature',
        `dots: V(D, G) of a trained D (minimax loss), by valueFunction on ${r.eval_samples} samples per side`,
        `μ_g = ${r.sweep.find((c) => c.p_g === r.p_g)!.mean_g}: estimate ${r.value_estimate.toFixed(4)}, exact ${r.value_exact.toFixed(4)};` +
          ` p_g = p_data: estimate ${r.equal.value_estimate.toFixed(4)}, exact −log 4 = ${(-Math.log(4)).toFixed(4)}`,
      ],
    },
    width: 600, height: 320,
    layer: [
      { data: { values: [{ value: -Math.log(4) }] }, mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { y } },
      { data: { values: curve }, mark: { type: 'line', color: 'black' }, encoding: { x, y } },
      {
        data: { values: r.sweep.map((c) => ({ mean_g: c.mean_g, value: c.value_estimate })) },
        mark: { type: 'point', filled: true, size: 80, color: '#d62728' },
        encoding: { x, y },
      },
      {
        data: { values: [{ mean_g: hi, value: -Math.log(4) }] },
        mark: { type: 'text', text: '−log 4', align: 'right', dy: -8, color: 'gray' },
        encoding: { x, y },
      },
    ],
  } as ChartSpec;
}
