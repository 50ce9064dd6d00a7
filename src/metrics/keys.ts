/**
 * Result keys, spelled as torch-fidelity spells them, so `--json` output is stable and can be
 * compared with torch-fidelity's dictionaries key for key.
 */
export const KEY_FID = 'frechet_inception_distance';
export const KEY_IS = 'inception_score'; // { mean, std }
export const KEY_KID = 'kernel_inception_distance'; // { mean, std }
export const KEY_PRECISION = 'precision';
export const KEY_RECALL = 'recall';
export const KEY_DENSITY = 'density';
export const KEY_COVERAGE = 'coverage';

/** A metric reported over splits or subsets. */
export interface MeanStd {
  mean: number;
  std: number;
}
