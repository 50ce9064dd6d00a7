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
export { loadPerceptualModel } from './losses/perceptual-files.js';
export * from './constraints/index.js';

// Stabilisers (spectral norm, EMA, R1/R2, DiffAugment, PacGAN, minibatch features, historical
// averaging, unrolled D), presets and the collapse diagnostics
export * from './stabilisers/index.js';
export { PRESETS, PRESET_NAMES, presetValues, type PresetName } from './stabilisers/presets.js';
export { powerIteration, spectralNormalise, sigmaEstimate } from './stabilisers/spectral-norm.js';
export { emaUpdate } from './stabilisers/ema.js';
export { gradientSquaredPenalty } from './stabilisers/r1.js';
export { diffAugment, translate, colorJitter, cutoutMask } from './stabilisers/diff-augment.js';
export { packBatch } from './stabilisers/pack.js';
export { minibatchFeatures, minibatchStd } from './stabilisers/minibatch.js';
export { unrollDiscriminator } from './stabilisers/unrolled.js';
export { detectFailure, meanPairwiseDistance, modeDiagnostics, type StepDiagnostics, type SampleDiagnostics } from './stabilisers/diagnostics.js';

// Training
export { Rng, type RngState } from './train/rng.js';
export { Optimizer, OPTIMIZER_NAMES, type OptimizerConfig, type OptimizerName, type OptimizerState } from './train/optimizers.js';
export { GanTrainer, resolveConfig, type StepMetrics, type DStepMetrics } from './train/trainer.js';
export { Conditioner, conditioningFromConfig, disposeCondBatch, LABELLED_SOURCES, type CondBatch } from './train/conditioner.js';
export { runTraining, type RunOptions, type RunResult, type Progress, type LoggedMetrics } from './train/run.js';
export {
  encodeCheckpoint, decodeCheckpoint, writeCheckpoint, loadLatestCheckpoint, listCheckpoints,
  type CheckpointData, type LoadedCheckpoint,
} from './train/checkpoint.js';

// Evaluation: metrics (features → statistics → value) and the float64 linear algebra under them
export * from './metrics/index.js';
export * from './linalg/index.js';

// Theory on known 1-D distributions (ganbox theory) and the charts it draws
export * from './theory/index.js';
export * from './plot/index.js';
// Feature extractors (inception-fid, mnist) that turn images into the metrics' features
export * from './features/index.js';
// Evaluation pipeline: inputs (folders, .npy, .npz, data specs) → features on worker threads → metrics; cache; runs
export { openEvalInput, inputCount, type EvalInput, type FeatureSet, type StatisticsInput } from './evaluate/inputs.js';
export { MemoryImageSet, FolderImageSet, SourceImageSet, type ImageSet } from './evaluate/image-sets.js';
export { ExtractorPool, DEFAULT_BATCH, type PoolOptions, type ExtractOptions, type ExtractorMeta } from './evaluate/extractor-pool.js';
export {
  defaultExtractorFor, checkExtractorSpec, INCEPTION_WEIGHTS_FILE, INCEPTION_WEIGHTS_URL, type ExtractorSpec,
} from './evaluate/extractor-spec.js';
export { Evaluator, type EvaluatorOptions, type FeatureMatrix, type FeatureRole, type FeatureSettings } from './evaluate/evaluator.js';
export { StatsCache, defaultCacheDir, type CacheKey } from './evaluate/cache.js';
export { fidOf, isOf, kidOf, prdcOf, METRIC_NAMES, type MetricName, type MetricValues, type PrdcOptions } from './evaluate/metrics.js';
export {
  conditionalMetrics, classify, CONDITIONAL_METRIC_NAMES, CONDITIONAL_KEYS, KEY_CLASS_ACCURACY, KEY_CLASS_ACCURACY_PER_CLASS,
  KEY_INFO_CODE_ACCURACY, KEY_INTRA_FID, KEY_INTRA_FID_PER_CLASS, type ConditionalMetricName, type ConditionalEvalOptions,
} from './evaluate/conditional.js';
export {
  evaluateGenerator, runReference, runStep, appendRecord, formatRecord, parseMetricList,
  type EvalRecord, type GeneratorEvalOptions,
} from './evaluate/run-eval.js';

// Sampling
export { loadRunGenerator, sampleGenerator, sampleWith, samplePlan, samplePlanWith, toUint8, type LoadedGenerator, type SampleOptions } from './sampling/sampler.js';
// ONNX: writing our networks as ONNX graphs, running them on onnxruntime, exporting a run's generator
export { GraphBuilder, OPSET } from './onnx/graph.js';
export { generatorToOnnx } from './onnx/generator.js';
export { inceptionToOnnx } from './onnx/inception.js';
export { mnistClassifierToOnnx } from './onnx/mnist-classifier.js';
export { ENGINES, OnnxSession, resolveEngine, type Engine, type OnnxTensor } from './onnx/runtime.js';
export { EXPORT_FORMATS, exportGenerator, type ExportFormat, type ExportOptions, type ExportResult } from './onnx/export.js';
export {
  planSamples, parseCodes, resolveClass, classNamesFor, CIFAR10_CLASSES, type SampleRequest, type SamplePlan,
} from './sampling/conditions.js';

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

// Image-to-image translation: pix2pix and CycleGAN (paired/unpaired folders, digit tasks, games, runs)
export { openTranslationData, PairSource, splitPair, TRANSLATION_SPECS, type TranslationData, type TranslationDataOptions } from './data/paired.js';
export { AugmentedStream, cropFlip, centerCrop, type AugmentOptions } from './data/augment.js';
export { DIGIT_TASKS, openDigitTask, digitTaskEval, type DigitTask } from './data/digit-tasks.js';
export { TRANSLATION_DEFAULTS, type TranslationConfig } from './defaults.js';
export { TranslationTrainer, resolveTranslationConfig, scheduledLr, type TranslationMetrics } from './train/translation.js';
export { Pix2PixGame, CycleGanGame, HistoryPool, type TranslationGame, type Direction } from './train/translation-games.js';
export { runTranslation, loadTranslationRun, type TranslationRunOptions, type TranslationRunResult } from './train/translation-run.js';
export { scoreDigitTask, type DirectionScore } from './evaluate/translation-digits.js';
