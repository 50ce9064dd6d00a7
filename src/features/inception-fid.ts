/**
 * The 'inception' feature extractor: pytorch-fid's FID Inception-v3 (Heusel et al. 2017 took its
 * pool3 features for FID; Salimans et al. 2016 its softmax for the Inception Score), with weights
 * read from the standard PyTorch file. Layers:
 *   - 'pool3' [n, 2048]: the final average pool (FID, KID, PRDC);
 *   - 'logits' [n, 1008]: the fc output;
 *   - 'logits-unbiased' [n, 1008]: the fc without its bias (torch-fidelity's logits_unbiased, the
 *     Inception Score's input).
 * Input: images [n, h, w, 1|3] in [0, 255]; see image-input.ts for the resize rules.
 */
import { basename } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { checkImages, checkLayers } from './checks.js';
import { checkResizeMode, inceptionInput, type ResizeMode } from './image-input.js';
import { INCEPTION_CLASSES, INCEPTION_SIZE, POOL3_DIM } from './inception-arch.js';
import { InceptionNet } from './inception-net.js';
import { loadInceptionWeights, type InceptionWeights } from './inception-weights.js';
import type { ExtractorOptions, FeatureExtractor } from './types.js';

export const INCEPTION_LAYERS = ['pool3', 'logits', 'logits-unbiased'] as const;
export type InceptionLayer = (typeof INCEPTION_LAYERS)[number];

export class InceptionFidExtractor implements FeatureExtractor {
  readonly name = 'inception' as const;
  readonly layers: readonly string[] = INCEPTION_LAYERS;
  readonly dims: Readonly<Record<string, number>> = { pool3: POOL3_DIM, logits: INCEPTION_CLASSES, 'logits-unbiased': INCEPTION_CLASSES };
  readonly settings: Readonly<Record<string, string | number>>;
  private readonly net: InceptionNet;

  constructor(private readonly weights: InceptionWeights, readonly resize: ResizeMode, weightsFile: string) {
    this.net = new InceptionNet(weights);
    this.settings = { extractor: 'inception', weights: basename(weightsFile), resize, size: INCEPTION_SIZE };
  }

  extract(images: tf.Tensor4D, layers: readonly string[]): Record<string, tf.Tensor2D> {
    checkLayers(layers, this.layers);
    checkImages(images, 'inception');
    const withLogits = layers.some((l) => l !== 'pool3');
    const out = tf.tidy(() => {
      const x = inceptionInput(images, INCEPTION_SIZE, this.resize); // [n, 299, 299, 3] in [−1, 1]
      const r = this.net.forward(x, withLogits);
      const byName: Record<string, tf.Tensor2D> = { pool3: r.pool3 };
      if (r.logits) byName.logits = r.logits;
      if (r.logitsUnbiased) byName['logits-unbiased'] = r.logitsUnbiased;
      const picked: Record<string, tf.Tensor2D> = {};
      for (const l of layers) picked[l] = byName[l]!;
      return picked;
    });
    return out;
  }

  dispose(): void { this.weights.dispose(); }
}

/** Loads the weights (`opts.weights`, required) and returns the extractor. */
export async function openInceptionExtractor(opts: ExtractorOptions = {}): Promise<InceptionFidExtractor> {
  const resize = checkResizeMode(opts.resize);
  const weights = loadInceptionWeights(opts.weights);
  return new InceptionFidExtractor(weights, resize, opts.weights!);
}
