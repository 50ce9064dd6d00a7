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
import { assert, ConfigError, NumericalError } from '../errors.js';
import { lossDefaults, lossFromConfig } from '../losses/index.js';
import type { GanLoss } from '../losses/types.js';
import { buildModels } from '../models/index.js';
import { discriminate, generate, trainableVariables, type Discriminator, type Generator } from '../models/types.js';
import { Conditioner, conditionalDefaults, conditioningFromConfig, disposeCondBatch, type CondBatch } from './conditioner.js';
import type { DataSource } from '../data/source.js';
import { BatchStream } from '../data/batches.js';
import { Optimizer } from './optimizers.js';
import { Rng, type RngState } from './rng.js';
import type { CheckpointData, NamedArray } from './checkpoint.js';
import { StabiliserStack } from '../stabilisers/index.js';
import { presetValues } from '../stabilisers/presets.js';
import type { StepDiagnostics } from '../stabilisers/diagnostics.js';

/**
 * What one generator step reports (the columns of metrics.jsonl); the collapse diagnostics
 * (D's accuracies, logit gap, gradient norms) are described in stabilisers/diagnostics.ts.
 */
export interface StepMetrics extends StepDiagnostics {
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
  /** Conditional runs (train/conditioner.ts): acgan's auxiliary classifier accuracy on real and fake. */
  aux_real_acc?: number;
  aux_fake_acc?: number;
  /** InfoGAN: the mutual-information lower bound L_I (nats) and Q's accuracy on the categorical code. */
  mi_lower_bound?: number;
  info_cat_acc?: number;
}

/** What one discriminator update reports. */
export type DStepMetrics = Omit<StepMetrics, 'step' | 'loss_g' | 'grad_norm_g'>;

/** A discriminator step's scalars, before they are read. */
type DStepTensors = {
  lossD: tf.Scalar; value: tf.Scalar; dReal: tf.Scalar; dFake: tf.Scalar;
  accReal: tf.Scalar; accFake: tf.Scalar; gap: tf.Scalar; gradNormD: tf.Scalar;
};

/** What one discriminator step measured. */
type DStepResult = {
  lossD: number;
  /** D's loss without its penalty term (its negative is the logged `value`). */
  value: number;
  dReal: number;
  dFake: number;
  diag: Omit<StepDiagnostics, 'grad_norm_g'>;
};

/** The resolved configuration: TRAIN_DEFAULTS merged with the user's options and arch defaults. */
/**
 * Precedence (see defaults.ts): the user's options (keys whose value is not undefined), then the
 * --preset's values (stabilisers/presets.ts), then the conditional runs' defaults
 * (conditionalDefaults), then the loss's paper defaults (lossDefaults), then TRAIN_DEFAULTS. A
 * saved config.json is complete, so a resumed run is unaffected by these defaults and presets.
 */
export function resolveConfig(options: Partial<TrainConfig> = {}, kind?: 'images' | 'points'): TrainConfig {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<TrainConfig>;
  const preset = presetValues(given.preset, kind); // --preset: above the loss's defaults, below the user's flags
  const loss = given.loss ?? preset.loss ?? TRAIN_DEFAULTS.loss;
  const c: TrainConfig = {
    ...TRAIN_DEFAULTS, ...lossDefaults(loss),
    ...conditionalDefaults(given.conditional ?? preset.conditional, { ...preset, ...given, loss }), ...preset, ...given,
  };
  // Images: DCGAN, or the InfoGAN paper's net when the run has InfoGAN codes (conditioner.ts).
  if (kind !== undefined && c.arch === 'auto') c.arch = kind === 'points' ? 'mlp' : c.infoCategorical + c.infoContinuous > 0 ? 'infogan' : 'dcgan';
  if (c.arch !== 'auto') {
    const d = ARCH_DEFAULTS[c.arch];
    if (!c.latentDim) c.latentDim = d.latentDim;
    if (!c.width) c.width = d.width;
  }
  return c;
}

