/**
 * Two ways to let D see a whole minibatch, so that a collapsed G (samples too alike) is easy to
 * spot. Both append features of the batch to D's last hidden features f(x_i) (the last of D's
 * feature maps: 'hidden<depth>' for the MLP, the last conv block for DCGAN) just before D's final
 * linear layer. Since that layer is linear, appending features o_i and a weight vector w_o to it
 * is the same as adding w_oᵀ o_i to D's logit, which is how it is computed here (D's own layers
 * stay stock tfjs-layers):  logit_i ← logit_i + w_oᵀ o_i,  w_o initialised to 0 (D starts as without).
 *
 * Minibatch discrimination (Salimans, Goodfellow, Zaremba, Cheung, Radford & Chen 2016,
 * "Improved Techniques for Training GANs", §3.2): with f(x_i) ∈ R^A flattened and a tensor
 * T ∈ R^{A×B×C},  M_i = f(x_i)·T ∈ R^{B×C},  c_b(x_i, x_j) = exp(−‖M_{i,b} − M_{j,b}‖_{L1}),
 *   o(x_i)_b = Σ_{j=1}^{n} c_b(x_i, x_j)   (j = i included, as the authors' code),
 * computed within each batch D sees (real and generated batches separately). B = 100 kernels,
 * C = 5 dimensions, T ~ N(0, 0.05²): the authors' values for MNIST and CIFAR-10.
 *
 * Minibatch standard deviation (Karras, Aila, Laine & Lehtinen 2018, "Progressive Growing of GANs",
 * §3): split the batch into groups of G = min(4, n) (sample i in group i mod n/G, as their
 * reshape does), take the standard deviation of every feature over its group, average those over
 * all features and locations into one number s per group, and append s to each sample's features:
 *   s_g = mean_{features} √(Var_{i ∈ g}[f(x_i)] + 10⁻⁸),   o_i = s_{g(i)}.
 * Compat: Karras et al. append s as a feature map before D's last 3×3 convolution (4×4
 * resolution); here it enters before the final linear layer, so only that layer sees it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DOutput } from '../models/types.js';
import type { Stabiliser, StabiliserFactory, StabiliserSetup, StabiliserState } from './types.js';

/** The last hidden features of D, flattened: [n, A]. */
function lastFeatures(out: DOutput): tf.Tensor2D {
  const names = Object.keys(out.features);
  const f = out.features[names[names.length - 1]!]!;
  return tf.reshape(f, [f.shape[0]!, -1]);
}

/** o_i = Σ_j exp(−‖M_i,b − M_j,b‖₁) for M = f·T: [n, B]. `t` is [A, B·C]. */
export function minibatchFeatures(f: tf.Tensor2D, t: tf.Tensor2D, kernels: number, dims: number): tf.Tensor2D {
  return tf.tidy(() => {
    const n = f.shape[0];
    const m = tf.reshape(tf.matMul(f, t), [n, 1, kernels, dims]); // [n, 1, B, C]
    const mT = tf.reshape(m, [1, n, kernels, dims]); // [1, n, B, C]
    const l1 = tf.sum(tf.abs(tf.sub(m, mT)), 3); // [n, n, B]
    return tf.sum(tf.exp(tf.neg(l1)), 1) as tf.Tensor2D; // [n, B]
  });
}

/** s_{g(i)} per sample: [n, 1]; n must be divisible by the group size. */
export function minibatchStd(f: tf.Tensor2D, groupSize: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, a] = f.shape;
    const g = Math.min(groupSize, n);
    const x = tf.reshape(f, [g, n / g, a]); // sample i → [i div (n/g), i mod (n/g)]
    const mean = tf.mean(x, 0, true);
    const std = tf.sqrt(tf.add(tf.mean(tf.square(tf.sub(x, mean)), 0), 1e-8)); // [n/g, A]
    const s = tf.mean(std, 1, true); // [n/g, 1]
    return tf.tile(s, [g, 1]) as tf.Tensor2D; // [n, 1]: row i = s[i mod n/g]
  });
}

