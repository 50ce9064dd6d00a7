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
/** Images per forward pass inside `extract` (about 0.3 GB of activations at 299×299). */
export const INCEPTION_CHUNK = 16;
export type InceptionLayer = (typeof INCEPTION_LAYERS)[number];

/** Layer widths, and the settings that change the features (cache keys, --json), shared by both engines. */
export const INCEPTION_DIMS: Readonly<Record<string, number>> = { pool3: POOL3_DIM, logits: INCEPTION_CLASSES, 'logits-unbiased': INCEPTION_CLASSES };
export function inceptionSettings(weightsFile: string, resize: ResizeMode): Record<string, string | number> {
  return { extractor: 'inception', weights: basename(weightsFile), resize, size: INCEPTION_SIZE };
}

export class InceptionFidExtractor implements FeatureExtractor {
  readonly name = 'inception' as const;
  readonly layers: readonly string[] = INCEPTION_LAYERS;
  readonly dims = INCEPTION_DIMS;
  readonly settings: Readonly<Record<string, string | number>>;
  private readonly net: InceptionNet;
  /** Images per forward pass (INCEPTION_CHUNK). */
  chunk = INCEPTION_CHUNK;

  constructor(private readonly weights: InceptionWeights, readonly resize: ResizeMode, weightsFile: string) {
    this.net = new InceptionNet(weights);
    this.settings = inceptionSettings(weightsFile, resize);
  }

  /**
   * Features of `images` (see FeatureExtractor). Batches larger than `chunk` go through
   * the network in chunks, so a caller's batch size never decides the peak memory (each 299×299
   * image needs about 20 MB of activations); the features do not depend on the chunking.
   */
  extract(images: tf.Tensor4D, layers: readonly string[]): Record<string, tf.Tensor2D> {
    checkLayers(layers, this.layers);
    checkImages(images, 'inception');
    const withLogits = layers.some((l) => l !== 'pool3');
    const n = images.shape[0];
    const parts: Record<string, tf.Tensor2D>[] = [];
    try {
      for (let s = 0; s < n; s += this.chunk) {
        parts.push(tf.tidy(() => {
          const chunk = n <= this.chunk ? images : tf.slice(images, [s, 0, 0, 0], [Math.min(this.chunk, n - s), -1, -1, -1]);
          const x = inceptionInput(chunk, INCEPTION_SIZE, this.resize); // [m, 299, 299, 3] in [−1, 1]
          const r = this.net.forward(x, withLogits);
          const byName: Record<string, tf.Tensor2D | undefined> = { pool3: r.pool3, logits: r.logits, 'logits-unbiased': r.logitsUnbiased };
          const picked: Record<string, tf.Tensor2D> = {};
          for (const l of layers) picked[l] = byName[l]!;
          return picked;
        }));
      }
    } catch (e) {
      for (const p of parts) tf.dispose(Object.values(p));
      throw e;
    }
    if (parts.length === 1) return parts[0]!;
    const out: Record<string, tf.Tensor2D> = {};
    for (const l of layers) out[l] ??= tf.concat(parts.map((p) => p[l]!), 0);
    for (const p of parts) tf.dispose(Object.values(p));
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
