/**
 * `--preset NAME`: named bundles of settings, applied before the user's own flags (precedence in
 * resolveConfig: the user's options, then the preset, then the loss's paper defaults, then
 * TRAIN_DEFAULTS). Each value carries its reason; the README's table repeats them.
 */
import type { TrainConfig } from '../defaults.js';
import { unknownName } from '../errors.js';

export interface Preset {
  readonly summary: string;
  readonly values: Readonly<Partial<TrainConfig>>;
  /** Settings of an image network (arch, width): applied to image data only; 2-D points keep the MLP's. */
  readonly imageValues?: Readonly<Partial<TrainConfig>>;
  /** Why each setting, for `--help` and the README. */
  readonly reasons: Readonly<Partial<Record<keyof TrainConfig, string>>>;
}

/** The DCGAN paper's recipe: the `dcgan` preset, and the base of `quality`. */
const DCGAN: Preset = {
  summary: 'the DCGAN paper\'s recipe, no stabilisers',
  values: { loss: 'non-saturating', optG: 'adam', optD: 'adam', lrG: 2e-4, lrD: 2e-4, beta1: 0.5, beta2: 0.999, batch: 64, dSteps: 1 },
  reasons: {
    loss: 'Goodfellow et al. 2014 §3: the non-saturating G loss has strong gradients early on',
    optG: 'Radford et al. 2015 §4: Adam for both networks',
    optD: 'Radford et al. 2015 §4: Adam for both networks',
    lrG: 'Radford et al. 2015 §4: Adam, lr 0.0002 (0.001 was too high)',
    lrD: 'Radford et al. 2015 §4: the same rate for D',
    beta1: 'Radford et al. 2015 §4: β1 = 0.9 oscillated, 0.5 stabilised training',
    beta2: 'Kingma & Ba 2015: Adam\'s default, which the DCGAN code keeps',
    batch: 'Radford et al. 2015 §4: mini-batches of 128 in the paper, 64 in the reference code',
    dSteps: 'Goodfellow et al. 2014 Algorithm 1 with k = 1, as in the DCGAN code',
  },
};

export const PRESETS = {
  dcgan: DCGAN,
  coverage: {
    summary: 'against mode collapse: PacGAN packing and an averaged generator',
    values: { pack: 2, ema: 0.999 },
    reasons: {
      pack: 'Lin et al. 2018: a D that sees 2 samples at once penalises missing modes (all 25 grid modes covered with m = 2–4)',
      ema: 'Yazıcı et al. 2019: averaging G damps the cycling between modes that a single iterate shows',
    },
  },
  quality: {
    summary: 'for image quality: InfoGAN\'s MNIST networks and rates (G 5× faster than D)',
    values: { ...DCGAN.values, lrG: 1e-3 },
    imageValues: { arch: 'infogan', width: 32 },
    reasons: {
      ...DCGAN.reasons,
      arch: 'Chen et al. 2016 App. C: the DCGAN with one FC 1024 layer on each side (models/infogan-net.ts); measured on MNIST (bench/quality-results.md): classifier FID 19.8 at 1,000 steps against 48.0 for the DCGAN net at the same rates (seed 0)',
      width: 'half the paper\'s conv channels (32, 64): the same FID at 1,000 steps (19.4 against 19.8, seed 0) at 1.1× the dcgan preset\'s time per step side by side, where width 64 costs 2.4–2.6×; over 3 seeds classifier FID 0.22× the dcgan preset\'s at 1,000 steps and 0.17× at 3,000',
      lrG: 'two time scales (Heusel et al. 2017) with G the faster, at InfoGAN\'s rates (Chen et al. 2016, G 1e-3, D 2e-4); on the DCGAN net it took FID at 1,000 steps from 80.1 to 48.0 (seed 0), and on the InfoGAN net from 23.5 to 19.8. Spectral norm + R1 γ = 10 + EMA did worse (1.49× the dcgan preset at 1,000), a faster D too (G 2e-3 with D 4e-4: 0.83×), and the EMA alone changed nothing',
      lrD: 'Radford et al. 2015 §4: 2e-4; a slower D (1e-4) measured worse',
    },
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/**
 * The preset's values for data of this kind ('' or undefined name: none): its image-network
 * settings too unless the data are 2-D points. An unknown name is a ConfigError naming --preset.
 */
export function presetValues(name: string | undefined, kind?: 'images' | 'points'): Partial<TrainConfig> {
  if (name === undefined || name === '') return {};
  if (!(name in PRESETS)) throw unknownName('preset', name, PRESET_NAMES, '--preset');
  const p: Preset = PRESETS[name as PresetName];
  return { ...p.values, ...(kind === 'points' ? {} : p.imageValues) } as Partial<TrainConfig>;
}

/** Lines for `ganbox train --help`: each preset, its settings and the reason for each. */
export function presetHelp(): string {
  const lines = ['Presets (--preset NAME, applied before your own flags):'];
  for (const [name, p] of Object.entries(PRESETS) as [string, Preset][]) {
    lines.push(`  ${name}: ${p.summary}`);
    const entries = [...Object.entries(p.values), ...Object.entries(p.imageValues ?? {}).map(([k, v]) => [k, `${String(v)} (images)`])];
    for (const [k, v] of entries) {
      const why = p.reasons[k as keyof TrainConfig];
      lines.push(`    ${k} = ${String(v)}${why ? ` — ${why}` : ''}`);
    }
  }
  return lines.join('\n');
}
