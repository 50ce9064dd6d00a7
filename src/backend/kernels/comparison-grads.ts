/**
 * Zero gradients for the comparison ops.
 *
 * A comparison c = (a > b) is piecewise constant in a and b, so ∂c/∂a = ∂c/∂b = 0 wherever it is
 * differentiable (everywhere except the measure-zero set a = b, where we also take 0, as TensorFlow
 * does for its comparison ops). tfjs 4.22 registers no gradient for most of them; first-order
 * gradients never ask, but a gradient of a gradient does: LeakyReLU's gradient is
 * where(x > 0, dy, α·dy), so differentiating ∇ₓD (the WGAN-GP penalty, Gulrajani et al. 2017,
 * eq. 3) reaches `Greater` and fails with "gradient function not found for Greater".
 *
 * Each gradient has its input's own shape (a comparison broadcasts) and dtype float32, as tfjs's
 * tape requires.
 */
import * as tf from '@tensorflow/tfjs-core';

export const COMPARISON_KERNELS = ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual'] as const;

export function comparisonGradConfig(kernelName: string): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (_dy, saved) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      return {
        a: () => tf.zeros(a.shape, 'float32'),
        b: () => tf.zeros(b.shape, 'float32'),
      };
    },
  };
}

/** Registers the zero gradient for each comparison op that has none yet. */
export function registerComparisonGrads(): void {
  for (const name of COMPARISON_KERNELS) {
    if (tf.getGradient(name) === undefined) tf.registerGradient(comparisonGradConfig(name));
  }
}
