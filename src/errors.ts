/**
 * Errors a user can act on. Each is one sentence naming the file, flag or option at fault and,
 * where there is one, the fix. The CLI prints `error: <message>` and exits with `exitCode`,
 * never a stack trace. Internal invariants use `assert` and are bugs, not GanboxErrors.
 */
export type GanboxErrorKind = 'config' | 'data' | 'shape' | 'numerical' | 'io' | 'backend';

export class GanboxError extends Error {
  readonly kind: GanboxErrorKind;
  readonly exitCode: number;
  constructor(kind: GanboxErrorKind, message: string, exitCode = 2) {
    super(message);
    this.name = 'GanboxError';
    this.kind = kind;
    this.exitCode = exitCode;
  }
}

/** A bad flag, option or setting (unknown name, out-of-range value). */
export class ConfigError extends GanboxError {
  constructor(message: string) { super('config', message); this.name = 'ConfigError'; }
}
/** A data file or folder that is missing, unreadable or malformed. */
export class DataError extends GanboxError {
  constructor(message: string) { super('data', message); this.name = 'DataError'; }
}
/** Tensors or images whose shape does not fit (wrong channel count, wrong size). */
export class ShapeError extends GanboxError {
  constructor(message: string) { super('shape', message); this.name = 'ShapeError'; }
}
/** A non-finite loss or weight: training stops and the last good checkpoint is kept. */
export class NumericalError extends GanboxError {
  constructor(message: string) { super('numerical', message, 3); this.name = 'NumericalError'; }
}
/** Reading or writing a run folder, checkpoint or output file failed. */
export class IoError extends GanboxError {
  constructor(message: string) { super('io', message); this.name = 'IoError'; }
}
/** A backend that cannot be used here (not installed, failed to initialise). */
export class BackendError extends GanboxError {
  constructor(message: string) { super('backend', message); this.name = 'BackendError'; }
}

/** Internal invariant: a failure is a ganbox bug, reported with its stack. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`ganbox internal error: ${message}`);
}

/** Levenshtein distance, for "did you mean" hints on unknown names. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
    }
  }
  return d[a.length]![b.length]!;
}

/** The valid name nearest to `name`, when it is close enough to be a likely typo. */
export function nearest(name: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const v of valid) {
    const dist = editDistance(name.toLowerCase(), v.toLowerCase());
    if (dist < bestD) { bestD = dist; best = v; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** "unknown loss 'hnge' (--loss); valid: a, b, c; did you mean 'hinge'?" */
export function unknownName(what: string, name: string, valid: readonly string[], flag?: string): ConfigError {
  const hint = nearest(name, valid);
  return new ConfigError(
    `unknown ${what} '${name}'${flag ? ` (${flag})` : ''}; valid: ${valid.join(', ')}` +
      (hint ? `; did you mean '${hint}'?` : ''),
  );
}
