/**
 * Exponential moving average of the generator's weights (Yazıcı, Foo, Winkler, Yap, Piliouras &
 * Chandrasekhar 2019, "The Unusual Effectiveness of Averaging in GAN Training", ICLR, §3 (the exponential moving average);
 * used by Karras et al. 2018 (ProGAN) and every StyleGAN since):
 *   θ_EMA^(t) = β·θ_EMA^(t−1) + (1 − β)·θ^(t),   θ_EMA^(0) = θ^(0),
 * after every generator update, with β warmed up as β_t = min(β, (1 + t)/(10 + t)) at the t-th update
 * (Compat: TensorFlow's tf.train.ExponentialMovingAverage with num_updates), so that early samples
 * are not dominated by the initial weights (β = 0.999 would otherwise keep e^{-1} of θ^(0) after 1,000
 * steps). Training never reads θ_EMA; samples, evaluation and the exported
 * generator/ folder do (`samplingGenerator`). Non-trainable weights (BatchNorm's moving mean and
 * variance) are copied, not averaged, as in Karras et al.'s code (their buffers follow G's).
 *
 * θ_EMA lives in a second generator model of the same architecture; its weights are saved in
 * checkpoints (tensors S/ema/w/i), so a resumed run continues the same average.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Generator } from '../models/types.js';
import type { Stabiliser, StabiliserFactory, StabiliserSetup, StabiliserState } from './types.js';

type LayerWeight = { read(): tf.Tensor; write(v: tf.Tensor): unknown; trainable: boolean };

class Ema implements Stabiliser {
  readonly name = 'ema';
  private ema: Generator | undefined;
  private pairs: { src: LayerWeight; dst: LayerWeight }[] = [];
  /** Updates done so far (t), for the warm-up. */
  private updates = 0;

  constructor(readonly decay: number) {}

  attach(s: StabiliserSetup): void {
    this.ema = s.buildGenerator();
    const src = s.generator.model.weights as unknown as LayerWeight[];
    const dst = this.ema.model.weights as unknown as LayerWeight[];
    if (src.length !== dst.length) throw new Error('ema: the copy of G has another weight list');
    this.pairs = src.map((w, i) => ({ src: w, dst: dst[i]! }));
    for (const p of this.pairs) tf.tidy(() => { p.dst.write(tf.clone(p.src.read())); });
  }

  afterGeneratorStep(): void {
    const b = emaDecayAt(this.decay, this.updates);
    this.updates++;
    for (const { src, dst } of this.pairs) {
      const next = src.trainable ? emaUpdate(dst.read(), src.read(), b) : tf.clone(src.read());
      dst.write(next);
    }
  }

  samplingGenerator(): Generator | undefined {
    return this.ema;
  }

  getState(): StabiliserState {
    const tensors = new Map();
    this.pairs.forEach((p, i) => {
      const t = p.dst.read();
      tensors.set(`w/${i}`, { shape: t.shape.slice(), values: t.dataSync() as Float32Array });
    });
    return { json: { decay: this.decay, updates: this.updates }, tensors };
  }

  setState(state: StabiliserState): void {
    const updates = (state.json as { updates?: unknown }).updates;
    // Checkpoints written before the warm-up existed carry no count: treat them as warmed up.
    this.updates = typeof updates === 'number' ? updates : Number.MAX_SAFE_INTEGER;
    this.pairs.forEach((p, i) => {
      const t = state.tensors.get(`w/${i}`);
      if (!t || t.shape.join() !== p.dst.read().shape.join()) throw new Error(`ema: checkpoint has no fitting w/${i}`);
      tf.tidy(() => { p.dst.write(tf.tensor(t.values, t.shape, 'float32')); });
    });
  }

  dispose(): void {
    this.ema?.model.dispose();
    this.ema = undefined;
    this.pairs = [];
  }
}

/** The warmed-up decay of the t-th update (t from 0): min(β, (1 + t)/(10 + t)). */
export function emaDecayAt(beta: number, t: number): number {
  return Math.min(beta, (1 + t) / (10 + t));
}

/** β·avg + (1 − β)·x, written as avg + (1 − β)(x − avg) so β → 1 loses no precision in avg. */
export function emaUpdate(avg: tf.Tensor, x: tf.Tensor, beta: number): tf.Tensor {
  return tf.tidy(() => tf.add(avg, tf.mul(tf.sub(x, avg), 1 - beta)));
}

export const emaFactory: StabiliserFactory = {
  name: 'ema',
  flag: '--ema',
  create: (c) => (c.ema > 0 ? new Ema(c.ema) : undefined),
};
