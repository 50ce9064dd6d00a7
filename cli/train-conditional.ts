/** `ganbox train` flags for conditional GANs and InfoGAN (train/conditioner.ts, models/conditioning.ts). */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { TRAIN_DEFAULTS as D, type TrainConfig } from '../src/defaults.js';
import { CONDITIONAL_MODES } from '../src/models/conditioning.js';
import { nonNegativeInt } from './options.js';

/** Flag → TrainConfig key for these flags (merged into train.ts's table). */
export const CONDITIONAL_FLAG_KEYS: Record<string, keyof TrainConfig> = {
  conditional: 'conditional', auxWeight: 'auxWeight', auxFakeWeight: 'auxFakeWeight', infoCategorical: 'infoCategorical',
  infoContinuous: 'infoContinuous', infoLambdaCat: 'infoLambdaCat', infoLambdaCont: 'infoLambdaCont',
};

function nonNegativeFloat(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0.');
  return n;
}

function infoCategorical(value: string): number {
  const n = nonNegativeInt(value);
  if (n === 1) throw new InvalidArgumentError('expected 0 (off) or a code size ≥ 2.');
  return n;
}

export function addConditionalFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--conditional <mode>', 'class conditioning from the data\'s labels: cgan (labels joined to G and D) | acgan (auxiliary classifier) | projection (projection D, class-conditional BatchNorm in G)')
      .choices([...CONDITIONAL_MODES]).default(D.conditional))
    .option('--aux-weight <λ>', "acgan: weight of the auxiliary classifier's cross-entropy", nonNegativeFloat, D.auxWeight)
    .option('--aux-fake-weight <w>', "acgan: weight of the fake batch in D's classifier loss (0 = real digits only; Odena et al.: 1)", nonNegativeFloat, D.auxFakeWeight)
    .option('--info-categorical <k>', 'InfoGAN: size of a categorical latent code (0 = none)', infoCategorical, D.infoCategorical)
    .option('--info-continuous <m>', 'InfoGAN: number of continuous latent codes, uniform on [-1, 1]', nonNegativeInt, D.infoContinuous)
    .option('--info-lambda-cat <λ>', 'InfoGAN: weight of the categorical mutual-information term', nonNegativeFloat, D.infoLambdaCat)
    .option('--info-lambda-cont <λ>', 'InfoGAN: weight of the continuous mutual-information term', nonNegativeFloat, D.infoLambdaCont);
}
