/**
 * What a conditional generator is asked for: a class per sample, fixed InfoGAN codes, a grid with
 * one row per class, or a sweep of one continuous code along each row. `planSamples` turns a request
 * into per-sample noise, labels and codes; every wrong combination is one ConfigError naming its flag.
 *
 * Codes are named c0, c1, …: the categorical code first (when the run has one; its value is the
 * category index), then the continuous codes (values, trained on [−1, 1]). Codes not fixed are
 * drawn as in training: a uniform category, continuous U(−1, 1).
 */
import { ConfigError } from '../errors.js';
import type { ModelConditioning } from '../models/conditioning.js';
import { Rng } from '../train/rng.js';

/** CIFAR-10's class names, in label order (Krizhevsky 2009, batches.meta.txt). */
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;

/** Class names for a run's data spec, when known (cifar10); otherwise the classes are numbers. */
export function classNamesFor(dataSpec: string): readonly string[] | undefined {
  return dataSpec.startsWith('cifar10:') ? CIFAR10_CLASSES : undefined;
}

export interface SampleRequest {
  /** Samples (ignored by `classesAll`, which draws classes × cols). Default 64. */
  n?: number;
  /** Noise seed. Default 0. */
  seed?: number;
  /** Every sample of this class: an index, or a name for runs whose classes have names. */
  class?: number | string;
  /** A grid with one row per class, `cols` samples each; column j shares its noise across rows. */
  classesAll?: boolean;
  /** Columns of the class grid or the sweep. Default 8. */
  cols?: number;
  /** Fixed codes: { c0: 3, c1: 0.5 }. */
  codes?: Record<string, number>;
  /**
   * One continuous code swept linearly along each row, from → to; each row shares its noise. Unless
   * fixed, row r's categorical code is r mod K (Chen et al. 2016, Fig. 2: one row per category).
   */
  sweep?: { code: string; from?: number; to?: number };
}

/** Per-sample inputs for G. */
export interface SamplePlan {
  n: number;
  /** Grid columns the request implies (class grid, sweep), if any. */
  cols?: number;
  z: Float32Array;          // [n, latentDim]
  labels?: Int32Array;      // [n]
  codes?: Float32Array;     // [n, K' + M]: one-hot categorical, then continuous
}

interface CondGenerator {
  latentDim: number;
  conditioning?: ModelConditioning;
  classNames?: readonly string[];
}

/** The code names of a run: c0 … with their kind. */
function codeNames(c: ModelConditioning): { name: string; kind: 'categorical' | 'continuous'; index: number }[] {
  const out: { name: string; kind: 'categorical' | 'continuous'; index: number }[] = [];
  if (c.codes.categorical > 0) out.push({ name: 'c0', kind: 'categorical', index: 0 });
  for (let j = 0; j < c.codes.continuous; j++) out.push({ name: `c${out.length}`, kind: 'continuous', index: j });
  return out;
}

function describeCodes(c: ModelConditioning): string {
  const names = codeNames(c);
  if (names.length === 0) return 'this run has no InfoGAN codes (trained without --info-categorical/--info-continuous)';
  return 'this run has ' + names.map((n) => n.kind === 'categorical'
    ? `${n.name} (categorical, 0–${c.codes.categorical - 1})` : `${n.name} (continuous)`).join(', ');
}

/** A class index from a number or name; ConfigError naming --class otherwise. */
export function resolveClass(g: CondGenerator, value: number | string, flag = '--class'): number {
  const k = g.conditioning?.classes ?? 0;
  if (!k) throw new ConfigError(`${flag} ${value}: this run is not class-conditional (it was trained without --conditional).`);
  const s = String(value).trim();
  let idx = /^\d+$/.test(s) ? Number(s) : g.classNames ? g.classNames.indexOf(s) : -1;
  if (idx < 0 && !/^\d+$/.test(s)) {
    const names = g.classNames ? `one of ${g.classNames.join(', ')} or ` : '';
    throw new ConfigError(`${flag} ${s} is not a class of this run; use ${names}an index from 0 to ${k - 1}.`);
  }
  if (idx >= k) throw new ConfigError(`${flag} ${idx} is out of range: this run has ${k} classes (0–${k - 1}).`);
  idx = Math.trunc(idx);
  return idx;
}

/** Parses `c0=3,c1=0.5` (the --code flag). */
export function parseCodes(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(c\d+)=(.+)$/.exec(part);
    const v = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(v)) throw new ConfigError(`--code ${part}: expected NAME=VALUE pairs like c0=3,c1=0.5.`);
    out[m[1]!] = v;
  }
  return out;
}

