/**
 * Turning a batch of images into the Inception network's input: grey → RGB, resize to 299×299,
 * scale to [−1, 1]. Two conventions, named by `resize`:
 *
 * - 'bilinear' (pytorch-fid, default): x/255, then F.interpolate(size=(299, 299), mode='bilinear',
 *   align_corners=False), then 2x − 1. Bilinear with half-pixel centres: output pixel j samples
 *   the input at s = (j + ½)·(in/out) − ½, clamped to [0, in − 1], between ⌊s⌋ and ⌊s⌋ + 1,
 *   without antialiasing when it shrinks. Resizing is linear, so we resize the [0, 255] values and
 *   then divide (x/127.5 − 1): the same numbers up to float32 rounding.
 * - 'tf1' (the TensorFlow FID code and torch-fidelity): TF1's resize_bilinear with
 *   align_corners=False, which samples at s = j·(in/out) (no half-pixel shift, so the image shifts
 *   by up to half an input pixel), then (x − 128)/128, as the 2015 graph's own Sub/Mul ops do.
 *   Compat: torch-fidelity's interpolate_bilinear_2d_like_tensorflow1x and `(x - 128) / 128`.
 *
 * An image already 299×299 is not resampled (both rules are then the identity).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ShapeError, unknownName } from '../errors.js';

export const RESIZE_MODES = ['bilinear', 'tf1'] as const;
export type ResizeMode = (typeof RESIZE_MODES)[number];

/** The resize option checked (ConfigError listing the valid names, flag --resize). */
export function checkResizeMode(mode: string | undefined): ResizeMode {
  const m = mode ?? 'bilinear';
  if (!(RESIZE_MODES as readonly string[]).includes(m)) throw unknownName('resize rule', m, RESIZE_MODES, '--resize');
  return m as ResizeMode;
}

/**
 * [n, h, w, c] → [n, outH, outW, c] by `mode`'s sampling rule (values unchanged in scale).
 * Compat: tfjs's resizeBilinear(halfPixelCenters = true) is PyTorch's align_corners=False
 * (both clamp the sample position at the border); halfPixelCenters = false is TF1's rule.
 */
export function resizeImages(x: tf.Tensor4D, outH: number, outW: number, mode: ResizeMode): tf.Tensor4D {
  if (x.shape[1] === outH && x.shape[2] === outW) return x.clone();
  return tf.image.resizeBilinear(x, [outH, outW], false, mode === 'bilinear');
}

/** Grey images (c = 1) repeated to 3 channels, as pytorch-fid's ImagePathDataset does with convert('RGB'). */
export function toRgb(x: tf.Tensor4D, what = 'images'): tf.Tensor4D {
  const c = x.shape[3];
  if (c === 3) return x.clone();
  if (c === 1) return tf.tile(x, [1, 1, 1, 3]);
  throw new ShapeError(`${what} have ${c} channels; the feature extractors take grey (1) or RGB (3) images`);
}

/** Pixels in [0, 255] → the network's [−1, 1] input of side `size`, by `mode`'s convention. */
export function inceptionInput(images: tf.Tensor4D, size: number, mode: ResizeMode): tf.Tensor4D {
  return tf.tidy(() => {
    const rgb = toRgb(images);
    const resized = resizeImages(rgb, size, size, mode);
    return mode === 'bilinear'
      ? tf.sub(tf.div(resized, 127.5), 1) as tf.Tensor4D // 2·(x/255) − 1
      : tf.div(tf.sub(resized, 128), 128) as tf.Tensor4D; // Compat: TF graph's (x − 128)/128
  });
}
