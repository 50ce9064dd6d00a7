/**
 * The D/G alternation of Goodfellow et al. 2014, Algorithm 1: for each generator step, k
 * discriminator steps on a real batch and a fake batch, then one generator step. Nothing here
 * touches the file system: the same trainer runs in Node (train/run.ts adds the run folder) and in
 * the browser.
 *
 * One `tf.tidy` per phase; the variable lists of D and G are explicit (GAN Lab's pattern), so a D
 * step never moves G's weights and vice versa. Noise comes from our seeded Rng, so a run is
 * reproducible bit for bit on one backend and a checkpoint restores it exactly.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ARCH_DEFAULTS, TRAIN_DEFAULTS, type TrainConfig } from '../defaults.js';
import { assert, NumericalError } from '../errors.js';
import { lossDefaults, lossFromConfig } from '../losses/index.js';
import type { GanLoss } from '../losses/types.js';
import { buildModels } from '../models/index.js';
import { discriminate, generate, trainableVariables, type Discriminator, type Generator } from '../models/types.js';
import { Conditioner, conditioningFromConfig, disposeCondBatch, type CondBatch } from './conditioner.js';
import type { DataSource } from '../data/source.js';
import { BatchStream } from '../data/batches.js';
import { Optimizer } from './optimizers.js';
import { Rng, type RngState } from './rng.js';
import type { CheckpointData, NamedArray } from './checkpoint.js';

/** What one generator step reports (the columns of metrics.jsonl). */
export interface StepMetrics {
  step: number;
  loss_d: number;
  loss_g: number;
  /**
   * −(D's loss without its penalty term). For minimax/non-saturating this is V(D, G) =
   * E[log D(x)] + E[log(1 − D(G(z)))]; for Wasserstein, E[D(x)] − E[D(G(z))], the critic's W1
   * estimate; for f-GAN, the divergence's lower bound F. loss_d includes the penalty.
   */
  value: number;
  /**
   * Mean of the loss's `report` map of D's output over the last real batch: σ(logit), a
   * probability, for the cross-entropy losses; the raw critic output for Wasserstein, hinge and
   * least squares; T = g_f(V) for f-GAN.
   */
  d_real: number;
  /** The same over the last fake batch (before the generator step). */
  d_fake: number;
  /** Conditional runs (train/conditioner.ts): aux_real_acc, aux_fake_acc, mi_lower_bound, info_cat_acc. */
  [conditional: string]: number;
}

/** What one discriminator update reports. */
export type DStepMetrics = Omit<StepMetrics, 'step' | 'loss_g'>;

/** What one discriminator step measured. */
type DStepResult = {
  lossD: number;
  /** D's loss without its penalty term (its negative is the logged `value`). */
  value: number;
  dReal: number;
  dFake: number;
};

/** The resolved configuration: TRAIN_DEFAULTS merged with the user's options and arch defaults. */
/**
 * Precedence (see defaults.ts): the user's options (keys whose value is not undefined), then the
 * loss's paper defaults (lossDefaults), then TRAIN_DEFAULTS. A saved config.json is complete, so a
 * resumed run is unaffected by the loss defaults.
 */
export function resolveConfig(options: Partial<TrainConfig> = {}, kind?: 'images' | 'points'): TrainConfig {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<TrainConfig>;
  const c: TrainConfig = { ...TRAIN_DEFAULTS, ...lossDefaults(given.loss ?? TRAIN_DEFAULTS.loss), ...given };
  if (kind !== undefined && c.arch === 'auto') c.arch = kind === 'points' ? 'mlp' : 'dcgan';
  if (c.arch !== 'auto') {
    const d = ARCH_DEFAULTS[c.arch];
    if (!c.latentDim) c.latentDim = d.latentDim;
    if (!c.width) c.width = d.width;
  }
  return c;
}

