/**
 * Scoring translation runs on the digit tasks (data/digit-tasks.ts), where the answer is known:
 *   label agreement  the shipped MNIST classifier's label of the output = the input digit's label
 *   L1 to target     mean |output − target| per pixel in [-1, 1], against the input's own L1 to the
 *                    target (what "doing nothing" scores)
 *   cycle L1         CycleGAN: mean |F(G(x)) − x| per pixel, the reconstruction after both directions
 * on held-out digits the classifier never trained on. Outputs are classified as digits: the 32×32
 * images lose their 2-px padding (→ 28×28), and images of the inverted domain are inverted back
 * (v → −v) first. The classifier's accuracy on the true targets is reported beside, as the ceiling.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { DIGIT_SIDE, digitTaskEval, type DigitTask } from '../data/digit-tasks.js';
import type { Direction } from '../train/translation-games.js';
import type { TranslationTrainer } from '../train/translation.js';

/** [n, 32, 32, 1] → [n, 28, 28, 1]: the padding off. */
export function unpad(x: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n * 784);
  for (let k = 0; k < n; k++) for (let r = 0; r < 28; r++) {
    out.set(x.subarray(k * 1024 + (r + 2) * DIGIT_SIDE + 2, k * 1024 + (r + 2) * DIGIT_SIDE + 30), k * 784 + r * 28);
  }
  return out;
}

/** The classifier's labels of digits [n, 28, 28, 1] in [-1, 1]. */
export function classify(model: tfl.LayersModel, x28: Float32Array, n: number, batch = 200): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i += batch) {
    const k = Math.min(batch, n - i);
    const labels = tf.tidy(() => {
      const [, logits] = model.predict(tf.tensor4d(x28.subarray(i * 784, (i + k) * 784), [k, 28, 28, 1])) as tf.Tensor[];
      return tf.argMax(logits!, 1).dataSync();
    });
    out.set(labels, i);
  }
  return out;
}

export const agreement = (pred: Int32Array, labels: Int32Array) => pred.reduce((s, p, i) => s + (p === labels[i] ? 1 : 0), 0) / labels.length;
export function meanL1(x: Float32Array, y: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]! - y[i]!);
  return s / x.length;
}
const neg = (x: Float32Array) => x.map((v) => -v);

export interface DirectionScore {
  direction: Direction;
  n: number;
  /** Fraction of outputs the classifier labels as the input's digit. */
  labelAgreement: number;
  /** The classifier's accuracy on the true targets (the ceiling). */
  targetAccuracy: number;
  l1Output: number;
  l1Input: number;
  /** Runs with both directions: mean |back(output) − input|, the reconstruction's L1. */
  l1Cycle?: number;
}

/** Scores `trainer` (a run trained on `task`) on n held-out digits, in each of its directions. */
export function scoreDigitTask(trainer: TranslationTrainer, task: DigitTask, classifier: tfl.LayersModel, n = 1000, batch = 50): DirectionScore[] {
  const ev = digitTaskEval(task, n);
  const m = ev.labels.length;
  const px = DIGIT_SIDE * DIGIT_SIDE;
  const run = (x: Float32Array, d: Direction) => {
    const out = new Float32Array(m * px);
    for (let i = 0; i < m; i += batch) {
      const k = Math.min(batch, m - i);
      out.set(trainer.translate(x.subarray(i * px, (i + k) * px), k, d), i * px);
    }
    return out;
  };
  // Which rendering is a plain digit: mnist-edges B; mnist-inverted A (B is inverted).
  const asDigit = (x: Float32Array, domain: 'A' | 'B') => (task === 'mnist-inverted' && domain === 'B' ? neg(x) : x);
  const scores: DirectionScore[] = [];
  for (const d of trainer.game.directions) {
    const [input, target, outDomain] = d === 'AtoB' ? [ev.a, ev.b, 'B' as const] : [ev.b, ev.a, 'A' as const];
    const output = run(input, d);
    const back: Direction = d === 'AtoB' ? 'BtoA' : 'AtoB';
    const l1Cycle = trainer.game.directions.includes(back) ? meanL1(run(output, back), input) : undefined;
    scores.push({
      direction: d,
      n: m,
      labelAgreement: agreement(classify(classifier, unpad(asDigit(output, outDomain), m), m), ev.labels),
      targetAccuracy: agreement(classify(classifier, unpad(asDigit(target, outDomain), m), m), ev.labels),
      l1Output: meanL1(output, target),
      l1Input: meanL1(input, target),
      ...(l1Cycle !== undefined ? { l1Cycle } : {}),
    });
  }
  return scores;
}
