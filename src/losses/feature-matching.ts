/**
 * Feature matching (Salimans, Goodfellow, Zaremba, Cheung, Radford & Chen 2016, "Improved
 * Techniques for Training GANs", §3.1):
 *   L_G = ‖E_x f(x) − E_z f(G(z))‖²₂
 * where f(x) is the activation of an intermediate layer of D. The expectations are batch means
 * (over the last real batch of the discriminator phase and the generator's batch), and ‖·‖²₂ sums
 * over every element of the feature map (e.g. 14·14·64 for the DCGAN's conv1). D keeps the
 * standard loss (minimax/non-saturating L_D, optionally with one-sided label smoothing) and
 * reports σ means.
 *
 * The layer is `featureLayer` (--feature-layer): a name from D's featureNames ('hidden1' …,
 * 'conv1' …) or an index into that list, negative from the end; default −1, the last hidden
 * block, as in the authors' code (the layer before D's output).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors.js';
import type { Discriminator } from '../models/types.js';
import { checkLabelSmoothing, discriminatorLoss } from './minimax.js';
import type { FeaturePair, GanLoss } from './types.js';

/** The feature name `layer` (a name or an index, negative from the end) selects. */
export function resolveFeatureLayer(layer: string | undefined, featureNames: readonly string[]): string {
  const spec = (layer ?? '-1').trim();
  if (featureNames.includes(spec)) return spec;
  if (/^-?\d+$/.test(spec)) {
    const i = Number(spec);
    const k = i < 0 ? featureNames.length + i : i;
    if (k >= 0 && k < featureNames.length) return featureNames[k]!;
  }
  throw new ConfigError(
    `featureLayer (--feature-layer) '${spec}' is not one of D's feature maps: ` +
      `${featureNames.join(', ')} or an index 0…${featureNames.length - 1} (negative from the end)`,
  );
}

/** ‖mean_batch(a) − mean_batch(b)‖²₂ for a [B, ...] and b [B', ...]. */
export function featureMatchingDistance(realFeatures: tf.Tensor, fakeFeatures: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.square(tf.sub(tf.mean(realFeatures, 0), tf.mean(fakeFeatures, 0))))) as tf.Scalar;
}

export function makeFeatureMatching(options: { featureLayer?: string; labelSmoothing?: number } = {}): GanLoss {
  const a = checkLabelSmoothing(options.labelSmoothing);
  let layer: string | undefined;
  return {
    name: 'feature-matching',
    discriminator: (r, f) => discriminatorLoss(r, f, a),
    usesFeatures: true,
    prepare(d: Discriminator) {
      layer = resolveFeatureLayer(options.featureLayer, d.featureNames);
    },
    generator(_fakeLogits: tf.Tensor, features?: FeaturePair): tf.Scalar {
      if (!features) throw new Error('ganbox internal error: feature matching needs D\'s features');
      const names = Object.keys(features.fake);
      const name = layer ?? resolveFeatureLayer(options.featureLayer, names);
      return featureMatchingDistance(features.real[name]!, features.fake[name]!);
    },
  };
}
