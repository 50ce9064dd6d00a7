/**
 * PacGAN packing (Lin, Khetan, Fanti & Oh 2018, "PacGAN: The power of two samples in generative
 * adversarial networks", NeurIPS, §3): D judges m samples at once, all real or all generated,
 *   D_m(x₁, …, x_m)  with x_i ~ P_data (label 1) or x_i ~ P_G (label 0),
 * by concatenating them along the feature axis — channels for images ([H, W, m·C], their "stack
 * along channels" implementation), coordinates for points ([m·D]). A packed D sees the product
 * distribution P^m, whose total variation to Q^m grows with m when Q drops modes (their Theorem
 * 3), which penalises mode collapse; the loss is unchanged. A batch of B samples gives B/m packs
 * (consecutive samples, so a pack never mixes real and generated examples); B must be divisible
 * by m (checked in config.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Stabiliser, StabiliserFactory } from './types.js';

/** [B, ...s] → [B/m, ...s with the last axis ×m]: samples km … km+m−1 side by side. */
export function packBatch(x: tf.Tensor, m: number): tf.Tensor {
  const [b, ...s] = x.shape;
  if (b! % m !== 0) throw new Error(`ganbox internal error: batch ${b} not divisible by pack ${m}`);
  return tf.tidy(() => {
    if (s.length === 1) return tf.reshape(x, [b! / m, m * s[0]!]); // [B/m, m·D]: rows are contiguous
    const [h, w, c] = s as [number, number, number];
    const g = tf.reshape(x, [b! / m, m, h, w, c]);
    return tf.reshape(tf.transpose(g, [0, 2, 3, 1, 4]), [b! / m, h, w, m * c]); // channels: sample-major
  });
}

class Pack implements Stabiliser {
  readonly name = 'pack';
  constructor(readonly m: number) {}

  discriminatorShape(shape: readonly number[]): number[] {
    const s = [...shape];
    s[s.length - 1] = s[s.length - 1]! * this.m;
    return s;
  }

  transformD(x: tf.Tensor): tf.Tensor {
    return packBatch(x, this.m);
  }
}

export const packFactory: StabiliserFactory = {
  name: 'pack',
  flag: '--pack',
  create: (c) => (c.pack > 1 ? new Pack(c.pack) : undefined),
};
