/**
 * Conditioning as a model option: the pieces mlp.ts and dcgan.ts call at fixed points so that one
 * builder serves the unconditional net, the three class-conditional GANs and InfoGAN.
 *
 *   cgan        Mirza & Osindero 2014, "Conditional Generative Adversarial Nets" (§3.2): the label y
 *               is fed to both nets — G gets [z, y], D gets [x, y] (for images, y as K constant
 *               input planes, the usual convolutional form of their joined input layer).
 *   acgan       Odena, Olah & Shlens 2017, "Conditional Image Synthesis with Auxiliary Classifier GANs"
 *               (§3, eqs. 2–3): G gets [z, y]; D sees x only and has a second head, class logits
 *               over K classes, trained by cross-entropy on real and fake batches.
 *   projection  Miyato & Koyama 2018, "cGANs with Projection Discriminator" (eq. 3): D's logit is
 *               ψ(φ(x)) + e(y)ᵀφ(x), φ the last hidden features; G (dcgan) uses class-conditional
 *               BatchNorm, γ_y·x̂ + β_y (§4, after de Vries et al. 2017 / Dumoulin et al. 2017), written
 *               here as (1 + Γy)·BN(x) + By with Γ, B K×C matrices (see generatorBatchNorm). The mlp
 *               generator has no BatchNorm: it joins y to z as cgan does.
 *   InfoGAN     Chen et al. 2016 (§5): codes c = [one-hot categorical (K), continuous (M) ~ U(−1, 1)]
 *               joined to z; D gains a Q head sharing its body: one Dense(128)+LeakyReLU, then K
 *               logits and M means (a factored Gaussian with unit variance).
 * In cgan/acgan G and cgan D the one-hot label itself is joined (as Mirza & Osindero do): for images
 * D gets K constant label planes (the common conditional-DCGAN form), since the first layer's weights
 * are the embedding anyway. Projection's e(y) is a Dense layer without bias on the one-hot label,
 * i.e. an embedding table V (K × F). Labels enter every model as one-hot rows, so the models stay plain tfjs-layers
 * graphs that a browser loads unchanged; input names: z, y (labels), c (codes).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { ConfigError } from '../errors.js';
import { batchNorm, dense, leakyRelu, type Sym } from './layers.js';

export const CONDITIONAL_MODES = ['none', 'cgan', 'acgan', 'projection'] as const;
export type ConditionalMode = (typeof CONDITIONAL_MODES)[number];

/** What conditions a model; `classes` 0 and no codes = the unconditional model. */
export interface ModelConditioning {
  mode: ConditionalMode;
  /** Number of label classes (K); 0 when mode is 'none'. */
  classes: number;
  /** InfoGAN codes: categorical size (0 = none) and continuous count (0 = none). */
  codes: { categorical: number; continuous: number };
}

export const NO_CONDITIONING: ModelConditioning = { mode: 'none', classes: 0, codes: { categorical: 0, continuous: 0 } };

/** Width of the InfoGAN Q head's hidden layer (Chen et al. 2016, App. C: FC 128 for MNIST). */
export const Q_HIDDEN = 128;

export function codeSize(c: ModelConditioning): number {
  return c.codes.categorical + c.codes.continuous;
}

/** Checks a conditioning description; ConfigErrors name the flag. */
export function checkConditioning(c: ModelConditioning): ModelConditioning {
  if (!(CONDITIONAL_MODES as readonly string[]).includes(c.mode)) {
    throw new ConfigError(`--conditional must be one of ${CONDITIONAL_MODES.join(', ')}, got '${c.mode}'`);
  }
  if (c.mode !== 'none' && (!Number.isInteger(c.classes) || c.classes < 2)) {
    throw new ConfigError(`--conditional ${c.mode} needs at least 2 classes, got ${c.classes}`);
  }
  if (c.mode === 'none' && c.classes !== 0) throw new ConfigError(`classes (${c.classes}) given without --conditional`);
  const { categorical, continuous } = c.codes;
  if (!Number.isInteger(categorical) || categorical < 0 || categorical === 1) {
    throw new ConfigError(`--info-categorical must be 0 (off) or an integer ≥ 2, got ${categorical}`);
  }
  if (!Number.isInteger(continuous) || continuous < 0) {
    throw new ConfigError(`--info-continuous must be a non-negative integer, got ${continuous}`);
  }
  return c;
}

/** G's symbolic inputs and the vector its first layer reads: [z, y?, c?]. */
export interface GeneratorInputs {
  inputs: Sym[];
  /** The joined input [B, latentDim + …]. */
  joined: Sym;
  /** The one-hot label input, for class-conditional BatchNorm. */
  y?: Sym;
}

export function generatorInputs(latentDim: number, c: ModelConditioning, arch: 'mlp' | 'dcgan'): GeneratorInputs {
  const z = tfl.input({ shape: [latentDim], name: 'z' });                              // [B, nz]
  const inputs: Sym[] = [z];
  const parts: Sym[] = [z];
  let y: Sym | undefined;
  if (c.mode !== 'none') {
    y = tfl.input({ shape: [c.classes], name: 'y' });                                  // [B, K] one-hot
    inputs.push(y);
    // projection with dcgan conditions G through its BatchNorms instead.
    if (!(c.mode === 'projection' && arch === 'dcgan')) {
      parts.push(y);
    }
  }
  if (codeSize(c) > 0) {
    const codes = tfl.input({ shape: [codeSize(c)], name: 'c' });                      // [B, K' + M]
    inputs.push(codes);
    parts.push(codes);
  }
  const joined = parts.length === 1 ? z : (tfl.layers.concatenate({ axis: -1, name: 'g_join' }).apply(parts) as Sym);
  return { inputs, joined, y };
}

