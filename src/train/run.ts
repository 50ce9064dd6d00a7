/**
 * A training run on disk (Node): the GanTrainer plus the run folder — config.json, metrics.jsonl,
 * sample grids, atomic checksummed checkpoints, the generator in tfjs format — resumable exactly.
 * The CLI's `ganbox train` is a thin shell over `runTraining`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../defaults.js';
import { loadPerceptualModel } from '../losses/perceptual-files.js';
import { DataError, NumericalError } from '../errors.js';
import { openDataSource } from '../data/index.js';
import type { DataSource, ToyDistribution } from '../data/source.js';
import { encodePng, imageGrid } from '../io/png.js';
import { scatterPlot } from '../io/scatter.js';
import { saveLayersModel } from '../io/tfjs-format.js';
import { describeFsError, writeFileAtomic, WriteError } from '../io/atomic.js';
import { GanTrainer, resolveConfig, type StepMetrics } from './trainer.js';
import { loadLatestCheckpoint, writeCheckpoint } from './checkpoint.js';
import { createRunDir, defaultRunName, openRunDir, truncateMetrics, type RunPaths } from './run-dir.js';
import { Rng } from './rng.js';
import { readRunConfig } from './run-config.js';
import { CollapseMonitor } from './collapse-monitor.js';
import type { SampleDiagnostics } from '../stabilisers/diagnostics.js';

export interface LoggedMetrics extends StepMetrics, SampleDiagnostics {
  images_per_s: number;
  /** Seconds since this process started training. */
  time: number;
}

export interface Progress {
  step: number;
  total: number;
  metrics: StepMetrics;
  imagesPerSec: number;
  etaSec: number;
  /** This step wrote a metrics line (every `logEvery` steps of the run's config, and the last). */
  logged: boolean;
}

export interface RunOptions {
  /** Run folder; default runs/<time>-<data>-<arch>. */
  out?: string;
  force?: boolean;
  /** Continue the run in this folder from its newest good checkpoint. */
  resume?: string;
  /** A data source object to train on instead of opening `config.data` (library use, tests). */
  source?: DataSource;
  /** Name of the backend in use, recorded in config.json. */
  backend?: string;
  onProgress?: (p: Progress) => void;
  onInfo?: (message: string) => void;
  /** Called once the run folder and its config.json exist, before the first step (the live page starts here). */
  onStart?: (dir: string, config: TrainConfig) => void | Promise<void>;
  /** Aborting stops after the current step and writes a checkpoint. */
  signal?: AbortSignal;
  /**
   * Evaluation at step 0 of a fresh run, every `every` steps and at the last step (`ganbox train
   * --eval-every`): `run` gets the generator, the step and the run folder; the record it returns is
   * appended to metrics.jsonl.
   */
  evaluate?: { every: number; run: (generator: GanTrainer['generator'], step: number, dir: string) => Promise<object> };
}

export interface RunResult {
  dir: string;
  step: number;
  last?: LoggedMetrics;
  /** The newest sample grid. */
  samplePath?: string;
  generatorPath: string;
  checkpointPath?: string;
  interrupted: boolean;
}

/** Write a sample picture: an image grid, or for 2-D data a scatter of real (grey) vs fake (red). */
function writeSamples(file: string, trainer: GanTrainer, z: tf.Tensor2D, data: DataSource, rng: Rng): void {
  const fake = trainer.sample(z);
  const values = fake.dataSync() as Float32Array;
  const n = fake.shape[0]!;
  fake.dispose();
  let png: Buffer;
  if (data.kind === 'points') {
    const real = data.finite ? data.take(Array.from({ length: Math.min(n, data.length) }, (_, i) => i)) : data.sample(n, rng);
    const extent = 'modes' in data ? extentOf(data as ToyDistribution) : 0;
    const r = scatterPlot([{ points: real.x, color: [150, 150, 150] }, { points: values, color: [220, 40, 40] }], { extent });
    png = encodePng(r.data, r.width, r.height, 3);
  } else {
    const [h, w, c] = data.shape as [number, number, number];
    const g = imageGrid(values, n, h, w, c, {});
    png = encodePng(g.data, g.width, g.height, g.channels as 1 | 3);
  }
  writeFileAtomic(file, png);
}

