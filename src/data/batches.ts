/**
 * Seeded, resumable batches from any DataSource.
 *
 * Finite sources: epoch e visits the examples in the order of a permutation drawn from
 * `new Rng(seed ^ DATA_SALT).fork(e)`, so the whole state is {epoch, cursor}. Each epoch yields
 * floor(length / batchSize) full batches; the last length mod batchSize examples of that epoch's
 * order are dropped (a different few each epoch), so every batch has the same size and none
 * straddles two epochs.
 * Distributions: `sample(batchSize, rng)` with an Rng seeded from `seed ^ DATA_SALT`; its state is
 * saved. The salt keeps the data stream independent of other streams (e.g. latent noise) that a
 * caller derives from the same seed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors.js';
import { Rng, type RngState } from '../train/rng.js';
import type { DataSource, Examples } from './source.js';

/** Mixed into the seed so data order is not correlated with other `new Rng(seed)` streams. */
const DATA_SALT = 0x5eedda7a;

export type BatchStreamState =
  | { kind: 'finite'; seed: number; batchSize: number; epoch: number; cursor: number }
  | { kind: 'distribution'; seed: number; batchSize: number; rng: RngState };

export interface Batch {
  x: tf.Tensor; // [B, H, W, C] for images, [B, D] for points; float32
  labels?: tf.Tensor1D; // [B] int32, when the source has labels
}

export class BatchStream {
  private seed: number;
  private epoch = 0;
  private cursor = 0; // batches already served in this epoch
  private order: Uint32Array | undefined; // permutation for `orderEpoch`
  private orderEpoch = -1;
  private rng: Rng | undefined;

  constructor(readonly source: DataSource, readonly batchSize: number, seed: number) {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ConfigError(`batch size ${batchSize} (--batch) must be a positive integer.`);
    }
    if (source.finite && source.length < batchSize) {
      throw new ConfigError(
        `batch size ${batchSize} (--batch) is larger than ${source.spec}, which has ${source.length} examples; use a smaller batch.`,
      );
    }
    this.seed = seed >>> 0;
    if (!source.finite) this.rng = new Rng((this.seed ^ DATA_SALT) >>> 0);
  }

  /** Full batches per epoch (finite sources); Infinity for distributions. */
  get batchesPerEpoch(): number {
    return this.source.finite ? Math.floor(this.source.length / this.batchSize) : Infinity;
  }

  /** Epochs completed so far (finite sources; 0 for distributions). */
  get epochsDone(): number {
    return this.epoch;
  }

  private permutation(epoch: number, length: number): Uint32Array {
    if (this.orderEpoch !== epoch || !this.order) {
      this.order = new Rng((this.seed ^ DATA_SALT) >>> 0).fork(epoch).permutation(length);
      this.orderEpoch = epoch;
    }
    return this.order;
  }

  /** The next batch as plain arrays. */
  nextExamples(): Examples {
    const src = this.source;
    if (!src.finite) return src.sample(this.batchSize, this.rng!);
    if (this.cursor >= this.batchesPerEpoch) { this.epoch++; this.cursor = 0; }
    const order = this.permutation(this.epoch, src.length);
    const start = this.cursor * this.batchSize;
    this.cursor++;
    return src.take(order.subarray(start, start + this.batchSize));
  }

  /** The next batch as tensors on the active backend; the caller disposes them. */
  next(): Batch {
    const ex = this.nextExamples();
    const x = tf.tensor(ex.x, [ex.n, ...this.source.shape], 'float32');
    return ex.labels ? { x, labels: tf.tensor1d(ex.labels, 'int32') } : { x };
  }

  /** Plain JSON; `setState` of it makes the stream continue exactly from here. */
  getState(): BatchStreamState {
    const base = { seed: this.seed, batchSize: this.batchSize };
    return this.source.finite
      ? { kind: 'finite', ...base, epoch: this.epoch, cursor: this.cursor }
      : { kind: 'distribution', ...base, rng: this.rng!.getState() };
  }

  setState(state: BatchStreamState): void {
    const kind = this.source.finite ? 'finite' : 'distribution';
    if (state.kind !== kind) {
      throw new ConfigError(`the saved data stream is for a ${state.kind} source but ${this.source.spec} is ${kind}; resume with the same --data.`);
    }
    if (state.batchSize !== this.batchSize) {
      throw new ConfigError(`the saved data stream used batch size ${state.batchSize}, not ${this.batchSize} (--batch); resume with the same batch size.`);
    }
    this.seed = state.seed >>> 0;
    if (state.kind === 'finite') {
      this.epoch = state.epoch;
      this.cursor = state.cursor;
      this.orderEpoch = -1;
    } else {
      this.rng = Rng.fromState(state.rng);
    }
  }
}