/**
 * G's BatchNorm: the stock one, or with projection the class-conditional one. It is written as the
 * stock layer (shared γ, β) followed by a per-class affine, (1 + Γy)·BN(x) + By over channels, so
 * γ_y = γ·(1 + Γy) and β_y = β·(1 + Γy) + By: any per-class affine of x̂, starting near the shared one.
 * (tfjs-layers 4.22's BatchNormalization with scale: false fails in training mode, reading its
 * absent γ; the stock layer avoids that.)
 */
export function generatorBatchNorm(h: Sym, name: string, y: Sym | undefined, c: ModelConditioning): Sym {
  const norm = batchNorm(name).apply(h) as Sym;                                         // [B, …, C]
  if (c.mode !== 'projection' || !y) return norm;
  const channels = h.shape[h.shape.length - 1] as number;
  const lift = (s: Sym, n: string) => h.shape.length === 4
    ? (tfl.layers.reshape({ targetShape: [1, 1, channels], name: n }).apply(s) as Sym)  // [B, 1, 1, C]
    : s;
  const gamma = lift(dense(channels, `${name}_gamma`, false).apply(y) as Sym, `${name}_gamma_r`);
  const beta = lift(dense(channels, `${name}_beta`, false).apply(y) as Sym, `${name}_beta_r`);
  const scaled = tfl.layers.multiply({ name: `${name}_scale` }).apply([norm, gamma]) as Sym;
  return tfl.layers.add({ name: `${name}_cond` }).apply([norm, scaled, beta]) as Sym;
}

/** D's symbolic inputs and its input joined with the label for cgan. */
export interface DiscriminatorInputs {
  inputs: Sym[];
  /** x, or for cgan x joined with y (as K planes for images, appended for flat inputs). */
  joined: Sym;
  y?: Sym;
}

export function discriminatorInputs(inputShape: number[], c: ModelConditioning, flatten: boolean): DiscriminatorInputs {
  const x = tfl.input({ shape: inputShape, name: 'x' });                                // [B, ...shape]
  let joined: Sym = x;
  if (flatten && inputShape.length > 1) joined = tfl.layers.flatten({ name: 'd_flatten_in' }).apply(x) as Sym;
  if (c.mode !== 'cgan' && c.mode !== 'projection') return { inputs: [x], joined };
  const y = tfl.input({ shape: [c.classes], name: 'y' });                               // [B, K]
  if (c.mode === 'cgan') {
    if (joined.shape.length === 4) {
      const [h, w] = inputShape as [number, number];
      let maps = tfl.layers.reshape({ targetShape: [1, 1, c.classes], name: 'd_label_r' }).apply(y) as Sym; // [B, 1, 1, K]
      maps = tfl.layers.upSampling2d({ size: [h, w], name: 'd_label_maps' }).apply(maps) as Sym;          // [B, H, W, K]
      joined = tfl.layers.concatenate({ axis: -1, name: 'd_join' }).apply([joined, maps]) as Sym;         // [B, H, W, C+K]
    } else {
      joined = tfl.layers.concatenate({ axis: -1, name: 'd_join' }).apply([joined, y]) as Sym;            // [B, F+K]
    }
  }
  return { inputs: [x, y], joined, y };
}

/**
 * D's heads on its last hidden features φ [B, F]: the logit (plus e(y)ᵀφ for projection), then the
 * auxiliary classifier's K logits (acgan) and the Q head's K' + M outputs (InfoGAN), in that order.
 * `qBatchNorm`: BatchNorm in the Q head's hidden layer (Chen et al. 2016, App. C: FC 128-BN-lReLU),
 * used by the InfoGAN paper's net (infogan-net.ts).
 */
export function discriminatorHeads(
  phi: Sym, y: Sym | undefined, c: ModelConditioning, qBatchNorm = false,
): { logit: Sym; extra: Sym[]; extraNames: string[] } {
  let logit = dense(1, 'd_logit').apply(phi) as Sym;                                    // [B, 1]
  if (c.mode === 'projection') {
    const f = phi.shape[phi.shape.length - 1] as number;
    const e = dense(f, 'd_project', false).apply(y!) as Sym;                            // [B, F]
    const inner = tfl.layers.dot({ axes: 1, name: 'd_project_dot' }).apply([e, phi]) as Sym; // [B, 1]
    logit = tfl.layers.add({ name: 'd_logit_proj' }).apply([logit, inner]) as Sym;
  }
  const extra: Sym[] = [];
  const extraNames: string[] = [];
  if (c.mode === 'acgan') {
    extra.push(dense(c.classes, 'd_aux_class').apply(phi) as Sym);                      // [B, K]
    extraNames.push('classLogits');
  }
  if (codeSize(c) > 0) {
    let q = dense(Q_HIDDEN, 'd_q_hidden', !qBatchNorm).apply(phi) as Sym;                // [B, 128]
    if (qBatchNorm) q = batchNorm('d_q_bn').apply(q) as Sym;
    q = leakyRelu('d_q_lrelu').apply(q) as Sym;
    extra.push(dense(codeSize(c), 'd_q_out').apply(q) as Sym);                           // [B, K' + M]
    extraNames.push('q');
  }
  return { logit, extra, extraNames };
}
