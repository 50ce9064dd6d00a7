/**
 * Reading a run folder into the ReportData a page shows: config.json, metrics.jsonl (training and
 * evaluation lines), the sample pictures as data: URLs and, for 2-D runs, real vs generated points
 * (the generator sampled here with a fixed seed, the real points drawn from the toy distribution).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from '../errors.js';
import { openToy, TOY_NAMES, type ToyName } from '../data/toy2d.js';
import { loadRunGenerator, sampleGenerator } from '../sampling/sampler.js';
import { Rng } from '../train/rng.js';
import { classifyLine, type EvalRow, type MetricsRow, type ReportData, type SampleImage, type ScatterData } from './types.js';

/** Points per side of the 2-D scatter: enough to see modes, small enough to inline. */
export const SCATTER_POINTS = 1000;

const SAMPLE_FILE = /^step-(\d+)\.png$/;

/** config.json of `dir`, or a DataError naming it when missing or unreadable. */
export function readRunConfig(dir: string): Record<string, unknown> {
  const file = path.join(dir, 'config.json');
  if (!fs.existsSync(file)) throw new DataError(`${dir} is not a ganbox run folder: ${file} is missing`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new DataError(`could not read ${file}: ${(err as Error).message}`);
  }
}

/** The training and evaluation lines of metrics.jsonl from byte `from` on; a torn last line is left for later. */
export function readMetrics(dir: string, from = 0): { metrics: MetricsRow[]; evals: EvalRow[]; next: number } {
  const file = path.join(dir, 'metrics.jsonl');
  const metrics: MetricsRow[] = [];
  const evals: EvalRow[] = [];
  if (!fs.existsSync(file)) return { metrics, evals, next: from };
  const buf = fs.readFileSync(file);
  if (buf.length < from) from = 0; // truncated (a resume rewrote it): read again from the start
  const text = buf.subarray(from).toString('utf8');
  const end = text.lastIndexOf('\n') + 1; // only whole lines
  for (const line of text.slice(0, end).split('\n')) {
    if (!line.trim()) continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // a line another tool mangled: the rest of the report still stands
    }
    const { row, evalRow } = classifyLine(o);
    if (row) metrics.push(row);
    if (evalRow) evals.push(evalRow);
  }
  return { metrics, evals, next: from + Buffer.byteLength(text.slice(0, end)) };
}

/** samples/step-NNNNNN.png, oldest first, as {step, file}. */
export function listSamples(dir: string): { step: number; file: string }[] {
  const folder = path.join(dir, 'samples');
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .map((f) => ({ m: SAMPLE_FILE.exec(f), f }))
    .filter((x) => x.m)
    .map((x) => ({ step: Number(x.m![1]), file: path.join(folder, x.f) }))
    .sort((a, b) => a.step - b.step);
}

export function sampleImage(step: number, file: string): SampleImage {
  return { step, src: `data:image/png;base64,${fs.readFileSync(file).toString('base64')}` };
}

/** The toy a run trained on, when it is one of the 2-D toys. */
function runToy(config: Record<string, unknown>): ToyName | undefined {
  const data = (config['train'] as { data?: unknown } | undefined)?.data;
  return typeof data === 'string' && (TOY_NAMES as readonly string[]).includes(data) ? (data as ToyName) : undefined;
}

/**
 * Real and generated points of a 2-D run (undefined for image runs or before a generator exists).
 * Needs an active tfjs backend (useBackend).
 */
export async function readScatter(dir: string, config: Record<string, unknown>, n = SCATTER_POINTS): Promise<ScatterData | undefined> {
  const toyName = runToy(config);
  if (!toyName || !fs.existsSync(path.join(dir, 'generator', 'model.json'))) return undefined;
  const toy = openToy(toyName);
  const seed = Number((config['train'] as { seed?: unknown }).seed ?? 0) || 0;
  const real = toy.sample(n, new Rng(seed).fork(6)).x;
  const g = await loadRunGenerator(dir);
  let fake: Float32Array;
  try {
    fake = sampleGenerator(g, n, seed + 1);
  } finally {
    g.model.dispose();
  }
  let m = 0;
  for (const [x, y] of toy.modes) m = Math.max(m, Math.abs(x), Math.abs(y));
  const round = (v: Float32Array) => Array.from(v, (x) => Math.round(x * 1e4) / 1e4);
  return { real: round(real), fake: round(fake), extent: (m + 6 * toy.std) * 1.25 };
}

/** Everything the report shows about the run in `dir`. */
export async function readRunData(dir: string): Promise<ReportData> {
  const config = readRunConfig(dir);
  const { metrics, evals } = readMetrics(dir);
  const samples = listSamples(dir).map((s) => sampleImage(s.step, s.file));
  const scatter = await readScatter(dir, config);
  return { name: path.basename(path.resolve(dir)), config, metrics, evals, samples, scatter };
}
