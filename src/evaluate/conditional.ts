/**
 * The metrics of conditional and InfoGAN runs on digits, under the shipped MNIST classifier
 * (features/mnist-classifier.ts), in process:
 *   accuracy   the fraction of samples classified as the class they were generated for, overall
 *              and per class (metrics/accuracy.ts); for InfoGAN's categorical code, the accuracy
 *              after the best one-to-one matching of codes to digits (Hungarian).
 *   intra-fid  FID within each class (Miyato & Koyama 2018 §5: "intra-class FID"): the Fréchet
 *              distance between the classifier's 128-d features of class-k samples and of the real
 *              class-k digits, per class and averaged. On the MNIST classifier's features, not
 *              Inception's: comparable across ganbox runs, not with published Inception values.
 * Samples: labels 0, 1, …, K−1, 0, … and codes drawn as in training (planSamples), seeded.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ConfigError } from '../errors.js';
import type { FiniteSource } from '../data/source.js';
import { loadMnistClassifier, mnistInput, MNIST_FEATURES } from '../features/mnist-classifier.js';
import { classAccuracy, matchedAccuracy } from '../metrics/accuracy.js';
import { frechetDistance } from '../metrics/frechet.js';
import { featuresToStatistics } from '../metrics/statistics.js';
import { planSamples } from '../sampling/conditions.js';
import { samplePlan, toUint8, type LoadedGenerator } from '../sampling/sampler.js';
import { toByte } from '../io/png.js';

export const CONDITIONAL_METRIC_NAMES = ['accuracy', 'intra-fid'] as const;
export type ConditionalMetricName = (typeof CONDITIONAL_METRIC_NAMES)[number];

export const KEY_CLASS_ACCURACY = 'class_accuracy';
export const KEY_CLASS_ACCURACY_PER_CLASS = 'class_accuracy_per_class'; // number[]
export const KEY_INFO_CODE_ACCURACY = 'info_code_accuracy';
export const KEY_INTRA_FID = 'intra_class_fid';
export const KEY_INTRA_FID_PER_CLASS = 'intra_class_fid_per_class'; // number[]
export const CONDITIONAL_KEYS = [
  KEY_CLASS_ACCURACY, KEY_CLASS_ACCURACY_PER_CLASS, KEY_INFO_CODE_ACCURACY, KEY_INTRA_FID, KEY_INTRA_FID_PER_CLASS,
] as const;

const DIGITS = 10;

export interface ConditionalEvalOptions {
  n?: number;
  seed?: number;
  /** The labelled training data, for intra-fid. */
  reference?: FiniteSource;
  /** A loaded classifier (default: the shipped one, loaded and released here). */
  classifier?: tfl.LayersModel;
  batch?: number;
}

/** Classifier features [n, 128] and predicted digits [n] of uint8 images [n, h, w, c]. */
export function classify(classifier: tfl.LayersModel, pixels: Uint8Array, shape: readonly number[], batch = 256): { features: Float32Array; predicted: Int32Array } {
  const per = shape.reduce((a, b) => a * b, 1);
  const n = pixels.length / per;
  const features = new Float32Array(n * MNIST_FEATURES);
  const predicted = new Int32Array(n);
  for (let s = 0; s < n; s += batch) {
    const b = Math.min(batch, n - s);
    const [f, p] = tf.tidy(() => {
      const x = tf.tensor4d(Float32Array.from(pixels.subarray(s * per, (s + b) * per)), [b, ...shape] as [number, number, number, number]);
      const [feat, logits] = classifier.predict(mnistInput(x)) as [tf.Tensor2D, tf.Tensor2D];
      return [feat.dataSync() as Float32Array, tf.argMax(logits, 1).dataSync() as Int32Array];
    });
    features.set(f, s * MNIST_FEATURES);
    predicted.set(p, s);
  }
  return { features, predicted };
}

/** Mean of the finite values (NaN when none). */
const mean = (xs: number[]) => {
  const f = xs.filter(Number.isFinite);
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
};

export async function conditionalMetrics(
  g: LoadedGenerator, which: readonly ConditionalMetricName[], opts: ConditionalEvalOptions = {},
): Promise<Record<string, number | number[]>> {
  const c = g.conditioning;
  const classes = c && c.mode !== 'none' ? c.classes : 0;
  const kc = c?.codes.categorical ?? 0;
  if (g.outputShape.length !== 3) throw new ConfigError('--metrics accuracy/intra-fid need an image run of digits; this run generates 2-D points.');
  if (!classes && !kc) {
    throw new ConfigError('--metrics accuracy/intra-fid need a conditional run (--conditional) or an InfoGAN categorical code (--info-categorical).');
  }
  if (classes && classes !== DIGITS) {
    throw new ConfigError(`--metrics accuracy uses the shipped MNIST classifier (10 digits); this run has ${classes} classes.`);
  }
  const n = opts.n ?? 10_000;
  const plan = planSamples(g, { n, seed: opts.seed ?? 0 });
  const pixels = toUint8(samplePlan(g, plan, opts.batch));
  const classifier = opts.classifier ?? (await loadMnistClassifier());
  const out: Record<string, number | number[]> = {};
  try {
    const { features, predicted } = classify(classifier, pixels, g.outputShape, opts.batch);
    if (which.includes('accuracy')) {
      if (classes) {
        const acc = classAccuracy(predicted, plan.labels!, classes);
        out[KEY_CLASS_ACCURACY] = acc.overall;
        out[KEY_CLASS_ACCURACY_PER_CLASS] = acc.perClass;
      }
      if (kc) {
        const size = kc + c!.codes.continuous;
        const codes = Int32Array.from({ length: plan.n }, (_, i) => plan.codes!.subarray(i * size, i * size + kc).indexOf(1));
        out[KEY_INFO_CODE_ACCURACY] = matchedAccuracy(codes, predicted, kc, DIGITS).accuracy;
      }
    }
    if (which.includes('intra-fid')) {
      if (!classes) throw new ConfigError('--metrics intra-fid needs a class-conditional run (--conditional).');
      const ref = opts.reference;
      if (!ref?.numClasses) throw new ConfigError('--metrics intra-fid needs the run\'s labelled training data (mnist, idx:PATH with labels).');
      const all = ref.take(Array.from({ length: ref.length }, (_, i) => i));
      const real = classify(classifier, Uint8Array.from(all.x, toByte), ref.shape, opts.batch);
      const perClass: number[] = [];
      for (let k = 0; k < classes; k++) {
        const pick = (feat: Float32Array, labels: ArrayLike<number>) => {
          const rows: number[] = [];
          for (let i = 0; i < labels.length; i++) if (labels[i] === k) rows.push(i);
          const f = new Float32Array(rows.length * MNIST_FEATURES);
          rows.forEach((r, j) => f.set(feat.subarray(r * MNIST_FEATURES, (r + 1) * MNIST_FEATURES), j * MNIST_FEATURES));
          return { f, count: rows.length };
        };
        const a = pick(real.features, all.labels!);
        const b = pick(features, plan.labels!);
        perClass.push(a.count < 2 || b.count < 2 ? NaN : frechetDistance(
          featuresToStatistics(a.f, a.count, MNIST_FEATURES), featuresToStatistics(b.f, b.count, MNIST_FEATURES)).value);
      }
      out[KEY_INTRA_FID] = mean(perClass);
      out[KEY_INTRA_FID_PER_CLASS] = perClass;
    }
  } finally {
    if (!opts.classifier) classifier.dispose();
  }
  return out;
}
