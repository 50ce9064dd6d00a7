/**
 * A labelled 2-D source for fast conditional-GAN tests: K tight Gaussian blobs on a circle of
 * radius 2 (σ = 0.05), example i of class i mod K. A class-conditional G should put G(z, k) near
 * mode k; an unconditional one cannot.
 */
import type { Examples, FiniteSource } from '../../src/data/source.js';
import { Rng } from '../../src/train/rng.js';

export function labelledBlobs(k = 4, n = 512, seed = 9): FiniteSource & { modes: [number, number][] } {
  const modes = Array.from({ length: k }, (_, i) => [2 * Math.cos((2 * Math.PI * i) / k), 2 * Math.sin((2 * Math.PI * i) / k)] as [number, number]);
  const rng = new Rng(seed);
  const x = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % k;
    x[2 * i] = modes[i % k]![0] + 0.05 * rng.normal();
    x[2 * i + 1] = modes[i % k]![1] + 0.05 * rng.normal();
  }
  return {
    spec: `blobs${k}`, kind: 'points', shape: [2], numClasses: k, finite: true, length: n, modes,
    take(indices: ArrayLike<number>): Examples {
      const m = indices.length;
      const out = new Float32Array(m * 2);
      const lab = new Int32Array(m);
      for (let j = 0; j < m; j++) {
        const i = indices[j]!;
        out[2 * j] = x[2 * i]!; out[2 * j + 1] = x[2 * i + 1]!; lab[j] = labels[i]!;
      }
      return { n: m, x: out, labels: lab };
    },
  };
}
