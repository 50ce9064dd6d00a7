/**
 * Unrolled GANs (Metz, Poole, Pfau & Sohl-Dickstein 2017, "Unrolled Generative Adversarial
 * Networks", ICLR, §2 (the unrolled surrogate and its gradient)): G is trained against D as it will
 * be K updates later,
 *   θ_D⁰ = θ_D,   θ_D^{k+1} = θ_D^k + η^k · dV(θ_G, θ_D^k)/dθ_D^k     (D's own optimiser rule),
 *   f_K(θ_G, θ_D) = f(θ_G, θ_D^K(θ_G, θ_D)),     θ_G ← θ_G − η · df_K/dθ_G,
 * while D itself takes its usual single update. The total derivative
 *   df_K/dθ_G = ∂f/∂θ_G + (∂f/∂θ_D^K)·(dθ_D^K/dθ_G)
 * has the second term because every unrolled update of D saw G's samples; it is what lets G
 * anticipate D's reply and spread over modes. `--unroll-mode exact` keeps it (second order: each
 * unrolled step is a `tf.grads` inside G's tape, then D's optimiser update written as tensor ops,
 * train/optimizers.ts's `updateRule`); `first-order` drops it, treating θ_D^K as a constant (the
 * cheap variant the paper also discusses).
 *
 * Here θ_D⁰ is D's value before this generator step's (last) D update, snapshot with D's
 * optimiser slots and step count; the K unrolled steps reuse that step's real batch and G(z), as
 * the authors' code does, so the first unrolled step reproduces D's real update. While G's loss
 * is computed, D's trainable weights read the unrolled tensors (the same binding as spectral
 * norm), so D's own forward code is unchanged. D's loss in the unrolled steps is the loss family's
 * `discriminator` term without penalties.
 *
 * Limits (checked in config.ts): D without BatchNorm (the MLP: a training-mode forward would move
 * BatchNorm's statistics), and not together with the stabilisers that also rebind D or add D
 * variables (spectral norm, --mbstd, --minibatch-disc).
 */
import * as tf from '@tensorflow/tfjs-core';
import { updateRule, type Optimizer } from '../train/optimizers.js';
import type { GeneratorBindContext, Stabiliser, StabiliserFactory, StabiliserSetup } from './types.js';

type LayerWeight = { read(): tf.Tensor };

/** Reads D's weights `lvs` as `values` until the returned function is called. */
export function bindWeights(lvs: readonly LayerWeight[], values: readonly tf.Tensor[]): () => void {
  lvs.forEach((lv, i) => { lv.read = () => values[i]!; });
  return () => { for (const lv of lvs) delete (lv as { read?: unknown }).read; };
}

/**
 * θ_D^K: K updates of D's weights from `theta0` (slots `slots0` at step count `t0`) by `opt`'s
 * rule on `dLoss`, which evaluates D's loss with D bound to the weights it is given. Differentiable
 * in whatever `dLoss` depends on (G's weights through G(z)) when called inside a tape.
 */
export function unrollDiscriminator(
  lvs: readonly LayerWeight[], theta0: readonly tf.Tensor[], slots0: readonly (readonly tf.Tensor[])[], t0: number,
  opt: Optimizer, k: number, dLoss: () => tf.Scalar,
): tf.Tensor[] {
  let theta = [...theta0];
  let slots = slots0.map((s) => [...s]);
  for (let step = 0; step < k; step++) {
    const grads = tf.grads((...ws: tf.Tensor[]) => {
      const unbind = bindWeights(lvs, ws);
      try { return dLoss(); } finally { unbind(); }
    })(theta);
    const next = theta.map((w, i) => updateRule(opt.config, t0 + step + 1, w, grads[i]!, slots[i] ?? []));
    theta = next.map((n) => n.value);
    slots = next.map((n) => n.slots);
  }
  return theta;
}

/** Slots per variable of the optimiser's rule (as Optimizer keeps them). */
function slotCount(opt: Optimizer): number {
  const c = opt.config;
  return c.name === 'adam' ? 2 : c.name === 'rmsprop' ? 1 : c.beta1 > 0 ? 1 : 0;
}

class Unrolled implements Stabiliser {
  readonly name = 'unrolled';
  private lvs: LayerWeight[] = [];
  private theta0: tf.Variable[] = [];
  private slots0: tf.Variable[][] = [];
  private t0 = 0;
  private opt: Optimizer | undefined;

  constructor(readonly k: number, readonly mode: 'exact' | 'first-order') {}

  attach(s: StabiliserSetup): void {
    this.lvs = s.discriminator.model.trainableWeights as unknown as LayerWeight[];
    this.opt = s.optD;
    this.theta0 = this.lvs.map((lv) => tf.tidy(() => tf.variable(lv.read().clone(), false)));
  }

  /** Snapshot D and its optimiser before each D update (the last one before G's step counts). */
  beforeDiscriminatorStep(): void {
    this.lvs.forEach((lv, i) => this.theta0[i]!.assign(lv.read()));
    const st = this.opt!.functionalState();
    this.t0 = st.t;
    if (this.slots0.length === 0) {
      // Before D's first update its optimiser has no slots yet: they start at zero (as in Optimizer).
      const n = slotCount(this.opt!);
      this.slots0 = this.theta0.map((v) => Array.from({ length: n }, () => tf.tidy(() => tf.variable(tf.zerosLike(v), false))));
    }
    st.slots.forEach((s, i) => s.forEach((x, j) => this.slots0[i]![j]!.assign(x)));
  }

  bindForGenerator(ctx: GeneratorBindContext): () => void {
    // First-order: D's unrolled weights from a copy of G(z) that carries no gradient to G.
    const fake = this.mode === 'exact' ? ctx.fake : tf.tensor(ctx.fake.dataSync(), ctx.fake.shape, 'float32');
    const theta = unrollDiscriminator(this.lvs, this.theta0, this.slots0, this.t0, this.opt!, this.k, () => ctx.dLoss(fake));
    return bindWeights(this.lvs, theta);
  }

  dispose(): void {
    tf.dispose(this.theta0);
    for (const s of this.slots0) tf.dispose(s);
    this.theta0 = [];
    this.slots0 = [];
  }
}

export const unrolledFactory: StabiliserFactory = {
  name: 'unrolled',
  flag: '--unroll',
  create: (c) => (c.unroll > 0 ? new Unrolled(c.unroll, c.unrollMode) : undefined),
};
