/**
 * Gradients of Sum and Mean without a ones tensor. tfjs's own gradient of y = Σ_axes x builds
 * `reshape(dy) · ones(x.shape)`, a tensor of ones as large as x created in JavaScript on every call
 * (3.2 MB per BatchNorm moment of a DCGAN layer, each step); here the reshaped dy is broadcast
 * (Tile) to x's shape instead: ∂Σx/∂x = 1 on every reduced element, so dx = broadcast(dy), and for
 * the mean dx = broadcast(dy) / n with n the number of reduced elements. Same values bit for bit
 * (x·1 = x), and differentiable again (Tile's gradient is a sum), as the gradient penalty needs.
 */
import * as tf from '@tensorflow/tfjs-core';

function expanded(dy: tf.Tensor, x: tf.Tensor, axis: unknown): { dy: tf.Tensor; n: number } {
  const axes = tf.util.parseAxisParam(axis as number | number[], x.shape);
  const shape = x.shape.slice();
  let n = 1;
  for (const a of axes) {
    n *= shape[a]!;
    shape[a] = 1;
  }
  return { dy: tf.broadcastTo(tf.reshape(dy, shape), x.shape), n };
}

export const reduceGradConfigs: tf.GradConfig[] = [
  {
    kernelName: tf.Sum,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => ({ x: () => expanded(dy as tf.Tensor, saved[0]!, attrs['axis']).dy }),
  },
  {
    kernelName: tf.Mean,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => ({
      x: () => {
        const e = expanded(dy as tf.Tensor, saved[0]!, attrs['axis']);
        return tf.div(e.dy, e.n);
      },
    }),
  },
];
