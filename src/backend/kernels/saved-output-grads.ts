/**
 * Gradients of tanh, sigmoid, exp and elu written from the saved INPUT, so that second-order
 * gradients through them are right.
 *
 * tfjs-core 4.22 differentiates these with their saved OUTPUT y (tanh: dy·(1 − y²), sigmoid:
 * dy·y·(1 − y), exp: dy·y, elu: EluGrad(dy, y)). The engine saves y by cloning it while the kernel
 * runs, i.e. BEFORE the kernel's own node is on the tape; when a gradient of a gradient walks the
 * tape from the inputs forward, that clone is not yet reachable, is pruned, and y counts as a
 * constant. The second-order term through y is silently dropped: for P(w) = Σ(∇ₓ Σ r·tanh(conv(x, w)))²
 * the gradient was off by 119% against central differences (softplus or square in the same place:
 * 1e-5), and WGAN-GP's penalty (Gulrajani et al. 2017, eq. 3) through any tanh/sigmoid layer of D
 * was wrong. (Found through test/constraints/gradient-penalty.test.ts; Conv2D's gradients were
 * not the cause.)
 *
 * Same first derivatives, recomputed from x (one extra elementwise op in the backward pass):
 *   tanh' = 1 − tanh(x)²,  σ' = σ(x)·(1 − σ(x)),  exp' = exp(x),
 *   elu'  = 1 for x > 0, exp(x) otherwise   (tf.elu has α = 1; Clevert et al. 2016, eq. 15)
 * Each is built from differentiable ops, so the second derivative follows.
 */
import * as tf from '@tensorflow/tfjs-core';

function fromInput(kernelName: string, derivative: (x: tf.Tensor) => tf.Tensor): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved as [tf.Tensor];
      return { x: () => tf.mul(dy as tf.Tensor, derivative(x)) };
    },
  };
}

export const savedInputGradConfigs: tf.GradConfig[] = [
  fromInput(tf.Tanh, (x) => tf.sub(1, tf.square(tf.tanh(x)))),
  fromInput(tf.Sigmoid, (x) => {
    const s = tf.sigmoid(x);
    return tf.mul(s, tf.sub(1, s));
  }),
  fromInput(tf.Exp, (x) => tf.exp(x)),
  fromInput(tf.Elu, (x) => tf.where(tf.greater(x, 0), tf.onesLike(x), tf.exp(x))),
];
