/**
 * The theory of the GAN lecture reproduced on 1-D distributions known in closed form: each
 * experiment returns a JSON-ready result and a chart of it (`ganbox theory <name>`).
 *   optimal-discriminator  D* = p_data/(p_data + p_g)        (Goodfellow et al. 2014, Prop. 1)
 *   saddle-point           V(D*, G) = −log 4 + 2·JSD         (Goodfellow et al. 2014, Thm. 1)
 *   saturation             minimax vs non-saturating G loss  (Goodfellow et al. 2014, §3)
 *   wasserstein            a Lipschitz critic estimates W1   (Arjovsky et al. 2017)
 */
import { unknownName } from '../errors.js';
import type { ChartSpec } from '../plot/index.js';
import { optimalDiscriminator, optimalDiscriminatorChart, OPTIMAL_DISCRIMINATOR_DEFAULTS, type OptimalDiscriminatorOptions } from './optimal-discriminator.js';
import { saddlePoint, saddlePointChart, SADDLE_POINT_DEFAULTS, type SaddlePointOptions } from './saddle-point.js';
import { saturation, saturationChart, SATURATION_DEFAULTS } from './saturation.js';
import { wassersteinCritic, wassersteinChart, WASSERSTEIN_DEFAULTS, type WassersteinOptions } from './wasserstein.js';

export * from './densities.js';
export * from './quadrature.js';
export { critic1d, trainCritic1d, evalCritic1d, type Critic1DOptions, type TrainCritic1DOptions, type Examples1D } from './critic-1d.js';
export type { TheoryOptions } from './options.js';
export * from './optimal-discriminator.js';
export * from './saddle-point.js';
export * from './saturation.js';
export * from './wasserstein.js';

export const THEORY_NAMES = ['optimal-discriminator', 'saddle-point', 'saturation', 'wasserstein'] as const;
export type TheoryName = (typeof THEORY_NAMES)[number];

/** Every experiment's options (each reads the ones it knows). */
export type TheoryRunOptions = OptimalDiscriminatorOptions & SaddlePointOptions & WassersteinOptions;

export interface TheoryRun {
  name: TheoryName;
  /** The experiment's numbers, as written to <name>.json. */
  result: { experiment: TheoryName } & object;
  /** Its chart, for renderChart. */
  chart: ChartSpec;
}

/** The defaults of each experiment's shared options (for --help and the README). */
export const THEORY_DEFAULTS: Readonly<Record<TheoryName, { steps: number; batch: number; lr: number; width: number; depth: number }>> = {
  'optimal-discriminator': OPTIMAL_DISCRIMINATOR_DEFAULTS,
  'saddle-point': SADDLE_POINT_DEFAULTS,
  saturation: SATURATION_DEFAULTS,
  wasserstein: WASSERSTEIN_DEFAULTS,
};

/** Run experiment `name` (unknown name: ConfigError listing the valid ones). */
export function runTheory(name: string, options: TheoryRunOptions = {}): TheoryRun {
  switch (name) {
    case 'optimal-discriminator': { const r = optimalDiscriminator(options); return { name, result: r, chart: optimalDiscriminatorChart(r) }; }
    case 'saddle-point': { const r = saddlePoint(options); return { name, result: r, chart: saddlePointChart(r) }; }
    case 'saturation': { const r = saturation(options); return { name, result: r, chart: saturationChart(r) }; }
    case 'wasserstein': { const r = wassersteinCritic(options); return { name, result: r, chart: wassersteinChart(r) }; }
    default: throw unknownName('theory experiment', name, THEORY_NAMES);
  }
}
