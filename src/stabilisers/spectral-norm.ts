/**
 * Spectral normalisation (Miyato, Kataoka, Koyama & Yoshida 2018, "Spectral Normalization for
 * Generative Adversarial Networks", ICLR, eq. (8) and Algorithm 1): every Dense/Conv2D kernel W
 * of D is used as
 *   W_SN = W / σ(W),   σ(W) = max_{h≠0} ‖W h‖₂ / ‖h‖₂ (the largest singular value),
 * so each layer is 1-Lipschitz and D's Lipschitz constant is bounded (with 1-Lipschitz
 * activations; BatchNorm, if D has it, is not bounded by this). σ is estimated by one step of power
 * iteration per discriminator update, reusing the vectors across updates (Algorithm 1):
 *   ṽ ← Wᵀũ / ‖Wᵀũ‖₂,   ũ ← W ṽ / ‖W ṽ‖₂,   σ(W) ≈ ũᵀ W ṽ,
 * with ũ, ṽ held constant when differentiating (their eq. (12): ∂W_SN/∂W then includes the term
 * −(1/σ)·λ ũ ṽᵀ that keeps the gradient from raising σ).
 *
 * A convolution kernel [kh, kw, c_in, c_out] is the matrix [kh·kw·c_in, c_out] (as the paper and
 * PyTorch's `spectral_norm`, which reshapes [c_out, …]; the singular values are the same). Our
 * kernels are stored transposed to the paper's W ([in, out] = Wᵀ), so here M = Wᵀ, u ∈ R^out,
 * v ∈ R^in and σ = vᵀ M u.
 *
 * The trained variable stays the raw W (what the optimiser updates and checkpoints save); the
 * layer reads W_SN while the trainer has D bound (`bindDiscriminator`). ũ and ṽ are saved in
 * checkpoints, so a resumed run estimates σ exactly as an uninterrupted one.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Discriminator } from '../models/types.js';
import type { Stabiliser, StabiliserFactory, StabiliserSetup, StabiliserState } from './types.js';

/** ‖x‖ floor in the normalisations (PyTorch's spectral_norm eps): keeps a zero kernel finite. */
const EPS = 1e-12;

interface KernelRef {
  /** The layer's weight object; `read` is what Dense/Conv2D call at every forward pass. */
  lv: { read(): tf.Tensor };
  /** The raw variable W. */
  w: tf.Variable;
  u: tf.Variable; // [out, 1]
  v: tf.Variable; // [in, 1]
}

/** D's kernels that spectral normalisation applies to: every Dense and Conv2D layer's. */
export function discriminatorKernels(d: Discriminator): { read(): tf.Tensor }[] {
  const out: { read(): tf.Tensor }[] = [];
  for (const layer of d.model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Dense' && cls !== 'Conv2D') continue;
    const k = (layer as unknown as { kernel?: { read(): tf.Tensor } }).kernel;
    if (k) out.push(k);
  }
  return out;
}

/** The kernel as the matrix M = Wᵀ: [in, out] (Dense) or [kh·kw·c_in, c_out] (Conv2D). */
function asMatrix(w: tf.Tensor): tf.Tensor2D {
  const out = w.shape[w.shape.length - 1]!;
  return tf.reshape(w, [-1, out]);
}

function normalise(x: tf.Tensor): tf.Tensor {
  return tf.div(x, tf.maximum(tf.norm(x), EPS));
}

/** One power-iteration step (Algorithm 1): the new ũ [out, 1] and ṽ [in, 1] for kernel `w`. */
export function powerIteration(w: tf.Tensor, u: tf.Tensor): { u: tf.Tensor; v: tf.Tensor } {
  return tf.tidy(() => {
    const m = asMatrix(w);
    const v = normalise(tf.matMul(m, u)); // ṽ ∝ Wᵀũ = M ũ      [in, 1]
    const uNew = normalise(tf.matMul(m, v, true, false)); // ũ ∝ W ṽ = Mᵀṽ  [out, 1]
    return { u: uNew, v };
  });
}

/** σ ≈ ũᵀ W ṽ = ṽᵀ M ũ with ũ, ṽ constants (differentiable in w only). */
export function sigmaEstimate(w: tf.Tensor, u: tf.Tensor, v: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(v, tf.matMul(asMatrix(w), u))) as tf.Scalar;
}

/** W_SN = W / σ(W) (eq. (8)), differentiable in w. */
export function spectralNormalise(w: tf.Tensor, u: tf.Tensor, v: tf.Tensor): tf.Tensor {
  return tf.div(w, sigmaEstimate(w, u, v));
}

class SpectralNorm implements Stabiliser {
  readonly name = 'spectral-norm';
  private kernels: KernelRef[] = [];

  attach(s: StabiliserSetup): void {
    this.kernels = discriminatorKernels(s.discriminator).map((lv) => {
      const w = lv.read() as tf.Variable;
      const shape = w.shape;
      const outDim = shape[shape.length - 1]!;
      const inDim = w.size / outDim;
      // ũ ~ N(0, I) normalised, as PyTorch's spectral_norm; ṽ from one product with it.
      const u = tf.tidy(() => tf.variable(normalise(tf.tensor2d(s.rng.normalArray(outDim), [outDim, 1])), false));
      const v = tf.tidy(() => tf.variable(normalise(tf.matMul(asMatrix(w), u)), false));
      if (v.shape[0] !== inDim) throw new Error('spectral norm: kernel shape');
      return { lv, w, u, v };
    });
  }

  beforeDiscriminatorStep(): void {
    for (const k of this.kernels) {
      const { u, v } = powerIteration(k.w, k.u);
      k.u.assign(u);
      k.v.assign(v);
    }
  }

  bindDiscriminator(): () => void {
    for (const k of this.kernels) {
      const wsn = spectralNormalise(k.w, k.u, k.v); // recorded on the caller's tape
      (k.lv as { read(): tf.Tensor }).read = () => wsn;
    }
    return () => {
      for (const k of this.kernels) delete (k.lv as { read?: unknown }).read; // back to LayerVariable.prototype.read
    };
  }

  /** The current σ estimates, one per kernel (diagnostics, tests). */
  sigmas(): number[] {
    return this.kernels.map((k) => tf.tidy(() => sigmaEstimate(k.w, k.u, k.v).dataSync()[0]!));
  }

  getState(): StabiliserState {
    const tensors = new Map();
    this.kernels.forEach((k, i) => {
      tensors.set(`u/${i}`, { shape: k.u.shape.slice(), values: k.u.dataSync() as Float32Array });
      tensors.set(`v/${i}`, { shape: k.v.shape.slice(), values: k.v.dataSync() as Float32Array });
    });
    return { json: { kernels: this.kernels.length }, tensors };
  }

  setState(state: StabiliserState): void {
    this.kernels.forEach((k, i) => {
      for (const [key, x] of [['u', k.u], ['v', k.v]] as const) {
        const t = state.tensors.get(`${key}/${i}`);
        if (!t || t.shape.join() !== x.shape.join()) throw new Error(`spectral norm: checkpoint has no fitting ${key}/${i}`);
        tf.tidy(() => { x.assign(tf.tensor(t.values, t.shape, 'float32')); });
      }
    });
  }

  dispose(): void {
    for (const k of this.kernels) tf.dispose([k.u, k.v]);
    this.kernels = [];
  }
}

export const spectralNormFactory: StabiliserFactory = {
  name: 'spectral-norm',
  flag: '--spectral-norm',
  create: (c) => (c.spectralNorm ? new SpectralNorm() : undefined),
};

export { SpectralNorm };
