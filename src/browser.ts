/**
 * The browser entry of ganbox: the modules that run without Node's built-ins (no node:fs, no run
 * folders), so web pages train, sample and draw with the very code the CLI uses. Bundled by
 * esbuild for the pages in web/ (src/report/bundle.ts). Keep out anything that imports node:*:
 * train/run.ts, train/checkpoint.ts, io/ (but scatter), data/index.ts (mnist, idx, folders),
 * sampling/sampler.ts, backend/select.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export { tf, tfl };
export * from './errors.js';
export { TRAIN_DEFAULTS, ARCH_DEFAULTS, type TrainConfig } from './defaults.js';
export { useBrowserBackend, type BrowserBackendName } from './backend/browser.js';
export type { DataSource, DistributionSource, Examples, FiniteSource, ToyDistribution } from './data/source.js';
export { PackedSource, packImages, unpackImages, type PackedImages } from './data/packed.js';
export { GaussianMixture2D, Moons, TOY_NAMES, grid25, moons, ring8, openToy, type ToyName } from './data/toy2d.js';
export { buildModels, discriminate, generate, type Generator, type Discriminator } from './models/index.js';
export { LOSS_NAMES, getLoss, lossDefaults, type LossName, type GanLoss } from './losses/index.js';
export { Rng } from './train/rng.js';
export { CONDITIONAL_MODES, type ConditionalMode, type ModelConditioning } from './models/conditioning.js';
export { planSamples, parseCodes, type SampleRequest, type SamplePlan } from './sampling/conditions.js';
export { GanTrainer, resolveConfig, type StepMetrics, type DStepMetrics } from './train/trainer.js';
export { pointSet } from './playground/point-set.js';
export { decisionSurface, generatorField, gridCentres, type Grid, type Surface, type Field } from './playground/surface.js';
export { gaussianKde, scottBandwidth } from './playground/kde.js';
export { optimalDiscriminator } from './playground/optimal-d.js';
export type { ReportData, MetricsRow, EvalRow, SampleImage, ScatterData, LiveEvents } from './report/types.js';
