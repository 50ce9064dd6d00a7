/**
 * What `ganbox fid A B` and its siblings accept as A or B, recognised by what it is:
 *   a folder                 → images (PNG/JPEG, one size)
 *   .npy of uint8 (N,H,W,C)  → images ((N,H,W) is taken as grey)
 *   .npy of floats (N,D)     → features, used as they are
 *   .npz with mu, sigma      → statistics (pytorch-fid's files or ganbox's, which add n)
 *   mnist, idx:PATH, cifar10:DIR, images:DIR → a ganbox data source's images
 */
import * as fs from 'node:fs';
import { DataError } from '../errors.js';
import { readNpy } from '../io/npy.js';
import { openDataSource } from '../data/index.js';
import { decodeStatistics, type FeatureStatistics } from '../metrics/statistics.js';
import { FolderImageSet, MemoryImageSet, SourceImageSet, type ImageSet } from './image-sets.js';

/** Feature rows in memory: [n, d]. */
export interface FeatureSet {
  readonly kind: 'features';
  readonly source: string;
  readonly n: number;
  readonly d: number;
  readonly data: Float32Array | Float64Array;
}

export interface StatisticsInput {
  readonly kind: 'statistics';
  readonly source: string;
  readonly stats: FeatureStatistics;
}

export type EvalInput = ImageSet | FeatureSet | StatisticsInput;

const DATA_SPEC = /^(mnist|(idx|cifar10|images):.+)$/;

/** Opens one input; `flag` names it in errors (e.g. 'A', 'INPUT', 'REAL'). */
export async function openEvalInput(arg: string, flag = 'input'): Promise<EvalInput> {
  const st = fs.statSync(arg, { throwIfNoEntry: false });
  if (!st) {
    if (DATA_SPEC.test(arg)) {
      const data = await openDataSource(arg);
      if (!data.finite) throw new DataError(`${arg} (${flag}) is a distribution of 2-D points, not a set of images.`);
      return new SourceImageSet(data);
    }
    throw new DataError(`${arg} (${flag}) does not exist; expected a folder of images, a .npy of images or features, a .npz of statistics, or a data spec such as mnist.`);
  }
  if (st.isDirectory()) return FolderImageSet.open(arg);
  const lower = arg.toLowerCase();
  let bytes: Buffer;
  try { bytes = fs.readFileSync(arg); } catch (e) {
    throw new DataError(`${arg} (${flag}) could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  if (lower.endsWith('.npz')) return { kind: 'statistics', source: arg, stats: decodeStatistics(bytes, arg) };
  if (!lower.endsWith('.npy')) {
    throw new DataError(`${arg} (${flag}) is neither a folder, a .npy nor a .npz file.`);
  }
  const a = readNpy(bytes, arg);
  if (a.dtype === '|u1' && (a.shape.length === 4 || a.shape.length === 3)) {
    const [n, h, w, c = 1] = a.shape as number[];
    if (c !== 1 && c !== 3) throw new DataError(`${arg} (${flag}) holds images with ${c} channels (shape ${a.shape.join('x')}); expected 1 or 3 (N,H,W,C).`);
    if (n! < 1) throw new DataError(`${arg} (${flag}) holds no images.`);
    return new MemoryImageSet(arg, [h!, w!, c], a.data as Uint8Array);
  }
  if ((a.dtype === '<f4' || a.dtype === '<f8') && a.shape.length === 2) {
    return { kind: 'features', source: arg, n: a.shape[0]!, d: a.shape[1]!, data: a.data as Float32Array | Float64Array };
  }
  throw new DataError(`${arg} (${flag}) holds ${a.dtype} of shape (${a.shape.join(', ')}); expected uint8 images (N,H,W,C) or float features (N,D).`);
}

/** Number of samples behind an input (undefined for statistics files that do not record it). */
export function inputCount(input: EvalInput): number | undefined {
  return input.kind === 'statistics' ? input.stats.n : input.n;
}
