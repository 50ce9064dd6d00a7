/**
 * The byte-backed FiniteSource shared by idx:PATH, cifar10:DIR and images:DIR: 8-bit images in one
 * Uint8Array, turned into floats in [-1, 1] only for the examples a batch takes.
 */
import type { Examples, FiniteSource } from './source.js';

/** byte → [-1, 1]: x/255·2−1, computed once. */
const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, x) => (x / 255) * 2 - 1);

/**
 * A finite set of 8-bit images held in one Uint8Array ([n, ...shape], HWC), with optional labels.
 * Memory: one byte per value (60,000 MNIST digits = 47 MB); floats are made per batch in `take`.
 */
export class ByteImageSource implements FiniteSource {
  readonly kind = 'images' as const;
  readonly finite = true as const;
  readonly length: number;
  private readonly stride: number;

  constructor(
    readonly spec: string,
    readonly shape: readonly number[], // [H, W, C]
    private readonly pixels: Uint8Array, // [length, H, W, C]
    private readonly labels?: Uint8Array, // [length]
    readonly numClasses?: number,
  ) {
    this.stride = shape.reduce((a, b) => a * b, 1);
    this.length = pixels.length / this.stride;
    if (!Number.isInteger(this.length)) throw new Error('ganbox internal error: pixel store not a multiple of the image size');
    if (labels && labels.length !== this.length) throw new Error('ganbox internal error: label count differs from image count');
  }

  take(indices: ArrayLike<number>): Examples {
    const n = indices.length;
    const x = new Float32Array(n * this.stride); // [n, H, W, C]
    const labels = this.labels ? new Int32Array(n) : undefined; // [n]
    for (let k = 0; k < n; k++) {
      const i = indices[k]!;
      if (!(i >= 0 && i < this.length && Number.isInteger(i))) {
        throw new RangeError(`${this.spec}: index ${i} out of range [0, ${this.length})`);
      }
      const src = i * this.stride;
      const dst = k * this.stride;
      for (let j = 0; j < this.stride; j++) x[dst + j] = BYTE_TO_UNIT[this.pixels[src + j]!]!;
      if (labels) labels[k] = this.labels![i]!;
    }
    return labels ? { n, x, labels } : { n, x };
  }
}
