/**
 * The stabilisers' settings: their part of TrainConfig, defaults (each with its reason), the
 * checks that turn a bad value into one ConfigError naming the flag, and the checks run-config.ts
 * applies to a saved config.json. Kept here so defaults.ts and run-config.ts only spread them in.
 */
import { ConfigError } from '../errors.js';

export const AUGMENT_NAMES = ['translation', 'cutout', 'color'] as const;
export type AugmentName = (typeof AUGMENT_NAMES)[number];

export interface StabiliserConfig {
  /** Spectral normalisation of every Dense/Conv2D kernel of D (Miyato et al. 2018). */
  spectralNorm: boolean;
  /** Decay β of the exponential moving average of G's weights; 0 = off. */
  ema: number;
  /** R1 penalty weight γ on real data (Mescheder et al. 2018); 0 = off. */
  r1: number;
  /** R2 penalty weight γ on generated data; 0 = off. */
  r2: number;
  /** Lazy regularisation: R1/R2 every `regInterval` D updates, scaled by it (Karras et al. 2020). */
  regInterval: number;
  /** DiffAugment policy: comma-separated translation, cutout, color; '' = off. */
  augment: string;
  /** PacGAN packing degree m: D judges m samples at once; 1 = off. */
  pack: number;
  /** Historical-averaging weight λ for both players (Salimans et al. 2016); 0 = off. */
  historicalAveraging: number;
  /** Minibatch standard deviation feature in D (Karras et al. 2018). */
  mbstd: boolean;
  /** Minibatch discrimination features in D (Salimans et al. 2016). */
  minibatchDisc: boolean;
  /** Unrolled GAN: G trains against D unrolled K steps (Metz et al. 2017); 0 = off. */
  unroll: number;
  /** exact: back-propagate through the unrolled updates (second order); first-order: treat them as constant. */
  unrollMode: 'exact' | 'first-order';
  /** The preset the run started from ('' = none); recorded for the reader of config.json. */
  preset: string;
}

export const STABILISER_DEFAULTS: Readonly<StabiliserConfig> = {
  spectralNorm: false, // off: the DCGAN baseline has none (Radford et al. 2015)
  ema: 0, // off; 0.999 is the usual choice (Yazıcı et al. 2019; Karras et al. use a 10k-image half-life)
  r1: 0, // off; Mescheder et al. 2018 use γ = 10 on CelebA/LSUN, StyleGAN2 0.01–10 by resolution
  r2: 0, // off
  regInterval: 16, // Karras et al. 2020 (StyleGAN2) §B: R1 every 16 minibatches, same results, less cost
  augment: '', // off; Zhao et al. 2020 recommend translation,cutout,color for small data
  pack: 1, // off; Lin et al. 2018 (PacGAN) found m = 2–4 enough on the 2-D and stacked-MNIST tests
  historicalAveraging: 0, // off
  mbstd: false, // off
  minibatchDisc: false, // off
  unroll: 0, // off; Metz et al. 2017 use K = 5–10 on the 2-D mixture (all 8 ring modes by K = 5)
  unrollMode: 'exact', // the paper's gradient; first-order is cheaper and weaker
  preset: '',
};

/** Parses `--augment`: its policy names, each once, in the order given. */
export function parseAugment(spec: string): AugmentName[] {
  if (spec.trim() === '') return [];
  const names = spec.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!(AUGMENT_NAMES as readonly string[]).includes(n)) {
      throw new ConfigError(`augment (--augment) has unknown policy '${n}'; valid: ${AUGMENT_NAMES.join(', ')}, comma-separated`);
    }
  }
  if (new Set(names).size !== names.length) throw new ConfigError(`augment (--augment) names a policy twice: '${spec}'`);
  return names as AugmentName[];
}

