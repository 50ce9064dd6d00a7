/**
 * TEMPORARY (branch evalcli): the feature extractors (inception-fid, mnist classifier) are being
 * written in parallel; this file only fixes `openExtractor`'s signature so the evaluation pipeline
 * compiles and is replaced by the real one at merge.
 */
import { ConfigError, unknownName } from '../errors.js';
import { EXTRACTOR_NAMES, type ExtractorName, type ExtractorOptions, type FeatureExtractor } from './types.js';

export * from './types.js';

/** Opens the named feature extractor. Not available in this build: always a ConfigError. */
export async function openExtractor(name: ExtractorName, opts: ExtractorOptions = {}): Promise<FeatureExtractor> {
  if (!(EXTRACTOR_NAMES as readonly string[]).includes(name)) throw unknownName('feature extractor', name, EXTRACTOR_NAMES, '--extractor');
  void opts;
  throw new ConfigError(`the ${name} feature extractor (--extractor) is not available yet in this build of ganbox.`);
}
