/**
 * The optimal discriminator (Goodfellow et al. 2014, "Generative Adversarial Nets", Proposition 1):
 * for G fixed, V(D, G) = ∫ p_data(x) log D(x) + p_g(x) log(1 − D(x)) dx is maximised pointwise by
 *   D*(x) = p_data(x) / (p_data(x) + p_g(x)),
 * since a log y + b log(1 − y) peaks at y = a/(a + b). D trained with the minimax discriminator loss
 * (losses/minimax.ts) on samples of two known 1-D densities therefore estimates this density ratio.
 *
 * Three discriminators show the estimate's bias–variance trade-off:
 *   large   — an MLP with ample width trained on fresh samples each step: D ≈ D*;
 *   small   — one hidden unit: σ(a·LeakyReLU(w x + b) + c) is monotone in x, so it cannot follow a
 *             non-monotone D* (underfitting);
 *   overfit — a wide MLP trained full-batch on a few fixed samples: it learns the empirical
 *             ratio of those samples, spikes around each one (overfitting).
 * Errors are measured on a grid where p_data + p_g is at least `supportFraction` of its maximum:
 * elsewhere both densities are tiny and D* is decided by tails D never sees.
 */
import { minimax } from '../losses/minimax.js';
import type { Discriminator } from '../models/types.js';
import type { ChartSpec } from '../plot/index.js';
import { Rng } from '../train/rng.js';
import { critic1d, evalCritic1d, LR_DECAY, sigmoid, trainCritic1d, type Examples1D } from './critic-1d.js';
import { gaussian, mixture, type Density1D } from './densities.js';
import { linspace } from './quadrature.js';
import { adamConfig, checkTheoryOptions, type TheoryOptions } from './options.js';

export interface DiscriminatorFit {
  width: number;
  depth: number;
  /** Samples per side: 'fresh' (new draws every step) or the size of the fixed sample. */
  samples: 'fresh' | number;
  steps: number;
  max_abs_error: number;
  mean_abs_error: number;
}

export interface OptimalDiscriminatorResult {
  experiment: 'optimal-discriminator';
  p_data: string;
  p_g: string;
  /** The large D's errors |D(x) − D*(x)| over the support grid. */
  max_abs_error: number;
  mean_abs_error: number;
  support: { fraction_of_max_density: number; x_min: number; x_max: number; grid_points: number };
  models: { large: DiscriminatorFit; small: DiscriminatorFit; overfit: DiscriminatorFit };
  seed: number;
  /** x, D*(x), and each D(x) on the plot grid. */
  curve: { x: number; p_data: number; p_g: number; d_star: number; large: number; small: number; overfit: number }[];
}

/** p_data: two Gaussians at ±1.5 (σ 0.7); p_g: one broad Gaussian N(0, 1.5²). D* has two bumps. */
export const OD_P_DATA: Density1D = mixture([gaussian(-1.5, 0.7), gaussian(1.5, 0.7)]);
export const OD_P_G: Density1D = gaussian(0, 1.5);

export const OPTIMAL_DISCRIMINATOR_DEFAULTS = {
  steps: 1500, // measured on wasm, seed 0: max error 0.018 (1,000 steps: 0.025; 2,000 at batch 512: 0.025)
  batch: 256,
  lr: 3e-3, // Adam, then ×0.1 from half-way and ×0.01 for the last fifth (LR_DECAY)
  width: 64, // large D: 3 × 64 hidden units
  depth: 3, // with depth 2 the flanks of D* (|x| ≈ 2.5–3.5) stayed ~0.05 too flat after 600 steps
  /** The overfit D sees this many fixed samples per side. */
  overfitSamples: 16,
  /**
   * The support: where p_data + p_g ≥ this fraction of its maximum (|x| ≤ 3.15 here). At 0.05
   * (|x| ≤ 3.5) the last half-unit holds ~1% of the samples, and D's error there is minibatch
   * noise (0.02–0.06 from run to run), not the estimate the proposition is about.
   */
  supportFraction: 0.1,
} as const;

