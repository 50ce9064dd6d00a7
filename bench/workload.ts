/**
 * The benchmark's workloads, shared by bench/run.ts, bench/ganbox-child.ts and bench/profile.ts
 * (and mirrored by bench/reference/dcgan_mnist.py's --workload).
 *
 * - 'mnist': the canonical DCGAN-MNIST workload of issue 3: batch 64, latent 100, the DCGAN of
 *   src/models/dcgan.ts for 28×28×1, non-saturating loss, Adam(2e-4, 0.5, 0.999) for both.
 * - 'dcgan64': the PyTorch DCGAN example's network (issue 15): the same dcgan.ts rule for 64×64×3
 *   (4 stages, ngf = ndf = 64), the same loss, optimiser and batch 64, trained on random 8-bit
 *   64×64×3 images held in memory (a ByteImageSource, as `--data images:DIR` gives; the pixel values
 *   do not change the work done). Sampling in batches of 64: one 64×64 image costs ~35× an MNIST one.
 */
import type { TrainConfig } from '../src/defaults.js';

export const CANONICAL: Partial<TrainConfig> = {
  data: 'mnist', batch: 64, loss: 'non-saturating', lrG: 2e-4, lrD: 2e-4, beta1: 0.5, beta2: 0.999,
};

/** Sampling throughput is measured with G alone, inference mode, on batches of this size. */
export const SAMPLE_BATCH = 256;

export type WorkloadName = 'mnist' | 'dcgan64';
export const WORKLOAD_NAMES: readonly WorkloadName[] = ['mnist', 'dcgan64'];

export interface Workload {
  name: WorkloadName;
  /** One line for tables: network, image shape, batch. */
  title: string;
  config: Partial<TrainConfig>;
  /** Per-example [H, W, C]. */
  shape: readonly [number, number, number];
  /** Images per sampling batch (G only, inference mode). */
  sampleBatch: number;
}

export const WORKLOADS: Readonly<Record<WorkloadName, Workload>> = {
  mnist: {
    name: 'mnist', title: 'DCGAN-MNIST (issue 3), 28×28×1', config: CANONICAL, shape: [28, 28, 1], sampleBatch: SAMPLE_BATCH,
  },
  dcgan64: {
    name: 'dcgan64',
    title: 'PyTorch DCGAN example net, 64×64×3 (ngf = ndf = 64)',
    config: { ...CANONICAL, data: 'random:64x64x3' },
    shape: [64, 64, 3],
    sampleBatch: 64,
  },
};

/** Random images in memory for the dcgan64 workload: this many (8 batches, like the PyTorch side). */
export const RANDOM_IMAGES = 512;
