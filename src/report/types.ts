/**
 * What a report page shows, as plain JSON: built from a run folder in Node (run-data.ts), inlined
 * into report.html, and extended live by the server's events. Shared by Node and the page.
 */
import { KEY_FID, KEY_IS } from '../metrics/keys.js';
import type { LoggedMetrics } from '../train/run.js';

/** One training line of metrics.jsonl (a type-only import: nothing of run.ts reaches the page). */
export type MetricsRow = LoggedMetrics;

/** One evaluation line of metrics.jsonl (written by `--eval-every`): FID and/or IS at a step. */
export interface EvalRow {
  step: number;
  fid?: number;
  is_mean?: number;
  is_std?: number;
  /** Conditional runs (evaluate/conditional.ts): accuracy under the MNIST classifier, intra-class FID. */
  class_accuracy?: number;
  info_code_accuracy?: number;
  intra_class_fid?: number;
}

/** A sample grid (or, for 2-D runs, scatter picture) as a data: URL. */
export interface SampleImage {
  step: number;
  src: string;
}

/** Real vs generated points of a 2-D run, [n, 2] flattened each. */
export interface ScatterData {
  real: number[];
  fake: number[];
  /** Half-width of the square view. */
  extent: number;
}

export interface ReportData {
  /** The run folder's name. */
  name: string;
  /** config.json as written by the run. */
  config: Record<string, unknown>;
  metrics: MetricsRow[];
  evals: EvalRow[];
  samples: SampleImage[];
  scatter?: ScatterData;
  /** Set on the live page: the page then listens to /events. */
  live?: boolean;
}

/** The events of the live page's stream (server-sent events, `event:` name → data). */
export interface LiveEvents {
  metrics: MetricsRow[];
  evals: EvalRow[];
  sample: SampleImage;
  scatter: ScatterData;
  status: { state: 'training' | 'done' | 'failed'; step: number; total?: number; message?: string };
}


/** Sort a parsed metrics.jsonl line into a training row, an evaluation row, both or neither. */
export function classifyLine(o: Record<string, unknown>): { row?: MetricsRow; evalRow?: EvalRow } {
  const out: { row?: MetricsRow; evalRow?: EvalRow } = {};
  if (typeof o['step'] !== 'number') return out;
  if (typeof o['loss_d'] === 'number') out.row = o as unknown as MetricsRow;
  const fid = o[KEY_FID];
  const is = o[KEY_IS] as { mean?: unknown; std?: unknown } | number | undefined;
  const e: EvalRow = { step: o['step'] };
  if (typeof fid === 'number') e.fid = fid;
  if (typeof is === 'number') e.is_mean = is;
  else if (is && typeof is.mean === 'number') {
    e.is_mean = is.mean;
    if (typeof is.std === 'number') e.is_std = is.std;
  }
  for (const k of ['class_accuracy', 'info_code_accuracy', 'intra_class_fid'] as const) {
    if (typeof o[k] === 'number') e[k] = o[k] as number;
  }
  if (Object.keys(e).length > 1) out.evalRow = e;
  return out;
}
