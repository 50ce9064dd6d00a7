/**
 * Gradients of the three convolution kernels, each built only from differentiable ops that
 * every backend has (conv2d, conv2dTranspose, transpose, pad, slice, reverse):
 *
 * - Conv2D: y = conv2d(x, w).
 *     ∂L/∂x = conv2dInputGrad(x.shape, dy, w)     (transposed convolution, conv2d-input-grad.ts)
 *     ∂L/∂w = conv2dFilterGrad(x, dy, w.shape)     (one forward convolution, conv2d-filter-grad.ts)
 *   Unlike tf's own Conv2D gradient, dilation > 1 is supported.
 * - Conv2DBackpropInput (tf.conv2dTranspose, the generator's layer): z = Tᵀ(dy; w), the adjoint of
 *   the convolution x ↦ conv2d(x, w). Since ⟨g, Tᵀ(dy; w)⟩ = ⟨conv2d(g, w), dy⟩ for all g,
 *     ∂L/∂dy = conv2d(g, w)                         (g = ∂L/∂z)
 *     ∂L/∂w  = conv2dFilterGrad(g, dy, w.shape)
 * - Conv2DBackpropFilter: v = F(x, dy), bilinear; ⟨G, F(x, dy)⟩ = ⟨dy, conv2d(x, G)⟩, so
 *     ∂L/∂x  = conv2dInputGrad(x.shape, dy, G),  ∂L/∂dy = conv2d(x, G)   (G = ∂L/∂v)
 * (Dumoulin & Visin 2016, "A guide to convolution arithmetic for deep learning", §4: a
 * convolution's transpose is again a convolution.)
 *
 * NHWC only: for 'NCHW' attributes the gradient tf registered before ours is used.
 */
import * as tf from '@tensorflow/tfjs-core';
import { conv2dFilterGrad } from './conv2d-filter-grad.js';
import { conv2dInputGrad } from './conv2d-input-grad.js';

type Attrs = tf.NamedAttrMap;
type Strides = number | [number, number];

function nchwFallback(kernelName: string, previous: tf.GradConfig | undefined): tf.GradConfig {
  if (previous === undefined) {
    throw new Error(`ganbox: the gradient of ${kernelName} supports only dataFormat 'NHWC'`);
  }
  return previous;
}

/** Builds the three GradConfigs; `previous` are tf's configs, kept for NCHW. */
export function convGradConfigs(previous: (name: string) => tf.GradConfig | undefined): tf.GradConfig[] {
  const prevConv = previous(tf.Conv2D);
  const prevTranspose = previous(tf.Conv2DBackpropInput);
  const prevFilter = previous(tf.Conv2DBackpropFilter);

  const conv2d: tf.GradConfig = {
    kernelName: tf.Conv2D,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs: Attrs) => {
      const a = attrs as unknown as tf.Conv2DAttrs;
      if (a.dataFormat === 'NCHW') return nchwFallback(tf.Conv2D, prevConv).gradFunc(dy, saved, attrs);
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const g = dy as tf.Tensor4D;
      return {
        x: () => conv2dInputGrad(x.shape, g, filter, a.strides, a.pad, a.dilations, a.dimRoundingMode),
        filter: () => conv2dFilterGrad(x, g, filter.shape, a.strides, a.pad, a.dilations, a.dimRoundingMode),
      };
    },
  };

  const conv2dTranspose: tf.GradConfig = {
    kernelName: tf.Conv2DBackpropInput,
    inputsToSave: ['dy', 'filter'],
    gradFunc: (ddx, saved, attrs: Attrs) => {
      const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
      if (a.dataFormat === 'NCHW') {
        return nchwFallback(tf.Conv2DBackpropInput, prevTranspose).gradFunc(ddx, saved, attrs);
      }
      const [dy, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const g = ddx as tf.Tensor4D; // [B, H, W, C]: the gradient w.r.t. the transposed conv's output
      const strides = a.strides as Strides;
      return {
        dy: () => tf.conv2d(g, filter, strides, a.pad, 'NHWC', 1, a.dimRoundingMode),
        filter: () => conv2dFilterGrad(g, dy, filter.shape, strides, a.pad, 1, a.dimRoundingMode),
      };
    },
  };

  const conv2dBackpropFilter: tf.GradConfig = {
    kernelName: tf.Conv2DBackpropFilter,
    inputsToSave: ['x', 'dy'],
    gradFunc: (dw, saved, attrs: Attrs) => {
      const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      if (a.dataFormat === 'NCHW') {
        return nchwFallback(tf.Conv2DBackpropFilter, prevFilter).gradFunc(dw, saved, attrs);
      }
      const [x, dy] = saved as [tf.Tensor4D, tf.Tensor4D];
      const G = dw as tf.Tensor4D; // [KH, KW, C, CO]
      const strides = a.strides as Strides;
      return {
        x: () => conv2dInputGrad(x.shape, dy, G, strides, a.pad, 1, a.dimRoundingMode),
        dy: () => tf.conv2d(x, G, strides, a.pad, 'NHWC', 1, a.dimRoundingMode),
      };
    },
  };

  return [conv2d, conv2dTranspose, conv2dBackpropFilter];
}