/** Shared: own variables (w_o and, for minibatch discrimination, T), saved in checkpoints. */
abstract class MinibatchTerm implements Stabiliser {
  abstract readonly name: string;
  protected vars: tf.Variable[] = [];
  protected abstract create(s: StabiliserSetup, featureSize: number): tf.Variable[];
  protected abstract term(f: tf.Tensor2D): tf.Tensor2D;

  attach(s: StabiliserSetup): void {
    // The feature size from one forward pass on zeros (inference mode: nothing is updated).
    const size = tf.tidy(() => {
      const raw = s.discriminator.model.predict(tf.zeros([1, ...s.discriminator.inputShape])) as tf.Tensor[];
      return raw[raw.length - 1]!.size;
    });
    this.vars = this.create(s, size);
  }

  discriminatorVariables(): tf.Variable[] {
    return this.vars;
  }

  discriminatorOutput(out: DOutput): DOutput {
    return { ...out, logit: tf.add(out.logit, this.term(lastFeatures(out))) as tf.Tensor2D };
  }

  getState(): StabiliserState {
    const tensors = new Map();
    this.vars.forEach((v, i) => tensors.set(`v/${i}`, { shape: v.shape.slice(), values: v.dataSync() as Float32Array }));
    return { json: {}, tensors };
  }

  setState(state: StabiliserState): void {
    this.vars.forEach((v, i) => {
      const t = state.tensors.get(`v/${i}`);
      if (!t || t.shape.join() !== v.shape.join()) throw new Error(`${this.name}: checkpoint has no fitting v/${i}`);
      tf.tidy(() => { v.assign(tf.tensor(t.values, t.shape, 'float32')); });
    });
  }

  dispose(): void {
    tf.dispose(this.vars);
    this.vars = [];
  }
}

export const MINIBATCH_KERNELS = 100; // Salimans et al. 2016's code: num_kernels=100
export const MINIBATCH_DIMS = 5; // dim_per_kernel=5
export const MBSTD_GROUP = 4; // Karras et al. 2018: group size 4

class MinibatchDiscrimination extends MinibatchTerm {
  readonly name = 'minibatch-disc';
  protected create(s: StabiliserSetup, a: number): tf.Variable[] {
    const t = tf.tidy(() => tf.variable(tf.tensor2d(s.rng.normalArray(a * MINIBATCH_KERNELS * MINIBATCH_DIMS, 0, 0.05), [a, MINIBATCH_KERNELS * MINIBATCH_DIMS])));
    const w = tf.tidy(() => tf.variable(tf.zeros([MINIBATCH_KERNELS, 1])));
    return [t, w];
  }
  protected term(f: tf.Tensor2D): tf.Tensor2D {
    const o = minibatchFeatures(f, this.vars[0] as tf.Variable<tf.Rank.R2>, MINIBATCH_KERNELS, MINIBATCH_DIMS);
    return tf.matMul(o, this.vars[1] as tf.Variable<tf.Rank.R2>); // [n, 1]
  }
}

class MinibatchStd extends MinibatchTerm {
  readonly name = 'mbstd';
  protected create(): tf.Variable[] {
    return [tf.tidy(() => tf.variable(tf.zeros([1, 1])))];
  }
  protected term(f: tf.Tensor2D): tf.Tensor2D {
    return tf.mul(minibatchStd(f, MBSTD_GROUP), this.vars[0]!) as tf.Tensor2D;
  }
}

export const minibatchStdFactory: StabiliserFactory = {
  name: 'mbstd',
  flag: '--mbstd',
  create: (c) => (c.mbstd ? new MinibatchStd() : undefined),
};

export const minibatchDiscriminationFactory: StabiliserFactory = {
  name: 'minibatch-disc',
  flag: '--minibatch-disc',
  create: (c) => (c.minibatchDisc ? new MinibatchDiscrimination() : undefined),
};