function extentOf(t: ToyDistribution): number {
  let m = 0;
  for (const [x, y] of t.modes) m = Math.max(m, Math.abs(x), Math.abs(y));
  return (m + 6 * t.std) * 1.25;
}

export async function runTraining(options: Partial<TrainConfig>, run: RunOptions = {}): Promise<RunResult> {
  const info = run.onInfo ?? (() => {});
  let paths: RunPaths;
  let config: TrainConfig;
  if (run.resume) {
    paths = openRunDir(run.resume);
    const saved = readRunConfig(paths.config);
    // Only the budget and the logging cadence may change on resume; the rest defines the run.
    const mutable: (keyof TrainConfig)[] = ['steps', 'logEvery', 'sampleEvery', 'checkpointEvery', 'keep'];
    config = { ...saved };
    for (const k of mutable) if (options[k] !== undefined) (config as unknown as Record<string, unknown>)[k] = options[k];
  } else {
    config = resolveConfig(options);
  }
  const data =
    run.source ??
    (await openDataSource(config.data, { size: config.size, channels: config.channels === 0 ? undefined : config.channels }));
  if (config.loss === 'perceptual') await loadPerceptualModel(config.perceptualModel || 'mnist'); // the trainer takes it synchronously
  // A fresh run resolves again with the data's kind (a preset's image-network settings skip points).
  const trainer = new GanTrainer(data, run.resume ? config : options);
  config = trainer.config;
  if (!run.resume) {
    paths = createRunDir(run.out ?? path.join('runs', defaultRunName(config.data, config.arch)), run.force ?? false);
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
        // A checkpoint that verifies but does not fit the model config.json describes.
        throw new DataError(`checkpoint ${loaded.file} does not fit the run described by ${paths.config} (${(err as Error).message}); restore that run's config.json, or start a new run with --out`);
      }
      checkpointPath = loaded.file;
      info(`resuming ${paths.dir} from step ${loaded.data.step} (${path.basename(loaded.file)})`);
    } else {
      info(`no usable checkpoint in ${paths.checkpoints}: starting ${paths.dir} from step 0`);
    }
    truncateMetrics(paths.metrics, trainer.step);
  } else {
    truncateMetrics(paths.metrics, 0);
  }
  if (trainer.step >= config.steps && run.resume) {
    info(`the run is already at step ${trainer.step} of ${config.steps}; pass --steps N to train further`);
  }
  const meta = {
    train: config,
    backend: run.backend ?? tf.getBackend(),
    data: { spec: data.spec, kind: data.kind, shape: data.shape, length: data.finite ? data.length : null },
    versions: { ganbox: '0.1.0', tfjs: tf.version_core, node: process.version },
    created: new Date().toISOString(),
  };
  writeFileAtomic(paths.config, JSON.stringify(meta, null, 2) + '\n');
  await run.onStart?.(paths.dir, config);

  const fixedZ = trainer.fixedNoise(config.gridSize);
  const monitor = new CollapseMonitor(trainer, data, config.seed);
  // The real points behind 2-D sample pictures: the same draw every time, so a resumed run's
  // pictures equal an uninterrupted run's.
  const plotRng = () => new Rng(config.seed).fork(4);
  const samplePathFor = (step: number) => path.join(paths.samples, `step-${String(step).padStart(6, '0')}.png`);
  let samplePath: string | undefined;
  let last: LoggedMetrics | undefined;
  const t0 = performance.now();
  let windowStart = performance.now();
  let windowSteps = 0;
  let rate = 0; // images/s, smoothed for the progress line
  let interrupted = false;

  const checkpoint = async () => {
    if (!trainer.weightsFinite()) {
      throw new NumericalError(
        `training diverged by step ${trainer.step}: a weight is not finite; the last good checkpoint is ` +
          `${checkpointPath ?? '(none)'}; try a lower learning rate (--lr-d/--lr-g) or another loss (--loss)`,
      );
    }
    checkpointPath = writeCheckpoint(paths.checkpoints, trainer.getCheckpoint(), config.keep);
    await saveLayersModel(trainer.samplingGenerator.model, paths.generator); // G's EMA with --ema
    // With --ema, the trained G as well (`ganbox sample --raw`).
    if (trainer.samplingGenerator !== trainer.generator) await saveLayersModel(trainer.generator.model, paths.generator + '-raw');
  };

  const evaluate = async (step: number) => {
    fs.appendFileSync(paths.metrics, JSON.stringify(await run.evaluate!.run(trainer.samplingGenerator, step, paths.dir)) + '\n');
  };

  try {
    // A fresh run is evaluated at step 0 too: the baseline, and any evaluation error before training.
    if (run.evaluate && trainer.step === 0) await evaluate(0);
    while (trainer.step < config.steps) {
      const stepStart = performance.now();
      let m: StepMetrics;
      try {
        m = trainer.trainStep();
      } catch (err) {
        if (err instanceof NumericalError) {
          throw new NumericalError(`${err.message}; the last good checkpoint is ${checkpointPath ?? '(none yet)'}`);
        }
        throw err;
      }
      const dt = (performance.now() - stepStart) / 1000;
      const inst = config.batch / Math.max(dt, 1e-9);
      rate = rate === 0 ? inst : 0.9 * rate + 0.1 * inst;
      windowSteps += 1;
      const step = trainer.step;
      const logged = step % config.logEvery === 0 || step === config.steps;
      if (logged) {
        const elapsed = (performance.now() - windowStart) / 1000;
        last = { ...m, ...monitor.measure(), images_per_s: (windowSteps * config.batch) / elapsed, time: (performance.now() - t0) / 1000 };
        const warning = monitor.warning(last);
        if (warning) info(warning);
        try {
          fs.appendFileSync(paths.metrics, JSON.stringify(last) + '\n');
        } catch (err) {
          throw new WriteError(paths.metrics, describeFsError(err));
        }
        windowStart = performance.now();
        windowSteps = 0;
      }
      if (step % config.sampleEvery === 0 || step === config.steps) {
        samplePath = samplePathFor(step);
        writeSamples(samplePath, trainer, fixedZ, data, plotRng());
      }
      if (step % config.checkpointEvery === 0 || step === config.steps) await checkpoint();
      if (run.evaluate && (step % run.evaluate.every === 0 || step === config.steps)) await evaluate(step);
      run.onProgress?.({
        step,
        total: config.steps,
        metrics: m,
        imagesPerSec: rate,
        etaSec: ((config.steps - step) * config.batch) / Math.max(rate, 1e-9),
        logged,
      });
      // Let timers, signals and servers (the live page) run between steps; costs microseconds.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (run.signal?.aborted && step < config.steps) {
        await checkpoint();
        interrupted = true;
        break;
      }
    }
    if (trainer.step === 0 || !fs.existsSync(path.join(paths.generator, 'model.json'))) await checkpoint();
    if (!samplePath) {
      samplePath = samplePathFor(trainer.step);
      writeSamples(samplePath, trainer, fixedZ, data, plotRng());
    }
  } catch (err) {
    if (err instanceof WriteError) {
      // Disk full, no permission: say what still holds and the way on.
      const kept = checkpointPath ? `the newest checkpoint, ${checkpointPath}, is intact` : 'no checkpoint was written yet';
      throw new WriteError(err.file, err.reason,
        `training stopped at step ${trainer.step} and ${kept}: free some space or fix the permissions, then continue with ganbox train --resume ${paths.dir}`);
    }
    throw err;
  } finally {
    fixedZ.dispose();
    monitor.dispose();
    trainer.dispose();
  }
  return {
    dir: paths.dir,
    step: trainer.step,
    last,
    samplePath,
    generatorPath: path.join(paths.generator, 'model.json'),
    checkpointPath,
    interrupted,
  };
}

