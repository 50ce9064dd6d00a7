/** The loss registry: a --loss name → its GanLoss. */
import { unknownName } from '../errors.js';
import { minimax } from './minimax.js';
import { nonSaturating } from './non-saturating.js';
import type { GanLoss } from './types.js';

export type { GanLoss } from './types.js';
export { logSigmoid, logOneMinusSigmoid } from './stable.js';
export { valueFunction } from './value.js';
export { minimax, discriminatorLoss } from './minimax.js';
export { nonSaturating } from './non-saturating.js';

export const LOSS_NAMES = ['minimax', 'non-saturating'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

const LOSSES: Readonly<Record<LossName, GanLoss>> = {
  minimax,
  'non-saturating': nonSaturating,
};

export function getLoss(name: string): GanLoss {
  if (!(LOSS_NAMES as readonly string[]).includes(name)) throw unknownName('loss', name, LOSS_NAMES, '--loss');
  return LOSSES[name as LossName];
}
