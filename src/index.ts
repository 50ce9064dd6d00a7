/**
 * ganbox: train, sample and evaluate Generative Adversarial Networks on TensorFlow.js.
 * The public API, grouped by layer of the system. The CLI (cli/) uses exactly these pieces.
 */

// Errors and defaults
export * from './errors.js';
export { TRAIN_DEFAULTS, ARCH_DEFAULTS, type TrainConfig } from './defaults.js';

// Backends
export * from './backend/index.js';

// Data sources
export * from './data/index.js';

// Models
export * from './models/index.js';

// Losses and the constraints that go with them (weight clipping, gradient penalty)
export * from './losses/index.js';
export * from './constraints/index.js';

// Training
export { Rng, type RngState } from './train/rng.js';
export { Optimizer, OPTIMIZER_NAMES, type OptimizerConfig, type OptimizerName, type OptimizerState } from './train/optimizers.js';
export { GanTrainer, resolveConfig, type StepMetrics, type DStepMetrics } from './train/trainer.js';
export { runTraining, type RunOptions, type RunResult, type Progress, type LoggedMetrics } from './train/run.js';
export {
  encodeCheckpoint, decodeCheckpoint, writeCheckpoint, loadLatestCheckpoint, listCheckpoints,
  type CheckpointData, type LoadedCheckpoint,
} from './train/checkpoint.js';

// Evaluation: metrics (features → statistics → value) and the float64 linear algebra under them
export * from './metrics/index.js';
export * from './linalg/index.js';

// Sampling
export { loadRunGenerator, sampleGenerator, toUint8, type LoadedGenerator } from './sampling/sampler.js';

// Files
export { encodePng, decodePng, imageGrid } from './io/png.js';
export { encodeNpy, readNpy, writeNpy, type NpyArray } from './io/npy.js';
export { encodeNpz, readNpz, writeNpz, loadNpz } from './io/npz.js';
export { readTorchCheckpoint, loadTorchCheckpoint, tensorToFloat32, type TorchTensor } from './io/torch-pth.js';
export { saveLayersModel, loadLayersModel } from './io/tfjs-format.js';

// Pages: report.html, the live page of a run, the playground and sampling pages (browser code: src/browser.ts)
export { writeReport, type WriteReportOptions, type WriteReportResult } from './report/write.js';
export { serveLive, type LiveServer } from './report/live-server.js';
export { servePlayground, type PlaygroundOptions } from './report/playground-server.js';
