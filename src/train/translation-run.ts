/**
 * A translation run on disk (Node): TranslationTrainer plus the usual run folder —
 *   config.json      {translation: every resolved setting, backend, data, versions}
 *   metrics.jsonl    {step, loss_d, loss_g, <every loss term>, d_real, d_fake, lr, images_per_s, time}
 *   samples/         step-NNNNNN.png: one row per fixed input image,
 *                    pix2pix  A → G(A) → target B;   CycleGAN  a → G(a) → F(G(a)) | b → F(b) → G(F(b))
 *   checkpoints/     step-NNNNNN.ckpt (checkpoint.ts's format: all networks, optimisers, streams, pools)
 *   generator/       G: A→B in tfjs LayersModel format (CycleGAN also generator-BtoA/)
 * resumable bit for bit (`resume`), as train/run.ts's runs are. The folder helpers are run-dir.ts's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { TRANSLATION_DEFAULTS, type TranslationConfig } from '../defaults.js';
import { ConfigError, DataError, NumericalError } from '../errors.js';
import { DIGIT_SIDE, DIGIT_TASKS, openDigitTask, type DigitTask } from '../data/digit-tasks.js';
import { openTranslationData, type TranslationData, type TranslationDataOptions } from '../data/paired.js';
import { describeFsError, ioErrorMessage, writeFileAtomic, WriteError } from '../io/atomic.js';
import { encodePng, imageGrid } from '../io/png.js';
import { saveLayersModel } from '../io/tfjs-format.js';
import { loadLatestCheckpoint, writeCheckpoint } from './checkpoint.js';
import { createRunDir, defaultRunName, openRunDir, truncateMetrics, type RunPaths } from './run-dir.js';
import { resolveTranslationConfig, TranslationTrainer, type TranslationMetrics } from './translation.js';

export interface TranslationRunOptions {
  out?: string;
  force?: boolean;
  resume?: string;
  /** Data to train on instead of opening `config.data` (tests, library use). */
  source?: TranslationData;
  /** Decoding options for folders (workers, cache, --on-bad-image, progress). */
  decode?: Omit<TranslationDataOptions, 'loadSize' | 'channels'>;
  backend?: string;
  onProgress?: (p: { step: number; total: number; metrics: TranslationMetrics; imagesPerSec: number; etaSec: number; logged: boolean }) => void;
  onInfo?: (message: string) => void;
  signal?: AbortSignal;
}

export interface TranslationRunResult {
  dir: string;
  step: number;
  last?: TranslationMetrics;
  samplePath?: string;
  checkpointPath?: string;
  interrupted: boolean;
}

/** Opens `config.data`: a digit task or pairs:/unpaired: folders at the load size. */
export async function openTranslationSource(c: TranslationConfig, decode: TranslationRunOptions['decode'] = {}): Promise<TranslationData> {
  if ((DIGIT_TASKS as readonly string[]).includes(c.data)) {
    if (c.size > DIGIT_SIDE) throw new ConfigError(`${c.data} has ${DIGIT_SIDE}×${DIGIT_SIDE} images; use --size ${DIGIT_SIDE} or less.`);
    return openDigitTask(c.data as DigitTask);
  }
  return openTranslationData(c.data, { ...decode, loadSize: c.loadSize, channels: c.channels === 0 ? undefined : c.channels });
}

/** True when DIR/config.json is a translation run's (it has a `translation` object). */
export function isTranslationRun(dir: string): boolean {
  try {
    const o = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    return typeof o['translation'] === 'object' && o['translation'] !== null;
  } catch {
    return false;
  }
}

/** Reads and checks DIR/config.json's `translation` settings (names and types as TRANSLATION_DEFAULTS'). */
export function readTranslationConfig(dir: string): TranslationConfig {
  const file = path.join(dir, 'config.json');
  let root: unknown;
  try {
    root = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DataError(err instanceof SyntaxError ? `${file} is not valid JSON (${err.message}); restore it or start a new run with --out.` : ioErrorMessage(file, err));
  }
  const t = (root as { translation?: unknown } | null)?.translation;
  if (typeof t !== 'object' || t === null || Array.isArray(t)) throw new DataError(`${file} has no 'translation' object: not a translation run.`);
  // Runs from before --downsample existed used the paper's 2 stride-2 steps at every size.
  if (!('downsample' in t)) (t as Record<string, unknown>).downsample = 2;
  for (const [k, v] of Object.entries(t)) {
    const d = (TRANSLATION_DEFAULTS as unknown as Record<string, unknown>)[k];
    if (d === undefined) throw new DataError(`${file}: unknown setting '${k}'; restore it or start a new run with --out.`);
    if (typeof v !== typeof d || (typeof v === 'number' && !Number.isFinite(v))) {
      throw new DataError(`${file}: setting '${k}' is ${JSON.stringify(v)?.slice(0, 40)}, not a ${typeof d}; restore it or start a new run with --out.`);
    }
  }
  return resolveTranslationConfig(t as Partial<TranslationConfig>);
}

