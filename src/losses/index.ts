/** The loss registry: a --loss name → its GanLoss, configured from the loss options of TrainConfig. */
import type { TrainConfig } from '../defaults.js';
import { ConfigError, unknownName } from '../errors.js';
import { makeFeatureMatching } from './feature-matching.js';
import { makeFGan } from './f-gan.js';
import { hinge } from './hinge.js';
import { leastSquares } from './least-squares.js';
import { makeMinimax } from './minimax.js';
import { makeNonSaturating } from './non-saturating.js';
import { makePerceptual } from './perceptual.js';
import type { GanLoss, LossOptions } from './types.js';
import { makeWassersteinClip, makeWassersteinGp, WGAN_CLIP_DEFAULTS, WGAN_GP_DEFAULTS } from './wasserstein.js';

export type { GanLoss, LossOptions, PenaltyContext, FeaturePair } from './types.js';
export { logSigmoid, logOneMinusSigmoid } from './stable.js';
export { valueFunction } from './value.js';
export { minimax, makeMinimax, discriminatorLoss } from './minimax.js';
export { nonSaturating, makeNonSaturating } from './non-saturating.js';
export { makeWassersteinClip, makeWassersteinGp, WGAN_CLIP_DEFAULTS, WGAN_GP_DEFAULTS } from './wasserstein.js';
export { leastSquares } from './least-squares.js';
export { hinge } from './hinge.js';
export { makeFGan, type FDivergence } from './f-gan.js';
export { makeFeatureMatching, resolveFeatureLayer, featureMatchingDistance } from './feature-matching.js';
export { makePerceptual } from './perceptual.js';
export { perceptualModelSync, registerPerceptualModel, resolvePerceptualLayer } from './perceptual-network.js';

export const LOSS_NAMES = [
  'minimax', 'non-saturating', 'wasserstein-clip', 'wasserstein-gp', 'feature-matching', 'perceptual',
  'f-kl', 'f-reverse-kl', 'f-js', 'f-pearson', 'f-hellinger', 'least-squares', 'hinge',
] as const;
export type LossName = (typeof LOSS_NAMES)[number];

const FACTORIES: Readonly<Record<LossName, (o: LossOptions) => GanLoss>> = {
  minimax: (o) => makeMinimax(o.labelSmoothing),
  'non-saturating': (o) => makeNonSaturating(o.labelSmoothing),
  'wasserstein-clip': (o) => makeWassersteinClip(o.clipValue),
  'wasserstein-gp': (o) => makeWassersteinGp(o.gpWeight),
  'feature-matching': (o) => makeFeatureMatching(o),
  perceptual: (o) => makePerceptual(o),
  'f-kl': () => makeFGan('kl'),
  'f-reverse-kl': () => makeFGan('reverse-kl'),
  'f-js': () => makeFGan('js'),
  'f-pearson': () => makeFGan('pearson'),
  'f-hellinger': () => makeFGan('hellinger'),
  'least-squares': () => leastSquares,
  hinge: () => hinge,
};

/** Losses whose D uses the cross-entropy loss, i.e. those that accept one-sided label smoothing. */
const SMOOTHABLE: readonly string[] = ['minimax', 'non-saturating', 'feature-matching', 'perceptual'];

/**
 * The loss called `name`, configured by `options` (unknown name: ConfigError listing the valid
 * ones). 'perceptual' finds its fixed network when the trainer prepares it (see perceptual-network.ts).
 */
export function getLoss(name: string, options: LossOptions = {}): GanLoss {
  if (!(LOSS_NAMES as readonly string[]).includes(name)) throw unknownName('loss', name, LOSS_NAMES, '--loss');
  if ((options.labelSmoothing ?? 0) !== 0 && !SMOOTHABLE.includes(name)) {
    throw new ConfigError(
      `labelSmoothing (--label-smoothing) applies to the cross-entropy losses (${SMOOTHABLE.join(', ')}), not to '${name}'; set it to 0`,
    );
  }
  return FACTORIES[name as LossName](options);
}

/** The loss named by a resolved TrainConfig, with its options. */
export function lossFromConfig(c: TrainConfig): GanLoss {
  return getLoss(c.loss, {
    labelSmoothing: c.labelSmoothing, featureLayer: c.featureLayer, clipValue: c.clipValue, gpWeight: c.gpWeight,
    perceptualModel: c.perceptualModel, perceptualLayer: c.perceptualLayer,
  });
}

/**
 * The paper's training settings for loss `name` ({} when it has none or the name is unknown);
 * resolveConfig applies them under the user's options.
 */
export function lossDefaults(name: string): Readonly<Partial<TrainConfig>> {
  if (name === 'wasserstein-clip') return WGAN_CLIP_DEFAULTS;
  if (name === 'wasserstein-gp') return WGAN_GP_DEFAULTS;
  return {};
}
