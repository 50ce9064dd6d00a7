/**
 * The trainer's seam for conditional GANs and InfoGAN: which labels and codes each batch carries,
 * and the extra loss terms on D's auxiliary heads. The trainer asks it for a batch's inputs, passes
 * them to G and D, and adds `discriminatorLoss` / `generatorLoss` to its own; nothing else in the
 * trainer knows which kind of conditioning runs. Architectures live in models/conditioning.ts.
 *
 * Fake batches take the real batch's labels (so the label distribution is the data's, and WGAN-GP's
 * interpolates keep one label per pair). InfoGAN codes come from their own seeded stream.
 *
 * Losses (λ = the config's weights):
 *   acgan (Odena et al. 2017, eqs. 2–3, L_C = E[log P(C = c | X_real)] + E[log P(C = c | X_fake)]):
 *     D: + λ_aux · (CE(real) + w_fake · CE(fake));  G: + λ_aux · CE(fake).
 *     Compat: Odena et al.'s D maximises L_C on real and fake alike (w_fake = 1, `--aux-fake-weight 1`).
 *     Our default is w_fake = 0, D's classifier learns from real digits only: trained on fakes too,
 *     it learns G's own class cues, and G can satisfy it with digits no real-data classifier reads
 *     as their class (measured on MNIST, DCGAN, step 500: 28.7 % of samples read as the requested
 *     digit by the shipped classifier with w_fake = 1, 57.8 % with 0; bench/conditional-results.md).
 *     The real-only classifier is the "AC-GAN learns a biased distribution" remedy discussed by
 *     Shu, Bui & Ermon 2017 and Gong et al. 2019 (TAC-GAN); aux_fake_acc is still reported.
 *   InfoGAN (Chen et al. 2016, eq. 5, L_I(G, Q) = E[log Q(c | G(z, c))] + H(c) ≤ I(c; G(z, c))):
 *     categorical: CE between the drawn code and Q's logits; continuous: the Gaussian negative
 *     log-likelihood with unit variance, ½(c − μ)² per code (the constant ½·log 2π left out);
 *     both D (its body and Q head) and G minimise λ_cat · CE + λ_cont · ½Σ(c − μ)².
 *   The logged `mi_lower_bound` is L_I in nats on the last fake batch:
 *     log K' − CE + M · (log 2 − ½ log 2π) − ½ Σ_j (c_j − μ_j)²   (H of U(−1, 1) is log 2).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../defaults.js';
import { ConfigError } from '../errors.js';
import type { DataSource } from '../data/source.js';
import { lossDefaults } from '../losses/index.js';
import { checkConditioning, type ModelConditioning } from '../models/conditioning.js';
import type { CondInputs, DOutput } from '../models/types.js';
import type { Rng } from './rng.js';

/** Sources whose examples carry labels, for the message when a conditional run has none. */
export const LABELLED_SOURCES = 'mnist, idx:PATH with its labels file, cifar10:DIR, images:DIR with one subfolder per class';

/** One batch's conditioning: the model inputs plus the integer targets of the heads. */
export interface CondBatch extends CondInputs {
  labels?: tf.Tensor1D;   // [B] int32 class labels
  cat?: tf.Tensor1D;      // [B] int32 categorical code
  cont?: tf.Tensor2D;     // [B, M] continuous codes in [-1, 1]
}

/** The model conditioning a configuration asks for; ConfigErrors name the flag. */
export function conditioningFromConfig(c: TrainConfig, data: Pick<DataSource, 'numClasses' | 'spec'>): ModelConditioning {
  const mode = c.conditional;
  let classes = 0;
  if (mode !== 'none') {
    if (!data.numClasses) {
      throw new ConfigError(
        `--conditional ${mode} needs labelled data but ${data.spec} has no labels; use one of ${LABELLED_SOURCES}.`,
      );
    }
    classes = data.numClasses;
  }
  for (const [key, flag] of [['auxWeight', '--aux-weight'], ['infoLambdaCat', '--info-lambda-cat'], ['infoLambdaCont', '--info-lambda-cont']] as const) {
    if (!(Number.isFinite(c[key]) && c[key] >= 0)) throw new ConfigError(`${flag} must be a non-negative number, got ${c[key]}`);
  }
  return checkConditioning({ mode, classes, codes: { categorical: c.infoCategorical, continuous: c.infoContinuous } });
}

