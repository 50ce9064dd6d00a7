/**
 * The fuzz loop shared by the suite (fuzz.test.ts) and the long run (scripts/fuzz.ts). Case i
 * of seed S is reproducible alone: its PRNG is seeded from (S, i). A case fails when the parser
 * throws anything but a GanboxError naming the file, takes longer than `maxMs`, or grows the
 * process's resident memory by more than `maxGrowthBytes` while it runs (an allocation sized by
 * an unchecked field: the 70-byte PNG that asked for 10000×9999 pixels grew it by 670 MB).
 */
import { GanboxError } from '../../src/errors.js';
import { mulberry32 } from './fuzz-mutate.js';
import type { Target } from './fuzz-targets.js';

export interface FuzzFailure {
  target: string;
  index: number;
  kind: 'exception' | 'unnamed-file' | 'slow' | 'memory';
  message: string;
  input: Uint8Array;
}

export interface FuzzReport {
  cases: number;
  /** Per target: cases tried, inputs that parsed, inputs refused with a GanboxError. */
  byTarget: Record<string, { cases: number; parsed: number; refused: number }>;
  failures: FuzzFailure[];
  slowestMs: number;
  maxGrowthMB: number;
  /** Cases over the time limit whose re-run was fast: the machine stalled, not the parser. */
  stalls: number;
}

export interface FuzzOptions {
  targets: Target[];
  cases: number;
  seed: number;
  /** First case index (to replay one case). Default 0. */
  from?: number;
  maxMs?: number;
  maxGrowthBytes?: number;
  onProgress?: (report: FuzzReport) => void;
}

export const caseRng = (seed: number, index: number) => mulberry32((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);

export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const maxMs = o.maxMs ?? 2000;
  const maxGrowth = o.maxGrowthBytes ?? 256 * 2 ** 20;
  const report: FuzzReport = { cases: 0, byTarget: {}, failures: [], slowestMs: 0, maxGrowthMB: 0, stalls: 0 };
  for (const t of o.targets) report.byTarget[t.name] = { cases: 0, parsed: 0, refused: 0 };
  for (let i = o.from ?? 0; i < (o.from ?? 0) + o.cases; i++) {
    const target = o.targets[i % o.targets.length]!;
    const input = target.make(caseRng(o.seed, i));
    const stats = report.byTarget[target.name]!;
    const fail = (kind: FuzzFailure['kind'], message: string) => report.failures.push({ target: target.name, index: i, kind, message, input });
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    try {
      await target.run(input);
      stats.parsed++;
    } catch (err) {
      if (!(err instanceof GanboxError)) fail('exception', `${(err as Error)?.name}: ${(err as Error)?.message ?? String(err)}`);
      else if (!err.message.includes(target.file)) fail('unnamed-file', err.message);
      else stats.refused++;
    }
    let ms = performance.now() - t0;
    if (ms > maxMs) {
      // A stall of a loaded machine, or the parser? Time the same input again.
      const t1 = performance.now();
      try { await target.run(input); } catch { /* judged above */ }
      const again = performance.now() - t1;
      if (again > maxMs) fail('slow', `took ${ms.toFixed(0)} ms, and ${again.toFixed(0)} ms again`);
      else report.stalls++;
      ms = again;
    }
    report.slowestMs = Math.max(report.slowestMs, ms);
    const growth = process.memoryUsage().rss - rss0;
    report.maxGrowthMB = Math.max(report.maxGrowthMB, growth / 2 ** 20);
    if (growth > maxGrowth) fail('memory', `the process grew by ${(growth / 2 ** 20).toFixed(0)} MB`);
    stats.cases++;
    report.cases++;
    if (o.onProgress && (report.cases % 500 === 0 || report.failures.length)) o.onProgress(report);
  }
  return report;
}
