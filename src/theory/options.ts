/**
 * Options shared by the theory experiments (`ganbox theory <name>` flags in brackets). Each
 * experiment has its own defaults table; a value the user leaves undefined takes it.
 */
import { ConfigError } from '../errors.js';
import type { OptimizerConfig } from '../train/optimizers.js';

export interface TheoryOptions {
  /** Seeds every weight initialisation and data draw (--seed). */
  seed?: number;
  /** Optimiser steps of each discriminator/critic (--steps). */
  steps?: number;
  /** Fresh samples per side per step (--batch). */
  batch?: number;
  /** Learning rate of the discriminator/critic (--lr). */
  lr?: number;
  /** Hidden units per layer of the main discriminator/critic (--width). */
  width?: number;
  /** Hidden layers of the main discriminator/critic (--depth). */
  depth?: number;
}

export type ResolvedTheoryOptions = Required<TheoryOptions>;

const FLAGS: Record<keyof TheoryOptions, string> = {
  seed: '--seed', steps: '--steps', batch: '--batch', lr: '--lr', width: '--width', depth: '--depth',
};

/** Merge with the experiment's defaults and validate; a bad value is a ConfigError naming its flag. */
export function checkTheoryOptions(options: TheoryOptions, defaults: Omit<ResolvedTheoryOptions, 'seed'> & { seed?: number }): ResolvedTheoryOptions {
  const o: ResolvedTheoryOptions = {
    seed: options.seed ?? defaults.seed ?? 0,
    steps: options.steps ?? defaults.steps,
    batch: options.batch ?? defaults.batch,
    lr: options.lr ?? defaults.lr,
    width: options.width ?? defaults.width,
    depth: options.depth ?? defaults.depth,
  };
  for (const k of ['steps', 'batch', 'width', 'depth'] as const) {
    if (!(Number.isInteger(o[k]) && o[k] >= 1)) throw new ConfigError(`${k} (${FLAGS[k]}) must be a positive integer, got ${o[k]}`);
  }
  if (!(Number.isInteger(o.seed) && o.seed >= 0)) throw new ConfigError(`seed (--seed) must be an integer ≥ 0, got ${o.seed}`);
  if (!(Number.isFinite(o.lr) && o.lr > 0)) throw new ConfigError(`lr (--lr) must be a positive number, got ${o.lr}`);
  return o;
}

/** Adam with the GAN betas of Radford et al. 2015 (β1 = 0.5), as the trainer's default. */
export function adamConfig(lr: number, beta1 = 0.5, beta2 = 0.999): OptimizerConfig {
  return { name: 'adam', lr, beta1, beta2, eps: 1e-8 };
}
