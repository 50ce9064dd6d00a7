/**
 * Which feature extractor an evaluation uses, as plain data that can cross into a worker thread:
 * its name, its options and the module that opens it (default: src/features/index.ts). Also the
 * rules around choosing one: the default per image shape, the weights inception needs, layer names.
 */
import * as fs from 'node:fs';
import { ConfigError, DataError, unknownName } from '../errors.js';
import { EXTRACTOR_NAMES, type ExtractorName, type ExtractorOptions } from '../features/types.js';

export interface ExtractorSpec {
  name: ExtractorName;
  options?: ExtractorOptions;
  /**
   * URL of an ES module exporting `openExtractor(name, options)` with the signature of
   * src/features/index.ts. Default: that module. Tests and custom extractors inject theirs here
   * (the CLI reads it from the environment variable GANBOX_EXTRACTOR_MODULE).
   */
  module?: string;
}

/** Where the standard FID weights come from (pytorch-fid's release of the TF 2015 Inception). */
export const INCEPTION_WEIGHTS_FILE = 'pt_inception-2015-12-05-6726825d.pth';
export const INCEPTION_WEIGHTS_URL =
  'https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/pt_inception-2015-12-05-6726825d.pth';

/** The module that provides the built-in extractors. */
export const DEFAULT_EXTRACTOR_MODULE = new URL('../features/index' + (import.meta.url.endsWith('.ts') ? '.ts' : '.js'), import.meta.url).href;

/**
 * Default extractor for images of shape [h, w, c]: the MNIST classifier for 28 × 28 grey digits
 * (what it was trained on), Inception otherwise (the standard FID network).
 */
export function defaultExtractorFor(shape: readonly number[]): ExtractorName {
  return shape[0] === 28 && shape[1] === 28 && shape[2] === 1 ? 'mnist' : 'inception';
}

/** Validates a name and its options before any work starts: inception needs an existing --weights file. */
export function checkExtractorSpec(spec: ExtractorSpec): ExtractorSpec {
  if (!(EXTRACTOR_NAMES as readonly string[]).includes(spec.name)) {
    throw unknownName('feature extractor', spec.name, EXTRACTOR_NAMES, '--extractor');
  }
  const weights = spec.options?.weights;
  if (spec.name === 'inception' && !weights) {
    throw new ConfigError(
      `the inception extractor needs --weights FILE: the standard FID weights ${INCEPTION_WEIGHTS_FILE}, ` +
        `downloaded from pytorch-fid's release ${INCEPTION_WEIGHTS_URL} (or use --extractor mnist for 28x28 digits).`,
    );
  }
  if (weights && !fs.statSync(weights, { throwIfNoEntry: false })?.isFile()) {
    throw new DataError(`--weights ${weights} does not exist or is not a file.`);
  }
  return spec;
}

/** Throws the "unknown layer" error for `--layer`, listing the extractor's layers. */
export function checkLayer(layer: string, layers: readonly string[], extractor: string): string {
  if (!layers.includes(layer)) throw unknownName(`layer of the ${extractor} extractor`, layer, layers, '--layer');
  return layer;
}

/** The layer Inception Score reads: logits without the output bias when the extractor has them (torch-fidelity). */
export function logitsLayer(layers: readonly string[], extractor: string): string {
  const l = ['logits-unbiased', 'logits'].find((x) => layers.includes(x));
  if (!l) throw new ConfigError(`the ${extractor} extractor has no logits layer (it has ${layers.join(', ')}); Inception Score needs class logits.`);
  return l;
}