export interface OptimalDiscriminatorOptions extends TheoryOptions {
  overfitSamples?: number;
  supportFraction?: number;
}

function fitError(d: Discriminator, xs: Float64Array, dStar: Float64Array, mask: boolean[]): { d: Float64Array; max: number; mean: number } {
  const logits = evalCritic1d(d, xs);
  const out = new Float64Array(xs.length);
  let max = 0, sum = 0, n = 0;
  for (let i = 0; i < xs.length; i++) {
    out[i] = sigmoid(logits[i]!);
    if (!mask[i]) continue;
    const e = Math.abs(out[i]! - dStar[i]!);
    max = Math.max(max, e);
    sum += e;
    n++;
  }
  return { d: out, max, mean: sum / n };
}

/** Train the three discriminators against p_data and the fixed p_g; compare each with D*. */
export function optimalDiscriminator(options: OptimalDiscriminatorOptions = {}): OptimalDiscriminatorResult {
  const o = checkTheoryOptions(options, OPTIMAL_DISCRIMINATOR_DEFAULTS);
  const overfitSamples = options.overfitSamples ?? OPTIMAL_DISCRIMINATOR_DEFAULTS.overfitSamples;
  const supportFraction = options.supportFraction ?? OPTIMAL_DISCRIMINATOR_DEFAULTS.supportFraction;
  const pData = OD_P_DATA, pG = OD_P_G;
  const xs = linspace(-5, 5, 400);
  const pd = xs.map((x) => pData.pdf(x)), pg = xs.map((x) => pG.pdf(x));
  const dStar = xs.map((_, i) => pd[i]! / (pd[i]! + pg[i]!));
  const total = xs.map((_, i) => pd[i]! + pg[i]!);
  const peak = Math.max(...total);
  const mask = Array.from(total, (t) => t >= supportFraction * peak);
  const inside = xs.filter((_, i) => mask[i]!);

  const fresh = (density: Density1D): Examples1D => ({ density });
  const train = (width: number, depth: number, real: Examples1D, fake: Examples1D, seedOffset: number) => {
    const d = critic1d({ width, depth }, o.seed * 101 + seedOffset);
    trainCritic1d(d, { real, fake, loss: minimax, steps: o.steps, batch: o.batch, optimizer: adamConfig(o.lr), lrDecay: LR_DECAY, seed: o.seed * 101 + seedOffset + 50 });
    const fit = fitError(d, xs, dStar, mask);
    d.model.dispose();
    return fit;
  };
  const large = train(o.width, o.depth, fresh(pData), fresh(pG), 1);
  const small = train(1, 1, fresh(pData), fresh(pG), 2);
  const rng = new Rng(o.seed * 101 + 3);
  const few = { real: { fixed: pData.sample(rng, overfitSamples) }, fake: { fixed: pG.sample(rng, overfitSamples) } };
  const overfitWidth = 2 * o.width, overfitDepth = o.depth;
  const overfit = train(overfitWidth, overfitDepth, few.real, few.fake, 4);

  const fitOf = (f: { max: number; mean: number }, width: number, depth: number, samples: 'fresh' | number): DiscriminatorFit => ({
    width, depth, samples, steps: o.steps, max_abs_error: f.max, mean_abs_error: f.mean,
  });
  const r4 = (v: number) => Number(v.toFixed(4));
  return {
    experiment: 'optimal-discriminator',
    p_data: pData.label,
    p_g: pG.label,
    max_abs_error: large.max,
    mean_abs_error: large.mean,
    support: { fraction_of_max_density: supportFraction, x_min: inside[0]!, x_max: inside[inside.length - 1]!, grid_points: inside.length },
    models: {
      large: fitOf(large, o.width, o.depth, 'fresh'),
      small: fitOf(small, 1, 1, 'fresh'),
      overfit: fitOf(overfit, overfitWidth, overfitDepth, overfitSamples),
    },
    seed: o.seed,
    curve: Array.from(xs, (x, i) => ({
      x: r4(x), p_data: r4(pd[i]!), p_g: r4(pg[i]!), d_star: r4(dStar[i]!),
      large: r4(large.d[i]!), small: r4(small.d[i]!), overfit: r4(overfit.d[i]!),
    })).filter((_, i) => i % 2 === 0),
  };
}