/** Turns a request into per-sample noise, labels and codes for `g`. */
export function planSamples(g: CondGenerator, req: SampleRequest = {}): SamplePlan {
  const c = g.conditioning;
  const classes = c && c.mode !== 'none' ? c.classes : 0;
  const { categorical: kc, continuous: m } = c?.codes ?? { categorical: 0, continuous: 0 };
  const codeSize = kc + m;
  const cols = req.cols ?? 8;
  if (!Number.isInteger(cols) || cols < 1) throw new ConfigError(`--cols must be a positive integer, got ${cols}`);
  if (req.class !== undefined && req.classesAll) throw new ConfigError('--class and --classes all exclude each other; pass one of them.');
  if (req.classesAll && !classes) throw new ConfigError('--classes all: this run is not class-conditional (it was trained without --conditional).');
  const fixedClass = req.class !== undefined ? resolveClass(g, req.class) : undefined;

  // Codes: validate names and values.
  const names = c ? codeNames(c) : [];
  const fixed = new Map<string, number>();
  for (const [name, value] of Object.entries(req.codes ?? {})) {
    const code = names.find((x) => x.name === name);
    if (!code) throw new ConfigError(`--code ${name}: ${describeCodes(c ?? { mode: 'none', classes: 0, codes: { categorical: 0, continuous: 0 } })}.`);
    if (code.kind === 'categorical' && !(Number.isInteger(value) && value >= 0 && value < kc)) {
      throw new ConfigError(`--code ${name}=${value}: the categorical code takes an integer from 0 to ${kc - 1}.`);
    }
    fixed.set(name, value);
  }
  let sweep: { index: number; from: number; to: number } | undefined;
  if (req.sweep) {
    const code = names.find((x) => x.name === req.sweep!.code);
    if (!code || code.kind !== 'continuous') {
      throw new ConfigError(`--sweep ${req.sweep.code}: the swept code must be a continuous one; ${describeCodes(c ?? { mode: 'none', classes: 0, codes: { categorical: 0, continuous: 0 } })}.`);
    }
    if (fixed.has(code.name)) throw new ConfigError(`--sweep ${code.name} and --code ${code.name} exclude each other.`);
    const from = req.sweep.from ?? -1;
    const to = req.sweep.to ?? 1;
    if (!Number.isFinite(from) || !Number.isFinite(to)) throw new ConfigError('--sweep-range must be two numbers, e.g. -2,2.');
    sweep = { index: code.index, from, to };
  }

  const rows = req.classesAll ? classes : undefined;
  const n = rows !== undefined ? rows * cols : (req.n ?? 64);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`--n must be a positive integer, got ${n}`);
  const gridCols = rows !== undefined || sweep ? cols : undefined;
  const rng = new Rng(req.seed ?? 0);
  const d = g.latentDim;
  const z = new Float32Array(n * d);
  // Noise: one draw per sample; a class grid shares it down each column, a sweep along each row.
  const base = rng.normalArray(n * d);
  for (let i = 0; i < n; i++) {
    const src = rows !== undefined ? i % cols : sweep ? Math.floor(i / cols) * cols : i;
    z.set(base.subarray(src * d, src * d + d), i * d);
  }
  const out: SamplePlan = { n, z, ...(gridCols ? { cols: gridCols } : {}) };
  if (classes) {
    out.labels = Int32Array.from({ length: n }, (_, i) =>
      fixedClass ?? (rows !== undefined ? Math.floor(i / cols) : i % classes));
  }
  if (codeSize > 0) {
    const codes = new Float32Array(n * codeSize);
    const catFixed = fixed.get('c0');
    const codeSeed = rng.nextUint32();
    for (let i = 0; i < n; i++) {
      const row = codes.subarray(i * codeSize, (i + 1) * codeSize);
      // Codes drawn per sample, shared along a sweep's row and down a class grid's column.
      const key = rows !== undefined ? i % cols : sweep ? Math.floor(i / cols) : i;
      const r = new Rng(codeSeed).fork(key); // fork advances its parent: a fresh parent per key
      const drawn = kc > 0 ? r.int(kc) : 0;
      if (kc > 0) row[catFixed ?? (sweep ? Math.floor(i / cols) % kc : drawn)] = 1;
      const cont = r.uniformArray(m, -1, 1);
      for (let j = 0; j < m; j++) {
        const name = `c${j + (kc > 0 ? 1 : 0)}`;
        row[kc + j] = fixed.get(name) ?? cont[j]!;
      }
      if (sweep) {
        const col = i % cols;
        row[kc + sweep.index] = cols === 1 ? sweep.from : sweep.from + ((sweep.to - sweep.from) * col) / (cols - 1);
      }
    }
    out.codes = codes;
  }
  return out;
}
