/**
 * The one interface every data source implements. A source is either a finite set of examples
 * (mnist, idx, images, cifar10), read by index, or a distribution (the 2-D toys), sampled with a
 * seeded Rng. Values are float32 in [-1, 1]; images are NHWC.
 * `BatchStream` (batches.ts) turns either kind into seeded, resumable batches of tensors.
 */
import type { Rng } from '../train/rng.js';

/** A block of examples: `x` holds n rows of `shape` (row-major, NHWC for images). */
export interface Examples {
  n: number;
  x: Float32Array;          // [n, ...shape] flattened, values in [-1, 1]
  labels?: Int32Array;      // [n], when the source has labels
}

export interface DataSourceBase {
  /** The spec the user gave, normalised: 'mnist', 'idx:/path/train-images-idx3-ubyte.gz', 'ring8'. */
  readonly spec: string;
  /** 'images': shape [H, W, C]; 'points': shape [D]. */
  readonly kind: 'images' | 'points';
  readonly shape: readonly number[];
  /** Number of classes when the source has labels. */
  readonly numClasses?: number;
}

/** A finite set of examples, read by index. */
export interface FiniteSource extends DataSourceBase {
  readonly finite: true;
  readonly length: number;
  take(indices: ArrayLike<number>): Examples;
}

/** A distribution with a sampler (the toys). */
export interface DistributionSource extends DataSourceBase {
  readonly finite: false;
  sample(n: number, rng: Rng): Examples;
}

/** A 2-D mixture whose density is known exactly (ring8, grid25) or to quadrature (moons). */
export interface ToyDistribution extends DistributionSource {
  readonly kind: 'points';
  /** The mixture's component centres (for mode coverage); for moons, points along the arcs. */
  readonly modes: ReadonlyArray<readonly [number, number]>;
  /** Component standard deviation (isotropic). */
  readonly std: number;
  /** Exact log-density at each point; `points` is [n, 2] flattened. */
  logDensity(points: ArrayLike<number>): Float64Array;
}

export type DataSource = FiniteSource | DistributionSource;

/** Options shared by sources that read images from disk. */
export interface ImageOptions {
  /** Output side length for images:DIR (resize + centre crop). Default: 64. */
  size?: number;
  /** Output channels for images:DIR: 1 (grey) or 3 (RGB). Default: decided from the first image. */
  channels?: 1 | 3;
}
