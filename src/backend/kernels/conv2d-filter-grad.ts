/**
 * The filter gradient of an NHWC conv2d, written as ONE forward convolution.
 *
 * With y = conv2d(x, w) as in conv-geometry.ts and dy = ∂L/∂y:
 *   dw[p, q, c, o] = Σ_{b, i, j} xpad[b, i·sh + p·dh, j·sw + q·dw, c] · dy[b, i, j, o]
 * Rename (c → batch, b → input channel, (i, j) → kernel taps, (p, q) → output position):
 *   dw[p, q, c, o] = Σ_{i, j, b} X[c, p·dh + i·sh, q·dw + j·sw, b] · F[i, j, b, o]
 * with X = xpad transposed to [C, H, W, B] and F = dy transposed to [OH, OW, B, CO]. That is a
 * 'valid' convolution of X with the filter F at stride d and dilation s — the forward stride and
 * dilation swap roles (Dumoulin & Visin 2016, "A guide to convolution arithmetic for deep
 * learning", §4; the same identity as TensorFlow's Conv2DBackpropFilter). Its output is
 * [C, KH, KW, CO] when X is cut to the needH × needW window the forward pass reads; transposing
 * gives dw as [KH, KW, C, CO].
 *
 * Every step is a differentiable tf op, so second-order gradients (the gradient penalty) pass
 * through it. tf forbids stride > 1 together with dilation > 1; so does the forward pass, so the
 * swapped convolution is always legal.
 *
 * With dilation 1 the same value is the backend's Conv2DBackpropFilter kernel, which we run
 * directly: on wasm that is conv2d-backprop-filter-wasm.ts (this identity without the padded copy
 * and with a faster transpose), elsewhere the backend's own. Its gradient is registered in
 * conv2d-grads.ts, so it is differentiable too.
 */
import * as tf from '@tensorflow/tfjs-core';
import { convGeometry, padCrop, type Pad, type RoundingMode, type Shape4 } from './conv-geometry.js';

export function conv2dFilterGrad(
  x: tf.Tensor4D, // [B, H, W, C]
  dy: tf.Tensor4D, // [B, OH, OW, CO]
  filterShape: Shape4, // [KH, KW, C, CO]
  strides: number | [number, number],
  pad: Pad,
  dilations: number | [number, number] = 1,
  dimRoundingMode?: RoundingMode,
): tf.Tensor4D {
  const g = convGeometry(x.shape, filterShape, strides, pad, dilations, dimRoundingMode);
  const [, h, w] = x.shape;
  if (dy.shape[1] !== g.oh || dy.shape[2] !== g.ow) {
    throw new Error(`ganbox internal error: conv2dFilterGrad dy ${dy.shape} does not match output ${g.oh}×${g.ow}`);
  }
  if (g.dh === 1 && g.dw === 1) {
    return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy },
      { strides, pad, dataFormat: 'NHWC', dimRoundingMode, filterShape } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  }
  return tf.tidy(() => {
    const xt = tf.transpose(x, [3, 1, 2, 0]); // [C, H, W, B]
    const xw = padCrop(xt, [[g.top, g.needH - g.top - h], [g.left, g.needW - g.left - w]]); // [C, needH, needW, B]
    const f = tf.transpose(dy, [1, 2, 0, 3]); // [OH, OW, B, CO]
    const r = tf.conv2d(xw, f, [g.dh, g.dw], 'valid', 'NHWC', [g.sh, g.sw]); // [C, KH, KW, CO]
    return tf.transpose(r, [1, 2, 0, 3]); // [KH, KW, C, CO]
  });
}