/** [n, S, S, c] → [n, S, S, 3] when `to` is 3 (grey replicated). */
function toChannels(x: Float32Array, c: number, to: number): Float32Array {
  if (c === to) return x;
  const out = new Float32Array((x.length / c) * to);
  for (let p = 0; p < x.length; p++) for (let k = 0; k < to; k++) out[p * to + k] = x[p]!;
  return out;
}

/**
 * The sample picture: one row per fixed image, columns as in the module comment.
 * Returns the PNG bytes and the column count.
 */
export function sampleGrid(trainer: TranslationTrainer, fixed: ReturnType<TranslationTrainer['fixedImages']>): { png: Buffer; cols: number } {
  const s = trainer.config.size;
  const { channelsA: ca, channelsB: cb } = trainer.data;
  const c = Math.max(ca, cb);
  const px = s * s;
  const n = fixed.n;
  const columns: { x: Float32Array; c: number }[] = [];
  const ab = trainer.translate(fixed.a, n, 'AtoB');
  columns.push({ x: fixed.a, c: ca }, { x: ab, c: cb });
  if (trainer.config.model === 'pix2pix') {
    columns.push({ x: fixed.b, c: cb });
  } else {
    columns.push({ x: trainer.translate(ab, n, 'BtoA'), c: ca });
    const ba = trainer.translate(fixed.b, n, 'BtoA');
    columns.push({ x: fixed.b, c: cb }, { x: ba, c: ca }, { x: trainer.translate(ba, n, 'AtoB'), c: cb });
  }
  const cols = columns.map((col) => toChannels(col.x, col.c, c));
  const cells = new Float32Array(n * cols.length * px * c); // row-major: image k's columns side by side
  for (let k = 0; k < n; k++) {
    cols.forEach((col, j) => cells.set(col.subarray(k * px * c, (k + 1) * px * c), (k * cols.length + j) * px * c));
  }
  const g = imageGrid(cells, n * cols.length, s, s, c, { cols: cols.length });
  return { png: encodePng(g.data, g.width, g.height, g.channels as 1 | 3), cols: cols.length };
}

