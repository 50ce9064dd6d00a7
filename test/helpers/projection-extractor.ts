/**
 * A small deterministic FeatureExtractor for tests of the evaluation pipeline: a fixed random
 * projection of the pixels, so tests need neither network nor weights. Any h × w × c input is
 * averaged to grey, resized (bilinear) to 8 × 8 and scaled to [0, 1]; then
 *   pool3 = tanh(x W1)   [n, 16]      logits-unbiased = pool3 W2   [n, 10]      logits = pool3 W2 + b
 * with W1, W2, b drawn from Rng(1234). Exported as `openExtractor`, the same signature as
 * src/features/index.ts, so workers can load it by module URL (ExtractorSpec.module).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../src/train/rng.js';
import type { ExtractorName, ExtractorOptions, FeatureExtractor } from '../../src/features/types.js';

export const PROJECTION_MODULE = new URL(import.meta.url).href;
const SIDE = 8, D = 16, C = 10;

/** A FeatureExtractor whose extract answers synchronously (this one's does). */
export type SyncExtractor = Omit<FeatureExtractor, 'extract'> & { extract(images: tf.Tensor4D, layers: readonly string[]): Record<string, tf.Tensor2D> };

export async function openExtractor(name: ExtractorName, opts: ExtractorOptions = {}): Promise<SyncExtractor> {
  const rng = new Rng(1234);
  const w1 = tf.tensor2d(rng.normalArray(SIDE * SIDE * D, 0, 0.5), [SIDE * SIDE, D]);
  const w2 = tf.tensor2d(rng.normalArray(D * C), [D, C]);
  const b = tf.tensor1d(rng.normalArray(C));
  return {
    name,
    layers: ['pool3', 'logits', 'logits-unbiased'],
    dims: { pool3: D, logits: C, 'logits-unbiased': C },
    settings: { resize: opts.resize ?? 'bilinear', weights: 'projection-1234' },
    extract(images, layers) {
      return tf.tidy(() => {
        const n = images.shape[0];
        const grey = tf.mean(images, 3, true) as tf.Tensor4D; // [n, h, w, 1]
        const x = tf.div(tf.reshape(tf.image.resizeBilinear(grey, [SIDE, SIDE]), [n, SIDE * SIDE]), 255) as tf.Tensor2D;
        const pool3 = tf.tanh(tf.matMul(x, w1)) as tf.Tensor2D; // [n, D]
        const unbiased = tf.matMul(pool3, w2) as tf.Tensor2D; // [n, C]
        const all: Record<string, tf.Tensor2D> = { pool3, 'logits-unbiased': unbiased, logits: tf.add(unbiased, b) as tf.Tensor2D };
        const out: Record<string, tf.Tensor2D> = {};
        for (const l of layers) out[l] = all[l]!;
        return out;
      });
    },
    dispose() { w1.dispose(); w2.dispose(); b.dispose(); },
  };
}