/**
 * The defaults of class-conditional runs (`--conditional cgan|acgan|projection`), between the
 * loss's paper defaults and --preset in resolveConfig's precedence. Measured on MNIST (DCGAN,
 * batch 64, shipped classifier, 2,000 samples; bench/conditional-results.md): at 3,000 steps acgan
 * reads 95.0 % as the requested digit but 2s and 3s stay under 90 %, cgan 94.4 % with 2s and 8s
 * under 90 %; the fraction still rises by 1–3 points per 1,000 steps there, so conditional runs
 * train 5,000 steps unless told otherwise. InfoGAN runs too: on the paper's net the categorical
 * code's accuracy still rose from 89 % at step 3,000 to 95 % at 5,000 on one seed of three.
 */
export function conditionalDefaults(
  mode: TrainConfig['conditional'] | undefined,
  chosen: Pick<Partial<TrainConfig>, 'infoCategorical' | 'infoContinuous'> & { loss: string },
): Partial<TrainConfig> {
  const info = (chosen.infoCategorical ?? 0) + (chosen.infoContinuous ?? 0) > 0;
  const out: Partial<TrainConfig> = (mode === undefined || mode === 'none') && !info ? {} : { steps: 5000 };
  // The WGAN losses keep their own papers' optimiser settings (lossDefaults).
  const ownRates = lossDefaults(chosen.loss).lrG !== undefined;
  if (info && !ownRates) Object.assign(out, INFOGAN_DEFAULTS);
  return out;
}

/**
 * InfoGAN runs (`--info-categorical`/`--info-continuous`): the paper's rates (Chen et al. 2016,
 * App. C: Adam, 2e−4 for D and 1e−3 for G). With images and `--arch auto` they also get the
 * paper's MNIST net (resolveConfig → models/infogan-net.ts). Measured on MNIST (seed 0, 10 + 2
 * codes, categorical-code accuracy after matching, bench/conditional-results.md): step 1,000 —
 * DCGAN at 2e−4/2e−4 16.7 %, DCGAN at 1e−3/2e−4 31.0 %, the paper's net at 1e−3/2e−4 69.0 %.
 * Compat: openai/InfoGAN's MNIST launcher uses these rates with batch 128 and U(−1, 1) noise; we
 * keep batch 64 and N(0, 1) noise, as every ganbox run: measured on seeds 0 and 2, batch 128 gave
 * 88.8 / 88.3 % and U(−1, 1) noise 87.7 / 80.6 % at step 5,000, against 89.1 / 94.8 % here.
 */
export const INFOGAN_DEFAULTS: Readonly<Partial<TrainConfig>> = { lrG: 1e-3, lrD: 2e-4 };

export class Conditioner {
  /** Scalars kept from the last losses, read (and released) by `metrics()`. */
  private readonly pending = new Map<string, tf.Tensor>();

  constructor(readonly model: ModelConditioning, private readonly config: TrainConfig, readonly codeRng: Rng) {}

  get usesLabels(): boolean {
    return this.model.mode !== 'none';
  }

  /** The conditioning of a batch of n: the real batch's labels (one-hot) and fresh codes. */
  batch(labels: tf.Tensor1D | undefined, n: number): CondBatch {
    const out: CondBatch = {};
    if (this.usesLabels) {
      if (!labels) throw new Error('ganbox internal error: a conditional batch without labels');
      out.labels = tf.clone(labels);
      out.y = tf.tidy(() => tf.cast(tf.oneHot(labels, this.model.classes), 'float32'));                   // [B, K]
    }
    const { categorical: k, continuous: m } = this.model.codes;
    if (k + m > 0) {
      const cat = Int32Array.from({ length: n }, () => this.codeRng.int(k || 1));
      const cont = this.codeRng.uniformArray(n * m, -1, 1);
      const parts: tf.Tensor[] = [];
      if (k > 0) { out.cat = tf.tensor1d(cat, 'int32'); parts.push(tf.tidy(() => tf.cast(tf.oneHot(out.cat!, k), 'float32'))); }
      if (m > 0) { out.cont = tf.tensor2d(cont, [n, m]); parts.push(out.cont); }
      out.c = parts.length === 1 ? tf.clone(parts[0]!) : tf.concat(parts, 1);      // [B, K' + M]
      if (k > 0) parts[0]!.dispose();
    }
    return out;
  }

