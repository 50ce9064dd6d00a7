/**
 * Points a user draws, as a distribution: an equal mixture of isotropic Gaussians centred on the
 * drawn points (σ = `std`), so batches of any size can be drawn from a handful of clicks and the
 * density — hence D*(x) — is known exactly, as for the built-in toys.
 */
import { ConfigError } from '../errors.js';
import { GaussianMixture2D } from '../data/toy2d.js';

/** Default σ of the drawn mixture: about a tenth of the playground's [-3, 3] view per side. */
export const DRAWN_STD = 0.1;

export function pointSet(points: ReadonlyArray<readonly [number, number]>, std = DRAWN_STD): GaussianMixture2D {
  if (points.length === 0) throw new ConfigError('draw at least one point before training on drawn data');
  return new GaussianMixture2D('drawn', points.map(([x, y]) => [x, y] as const), std);
}
