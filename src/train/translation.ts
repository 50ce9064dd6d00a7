/**
 * The translation trainer: pix2pix or CycleGAN (translation-games.ts) on paired or unpaired image
 * data, with the seeded, resumable crop/flip streams of data/augment.ts and a learning rate that
 * is constant, then decays linearly to 0 (both papers' schedule). Like trainer.ts it touches no
 * files: translation-run.ts adds the run folder. It is a sibling of GanTrainer, not a mode of it:
 * the games have other inputs (an image, not noise), other networks and other losses.
 */
import * as tf from '@tensorflow/tfjs-core';
import { TRANSLATION_DEFAULTS, type TranslationConfig } from '../defaults.js';
import { ConfigError, NumericalError, unknownName } from '../errors.js';
import { AugmentedStream, centerCrop, type AugmentedStreamState } from '../data/augment.js';
import { splitPair, type TranslationData } from '../data/paired.js';
import type { CheckpointData, NamedArray } from './checkpoint.js';
import { Rng } from './rng.js';
import { resnetDownsampleFor } from '../models/index.js';
import { CycleGanGame, Pix2PixGame, type Direction, type TermMetrics, type TranslationGame } from './translation-games.js';

export const TRANSLATION_MODELS = ['pix2pix', 'cyclegan'] as const;

export interface TranslationMetrics extends TermMetrics {
  step: number;
  loss_d: number;
  loss_g: number;
  /** Learning rate used in this step (both optimisers). */
  lr: number;
}

/** Default load size for a crop size: the papers' 286 for 256, scaled (32 → 36). */
export const defaultLoadSize = (size: number) => Math.round((size * 286) / 256);

/** TRANSLATION_DEFAULTS merged with the options that are set; loadSize 0 resolved. */
export function resolveTranslationConfig(options: Partial<TranslationConfig> = {}): TranslationConfig {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<TranslationConfig>;
  const c: TranslationConfig = { ...TRANSLATION_DEFAULTS, ...given };
  if (!(TRANSLATION_MODELS as readonly string[]).includes(c.model)) throw unknownName('model', c.model, TRANSLATION_MODELS, '--model');
  if (c.generator !== '' && c.generator !== 'unet' && c.generator !== 'resnet') throw unknownName('generator', c.generator, ['unet', 'resnet'], '--generator');
  if (!c.loadSize) c.loadSize = defaultLoadSize(c.size);
  if (c.downsample < 0) c.downsample = resnetDownsampleFor(c.size);
  if (c.loadSize < c.size) throw new ConfigError(`--load-size ${c.loadSize} is smaller than --size ${c.size}; the random crop needs load size ≥ size.`);
  if (!(c.decayStart >= 0 && c.decayStart <= 1)) throw new ConfigError(`--decay-start ${c.decayStart} must be a fraction from 0 to 1.`);
  return c;
}

/** The learning rate after `done` steps of `total`: constant, then linear to 0 (lr·(total − t)/(total − start)). */
export function scheduledLr(lr: number, done: number, total: number, decayStart: number): number {
  const start = Math.floor(total * decayStart);
  if (done < start || total <= start) return lr;
  return lr * Math.max(0, (total - done) / (total - start));
}

/** Noise key of the fixed sample grids and of `ganbox translate` (training uses the step number). */
export const SAMPLE_NOISE_KEY = 0x7fffffff;

export class TranslationTrainer {
  readonly config: TranslationConfig;
  readonly game: TranslationGame;
  step = 0;
  private readonly streams: AugmentedStream[];

  constructor(readonly data: TranslationData, options: Partial<TranslationConfig> = {}) {
    const c = (this.config = resolveTranslationConfig(options));
    if (c.model === 'pix2pix' && !data.paired) {
      throw new ConfigError(`pix2pix needs paired data (pairs:DIR or pairs:DIR_A,DIR_B), but ${data.spec} is unpaired; use --model cyclegan.`);
    }
    if (data.loadSize < c.size) {
      throw new ConfigError(`--size ${c.size} is larger than the images of ${data.spec} (${data.loadSize} px).`);
    }
    const root = new Rng(c.seed);
    const shapes = { size: c.size, channelsA: data.channelsA, channelsB: data.channelsB };
    this.game = c.model === 'pix2pix' ? new Pix2PixGame(c, shapes, root.fork(1)) : new CycleGanGame(c, shapes, root.fork(1));
    const seed = (c.seed * 7919 + 17) >>> 0;
    const aug = { size: c.size, flip: c.flip };
    this.streams = data.paired && c.model === 'pix2pix'
      ? [new AugmentedStream(data.pairs!, c.batch, seed, aug)]
      : [new AugmentedStream(data.a, c.batch, seed, aug), new AugmentedStream(data.b, c.batch, (seed + 1) >>> 0, aug)];
  }

  /** The next A and B batches ([B, S, S, C_A], [B, S, S, C_B]); the caller disposes them. */
  nextBatch(): { a: tf.Tensor4D; b: tf.Tensor4D } {
    const { size, batch } = this.config;
    const { channelsA: ca, channelsB: cb } = this.data;
    if (this.streams.length === 1) {
      const { a, b } = splitPair(this.streams[0]!.next().x, ca, cb);
      return { a: tf.tensor4d(a, [batch, size, size, ca]), b: tf.tensor4d(b, [batch, size, size, cb]) };
    }
    return {
      a: tf.tensor4d(this.streams[0]!.next().x, [batch, size, size, ca]),
      b: tf.tensor4d(this.streams[1]!.next().x, [batch, size, size, cb]),
    };
  }