const SERIES = [
  ['d_star', 'D*(x) = p_data / (p_data + p_g)'],
  ['large', 'large D'],
  ['small', 'too small D (1 hidden unit)'],
  ['overfit', 'overfit D (few samples)'],
] as const;

/** D(x) of the three discriminators against D*(x), over the densities. */
export function optimalDiscriminatorChart(r: OptimalDiscriminatorResult): ChartSpec {
  const f = (v: number) => v.toFixed(3);
  const m = r.models;
  const lines = r.curve.flatMap((c) => SERIES.map(([key, name]) => ({ x: c.x, y: c[key], series: name })));
  const dens = r.curve.flatMap((c) => [{ x: c.x, y: c.p_data, series: `p_data = ${r.p_data}` }, { x: c.x, y: c.p_g, series: `p_g = ${r.p_g}` }]);
  const xEnc = { field: 'x', type: 'quantitative', title: 'x', scale: { domain: [-5, 5], nice: false } } as const;
  return {
    title: {
      text: 'Optimal discriminator (Goodfellow et al. 2014, Prop. 1)',
      subtitle: [
        `max |D − D*| on the grey support (p_data + p_g ≥ ${r.support.fraction_of_max_density} × its max):`,
        `  large D ${f(m.large.max_abs_error)}, too small D ${f(m.small.max_abs_error)}, overfit D ${f(m.overfit.max_abs_error)}` +
          ` (mean ${f(m.large.mean_abs_error)}, ${f(m.small.mean_abs_error)}, ${f(m.overfit.mean_abs_error)})`,
        `large: ${m.large.depth}×${m.large.width} units, fresh samples each step; small: 1 unit;`,
        `  overfit: ${m.overfit.depth}×${m.overfit.width} units on ${m.overfit.samples} fixed samples per side; ${m.large.steps} Adam steps each`,
      ],
    },
    vconcat: [
      {
        width: 640, height: 300,
        layer: [
          {
            data: { values: [{ a: r.support.x_min, b: r.support.x_max }] },
            mark: { type: 'rect', color: '#eeeeee' },
            encoding: { x: { field: 'a', type: 'quantitative', scale: { domain: [-5, 5], nice: false } }, x2: { field: 'b' } },
          },
          {
            data: { values: lines },
            mark: { type: 'line', strokeWidth: 2 },
            encoding: {
              x: xEnc,
              y: { field: 'y', type: 'quantitative', title: 'D(x)', scale: { domain: [0, 1] } },
              color: { field: 'series', type: 'nominal', title: null, sort: SERIES.map((s) => s[1]),
                scale: { range: ['black', '#1f77b4', '#ff7f0e', '#d62728'] }, legend: { orient: 'top', columns: 2, labelLimit: 320 } },
              strokeDash: { condition: { test: "datum.series !== 'large D'", value: [1, 0] }, value: [6, 3] },
            },
          },
        ],
      },
      {
        width: 640, height: 120,
        data: { values: dens },
        mark: { type: 'area', opacity: 0.45 },
        encoding: {
          x: xEnc,
          y: { field: 'y', type: 'quantitative', title: 'density', stack: null },
          color: { field: 'series', type: 'nominal', title: null, scale: { range: ['#2ca02c', '#9467bd'] }, legend: { orient: 'top', labelLimit: 600 } },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as ChartSpec;
}
