/**
 * Optimisers with explicit, serialisable state, so a checkpoint restores them exactly.
 *
 * tfjs's own Adam keeps beta^t as a float32 product that `setWeights` recomputes with pow(), so a
 * resumed run drifts from an uninterrupted one in the last bits. Here the step count t is a JS
 * integer and the bias corrections are computed in float64 each step, identically before and
 * after a resume.
 *
 * Adam (Kingma & Ba 2015, Algorithm 1), as PyTorch's torch.optim.Adam computes it:
 *   m ← β1·m + (1-β1)·g;  v ← β2·v + (1-β2)·g²
 *   θ ← θ - lr · (m / (1-β1^t)) / (sqrt(v / (1-β2^t)) + ε)
 * RMSProp (Tieleman & Hinton 2012), PyTorch form without momentum:
 *   s ← ρ·s + (1-ρ)·g²;  θ ← θ - lr · g / (sqrt(s) + ε)
 * SGD, with optional momentum μ (PyTorch form): b ← μ·b + g;  θ ← θ - lr·b
 */
import * as tf from '@tensorflow/tfjs-core';
import { assert, unknownName } from '../errors.js';

export const OPTIMIZER_NAMES = ['adam', 'rmsprop', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface OptimizerConfig {
  name: OptimizerName;
  lr: number;
  /** Adam β1 (also SGD momentum when name is 'sgd'). */
  beta1: number;
  /** Adam β2; RMSProp's smoothing ρ. */
  beta2: number;
  eps: number;
}

/** Plain-data state: the step count and, per variable, its slot tensors' values. */
export interface OptimizerState {
  name: OptimizerName;
  t: number;
  slots: { shape: number[]; values: Float32Array }[][]; // [variable][slot]
}

/**
 * One update of variable value `v` with gradient `g` and slots `s` at step `t` (1-based), as pure
 * tensor ops: the new value and slots. `Optimizer.apply` assigns them; the unrolled discriminator
 * (stabilisers/unrolled.ts) chains them inside a tape, so they must stay differentiable.
 */
export function updateRule(cfg: OptimizerConfig, t: number, v: tf.Tensor, g: tf.Tensor, s: readonly tf.Tensor[]): { value: tf.Tensor; slots: tf.Tensor[] } {
  const { name, lr, beta1, beta2, eps } = cfg;
  // Bias corrections in float64, from the integer step count (exact across resumes).
  const c1 = 1 - Math.pow(beta1, t);
  const c2 = 1 - Math.pow(beta2, t);
  if (name === 'adam') {
    const m = tf.add(tf.mul(s[0]!, beta1), tf.mul(g, 1 - beta1));
    const u = tf.add(tf.mul(s[1]!, beta2), tf.mul(tf.square(g), 1 - beta2));
    const denom = tf.add(tf.sqrt(tf.div(u, c2)), eps);
    return { value: tf.sub(v, tf.mul(tf.div(m, denom), lr / c1)), slots: [m, u] };
  } else if (name === 'rmsprop') {
    const sq = tf.add(tf.mul(s[0]!, beta2), tf.mul(tf.square(g), 1 - beta2));
    return { value: tf.sub(v, tf.mul(tf.div(g, tf.add(tf.sqrt(sq), eps)), lr)), slots: [sq] };
  } else if (s.length > 0) {
    const b = tf.add(tf.mul(s[0]!, beta1), g);
    return { value: tf.sub(v, tf.mul(b, lr)), slots: [b] };
  }
  return { value: tf.sub(v, tf.mul(g, lr)), slots: [] };
}

export class Optimizer {
  readonly config: OptimizerConfig;
  private t = 0;
  private slots: tf.Variable[][] = [];

  constructor(config: OptimizerConfig) {
    if (!(OPTIMIZER_NAMES as readonly string[]).includes(config.name)) {
      throw unknownName('optimizer', config.name, OPTIMIZER_NAMES, '--opt-g/--opt-d');
    }
    this.config = config;
  }

  get step(): number {
    return this.t;
  }

  private slotCount(): number {
    return this.config.name === 'adam' ? 2 : this.config.name === 'rmsprop' ? 1 : this.config.beta1 > 0 ? 1 : 0;
  }

  private ensureSlots(vars: readonly tf.Variable[]): void {
    if (this.slots.length === vars.length) return;
    assert(this.slots.length === 0, 'optimizer used with a different variable list');
    this.slots = vars.map((v) =>
      Array.from({ length: this.slotCount() }, () => tf.tidy(() => tf.variable(tf.zerosLike(v), false))),
    );
  }

  /** Apply one update. `grads[i]` is the gradient of `vars[i]`; the caller disposes grads. */
  apply(vars: readonly tf.Variable[], grads: readonly tf.Tensor[]): void {
    assert(vars.length === grads.length, 'one gradient per variable');
    this.ensureSlots(vars);
    this.t += 1;
    tf.tidy(() => {
      vars.forEach((v, i) => {
        const s = this.slots[i]!;
        const next = updateRule(this.config, this.t, v, grads[i]!, s);
        next.slots.forEach((x, j) => s[j]!.assign(x));
        v.assign(next.value);
      });
    });
  }

  /** Step count and slot variables (read-only use: the unrolled D of stabilisers/unrolled.ts). */
  functionalState(): { t: number; slots: readonly (readonly tf.Tensor[])[] } {
    return { t: this.t, slots: this.slots };
  }

  getState(): OptimizerState {
    return {
      name: this.config.name,
      t: this.t,
      slots: this.slots.map((s) => s.map((x) => ({ shape: x.shape.slice(), values: x.dataSync() as Float32Array }))),
    };
  }

  /** Restore a state saved by getState; the variable list must be the one it was saved for. */
  setState(state: OptimizerState, vars: readonly tf.Variable[]): void {
    assert(state.name === this.config.name, `optimizer state is ${state.name}, not ${this.config.name}`);
    this.dispose();
    this.t = state.t;
    if (state.slots.length === 0) return;
    assert(state.slots.length === vars.length, 'optimizer state has a different variable count');
    this.slots = state.slots.map((s, i) =>
      s.map((x) => {
        assert(x.shape.join() === vars[i]!.shape.join(), `optimizer slot shape ${x.shape} ≠ variable ${vars[i]!.shape}`);
        return tf.tidy(() => tf.variable(tf.tensor(x.values, x.shape, 'float32'), false));
      }),
    );
  }

  dispose(): void {
    for (const s of this.slots) for (const x of s) x.dispose();
    this.slots = [];
  }
}