  trainStep(): TranslationMetrics {
    const c = this.config;
    const lr = scheduledLr(c.lr, this.step, c.steps, c.decayStart);
    for (const [, opt] of this.game.optimizers) opt.config.lr = lr;
    const { a, b } = this.nextBatch();
    let m: TermMetrics;
    try {
      m = this.game.step(a, b, this.step);
    } finally {
      tf.dispose([a, b]);
    }
    for (const k of ['loss_d', 'loss_g'] as const) {
      if (!Number.isFinite(m[k])) {
        throw new NumericalError(`training diverged at step ${this.step + 1}: ${k} is ${m[k]}; try a lower learning rate (--lr)`);
      }
    }
    this.step += 1;
    return { step: this.step, loss_d: m.loss_d!, loss_g: m.loss_g!, lr, ...m };
  }

  /** The first n images of A and of B, centre-cropped: the fixed inputs of the sample grids. */
  fixedImages(n: number): { a: Float32Array; b: Float32Array; n: number } {
    const take = (src: TranslationData['a']) => {
      const k = Math.min(n, src.length);
      const ex = src.take(Array.from({ length: k }, (_, i) => i));
      return { x: centerCrop(ex.x, k, src.shape, this.config.size), k };
    };
    const a = take(this.data.a), b = take(this.data.b);
    const k = Math.min(a.k, b.k);
    const s = this.config.size;
    return { a: a.x.subarray(0, k * s * s * this.data.channelsA), b: b.x.subarray(0, k * s * s * this.data.channelsB), n: k };
  }

  /** Translate images [n, S, S, C] (flattened) in a direction: flattened output. */
  translate(x: Float32Array, n: number, direction: Direction, noiseKey = SAMPLE_NOISE_KEY): Float32Array {
    const s = this.config.size;
    const cin = direction === 'AtoB' ? this.data.channelsA : this.data.channelsB;
    const t = tf.tensor4d(x, [n, s, s, cin]);
    try {
      const y = this.game.translate(t, direction, noiseKey);
      const v = y.dataSync().slice() as Float32Array;
      y.dispose();
      return v;
    } finally {
      t.dispose();
    }
  }

  /** Weights, optimisers, streams, pools: everything to continue exactly. */
  getCheckpoint(): CheckpointData {
    const tensors = new Map<string, NamedArray>();
    for (const [name, model] of this.game.networks) {
      model.weights.forEach((w, i) => {
        const t = w.read();
        tensors.set(`${name}/${i}`, { shape: t.shape.slice(), values: t.dataSync() as Float32Array });
      });
    }
    const opts: Record<string, unknown> = {};
    for (const [name, opt] of this.game.optimizers) {
      const s = opt.getState();
      s.slots.forEach((slots, i) => slots.forEach((x, j) => tensors.set(`${name}/${i}/${j}`, x)));
      opts[name] = { t: s.t, variables: s.slots.length, slotsPerVariable: s.slots[0]?.length ?? 0 };
    }
    const state = {
      kind: 'translation',
      optimizers: opts,
      streams: this.streams.map((s) => s.getState()),
      extra: this.game.getExtra(tensors),
      config: this.config,
    };
    return { step: this.step, state, tensors };
  }

  loadCheckpoint(ck: CheckpointData): void {
    const take = (name: string): NamedArray => {
      const t = ck.tensors.get(name);
      if (!t) throw new Error(`checkpoint has no tensor ${name}`);
      return t;
    };
    const st = ck.state as {
      kind?: string;
      optimizers: Record<string, { t: number; variables: number; slotsPerVariable: number }>;
      streams: AugmentedStreamState[];
      extra?: Record<string, unknown>;
    };
    if (st.kind !== 'translation') throw new Error('not a translation checkpoint');
    for (const [name, model] of this.game.networks) {
      model.weights.forEach((w, i) => {
        const t = take(`${name}/${i}`);
        if (t.shape.join() !== w.read().shape.join()) throw new Error(`checkpoint ${name}/${i} has shape ${t.shape}`);
        tf.tidy(() => { w.write(tf.tensor(t.values, t.shape, 'float32')); });
      });
    }
    for (const [name, opt, vars] of this.game.optimizers) {
      const meta = st.optimizers[name];
      if (!meta) throw new Error(`checkpoint has no optimiser ${name}`);
      const slots = Array.from({ length: meta.variables }, (_, i) =>
        Array.from({ length: meta.slotsPerVariable }, (_, j) => take(`${name}/${i}/${j}`)));
      opt.setState({ name: 'adam', t: meta.t, slots }, vars);
    }
    if (st.streams.length !== this.streams.length) throw new Error('checkpoint has another number of data streams');
    st.streams.forEach((s, i) => this.streams[i]!.setState(s));
    this.game.setExtra(st.extra, ck.tensors);
    this.step = ck.step;
  }

  weightsFinite(): boolean {
    return tf.tidy(() => this.game.networks.every(([, m]) => m.weights.every((w) => tf.all(tf.isFinite(w.read())).dataSync()[0] === 1)));
  }

  dispose(): void {
    this.game.dispose();
  }
}
