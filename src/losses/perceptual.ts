/**
 * 'perceptual': feature matching (Salimans, Goodfellow, Zaremba, Cheung, Radford & Chen 2016,
 * "Improved Techniques for Training GANs", §3.1) where f is a layer of a *fixed* network instead
 * of D — in the spirit of the perceptual losses of Johnson, Alahi & Fei-Fei 2016, applied to the
 * generator's batch statistics:
 *   L_G = ‖E_x f(x) − E_z f(G(z))‖²₂
 * with batch means over the last real batch of the discriminator phase and G's batch, and ‖·‖²₂
 * summed over every element of the layer's activation (e.g. the MNIST classifier's 128
 * 'features'). f runs in inference mode and its weights are constants for the trainer (only G's
 * and D's variable lists are differentiated and updated). D keeps the standard cross-entropy loss
 * (optionally one-sided label smoothing) and reports σ means, so D(x)/D(G(z)) still show how
 * real G's samples look to a learned critic.
 *
 * The network is `perceptualModel` (--perceptual-model): 'mnist', the digit classifier shipped
 * with ganbox (default; 28×28×1 data in [−1, 1], its layer 'features' by default), or a tfjs
 * model.json whose input shape is the data's (it sees G's output as it is, in [−1, 1]). The layer
 * is `perceptualLayer` (--perceptual-layer): a name or an index (negative from the end); default
 * the penultimate layer. Images only: on 2-D points it is a ConfigError.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Discriminator } from '../models/types.js';
import { featureMatchingDistance } from './feature-matching.js';
import { checkLabelSmoothing, discriminatorLoss } from './minimax.js';
import { checkImageData, checkPerceptualInput, featureFunction, perceptualModelSync, resolvePerceptualLayer } from './perceptual-network.js';
import type { FeaturePair, GanLoss, LossOptions } from './types.js';

export function makePerceptual(options: LossOptions = {}): GanLoss {
  const a = checkLabelSmoothing(options.labelSmoothing);
  const spec = options.perceptualModel || 'mnist';
  let f: ((x: tf.Tensor) => tf.Tensor) | undefined;
  return {
    name: 'perceptual',
    discriminator: (r, fk) => discriminatorLoss(r, fk, a),
    usesImages: true,
    prepare(d: Discriminator) {
      checkImageData(d.inputShape); // before loading anything: 2-D points never fit
      const model = perceptualModelSync(spec);
      checkPerceptualInput(model, d.inputShape, spec);
      const layer = resolvePerceptualLayer(model, options.perceptualLayer, spec === 'mnist' ? 'features' : undefined);
      f = featureFunction(model, layer, spec);
    },
    generator(_fakeLogits: tf.Tensor, images?: FeaturePair): tf.Scalar {
      if (!f || !images?.real.image || !images.fake.image) {
        throw new Error('ganbox internal error: the perceptual loss needs prepare() and the real and generated images');
      }
      return featureMatchingDistance(f(images.real.image), f(images.fake.image));
    },
  };
}
