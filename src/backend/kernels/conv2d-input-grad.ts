/**
 * The input gradient of an NHWC conv2d.
 *
 * With y = conv2d(x, w) as in conv-geometry.ts:
 *   dx[b, h, v, c] = Σ_{p, q, o} dy[b, (h + top − p·dh)/sh, (v + left − q·dw)/sw, o] · w[p, q, c, o]
 * (terms with a non-integer or out-of-range index are zero): the transposed convolution of dy
 * with w (Dumoulin & Visin 2016, "A guide to convolution arithmetic for deep learning", §4).
 *
 * - Stride 1 (any dilation): substituting p' = KH − 1 − p gives an ordinary 'valid' convolution
 *     dx = conv2d(dyExt, wFlip, stride 1, dilation d)
 *   with wFlip[p', q', o, c] = w[KH−1−p', KW−1−q', c, o] (flipped, in/out swapped) and dyExt = dy
 *   shifted by (KH−1)·dh − top rows and (KW−1)·dw − left columns, cut or zero-padded to
 *   H + (KH−1)·dh rows and W + (KW−1)·dw columns. One forward convolution, fast on wasm (XNNPACK),
 *   and it covers dilation, which tf's own Conv2D gradient rejects.
 * - Stride > 1 (dilation 1 then): tf.conv2dTranspose (kernel Conv2DBackpropInput, present on
 *   every backend; on wasm the sub-pixel kernel of conv2d-backprop-input-wasm.ts); its gradient is
 *   in conv2d-grads.ts.
 * Both are differentiable, as second-order gradients need.
 */
import * as tf from '@tensorflow/tfjs-core';
import { convGeometry, padCrop, type Pad, type RoundingMode, type Shape4 } from './conv-geometry.js';

export function conv2dInputGrad(
  xShape: Shape4, // [B, H, W, C]
  dy: tf.Tensor4D, // [B, OH, OW, CO]
  filter: tf.Tensor4D, // [KH, KW, C, CO]
  strides: number | [number, number],
  pad: Pad,
  dilations: number | [number, number] = 1,
  dimRoundingMode?: RoundingMode,
): tf.Tensor4D {
  const g = convGeometry(xShape, filter.shape, strides, pad, dilations, dimRoundingMode);
  const [, h, w] = xShape;
  if (g.sh > 1 || g.sw > 1) {
    return tf.conv2dTranspose(dy, filter, xShape, strides, pad, dimRoundingMode);
  }
  return tf.tidy(() => {
    const wFlip = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]); // [KH, KW, CO, C]
    const beforeH = (g.kh - 1) * g.dh - g.top;
    const beforeW = (g.kw - 1) * g.dw - g.left;
    const dyExt = padCrop(dy, [
      [beforeH, h + (g.kh - 1) * g.dh - beforeH - g.oh],
      [beforeW, w + (g.kw - 1) * g.dw - beforeW - g.ow],
    ]); // [B, H + (KH−1)·dh, W + (KW−1)·dw, CO]
    return tf.conv2d(dyExt, wFlip, 1, 'valid', 'NHWC', [g.dh, g.dw]); // [B, H, W, C]
  });
}
