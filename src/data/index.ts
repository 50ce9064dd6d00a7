/**
 * Opening a data source from its spec string (the `--data` flag):
 *   mnist | idx:PATH[,LABELS] | images:DIR | cifar10:DIR | ring8 | grid25 | moons
 */
import { ConfigError, nearest, unknownName } from '../errors.js';
import { openCifar10 } from './cifar10.js';
import { openIdx } from './idx.js';
import { openImageFolder } from './image-folder.js';
import { openMnist } from './mnist.js';
import type { DataSource, ImageOptions } from './source.js';
import { openToy, TOY_NAMES, type ToyName } from './toy2d.js';

export type {
  DataSource, DataSourceBase, DistributionSource, Examples, FiniteSource, ImageOptions, ToyDistribution,
} from './source.js';
export { BatchStream, type Batch, type BatchStreamState } from './batches.js';
export { ByteImageSource } from './byte-source.js';
export { DEFAULT_IMAGE_SIZE } from './image-folder.js';
export { GaussianMixture2D, Moons, TOY_NAMES, grid25, moons, ring8, type ToyName } from './toy2d.js';

/** Every accepted spec form, for help text and "did you mean" hints. */
export const DATA_SOURCE_NAMES = ['mnist', 'idx:PATH', 'images:DIR', 'cifar10:DIR', 'ring8', 'grid25', 'moons'] as const;

const PREFIXED = {
  idx: (rest: string) => openIdx(rest),
  images: (rest: string, options: ImageOptions) => openImageFolder(rest, options),
  cifar10: (rest: string) => openCifar10(rest),
} as const;

/** Opens the source a spec names; unknown names are a ConfigError listing the valid ones. */
export async function openDataSource(spec: string, options: ImageOptions = {}): Promise<DataSource> {
  const s = spec.trim();
  const colon = s.indexOf(':');
  if (colon >= 0) {
    const prefix = s.slice(0, colon);
    const rest = s.slice(colon + 1);
    if (prefix in PREFIXED) {
      if (!rest) throw new ConfigError(`data source '${s}' (--data) needs a path after '${prefix}:', e.g. ${prefix}:./data.`);
      return PREFIXED[prefix as keyof typeof PREFIXED](rest, options);
    }
    // Compare the prefix with the known ones, so 'imgs:x' suggests 'images:DIR'.
    const near = DATA_SOURCE_NAMES.find((n) => n.startsWith(nearest(prefix, Object.keys(PREFIXED)) + ':'));
    const shown = near ? prefix + near.slice(near.indexOf(':')) : s;
    throw unknownName('data source', shown, DATA_SOURCE_NAMES, '--data');
  }
  if (s === 'mnist') return openMnist();
  if ((TOY_NAMES as readonly string[]).includes(s)) return openToy(s as ToyName);
  if (s in PREFIXED) throw new ConfigError(`data source '${s}' (--data) needs a path: ${s}:PATH.`);
  throw unknownName('data source', s, DATA_SOURCE_NAMES, '--data');
}
