/** Argument checks every feature extractor shares: layer names and the image batch's shape. */
import type * as tf from '@tensorflow/tfjs-core';
import { ShapeError, unknownName } from '../errors.js';

/** Checks the requested layer names against `valid` (ConfigError naming --layer and the valid ones). */
export function checkLayers(layers: readonly string[], valid: readonly string[]): void {
  for (const l of layers) if (!valid.includes(l)) throw unknownName('layer', l, valid, '--layer');
}

/** Checks that `images` is [n, h, w, 1|3] with n, h, w ≥ 1 (ShapeError otherwise). */
export function checkImages(images: tf.Tensor, extractor: string): void {
  const s = images.shape;
  if (s.length !== 4 || s[0]! < 1 || s[1]! < 1 || s[2]! < 1 || (s[3] !== 1 && s[3] !== 3)) {
    throw new ShapeError(`the ${extractor} extractor takes images [n, h, w, 1 or 3], got [${s.join(', ')}]`);
  }
}
