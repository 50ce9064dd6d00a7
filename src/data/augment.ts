/**
 * Seeded, resumable random crop and horizontal flip for any image source (pix2pix/CycleGAN's
 * "resize to load size, random crop to size, random flip": Isola et al. 2017 §6.2, Zhu et al.
 * 2017 §7.1). `AugmentedStream` wraps a BatchStream; per example it draws, in this order, the
 * crop's top row, its left column (uniform over every position) and a flip (probability ½) from
 * its own Rng, whose state is part of `getState`, so a resumed run crops and flips exactly as an
 * uninterrupted one. Paired data is one source with A and B on the channel axis (paired.ts), so
 * both get the same crop and flip.
 */
import { ConfigError } from '../errors.js';
import { Rng, type RngState } from '../train/rng.js';
import { BatchStream, type BatchStreamState } from './batches.js';
import type { DataSource, Examples } from './source.js';

/** Mixed into the seed so crops are independent of the data order and of other streams. */
const AUGMENT_SALT = 0xa06e0c1d;

export interface AugmentOptions {
  /** Crop side (≤ the source's side); equal to it: no crop. */
  size: number;
  /** Random horizontal flip with probability ½. */
  flip: boolean;
}

export interface AugmentedStreamState { stream: BatchStreamState; rng: RngState }

/**
 * Crop [n, H, W, C] to [n, size, size, C] at (top[k], left[k]) and mirror example k when flip[k].
 */
export function cropFlip(
  x: Float32Array, n: number, shape: readonly number[], size: number,
  top: ArrayLike<number>, left: ArrayLike<number>, flip: ArrayLike<boolean>,
): Float32Array {
  const [h, w, c] = shape as [number, number, number];
  const out = new Float32Array(n * size * size * c);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < size; i++) {
      const srcRow = (k * h + top[k]! + i) * w;
      for (let j = 0; j < size; j++) {
        const sj = left[k]! + (flip[k] ? size - 1 - j : j);
        const src = (srcRow + sj) * c;
        const dst = ((k * size + i) * size + j) * c;
        for (let ch = 0; ch < c; ch++) out[dst + ch] = x[src + ch]!;
      }
    }
  }
  return out;
}

/** The centre crop (no flip): what evaluation and fixed sample grids use. */
export function centerCrop(x: Float32Array, n: number, shape: readonly number[], size: number): Float32Array {
  const [h, w] = shape as [number, number];
  const t = Math.floor((h - size) / 2), l = Math.floor((w - size) / 2);
  return cropFlip(x, n, shape, size, new Array(n).fill(t), new Array(n).fill(l), new Array(n).fill(false));
}

export class AugmentedStream {
  readonly stream: BatchStream;
  private rng: Rng;
  private readonly seed: number;
  /** Per-example shape of what `next` returns: [size, size, C]. */
  readonly shape: readonly number[];

  constructor(readonly source: DataSource, batchSize: number, seed: number, readonly options: AugmentOptions) {
    const [h, w, c] = source.shape as [number, number, number];
    if (source.kind !== 'images') throw new ConfigError(`random crop and flip need image data, not ${source.spec}.`);
    if (!Number.isInteger(options.size) || options.size < 1 || options.size > Math.min(h, w)) {
      throw new ConfigError(`crop size ${options.size} (--size) must be from 1 to the load size ${Math.min(h, w)} (--load-size).`);
    }
    this.stream = new BatchStream(source, batchSize, seed);
    this.seed = seed >>> 0;
    this.rng = new Rng((this.seed ^ AUGMENT_SALT) >>> 0);
    this.shape = [options.size, options.size, c];
  }

  /** The next batch, cropped and flipped: x is [B, size, size, C]. */
  next(): Examples {
    const ex = this.stream.nextExamples();
    const { size, flip } = this.options;
    const [h, w] = this.source.shape as [number, number];
    const top = new Int32Array(ex.n), left = new Int32Array(ex.n), mirror: boolean[] = [];
    for (let k = 0; k < ex.n; k++) {
      top[k] = this.rng.int(h - size + 1);
      left[k] = this.rng.int(w - size + 1);
      mirror.push(flip && this.rng.uniform() < 0.5);
    }
    if (size === h && size === w && !mirror.some(Boolean)) return ex;
    const x = cropFlip(ex.x, ex.n, this.source.shape, size, top, left, mirror);
    return ex.labels ? { n: ex.n, x, labels: ex.labels } : { n: ex.n, x };
  }

  getState(): AugmentedStreamState {
    return { stream: this.stream.getState(), rng: this.rng.getState() };
  }

  setState(state: AugmentedStreamState): void {
    this.stream.setState(state.stream);
    this.rng = Rng.fromState(state.rng);
  }
}