  /** D's extra terms (acgan classifier on real and fake, InfoGAN on fake); undefined when none. Inside a tape. */
  discriminatorLoss(real: DOutput, fake: DOutput, b: CondBatch): tf.Scalar | undefined {
    const terms: tf.Scalar[] = [];
    if (this.model.mode === 'acgan') {
      const ceReal = this.classLoss(real, b, 'aux_real');
      const ceFake = this.classLoss(fake, b, 'aux_fake');
      const ce = this.config.auxFakeWeight > 0 ? tf.add(ceReal, tf.mul(this.config.auxFakeWeight, ceFake)) : ceReal; // ceFake still reports aux_fake_acc
      terms.push(tf.mul(this.config.auxWeight, ce) as tf.Scalar);
    }
    const info = this.infoLoss(fake, b);
    if (info) terms.push(info);
    return terms.length === 0 ? undefined : (terms.reduce((a, t) => tf.add(a, t)) as tf.Scalar);
  }

  /** G's extra terms (acgan classifier on fake, InfoGAN); undefined when none. Inside a tape. */
  generatorLoss(fake: DOutput, b: CondBatch): tf.Scalar | undefined {
    const terms: tf.Scalar[] = [];
    if (this.model.mode === 'acgan') terms.push(tf.mul(this.config.auxWeight, this.classLoss(fake, b)) as tf.Scalar);
    const info = this.infoLoss(fake, b);
    if (info) terms.push(info);
    return terms.length === 0 ? undefined : (terms.reduce((a, t) => tf.add(a, t)) as tf.Scalar);
  }

  /** The last values of the reported scalars (aux_real_acc, aux_fake_acc, mi_lower_bound, info_cat_acc). */
  metrics(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, t] of this.pending) { out[k] = t.dataSync()[0]!; t.dispose(); }
    this.pending.clear();
    return out;
  }

  dispose(): void {
    tf.dispose([...this.pending.values()]);
    this.pending.clear();
  }

  private keep(name: string, t: tf.Tensor): void {
    this.pending.get(name)?.dispose();
    this.pending.set(name, tf.keep(t));
  }

  /** Softmax cross-entropy of the acgan head against the labels (mean over the batch). */
  private classLoss(out: DOutput, b: CondBatch, report?: string): tf.Scalar {
    const logits = out.classLogits!;                                                 // [B, K]
    if (report) this.keep(`${report}_acc`, accuracy(logits, b.labels!));
    return tf.losses.softmaxCrossEntropy(b.y!, logits) as tf.Scalar;
  }

  private infoLoss(fake: DOutput, b: CondBatch): tf.Scalar | undefined {
    const { categorical: k, continuous: m } = this.model.codes;
    if (k + m === 0) return undefined;
    const q = fake.q!;                                                               // [B, K' + M]
    let loss: tf.Scalar = tf.scalar(0);
    let mi: tf.Scalar = tf.scalar(0);
    if (k > 0) {
      const logits = tf.slice(q, [0, 0], [-1, k]);                                   // [B, K']
      const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(b.cat!, k), logits) as tf.Scalar;
      loss = tf.add(loss, tf.mul(this.config.infoLambdaCat, ce));
      mi = tf.add(mi, tf.sub(Math.log(k), ce));
      this.keep('info_cat_acc', accuracy(logits, b.cat!));
    }
    if (m > 0) {
      const mu = tf.slice(q, [0, k], [-1, m]);                                       // [B, M]
      const nll = tf.mul(0.5, tf.mean(tf.sum(tf.square(tf.sub(b.cont!, mu)), 1))) as tf.Scalar;
      loss = tf.add(loss, tf.mul(this.config.infoLambdaCont, nll));
      mi = tf.add(mi, tf.sub(m * (Math.log(2) - 0.5 * Math.log(2 * Math.PI)), nll));
    }
    this.keep('mi_lower_bound', mi);
    return loss;
  }
}

/** Fraction of rows whose argmax equals the label. */
function accuracy(logits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')));
}

/** Release a batch's tensors. */
export function disposeCondBatch(b: CondBatch | undefined): void {
  if (b) tf.dispose([b.y, b.c, b.labels, b.cat, b.cont].filter((t): t is tf.Tensor => t !== undefined));
}
