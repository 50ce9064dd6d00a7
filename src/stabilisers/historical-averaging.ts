/**
 * Historical averaging (Salimans, Goodfellow, Zaremba, Cheung, Radford & Chen 2016, "Improved
 * Techniques for Training GANs", §3.3): each player's cost gets the term
 *   λ · ‖θ − (1/t) Σ_{i=1}^{t} θ[i]‖²
 * where θ[i] is the value of its parameters at time i (θ[t] = θ, the current value). The running
 * average is a stored constant while differentiating; after each update it takes in the new value:
 *   θ̄_{n+1} = θ̄_n + (θ − θ̄_n) / (n + 1),   θ̄_1 = θ[1] (the initial weights).
 * The sum of squares runs over every trainable variable of the player (D's for D's cost, G's for
 * G's). Inspired by fictitious play; it helps on games where gradient descent orbits.
 *
 * The averages and their counts are saved in checkpoints (S/historical-averaging/{D,G}/i).
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  DiscriminatorPenaltyContext, GeneratorPenaltyContext, Stabiliser, StabiliserFactory, StabiliserSetup, StabiliserState,
} from './types.js';

class RunningAverage {
  avg: tf.Variable[] = [];
  count = 0;

  init(vars: readonly tf.Variable[]): void {
    this.avg = vars.map((v) => tf.tidy(() => tf.variable(v.clone() as tf.Tensor, false)));
    this.count = 1;
  }

  /** λ·Σ_vars ‖θ − θ̄‖² (θ̄ constant). */
  penalty(vars: readonly tf.Variable[], lambda: number): tf.Scalar {
    const terms = vars.map((v, i) => tf.sum(tf.square(tf.sub(v, this.avg[i]!))));
    return tf.mul(lambda, tf.addN(terms)) as tf.Scalar;
  }

  update(vars: readonly tf.Variable[]): void {
    const n = this.count;
    vars.forEach((v, i) => { this.avg[i]!.assign(tf.add(this.avg[i]!, tf.div(tf.sub(v, this.avg[i]!), n + 1))); });
    this.count = n + 1;
  }

  save(prefix: string, into: Map<string, { shape: number[]; values: Float32Array }>): void {
    this.avg.forEach((a, i) => into.set(`${prefix}/${i}`, { shape: a.shape.slice(), values: a.dataSync() as Float32Array }));
  }

  load(prefix: string, state: StabiliserState, count: number): void {
    this.avg.forEach((a, i) => {
      const t = state.tensors.get(`${prefix}/${i}`);
      if (!t || t.shape.join() !== a.shape.join()) throw new Error(`historical averaging: checkpoint has no fitting ${prefix}/${i}`);
      tf.tidy(() => { a.assign(tf.tensor(t.values, t.shape, 'float32')); });
    });
    this.count = count;
  }

  dispose(): void {
    tf.dispose(this.avg);
    this.avg = [];
  }
}

class HistoricalAveraging implements Stabiliser {
  readonly name = 'historical-averaging';
  private readonly d = new RunningAverage();
  private readonly g = new RunningAverage();

  constructor(readonly lambda: number) {}

  attach(s: StabiliserSetup): void {
    this.d.init(s.dVars);
    this.g.init(s.gVars);
  }

  discriminatorPenalty(ctx: DiscriminatorPenaltyContext): tf.Scalar {
    return this.d.penalty(ctx.dVars, this.lambda);
  }

  generatorPenalty(ctx: GeneratorPenaltyContext): tf.Scalar {
    return this.g.penalty(ctx.gVars, this.lambda);
  }

  afterDiscriminatorStep(dVars: readonly tf.Variable[]): void {
    this.d.update(dVars);
  }

  afterGeneratorStep(gVars: readonly tf.Variable[]): void {
    this.g.update(gVars);
  }

  getState(): StabiliserState {
    const tensors = new Map();
    this.d.save('D', tensors);
    this.g.save('G', tensors);
    return { json: { countD: this.d.count, countG: this.g.count }, tensors };
  }

  setState(state: StabiliserState): void {
    this.d.load('D', state, state.json.countD as number);
    this.g.load('G', state, state.json.countG as number);
  }

  dispose(): void {
    this.d.dispose();
    this.g.dispose();
  }
}

export const historicalAveragingFactory: StabiliserFactory = {
  name: 'historical-averaging',
  flag: '--historical-averaging',
  create: (c) => (c.historicalAveraging > 0 ? new HistoricalAveraging(c.historicalAveraging) : undefined),
};
