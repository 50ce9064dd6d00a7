/**
 * Differentiable Augmentation (Zhao, Liu, Lin, Zhu & Han 2020, "Differentiable Augmentation for
 * Data-Efficient GAN Training", NeurIPS, §3): the same random augmentation family T is
 * applied to every image D sees, real and generated, in D's and in G's step,
 *   L_D = f(−D(T(x))) + f(D(T(G(z)))),   L_G = f(−D(T(G(z)))),
 * and T is differentiable so G's gradient flows through it. The policies follow the authors'
 * DiffAugment_pytorch.py exactly (images in [−1, 1], NHWC here), each with fresh draws per batch
 * and per call:
 *   color:        brightness x + (r − 0.5); saturation (x − x̄_c)·2r + x̄_c (x̄_c: mean over
 *                 channels); contrast (x − x̄)·(r + 0.5) + x̄ (x̄: mean over the image); r ~ U[0, 1)
 *                 per image, a new r for each.
 *   translation:  shift by (t_h, t_w), t ~ U{−s, …, s}, s = ⌊H/8 + 0.5⌋, zero fill:
 *                 out[i, j] = x[i + t_h, j + t_w] (0 outside).
 *   cutout:       zero a square of side ⌊H/2 + 0.5⌋ centred at an offset o ~ U{0, …, H − (side+1 mod 2)},
 *                 clamped to the image.
 * Policies run in the order given to --augment (as the authors' loop over the policy string).
 * Translation is two batched products with 0/1 shift matrices (T_h x T_wᵀ), so its gradient is
 * another product; cutout and colour are elementwise. Draws come from the stabiliser's own seeded
 * stream, saved in checkpoints.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../train/rng.js';
import { parseAugment, type AugmentName } from './config.js';
import type { Stabiliser, StabiliserFactory, StabiliserSetup } from './types.js';

/** Colour jitter with explicit draws (each [B] in [0, 1)): brightness, saturation, contrast. */
export function colorJitter(x: tf.Tensor4D, rb: Float32Array, rs: Float32Array, rc: Float32Array): tf.Tensor4D {
  return tf.tidy(() => {
    const b = x.shape[0];
    const col = (r: Float32Array, scale: number, shift: number) => tf.tensor4d(r.map((v) => v * scale + shift), [b, 1, 1, 1]);
    let y: tf.Tensor = tf.add(x, col(rb, 1, -0.5));
    const mc = tf.mean(y, 3, true);
    y = tf.add(tf.mul(tf.sub(y, mc), col(rs, 2, 0)), mc);
    const m = tf.mean(y, [1, 2, 3], true);
    y = tf.add(tf.mul(tf.sub(y, m), col(rc, 1, 0.5)), m);
    return y as tf.Tensor4D;
  });
}

/** [B, n, n] 0/1 matrices S_b with S_b[i, k] = 1 when k = i + t_b (rows past the edge are 0). */
function shiftMatrices(t: Int32Array, n: number): tf.Tensor3D {
  const a = new Float32Array(t.length * n * n);
  t.forEach((s, b) => {
    for (let i = 0; i < n; i++) {
      const k = i + s;
      if (k >= 0 && k < n) a[b * n * n + i * n + k] = 1;
    }
  });
  return tf.tensor3d(a, [t.length, n, n]);
}

/** out[b, i, j] = x[b, i + th_b, j + tw_b], zero where that falls outside the image. */
export function translate(x: tf.Tensor4D, th: Int32Array, tw: Int32Array): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    const rows = tf.matMul(shiftMatrices(th, h), tf.reshape(x, [b, h, w * c])); // [B, H, W·C]
    const cols = tf.reshape(tf.transpose(tf.reshape(rows, [b, h, w, c]), [0, 2, 1, 3]), [b, w, h * c]); // [B, W, H·C]
    const out = tf.matMul(shiftMatrices(tw, w), cols); // [B, W, H·C]: out[j] = cols[j + tw]
    return tf.transpose(tf.reshape(out, [b, w, h, c]), [0, 2, 1, 3]) as tf.Tensor4D;
  });
}

/** The cutout mask [B, H, W, 1]: 0 on the square of `size` around offsets (oh, ow), as the authors'. */
export function cutoutMask(b: number, h: number, w: number, oh: Int32Array, ow: Int32Array, sh: number, sw: number): Float32Array {
  const mask = new Float32Array(b * h * w).fill(1);
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < sh; i++) {
      const r = Math.min(Math.max(i + oh[n]! - Math.floor(sh / 2), 0), h - 1);
      for (let j = 0; j < sw; j++) {
        const q = Math.min(Math.max(j + ow[n]! - Math.floor(sw / 2), 0), w - 1);
        mask[n * h * w + r * w + q] = 0;
      }
    }
  }
  return mask;
}

/** Applies `policies` to a batch with draws from `rng`. */
export function diffAugment(x: tf.Tensor, policies: readonly AugmentName[], rng: Rng): tf.Tensor {
  return tf.tidy(() => {
    let y = x as tf.Tensor4D;
    const [b, h, w] = y.shape;
    const ints = (n: number, lo: number, hi: number) => Int32Array.from({ length: n }, () => lo + rng.int(hi - lo + 1));
    for (const p of policies) {
      if (p === 'color') {
        const rb = rng.uniformArray(b), rs = rng.uniformArray(b), rc = rng.uniformArray(b);
        y = colorJitter(y, rb, rs, rc);
      } else if (p === 'translation') {
        const sh = Math.floor(h * 0.125 + 0.5), sw = Math.floor(w * 0.125 + 0.5);
        const th = ints(b, -sh, sh), tw = ints(b, -sw, sw);
        y = translate(y, th, tw);
      } else {
        const sh = Math.floor(h * 0.5 + 0.5), sw = Math.floor(w * 0.5 + 0.5);
        const oh = ints(b, 0, h - 1 + (1 - (sh % 2))), ow = ints(b, 0, w - 1 + (1 - (sw % 2)));
        y = tf.mul(y, tf.tensor4d(cutoutMask(b, h, w, oh, ow, sh, sw), [b, h, w, 1]));
      }
    }
    return y;
  });
}

class DiffAugment implements Stabiliser {
  readonly name = 'diff-augment';
  private rng: Rng | undefined;
  constructor(readonly policies: readonly AugmentName[]) {}

  attach(s: StabiliserSetup): void {
    this.rng = s.rng;
  }

  transformD(x: tf.Tensor): tf.Tensor {
    return diffAugment(x, this.policies, this.rng!);
  }
}

export const diffAugmentFactory: StabiliserFactory = {
  name: 'diff-augment',
  flag: '--augment',
  create: (c) => {
    const p = parseAugment(c.augment);
    return p.length > 0 ? new DiffAugment(p) : undefined;
  },
};