/** Throws one ConfigError naming the option and its flag for the first bad stabiliser setting. */
export function checkStabiliserConfig(c: Partial<StabiliserConfig> & { arch?: string }, batch: number, dataKind: 'images' | 'points'): void {
  const bad = (key: string, flag: string, want: string, v: unknown) =>
    new ConfigError(`${key} (${flag}) must be ${want}, got ${JSON.stringify(v)}`);
  if (c.spectralNorm !== undefined && typeof c.spectralNorm !== 'boolean') throw bad('spectralNorm', '--spectral-norm', 'true or false', c.spectralNorm);
  if (c.ema !== undefined && !(Number.isFinite(c.ema) && c.ema >= 0 && c.ema < 1)) throw bad('ema', '--ema', 'a decay in [0, 1) (0 = off; e.g. 0.999)', c.ema);
  for (const [k, flag] of [['r1', '--r1'], ['r2', '--r2'], ['historicalAveraging', '--historical-averaging']] as const) {
    const v = c[k];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0 && v <= 1e6)) throw bad(k, flag, 'a number ≥ 0 (0 = off)', v);
  }
  if (c.regInterval !== undefined && !(Number.isSafeInteger(c.regInterval) && c.regInterval >= 1 && c.regInterval <= 1e6)) {
    throw bad('regInterval', '--reg-interval', 'a positive integer', c.regInterval);
  }
  if (c.pack !== undefined) {
    if (!(Number.isSafeInteger(c.pack) && c.pack >= 1 && c.pack <= 64)) throw bad('pack', '--pack', 'an integer from 1 to 64', c.pack);
    if (batch % c.pack !== 0) throw new ConfigError(`pack (--pack) ${c.pack} must divide the batch size (--batch ${batch})`);
  }
  for (const [k, flag] of [['mbstd', '--mbstd'], ['minibatchDisc', '--minibatch-disc']] as const) {
    if (c[k] !== undefined && typeof c[k] !== 'boolean') throw bad(k, flag, 'true or false', c[k]);
  }
  if (c.mbstd) {
    const n = batch / (c.pack ?? 1); // the batch D sees
    const g = Math.min(4, n);
    if (n % g !== 0) throw new ConfigError(`mbstd (--mbstd) groups D's batch by 4: --batch ${batch}${(c.pack ?? 1) > 1 ? ` / --pack ${c.pack}` : ''} must be a multiple of 4`);
  }
  if (c.unroll !== undefined && !(Number.isSafeInteger(c.unroll) && c.unroll >= 0 && c.unroll <= 100)) {
    throw bad('unroll', '--unroll', 'an integer from 0 to 100 (0 = off)', c.unroll);
  }
  if (c.unrollMode !== undefined && c.unrollMode !== 'exact' && c.unrollMode !== 'first-order') {
    throw bad('unrollMode', '--unroll-mode', "'exact' or 'first-order'", c.unrollMode);
  }
  if ((c.unroll ?? 0) > 0) {
    const clash = c.spectralNorm ? '--spectral-norm' : c.mbstd ? '--mbstd' : c.minibatchDisc ? '--minibatch-disc' : undefined;
    if (clash) throw new ConfigError(`unroll (--unroll) cannot be combined with ${clash} (both change how D reads its weights); drop one`);
    if (c.arch === 'dcgan' || c.arch === 'infogan') throw new ConfigError('unroll (--unroll) needs a discriminator without BatchNorm: use --arch mlp');
  }
  if (c.augment !== undefined) {
    if (typeof c.augment !== 'string') throw bad('augment', '--augment', 'a comma-separated policy list', c.augment);
    if (parseAugment(c.augment).length > 0 && dataKind !== 'images') {
      throw new ConfigError(`augment (--augment) works on images only; this data is 2-D points: drop --augment`);
    }
  }
}

type Check = (v: unknown) => boolean;
const num = (lo: number, hi: number, hiOpen = false): Check => (v) =>
  typeof v === 'number' && Number.isFinite(v) && v >= lo && (hiOpen ? v < hi : v <= hi);
const int = (lo: number, hi: number): Check => (v) => Number.isSafeInteger(v) && (v as number) >= lo && (v as number) <= hi;

/** The checks of a saved config.json's stabiliser settings (run-config.ts's RULES). */
export const STABILISER_RULES: Record<keyof StabiliserConfig, [Check, string]> = {
  spectralNorm: [(v) => typeof v === 'boolean', 'true or false'],
  ema: [num(0, 1, true), 'a number in [0, 1)'],
  r1: [num(0, 1e6), 'a number ≥ 0'],
  r2: [num(0, 1e6), 'a number ≥ 0'],
  regInterval: [int(1, 1e6), 'a positive integer'],
  augment: [(v) => typeof v === 'string' && v.length < 256, 'a comma-separated policy list'],
  pack: [int(1, 64), 'an integer from 1 to 64'],
  historicalAveraging: [num(0, 1e6), 'a number ≥ 0'],
  mbstd: [(v) => typeof v === 'boolean', 'true or false'],
  minibatchDisc: [(v) => typeof v === 'boolean', 'true or false'],
  unroll: [int(0, 100), 'an integer from 0 to 100'],
  unrollMode: [(v) => v === 'exact' || v === 'first-order', "'exact' or 'first-order'"],
  preset: [(v) => typeof v === 'string' && v.length < 64, 'a preset name'],
};
