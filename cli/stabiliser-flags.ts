/** `ganbox train`'s stabiliser flags (src/stabilisers/): --spectral-norm, --ema, --r1, --r2, --augment, --pack, --preset… */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { TrainConfig } from '../src/defaults.js';
import { STABILISER_DEFAULTS as S, AUGMENT_NAMES } from '../src/stabilisers/config.js';
import { PRESET_NAMES, presetHelp } from '../src/stabilisers/presets.js';
import { nonNegativeInt, positiveInt } from './options.js';

/** Flag → TrainConfig key for the stabiliser flags (merged into train.ts's FLAG_KEYS). */
export const STABILISER_FLAG_KEYS: Record<string, keyof TrainConfig> = {
  spectralNorm: 'spectralNorm', ema: 'ema', r1: 'r1', r2: 'r2', regInterval: 'regInterval', augment: 'augment',
  pack: 'pack', historicalAveraging: 'historicalAveraging', preset: 'preset', mbstd: 'mbstd', minibatchDisc: 'minibatchDisc',
  unroll: 'unroll', unrollMode: 'unrollMode',
};

const nonNegative = (flag: string) => (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${flag} expects a number ≥ 0 (0 = off).`);
  return n;
};

function decay(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1) {
    throw new InvalidArgumentError('--ema expects a decay in [0, 1), e.g. 0.999 (0 = off).');
  }
  return n;
}

export function addStabiliserFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--preset <name>', 'settings bundle applied before your own flags (see below)').choices(PRESET_NAMES))
    .option('--spectral-norm', "spectral normalisation of D's kernels (Miyato et al. 2018)", S.spectralNorm)
    .option('--ema <decay>', "EMA of G's weights, used for samples/export/evaluation (0 = off; e.g. 0.999)", decay, S.ema)
    .option('--r1 <γ>', 'R1 penalty on real data (Mescheder et al. 2018; 0 = off; e.g. 10)', nonNegative('--r1'), S.r1)
    .option('--r2 <γ>', 'R2 penalty on generated data (0 = off)', nonNegative('--r2'), S.r2)
    .option('--reg-interval <k>', 'lazy regularisation: R1/R2 every k D steps, scaled by k (Karras et al. 2020)', positiveInt, S.regInterval)
    .option('--augment <list>', `DiffAugment on D's inputs (Zhao et al. 2020): ${AUGMENT_NAMES.join(',')}`, S.augment)
    .option('--pack <m>', 'PacGAN: D judges m samples at once (1 = off; must divide --batch)', positiveInt, S.pack)
    .option('--mbstd', "minibatch standard deviation feature before D's last layer (Karras et al. 2018)", S.mbstd)
    .option('--minibatch-disc', "minibatch discrimination features before D's last layer (Salimans et al. 2016)", S.minibatchDisc)
    .option('--unroll <k>', 'unrolled GAN: G trains against D unrolled k steps (Metz et al. 2017; 0 = off; mlp only)', nonNegativeInt, S.unroll)
    .addOption(new Option('--unroll-mode <mode>', 'exact: through the unrolled updates (second order); first-order: cheaper').choices(['exact', 'first-order']).default(S.unrollMode))
    .option('--historical-averaging <λ>', 'historical averaging of both players (Salimans et al. 2016; 0 = off)', nonNegative('--historical-averaging'), S.historicalAveraging)
    .addHelpText('after', '\n' + presetHelp());
}