export class GanTrainer {
  readonly config: TrainConfig;
  readonly data: DataSource;
  readonly generator: Generator;
  readonly discriminator: Discriminator;
  readonly loss: GanLoss;
  readonly optG: Optimizer;
  readonly optD: Optimizer;
  /** Completed generator steps. */
  step = 0;
  private readonly noiseRng: Rng;
  /** Draws of the loss's penalty term (WGAN-GP's α); saved in checkpoints. */
  private readonly penaltyRng: Rng;
  private readonly stream: BatchStream;
  private readonly gVars: tf.Variable[];
  private readonly dVars: tf.Variable[];
  /** Labels and codes of conditional runs and InfoGAN (conditioner.ts); undefined otherwise. */
  readonly cond: Conditioner | undefined;

  constructor(data: DataSource, options: Partial<TrainConfig> = {}) {
    this.config = resolveConfig(options, data.kind);
    const c = this.config;
    this.data = data;
    this.loss = lossFromConfig(c);
    const root = new Rng(c.seed);
    const initRng = root.fork(1);
    this.noiseRng = root.fork(2);
    this.penaltyRng = root.fork(5); // after forks 1 and 2, so the older streams are unchanged
    // buildModels draws G's then D's initial weights from initRng: the seed fixes both.
    const conditioning = conditioningFromConfig(c, data);
    const { generator, discriminator } = buildModels(
      { arch: c.arch, dataShape: [...data.shape], latentDim: c.latentDim, width: c.width, depth: c.depth, conditioning },
      initRng,
    );
    const plain = conditioning.mode === 'none' && conditioning.codes.categorical + conditioning.codes.continuous === 0;
    this.cond = plain ? undefined : new Conditioner(conditioning, c, root.fork(6));
    this.generator = generator;
    this.discriminator = discriminator;
    this.loss.prepare?.(discriminator);
    this.gVars = trainableVariables(generator.model);
    this.dVars = trainableVariables(discriminator.model);
    this.stream = new BatchStream(data, c.batch, (c.seed * 7919 + 17) >>> 0);
    this.optG = new Optimizer({ name: c.optG, lr: c.lrG, beta1: c.beta1, beta2: c.beta2, eps: c.eps });
    this.optD = new Optimizer({ name: c.optD, lr: c.lrD, beta1: c.beta1, beta2: c.beta2, eps: c.eps });
  }

  /** A [n, latentDim] batch of N(0, 1) noise from `rng` (default: the training noise stream). */
  noise(n: number, rng: Rng = this.noiseRng): tf.Tensor2D {
    return tf.tensor2d(rng.normalArray(n * this.config.latentDim), [n, this.config.latentDim]);
  }

  /** A fixed noise batch for sample grids: the same for the whole run and across resumes. */
  fixedNoise(n: number): tf.Tensor2D {
    return this.noise(n, new Rng(this.config.seed).fork(3));
  }

