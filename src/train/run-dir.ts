/**
 * The run folder: where a training run keeps everything it makes.
 *   config.json        every resolved setting (plus backend and versions)
 *   metrics.jsonl      one JSON line per logged step
 *   samples/           step-000500.png grids from a fixed noise batch
 *   checkpoints/       step-000500.ckpt (see checkpoint.ts), the newest `keep` kept
 *   generator/         the generator in tfjs LayersModel format (model.json + weights.bin)
 *   eval.json          the --eval-every settings, for --resume (cli/train-eval.ts)
 * A folder is never overwritten without `force`, and `force` only clears a ganbox run folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, IoError } from '../errors.js';
import { ioErrorMessage, writeFileAtomic } from '../io/atomic.js';

export interface RunPaths {
  dir: string;
  config: string;
  metrics: string;
  samples: string;
  checkpoints: string;
  generator: string;
}

export function runPaths(dir: string): RunPaths {
  return {
    dir,
    config: path.join(dir, 'config.json'),
    metrics: path.join(dir, 'metrics.jsonl'),
    samples: path.join(dir, 'samples'),
    checkpoints: path.join(dir, 'checkpoints'),
    generator: path.join(dir, 'generator'),
  };
}

/** runs/2026-11-25T07-40-12-mnist-dcgan: sortable, and says what ran. */
export function defaultRunName(data: string, arch: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  const what = data.replace(/^(\w+):.*$/, '$1').replace(/[^\w-]/g, '');
  return `${stamp}-${what}-${arch}`;
}

/** A temporary file of io/atomic.ts left behind by a process killed mid-write. */
const STALE_TMP = /^\..+\.tmp-\d+-\d+$/;

/**
 * True when `dir` holds nothing a run made yet: only empty samples/ and checkpoints/ folders and
 * stale temporary files, as a run killed before it wrote config.json leaves it. Such a folder is
 * reused without --force, so that rerunning the same command is the way on after such a crash.
 */
function isUnstartedRun(dir: string, p: RunPaths): boolean {
  return fs.readdirSync(dir).every((name) => {
    const full = path.join(dir, name);
    if (STALE_TMP.test(name)) return true;
    if (full !== p.samples && full !== p.checkpoints) return false;
    return fs.statSync(full).isDirectory() && fs.readdirSync(full).every((f) => STALE_TMP.test(f));
  });
}

/** Remove the temporary files of writes a killed process never finished (they can be checkpoint-sized). */
export function removeStaleTemporaries(p: RunPaths): number {
  let removed = 0;
  for (const d of [p.dir, p.samples, p.checkpoints, p.generator]) {
    if (!fs.existsSync(d)) continue;
    for (const name of fs.readdirSync(d)) {
      if (!STALE_TMP.test(name)) continue;
      const pid = Number(/tmp-(\d+)-/.exec(name)![1]);
      if (pid === process.pid) continue; // ours, being written now
      fs.rmSync(path.join(d, name), { force: true });
      removed++;
    }
  }
  return removed;
}

/** Create a fresh run folder; refuses to overwrite anything unless `force` and it is a run folder. */
export function createRunDir(dir: string, force: boolean): RunPaths {
  const p = runPaths(dir);
  if (fs.existsSync(dir)) {
    const entries = fs.readdirSync(dir);
    if (entries.length > 0 && !isUnstartedRun(dir, p)) {
      if (!force) {
        throw new ConfigError(
          `run folder ${dir} already exists; use --resume ${dir} to continue it, --force to overwrite it, or another --out`,
        );
      }
      if (!fs.existsSync(p.config)) {
        throw new ConfigError(`--force refuses to clear ${dir}: it is not a ganbox run folder (no config.json)`);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  try {
    for (const d of [dir, p.samples, p.checkpoints]) fs.mkdirSync(d, { recursive: true });
  } catch (err) {
    throw new IoError(ioErrorMessage(dir, err, 'create the run folder'));
  }
  return p;
}

/** Open an existing run folder for --resume. */
export function openRunDir(dir: string): RunPaths {
  const p = runPaths(dir);
  if (!fs.existsSync(p.config)) {
    throw new ConfigError(`--resume ${dir}: not a ganbox run folder (no config.json)`);
  }
  fs.mkdirSync(p.samples, { recursive: true });
  fs.mkdirSync(p.checkpoints, { recursive: true });
  removeStaleTemporaries(p);
  return p;
}

/**
 * Drop metric lines past `step` (and a torn last line), so a resumed run's log has no steps from
 * the lost tail. Atomic: a kill while this runs leaves the old log, never a half-written one.
 */
export function truncateMetrics(file: string, step: number): void {
  if (!fs.existsSync(file)) return;
  const kept = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => {
      if (!line.trim()) return false;
      try {
        return (JSON.parse(line) as { step: number }).step <= step;
      } catch {
        return false; // a torn last line
      }
    });
  writeFileAtomic(file, kept.map((l) => l + '\n').join(''));
}
