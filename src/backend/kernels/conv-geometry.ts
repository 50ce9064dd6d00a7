/**
 * The geometry of an NHWC 2-D convolution, shared by the gradient expressions in this folder.
 *
 * Forward pass (Dumoulin & Visin 2016, "A guide to convolution arithmetic for deep learning", §2):
 *   y[b, i, j, o] = Σ_{p, q, c} xpad[b, i·sh + p·dh, j·sw + q·dw, c] · w[p, q, c, o]
 * where xpad is x with `top`/`left` zero rows/columns in front (tf's padding for 'same', 'valid',
 * a number or explicit pads), s is the stride and d the dilation. Only the first
 *   needH = (OH − 1)·sh + (KH − 1)·dh + 1   rows (and needW columns)
 * of xpad are ever read: that window is what every gradient below works on.
 */
import * as tf from '@tensorflow/tfjs-core';

export type Pad = tf.Conv2DAttrs['pad'];
export type RoundingMode = 'floor' | 'round' | 'ceil';
export type Shape4 = [number, number, number, number];

export interface ConvGeometry {
  sh: number; sw: number; // strides
  dh: number; dw: number; // dilations
  kh: number; kw: number; // kernel size
  oh: number; ow: number; // output size
  top: number; left: number; // zeros in front of x (may be 0)
  needH: number; needW: number; // rows/columns of the padded input the forward pass reads
}

/** Strides, dilations, padding and output size of conv2d(x: xShape, w: filterShape). */
export function convGeometry(
  xShape: Shape4, filterShape: Shape4, strides: number | [number, number], pad: Pad,
  dilations: number | [number, number] = 1, dimRoundingMode?: RoundingMode,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad, dimRoundingMode);
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { filterHeight: kh, filterWidth: kw, outHeight: oh, outWidth: ow, padInfo } = info;
  return {
    sh, sw, dh, dw, kh, kw, oh, ow, top: padInfo.top, left: padInfo.left,
    needH: (oh - 1) * sh + (kh - 1) * dh + 1,
    needW: (ow - 1) * sw + (kw - 1) * dw + 1,
  };
}

/**
 * Pads (positive amounts) or crops (negative amounts) axes 1 and 2 of a 4-D tensor:
 * `[[before1, after1], [before2, after2]]`. Built from slice and pad, so it is differentiable.
 */
export function padCrop(t: tf.Tensor4D, amounts: [[number, number], [number, number]]): tf.Tensor4D {
  const [[b1, a1], [b2, a2]] = amounts;
  const [n, h, w, c] = t.shape;
  let out = t;
  if (b1 < 0 || a1 < 0 || b2 < 0 || a2 < 0) {
    const begin: Shape4 = [0, Math.max(0, -b1), Math.max(0, -b2), 0];
    const size: Shape4 = [n, h - begin[1] - Math.max(0, -a1), w - begin[2] - Math.max(0, -a2), c];
    if (size[1] <= 0 || size[2] <= 0) throw new Error(`ganbox internal error: padCrop crops everything (${amounts})`);
    out = tf.slice(out, begin, size);
  }
  if (b1 > 0 || a1 > 0 || b2 > 0 || a2 > 0) {
    out = tf.pad(out, [[0, 0], [Math.max(0, b1), Math.max(0, a1)], [Math.max(0, b2), Math.max(0, a2)], [0, 0]]);
  }
  return out;
}
