/**
 * 'perceptual': feature matching (Salimans et al. 2016, §3.1) where f is a layer of a *fixed*
 * external network (e.g. an MNIST classifier) instead of D — the perceptual loss of Johnson,
 * Alahi & Fei-Fei 2016 applied to G's batch statistics. ganbox has no such network yet (the
 * metrics issue brings the MNIST classifier), so the name is registered and selecting it fails
 * with a ConfigError naming the missing option. Once a feature extractor exists it plugs in as
 * makeFeatureMatching does, with the extractor's features in place of D's.
 */
import { ConfigError } from '../errors.js';

export function perceptualUnavailable(): ConfigError {
  return new ConfigError(
    "loss 'perceptual' needs a fixed feature network (option perceptualModel, --perceptual-model), " +
      'which ganbox does not provide yet; use --loss feature-matching to match the features of D instead',
  );
}