  /**
   * One generator step, preceded by `dSteps` discriminator steps.
   *
   * G's forward pass runs once per D step and the last fake batch is reused by the G step, as in
   * the DCGAN reference loop (`fake = G(z)`; D step on `fake.detach()`; G step on `D(fake)` with the
   * updated D). To reuse G's activations for its backward pass, the last D step runs *inside* the
   * G step's gradient tape: its own gradients are taken with respect to D's variables only, and its
   * optimiser update writes D's variables (an assignment, which the tape does not record), so no
   * path leads from that update to G's loss and G's gradient is exactly that of the reference loop.
   */
  trainStep(): StepMetrics {
    const c = this.config;
    let d: DStepResult = { lossD: NaN, value: NaN, dReal: NaN, dFake: NaN };
    for (let k = 0; k < c.dSteps - 1; k++) {
      const [real, cb] = this.nextReal();
      const z = this.noise(c.batch);
      try {
        d = tf.tidy(() => this.discriminatorStep(real, generate(this.generator, z, true, cb), cb));
      } finally {
        tf.dispose([real, z]);
        disposeCondBatch(cb);
      }
      if (!Number.isFinite(d.lossD)) throw this.divergence('loss_d', d.lossD);
    }
    const [real, cb] = this.nextReal();
    const z = this.noise(c.batch);
    let lossG: number;
    try {
      lossG = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const fake = generate(this.generator, z, true, cb); // [B, ...shape], computed once
          d = this.discriminatorStep(real, fake, cb);
          if (!Number.isFinite(d.lossD)) throw this.divergence('loss_d', d.lossD);
          return this.generatorLoss(real, fake, cb); // with the updated D
        }, this.gVars);
        const v = value.dataSync()[0]!;
        if (Number.isFinite(v)) this.optG.apply(this.gVars, this.gVars.map((x) => grads[x.name]!));
        return v;
      });
    } finally {
      tf.dispose([real, z]);
      disposeCondBatch(cb);
    }
    if (!Number.isFinite(lossG)) throw this.divergence('loss_g', lossG);
    this.step += 1;
    return {
      step: this.step, loss_d: d.lossD, loss_g: lossG, value: -d.value, d_real: d.dReal, d_fake: d.dFake,
      ...this.cond?.metrics(),
    };
  }

  /**
   * G's loss on a fake batch: D's logits on it and, for feature matching, D's features on it and
   * on the real batch, or, for the perceptual loss, the images themselves. Call inside a tape.
   */
  private generatorLoss(real: tf.Tensor | undefined, fake: tf.Tensor, cb?: CondBatch): tf.Scalar {
    const out = discriminate(this.discriminator, fake, true, cb);
    const base = this.baseGeneratorLoss(real, fake, out.logit, out.features, cb);
    const extra = cb && this.cond?.generatorLoss(out, cb);
    return extra ? tf.add(base, extra) : base;
  }

  private baseGeneratorLoss(real: tf.Tensor | undefined, fake: tf.Tensor, logit: tf.Tensor2D, features: Record<string, tf.Tensor>, cb?: CondBatch): tf.Scalar {
    const loss = this.loss;
    if (!loss.usesImages && !loss.usesFeatures) return loss.generator(logit);
    assert(real !== undefined, 'feature matching and the perceptual loss need the real batch');
    if (loss.usesImages) return loss.generator(logit, { real: { image: real }, fake: { image: fake } });
    const realFeatures = discriminate(this.discriminator, real, true, cb).features;
    return loss.generator(logit, { real: realFeatures, fake: features });
  }

  /**
   * One discriminator update alone, on a fresh real batch and fresh noise (the playground's
   * "step D"); `trainStep` is `dSteps` of these followed by one generator update.
   */
  stepDiscriminator(): DStepMetrics {
    const [real, cb] = this.nextReal();
    const z = this.noise(this.config.batch);
    let d: DStepResult;
    try {
      d = tf.tidy(() => this.discriminatorStep(real, generate(this.generator, z, true, cb), cb));
    } finally {
      tf.dispose([real, z]);
      disposeCondBatch(cb);
      this.cond?.metrics();
    }
    if (!Number.isFinite(d.lossD)) throw this.divergence('loss_d', d.lossD);
    return { loss_d: d.lossD, value: -d.value, d_real: d.dReal, d_fake: d.dFake };
  }

  /** One generator update alone, on fresh noise (the playground's "step G"); counts as a step. */
  stepGenerator(): { step: number; loss_g: number } {
    const z = this.noise(this.config.batch);
    const needsReal = this.loss.usesFeatures || this.loss.usesImages;
    let [real, cb] = needsReal || this.cond?.usesLabels ? this.nextReal() : [undefined, this.cond?.batch(undefined, this.config.batch)];
    if (!needsReal) { real?.dispose(); real = undefined; }
    let lossG: number;
    try {
      lossG = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => this.generatorLoss(real, generate(this.generator, z, true, cb), cb), this.gVars);
        const v = value.dataSync()[0]!;
        if (Number.isFinite(v)) this.optG.apply(this.gVars, this.gVars.map((x) => grads[x.name]!));
        return v;
      });
    } finally {
      tf.dispose(real ? [real, z] : [z]);
      disposeCondBatch(cb);
      this.cond?.metrics();
    }
    if (!Number.isFinite(lossG)) throw this.divergence('loss_g', lossG);
    this.step += 1;
    return { step: this.step, loss_g: lossG };
  }

  /** The next real batch [B, ...shape] and, for conditional runs, its conditioning (else labels dropped). */
  private nextReal(): [tf.Tensor, CondBatch | undefined] {
    const batch = this.stream.next();
    const cb = this.cond?.batch(batch.labels, batch.x.shape[0]!);
    batch.labels?.dispose();
    return [batch.x, cb];
  }

  /**
   * One discriminator step on a real and a fake batch: D's loss (plus the loss's penalty), its
   * gradient with respect to D's variables only, the optimiser update (skipped when the loss is not
   * finite) and the loss's after-step hook (weight clipping). Call inside a tidy.
   */
  private discriminatorStep(real: tf.Tensor, fake: tf.Tensor, cb?: CondBatch): DStepResult {
    const loss = this.loss;
    const report = loss.report ?? tf.sigmoid;
    const critic = (x: tf.Tensor) => discriminate(this.discriminator, x, true, cb).logit;
    let kept: tf.Tensor[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const realOut = discriminate(this.discriminator, real, true, cb);
      const fakeOut = discriminate(this.discriminator, fake, true, cb);
      const realLogit = realOut.logit; // [B, 1]
      const fakeLogit = fakeOut.logit; // [B, 1]
      const base = loss.discriminator(realLogit, fakeLogit);
      kept = [tf.keep(tf.mean(report(realLogit))), tf.keep(tf.mean(report(fakeLogit))), tf.keep(base)];
      const extra = cb && this.cond?.discriminatorLoss(realOut, fakeOut, cb);
      const total = extra ? (tf.add(base, extra) as tf.Scalar) : base;
      if (!loss.penalty) return total;
      return tf.add(total, loss.penalty({ real, fake, critic, rng: this.penaltyRng })) as tf.Scalar;
    }, this.dVars);
    const lossD = value.dataSync()[0]!;
    if (Number.isFinite(lossD)) {
      this.optD.apply(this.dVars, this.dVars.map((x) => grads[x.name]!));
      loss.afterDiscriminatorStep?.(this.dVars);
    }
    const [dReal, dFake, base] = kept.map((m) => m.dataSync()[0]!) as [number, number, number];
    tf.dispose(kept);
    return { lossD, value: base, dReal, dFake };
  }

  private divergence(which: string, v: number): NumericalError {
    return new NumericalError(
      `training diverged at step ${this.step + 1}: ${which} is ${v}; try a lower learning rate (--lr-d/--lr-g) ` +
        `or another loss (--loss)`,
    );
  }

  /**
   * Images or points from the generator in inference mode: [n, ...shape] in [-1, 1]. Conditional
   * runs default to `fixedCond(n)`: labels 0, 1, …, K−1, 0, … and fixed codes.
   */
  sample(z: tf.Tensor2D, cond?: CondBatch): tf.Tensor {
    const own = cond === undefined && this.cond ? this.fixedCond(z.shape[0]) : undefined;
    try {
      return tf.tidy(() => generate(this.generator, z, false, cond ?? own));
    } finally {
      disposeCondBatch(own);
    }
  }

  /** The conditioning of sample grids: labels i mod K and codes from a fixed stream. */
  fixedCond(n: number): CondBatch | undefined {
    if (!this.cond) return undefined;
    const labels = this.cond.usesLabels
      ? tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i % this.cond!.model.classes), 'int32')
      : undefined;
    const fixed = new Conditioner(this.cond.model, this.config, new Rng(this.config.seed).fork(7));
    try {
      return fixed.batch(labels, n);
    } finally {
      labels?.dispose();
    }
  }

  /** True when every weight of G and D is finite. */
  weightsFinite(): boolean {
    return tf.tidy(() =>
      [...this.generator.model.weights, ...this.discriminator.model.weights].every(
        (w) => tf.all(tf.isFinite(w.read())).dataSync()[0] === 1,
      ),
    );
  }

  /** Everything needed to continue exactly: weights, optimiser state, RNG and data-stream state. */
  getCheckpoint(): CheckpointData {
    const tensors = new Map<string, NamedArray>();
    const put = (prefix: string, model: { weights: { read(): tf.Tensor }[] }) =>
      model.weights.forEach((w, i) => {
        const t = w.read();
        tensors.set(`${prefix}/${i}`, { shape: t.shape.slice(), values: t.dataSync() as Float32Array });
      });
    put('G', this.generator.model);
    put('D', this.discriminator.model);
    const opt = (prefix: string, o: Optimizer) => {
      const s = o.getState();
      s.slots.forEach((slots, i) => slots.forEach((x, j) => tensors.set(`${prefix}/${i}/${j}`, x)));
      return { name: s.name, t: s.t, variables: s.slots.length, slotsPerVariable: s.slots[0]?.length ?? 0 };
    };
    const state = {
      optG: opt('optG', this.optG),
      optD: opt('optD', this.optD),
      noiseRng: this.noiseRng.getState(),
      penaltyRng: this.penaltyRng.getState(),
      ...(this.cond ? { codeRng: this.cond.codeRng.getState() } : {}),
      stream: this.stream.getState(),
      config: this.config,
    };
    return { step: this.step, state, tensors };
  }

  /** Restore a checkpoint written by getCheckpoint for the same configuration. */
  loadCheckpoint(ck: CheckpointData): void {
    const take = (name: string): NamedArray => {
      const t = ck.tensors.get(name);
      if (!t) throw new Error(`checkpoint has no tensor ${name}`);
      return t;
    };
    const load = (prefix: string, model: { weights: { read(): tf.Tensor; write(v: tf.Tensor): unknown }[] }) =>
      model.weights.forEach((w, i) => {
        const t = take(`${prefix}/${i}`);
        if (t.shape.join() !== w.read().shape.join()) throw new Error(`checkpoint ${prefix}/${i} has shape ${t.shape}`);
        tf.tidy(() => { w.write(tf.tensor(t.values, t.shape, 'float32')); });
      });
    load('G', this.generator.model);
    load('D', this.discriminator.model);
    const st = ck.state as {
      optG: { name: Optimizer['config']['name']; t: number; variables: number; slotsPerVariable: number };
      optD: { name: Optimizer['config']['name']; t: number; variables: number; slotsPerVariable: number };
      noiseRng: RngState;
      /** Absent in checkpoints written before the penalty stream existed (no loss used it then). */
      penaltyRng?: RngState;
      /** Conditional runs with InfoGAN codes: their stream. */
      codeRng?: RngState;
      stream: ReturnType<BatchStream['getState']>;
    };
    const opt = (prefix: string, o: Optimizer, meta: typeof st.optG, vars: tf.Variable[]) => {
      const slots = Array.from({ length: meta.variables }, (_, i) =>
        Array.from({ length: meta.slotsPerVariable }, (_, j) => take(`${prefix}/${i}/${j}`)),
      );
      o.setState({ name: meta.name, t: meta.t, slots }, vars);
    };
    opt('optG', this.optG, st.optG, this.gVars);
    opt('optD', this.optD, st.optD, this.dVars);
    this.noiseRng.setState(st.noiseRng);
    if (st.penaltyRng) this.penaltyRng.setState(st.penaltyRng);
    if (st.codeRng && this.cond) this.cond.codeRng.setState(st.codeRng);
    this.stream.setState(st.stream);
    this.step = ck.step;
  }

  dispose(): void {
    this.cond?.dispose();
    this.optG.dispose();
    this.optD.dispose();
    this.generator.model.dispose();
    this.discriminator.model.dispose();
  }
}
