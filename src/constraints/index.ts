/** Constraints that keep a critic Lipschitz: weight clipping and the gradient penalty. */
export { clipWeights, checkClipValue, DEFAULT_CLIP_VALUE } from './weight-clipping.js';
export { gradientPenalty, drawAlpha, checkGpWeight, DEFAULT_GP_WEIGHT } from './gradient-penalty.js';
