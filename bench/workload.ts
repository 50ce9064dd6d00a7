/**
 * The canonical DCGAN-MNIST workload of issue 3, shared by bench/run.ts, bench/ganbox-child.ts and
 * bench/profile.ts (and mirrored by bench/reference/dcgan_mnist.py): batch 64, latent 100, the
 * DCGAN of src/models/dcgan.ts for 28×28×1, non-saturating loss, Adam(2e-4, 0.5, 0.999) for both.
 */
import type { TrainConfig } from '../src/defaults.js';

export const CANONICAL: Partial<TrainConfig> = {
  data: 'mnist', batch: 64, loss: 'non-saturating', lrG: 2e-4, lrD: 2e-4, beta1: 0.5, beta2: 0.999,
};

/** Sampling throughput is measured with G alone, inference mode, on batches of this size. */
export const SAMPLE_BATCH = 256;