/** ‖(g₁, …, g_n)‖₂ over every element of every tensor (a diagnostic), as a kept scalar read with the step's other numbers. */
function globalNorm(gs: tf.Tensor[]): tf.Scalar {
  return tf.keep(tf.tidy(() => tf.sqrt(tf.addN(gs.map((g) => tf.sum(tf.square(g)))))) as tf.Scalar);
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
  /** The configured stabilisers (spectral norm, EMA, R1/R2, DiffAugment, packing…), composed. */
  readonly stabilisers: StabiliserStack;
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
    this.stabilisers = new StabiliserStack(c, data.kind);
    const modelOptions = {
      arch: c.arch, dataShape: [...data.shape], latentDim: c.latentDim, width: c.width, depth: c.depth,
      discriminatorShape: this.stabilisers.discriminatorShape(data.shape),
    };
    const conditioning = conditioningFromConfig(c, data);
    // buildModels draws G's then D's initial weights from initRng: the seed fixes both.
    const { generator, discriminator } = buildModels({ ...modelOptions, conditioning }, initRng);
    const plain = conditioning.mode === 'none' && conditioning.codes.categorical + conditioning.codes.continuous === 0;
    this.cond = plain ? undefined : new Conditioner(conditioning, c, root.fork(6));
    if (this.cond && modelOptions.discriminatorShape.join() !== data.shape.join()) {
      throw new ConfigError('--pack does not combine with --conditional or --info-*: a packed D sees examples of different labels at once');
    }
    this.generator = generator;
    this.discriminator = discriminator;
    this.loss.prepare?.(discriminator);
    this.gVars = trainableVariables(generator.model);
    this.dVars = trainableVariables(discriminator.model);
    this.stream = new BatchStream(data, c.batch, (c.seed * 7919 + 17) >>> 0);
    this.optG = new Optimizer({ name: c.optG, lr: c.lrG, beta1: c.beta1, beta2: c.beta2, eps: c.eps });
    this.optD = new Optimizer({ name: c.optD, lr: c.lrD, beta1: c.beta1, beta2: c.beta2, eps: c.eps });
    this.stabilisers.attach({
      config: c, generator, discriminator, gVars: this.gVars, dVars: this.dVars, dataShape: [...data.shape], optD: this.optD,
      buildGenerator: () => {
        const m = buildModels({ ...modelOptions, conditioning }, new Rng(0)); // weights overwritten by the caller
        m.discriminator.model.dispose();
        return m.generator;
      },
    }, root);
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
    const noDiag = { d_acc_real: NaN, d_acc_fake: NaN, logit_gap: NaN, grad_norm_d: NaN };
    let d: DStepResult = { lossD: NaN, value: NaN, dReal: NaN, dFake: NaN, diag: noDiag };
    for (let k = 0; k < c.dSteps - 1; k++) {
      const [real, cb] = this.nextReal();
      const z = this.noise(c.batch);
      try {
        d = this.readD(tf.tidy(() => this.discriminatorStep(real, generate(this.generator, z, true, cb), cb)));
      } finally {
        tf.dispose([real, z]);
        disposeCondBatch(cb);
      }
      if (!Number.isFinite(d.lossD)) throw this.divergence('loss_d', d.lossD);
    }
    const [real, cb] = this.nextReal();
    const z = this.noise(c.batch);
    let lossG: number;
    let gradNormG: number;
    try {
      let dt: DStepTensors | undefined;
      let normG: tf.Scalar | undefined;
      const lossGT = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const fake = generate(this.generator, z, true, cb); // [B, ...shape], computed once
          dt = this.discriminatorStep(real, fake, cb);
          return this.generatorLoss(real, fake, cb); // with the updated D
        }, this.gVars);
        normG = globalNorm(this.gVars.map((x) => grads[x.name]!));
        this.updateGenerator(grads);
        return value;
      });
      // The step's numbers are read once, after the whole step was expressed: a backend that
      // records kernels (the onnxruntime engine) then runs the step as one graph whose only outputs
      // are the new weights, the optimiser state and these scalars.
      d = this.readD(dt!);
      lossG = lossGT.dataSync()[0]!;
      gradNormG = normG!.dataSync()[0]!;
      tf.dispose([lossGT, normG!]);
    } finally {
      tf.dispose([real, z]);
      disposeCondBatch(cb);
    }
    if (!Number.isFinite(d.lossD)) throw this.divergence('loss_d', d.lossD);
    if (!Number.isFinite(lossG)) throw this.divergence('loss_g', lossG);
    this.step += 1;
    return {
      step: this.step, loss_d: d.lossD, loss_g: lossG, value: -d.value, d_real: d.dReal, d_fake: d.dFake,
      ...d.diag, grad_norm_g: gradNormG,
      ...this.cond?.metrics(),
    };
  }

  /**
   * G's loss on a fake batch: D's logits on it and, for feature matching, D's features on it and
   * on the real batch, or, for the perceptual loss, the images themselves. Call inside a tape.
   */
  private generatorLoss(real: tf.Tensor | undefined, fake: tf.Tensor, cb?: CondBatch): tf.Scalar {
    const s = this.stabilisers;
    const unbind = s.bindForGenerator({ fake, dLoss: (f) => s.withDiscriminator(() => this.discriminatorBaseLoss(real!, f, cb)) });
    let base: tf.Scalar;
    try {
      base = s.withDiscriminator(() => this.generatorBaseLoss(real, fake, cb));
    } finally {
      unbind();
    }
    const extra = s.generatorPenalty({ gVars: this.gVars });
    return extra ? (tf.add(base, extra) as tf.Scalar) : base;
  }

  /** The loss's G term (plus the conditioner's: acgan's class term, InfoGAN's −λ·L_I). */
  private generatorBaseLoss(real: tf.Tensor | undefined, fake: tf.Tensor, cb?: CondBatch): tf.Scalar {
    const loss = this.loss;
    const s = this.stabilisers;
    const out = s.discriminate(this.discriminator, s.transformD(fake, 'fake'), cb);
    const condExtra = cb && this.cond?.generatorLoss(out, cb);
    const plus = (x: tf.Scalar): tf.Scalar => (condExtra ? (tf.add(x, condExtra) as tf.Scalar) : x);
    if (!loss.usesImages && !loss.usesFeatures) return plus(loss.generator(out.logit));
    assert(real !== undefined, 'feature matching and the perceptual loss need the real batch');
    if (loss.usesImages) return plus(loss.generator(out.logit, { real: { image: real }, fake: { image: fake } }));
    const realFeatures = s.discriminate(this.discriminator, s.transformD(real, 'real'), cb).features;
    return plus(loss.generator(out.logit, { real: realFeatures, fake: out.features }));
  }

  /** D's loss term alone (no penalties) on a real and a fake batch, D as currently bound (unrolled D). */
  private discriminatorBaseLoss(real: tf.Tensor, fake: tf.Tensor, cb?: CondBatch): tf.Scalar {
    const s = this.stabilisers;
    const critic = (x: tf.Tensor) => s.discriminate(this.discriminator, x, cb).logit;
    return this.loss.discriminator(critic(s.transformD(real, 'real')), critic(s.transformD(fake, 'fake')));
  }

  /** G's optimiser update from a variableGrads result, then the stabilisers' after-step hooks (EMA). */
  private updateGenerator(grads: tf.NamedTensorMap): void {
    this.optG.apply(this.gVars, this.gVars.map((x) => grads[x.name]!));
    this.stabilisers.afterGeneratorStep(this.gVars);
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
      d = this.readD(tf.tidy(() => this.discriminatorStep(real, generate(this.generator, z, true, cb), cb)));
    } finally {
      tf.dispose([real, z]);
      disposeCondBatch(cb);
      this.cond?.metrics();
    }
    if (!Number.isFinite(d.lossD)) throw this.divergence('loss_d', d.lossD);
    return { loss_d: d.lossD, value: -d.value, d_real: d.dReal, d_fake: d.dFake, ...d.diag };
  }

  /** One generator update alone, on fresh noise (the playground's "step G"); counts as a step. */
  stepGenerator(): { step: number; loss_g: number } {
    const z = this.noise(this.config.batch);
    const needsReal = this.loss.usesFeatures || this.loss.usesImages || this.stabilisers.wantsRealForGenerator;
    let [real, cb] = needsReal || this.cond?.usesLabels ? this.nextReal() : [undefined, this.cond?.batch(undefined, this.config.batch)];
    if (!needsReal) { real?.dispose(); real = undefined; }
    let lossG: number;
    try {
      lossG = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => this.generatorLoss(real, generate(this.generator, z, true, cb), cb), this.gVars);
        this.updateGenerator(grads);
        return value.dataSync()[0]!;
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
   * One discriminator step on a real and a fake batch: D's loss (plus the loss's and the
   * stabilisers' penalties), its gradient with respect to D's variables only, the optimiser update
   * and the after-step hooks (weight clipping, spectral norm's power iteration). Returns its scalars
   * as kept tensors, read by `readD` once the step has been expressed; a loss that is not finite is
   * reported by the caller as a divergence (the run stops at its last good checkpoint). Call inside a tidy.
   */
  private discriminatorStep(real: tf.Tensor, fake: tf.Tensor, cb?: CondBatch): DStepTensors {
    const loss = this.loss;
    const report = loss.report ?? tf.sigmoid;
    const s = this.stabilisers;
    const critic = (x: tf.Tensor) => s.discriminate(this.discriminator, x, cb).logit;
    let kept: tf.Scalar[] = [];
    s.beforeDiscriminatorStep();
    const { value, grads } = tf.variableGrads(() => s.withDiscriminator(() => {
      // D's inputs after the stabilisers' transforms (augmentation, packing): [B', ...D's shape]
      const realIn = s.transformD(real, 'real');
      const fakeIn = s.transformD(fake, 'fake');
      const realOut = s.discriminate(this.discriminator, realIn, cb);
      const fakeOut = s.discriminate(this.discriminator, fakeIn, cb);
      const realLogit = realOut.logit; // [B', 1]
      const fakeLogit = fakeOut.logit; // [B', 1]
      const base = loss.discriminator(realLogit, fakeLogit);
      kept = [
        tf.keep(tf.mean(report(realLogit))), tf.keep(tf.mean(report(fakeLogit))), tf.keep(base),
        tf.keep(tf.mean(tf.cast(tf.greater(realLogit, 0), 'float32'))), // D's accuracy on real
        tf.keep(tf.mean(tf.cast(tf.less(fakeLogit, 0), 'float32'))), // and on fake
        tf.keep(tf.sub(tf.mean(realLogit), tf.mean(fakeLogit))), // logit gap
      ] as tf.Scalar[];
      let total: tf.Scalar = base;
      const condExtra = cb && this.cond?.discriminatorLoss(realOut, fakeOut, cb);
      if (condExtra) total = tf.add(total, condExtra);
      if (loss.penalty) total = tf.add(total, loss.penalty({ real: realIn, fake: fakeIn, critic, rng: this.penaltyRng }));
      const extra = s.discriminatorPenalty({ real: realIn, fake: fakeIn, critic, dVars: this.dVars });
      return extra ? (tf.add(total, extra) as tf.Scalar) : total;
    }), this.dVars);
    const gradNormD = globalNorm(this.dVars.map((x) => grads[x.name]!));
    this.optD.apply(this.dVars, this.dVars.map((x) => grads[x.name]!));
    loss.afterDiscriminatorStep?.(this.dVars);
    s.afterDiscriminatorStep(this.dVars);
    const [dReal, dFake, base, accReal, accFake, gap] = kept as [tf.Scalar, tf.Scalar, tf.Scalar, tf.Scalar, tf.Scalar, tf.Scalar];
    return { lossD: tf.keep(value), value: base, dReal, dFake, accReal, accFake, gap, gradNormD };
  }

  /** The numbers of a discriminator step (computing it, on a recording backend); disposes its tensors. */
  private readD(t: DStepTensors): DStepResult {
    const n = (x: tf.Scalar) => x.dataSync()[0]!;
    const r: DStepResult = {
      lossD: n(t.lossD), value: n(t.value), dReal: n(t.dReal), dFake: n(t.dFake),
      diag: { d_acc_real: n(t.accReal), d_acc_fake: n(t.accFake), logit_gap: n(t.gap), grad_norm_d: n(t.gradNormD) },
    };
    tf.dispose(Object.values(t));
    return r;
  }

  private divergence(which: string, v: number): NumericalError {
    return new NumericalError(
      `training diverged at step ${this.step + 1}: ${which} is ${v}; try a lower learning rate (--lr-d/--lr-g) ` +
        `or another loss (--loss)`,
    );
  }

  /**
   * Images or points from the sampling generator (G's EMA with --ema, else G) in inference mode:
   * [n, ...shape] in [-1, 1]. Conditional runs default to `fixedCond(n)`: labels 0, 1, …, K−1, 0, …
   * and fixed codes.
   */
  sample(z: tf.Tensor2D, cond?: CondBatch): tf.Tensor {
    const own = cond === undefined && this.cond ? this.fixedCond(z.shape[0]) : undefined;
    try {
      return tf.tidy(() => generate(this.samplingGenerator, z, false, cond ?? own));
    } finally {
      disposeCondBatch(own);
    }
  }

  /** The generator for samples, evaluation and export: G's EMA with --ema, else G itself. */
  get samplingGenerator(): Generator {
    return this.stabilisers.samplingGenerator(this.generator);
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
    const stab = this.stabilisers.getState();
    for (const [k, v] of stab.tensors) tensors.set(k, v);
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
      ...(this.stabilisers.items.length > 0 ? { stabilisers: stab.json } : {}),
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
    this.stabilisers.setState((ck.state as { stabilisers?: Record<string, unknown> }).stabilisers, ck.tensors);
    this.step = ck.step;
  }

  dispose(): void {
    this.stabilisers.dispose();
    this.cond?.dispose();
    this.optG.dispose();
    this.optD.dispose();
    this.generator.model.dispose();
    this.discriminator.model.dispose();
  }
}
