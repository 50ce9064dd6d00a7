/** Evaluation metrics: each a chain of small pure functions, features → statistics → value. */
export * from './keys.js';
export { featuresToStatistics, mergeStatistics, encodeStatistics, decodeStatistics, type FeatureStatistics } from './statistics.js';
export { frechetDistance, type FrechetOptions, type FrechetResult } from './frechet.js';
export {
  inceptionScore, inceptionScoreFromProbabilities, meanStd, rowOrder, SPLIT_ORDERS, TORCH_FIDELITY_SEED, type InceptionScoreOptions, type SplitOrder,
} from './inception-score.js';
export { NumpyRandomState } from './numpy-random-state.js';
export { kernelInceptionDistance, type KidOptions, type KidResult } from './kid.js';
export { computePrdc, precisionRecall, densityCoverage, kthNeighbourRadii, type PrdcResult } from './prdc.js';
export { modeCoverage, gridDivergence, type ModeCoverage, type GridDivergence, type GridDivergenceOptions } from './toy-modes.js';
export { classAccuracy, confusion, hungarian, matchedAccuracy, type ClassAccuracy, type MatchedAccuracy } from './accuracy.js';