export async function runTranslation(options: Partial<TranslationConfig>, run: TranslationRunOptions = {}): Promise<TranslationRunResult> {
  const info = run.onInfo ?? (() => {});
  let paths: RunPaths;
  let config: TranslationConfig;
  if (run.resume) {
    paths = openRunDir(run.resume);
    const saved = readTranslationConfig(run.resume);
    config = { ...saved };
    for (const k of ['steps', 'logEvery', 'sampleEvery', 'checkpointEvery', 'keep'] as const) if (options[k] !== undefined) config[k] = options[k]!;
  } else {
    config = resolveTranslationConfig(options);
  }
  const data = run.source ?? (await openTranslationSource(config, { onInfo: info, ...run.decode }));
  for (const s of data.skipped) info(`skipped ${s.file}: ${s.reason}`);
  const trainer = new TranslationTrainer(data, config);
  config = trainer.config;
  if (!run.resume) {
    paths = createRunDir(run.out ?? path.join('runs', defaultRunName(config.data, config.model)), run.force ?? false);
  }
  paths = paths!;
  let checkpointPath: string | undefined;
  if (run.resume) {
    const loaded = loadLatestCheckpoint(paths.checkpoints);
    for (const s of loaded?.skipped ?? []) info(`skipped ${s.file}: ${s.reason}`);
    if (loaded) {
      try {
        trainer.loadCheckpoint(loaded.data);
      } catch (err) {
        throw new DataError(`checkpoint ${loaded.file} does not fit the run described by ${paths.config} (${(err as Error).message}); restore that run's config.json, or start a new run with --out`);
      }
      checkpointPath = loaded.file;
      info(`resuming ${paths.dir} from step ${loaded.data.step} (${path.basename(loaded.file)})`);
    }
    truncateMetrics(paths.metrics, trainer.step);
  } else {
    truncateMetrics(paths.metrics, 0);
  }
  const meta = {
    translation: config,
    backend: run.backend ?? tf.getBackend(),
    data: {
      spec: data.spec, paired: data.paired, lengthA: data.a.length, lengthB: data.b.length,
      channelsA: data.channelsA, channelsB: data.channelsB, loadSize: data.loadSize, memoryBytes: data.memoryBytes,
    },
    versions: { ganbox: '0.1.0', tfjs: tf.version_core, node: process.version },
    created: new Date().toISOString(),
  };
  writeFileAtomic(paths.config, JSON.stringify(meta, null, 2) + '\n');

  const fixed = trainer.fixedImages(config.gridSize);
  const samplePathFor = (step: number) => path.join(paths.samples, `step-${String(step).padStart(6, '0')}.png`);
  const writeSamples = (step: number) => {
    const file = samplePathFor(step);
    writeFileAtomic(file, sampleGrid(trainer, fixed).png);
    return file;
  };
  const checkpoint = async () => {
    if (!trainer.weightsFinite()) {
      throw new NumericalError(`training diverged by step ${trainer.step}: a weight is not finite; the last good checkpoint is ${checkpointPath ?? '(none)'}; try a lower --lr`);
    }
    checkpointPath = writeCheckpoint(paths.checkpoints, trainer.getCheckpoint(), config.keep);
    const nets = new Map(trainer.game.networks);
    await saveLayersModel((nets.get('G') ?? nets.get('G_AB'))!, paths.generator);
    if (nets.has('G_BA')) await saveLayersModel(nets.get('G_BA')!, path.join(paths.dir, 'generator-BtoA'));
  };

  let samplePath: string | undefined;
  let last: TranslationMetrics | undefined;
  const t0 = performance.now();
  let windowStart = t0, windowSteps = 0, rate = 0;
  let interrupted = false;
  // Images per step: one A (and one B) per batch row.
  const perStep = config.batch;
  try {
    while (trainer.step < config.steps) {
      const stepStart = performance.now();
      let m: TranslationMetrics;
      try {
        m = trainer.trainStep();
      } catch (err) {
        if (err instanceof NumericalError) throw new NumericalError(`${err.message}; the last good checkpoint is ${checkpointPath ?? '(none yet)'}`);
        throw err;
      }
      const inst = perStep / Math.max((performance.now() - stepStart) / 1000, 1e-9);
      rate = rate === 0 ? inst : 0.9 * rate + 0.1 * inst;
      windowSteps++;
      const step = trainer.step;
      const logged = step % config.logEvery === 0 || step === config.steps;
      if (logged) {
        const elapsed = (performance.now() - windowStart) / 1000;
        last = { ...m, images_per_s: (windowSteps * perStep) / elapsed, time: (performance.now() - t0) / 1000 };
        try {
          fs.appendFileSync(paths.metrics, JSON.stringify(last) + '\n');
        } catch (err) {
          throw new WriteError(paths.metrics, describeFsError(err));
        }
        windowStart = performance.now();
        windowSteps = 0;
      }
      if (step % config.sampleEvery === 0 || step === config.steps) samplePath = writeSamples(step);
      if (step % config.checkpointEvery === 0 || step === config.steps) await checkpoint();
      run.onProgress?.({ step, total: config.steps, metrics: m, imagesPerSec: rate, etaSec: ((config.steps - step) * perStep) / Math.max(rate, 1e-9), logged });
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (run.signal?.aborted && step < config.steps) {
        await checkpoint();
        interrupted = true;
        break;
      }
    }
    if (trainer.step === 0 || !fs.existsSync(path.join(paths.generator, 'model.json'))) await checkpoint();
    if (!samplePath) samplePath = writeSamples(trainer.step);
  } catch (err) {
    if (err instanceof WriteError) {
      const kept = checkpointPath ? `the newest checkpoint, ${checkpointPath}, is intact` : 'no checkpoint was written yet';
      throw new WriteError(err.file, err.reason, `training stopped at step ${trainer.step} and ${kept}: free some space or fix the permissions, then continue with ganbox train --resume ${paths.dir}`);
    }
    throw err;
  } finally {
    trainer.dispose();
  }
  return { dir: paths.dir, step: trainer.step, last, samplePath, checkpointPath, interrupted };
}

/**
 * A finished (or stopped) run's trainer with its newest checkpoint loaded, for `ganbox translate`
 * and the benchmark. The data source is only used for its shapes: it is not read.
 */
export function loadTranslationRun(dir: string): { trainer: TranslationTrainer; step: number } {
  const config = readTranslationConfig(dir);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { data: { channelsA: 1 | 3; channelsB: 1 | 3; paired: boolean; loadSize: number } };
  const loaded = loadLatestCheckpoint(path.join(dir, 'checkpoints'));
  if (!loaded) throw new DataError(`${dir} has no usable checkpoint in checkpoints/; train it first (ganbox train --resume ${dir}).`);
  const shapeOnly = (c: 1 | 3) => ({
    spec: 'shape', kind: 'images' as const, finite: true as const, length: Math.max(config.batch, 1),
    shape: [meta.data.loadSize, meta.data.loadSize, c], take: () => { throw new Error('ganbox internal error: a loaded run reads no data'); },
  });
  const a = shapeOnly(meta.data.channelsA), b = shapeOnly(meta.data.channelsB);
  const data: TranslationData = {
    spec: config.data, paired: meta.data.paired, a, b, channelsA: meta.data.channelsA, channelsB: meta.data.channelsB,
    pairs: meta.data.paired ? { ...a, shape: [meta.data.loadSize, meta.data.loadSize, meta.data.channelsA + meta.data.channelsB] } : undefined,
    loadSize: meta.data.loadSize, cache: 'off', skipped: [], memoryBytes: 0,
  };
  const trainer = new TranslationTrainer(data, config);
  try {
    trainer.loadCheckpoint(loaded.data);
  } catch (err) {
    trainer.dispose();
    throw new DataError(`checkpoint ${loaded.file} does not fit ${dir}/config.json (${(err as Error).message}).`);
  }
  return { trainer, step: loaded.data.step };
}
