/** The digit-task scores: checked with stand-in translators whose answers are known (oracle, identity). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { digitTaskEval, type DigitTask } from '../../src/data/digit-tasks.js';
import { loadMnistClassifierSync } from '../../src/features/mnist-classifier.js';
import { meanL1, scoreDigitTask, unpad } from '../../src/evaluate/translation-digits.js';
import type { TranslationTrainer } from '../../src/train/translation.js';

await tf.setBackend('cpu');
const N = 200;

/** A stand-in trainer: 'oracle' answers each held-out input with its true target, 'identity' with the input. */
function standIn(task: DigitTask, mode: 'oracle' | 'identity', directions: ('AtoB' | 'BtoA')[]): TranslationTrainer {
  const ev = digitTaskEval(task, N);
  const offset = { AtoB: 0, BtoA: 0 };
  return {
    game: { directions },
    translate(x: Float32Array, n: number, d: 'AtoB' | 'BtoA') {
      const target = d === 'AtoB' ? ev.b : ev.a;
      const out = mode === 'oracle' ? target.slice(offset[d], offset[d] + x.length) : x.slice();
      offset[d] = (offset[d] + x.length) % target.length; // a reconstruction pass starts over
      assert.equal(out.length, n * 1024);
      return out;
    },
  } as unknown as TranslationTrainer;
}

test('unpad takes the 28×28 digit out of its 2-px frame', () => {
  const x = new Float32Array(1024).fill(-1);
  for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) x[(r + 2) * 32 + c + 2] = r * 28 + c;
  assert.deepEqual(Array.from(unpad(x, 1)), Array.from({ length: 784 }, (_, i) => i));
});

test('scores: an oracle scores the classifier\'s accuracy on the targets (≥ 95 %) and L1 0; doing nothing scores the input\'s L1', () => {
  const classifier = loadMnistClassifierSync();
  const ev = digitTaskEval('mnist-edges', N);
  const [oracle] = scoreDigitTask(standIn('mnist-edges', 'oracle', ['AtoB']), 'mnist-edges', classifier, N);
  assert.equal(oracle!.labelAgreement, oracle!.targetAccuracy);
  assert.ok(oracle!.targetAccuracy >= 0.95, `classifier on held-out digits: ${oracle!.targetAccuracy}`);
  assert.equal(oracle!.l1Output, 0);
  assert.ok(Math.abs(oracle!.l1Input - meanL1(ev.a, ev.b)) < 1e-12);
  const [same] = scoreDigitTask(standIn('mnist-edges', 'identity', ['AtoB']), 'mnist-edges', classifier, N);
  assert.equal(same!.l1Output, same!.l1Input);
  assert.equal(same!.l1Cycle, undefined); // one direction: no way back
  // Inverted domain: its images are inverted back before classifying, so the oracle scores as well both ways.
  const both = scoreDigitTask(standIn('mnist-inverted', 'oracle', ['AtoB', 'BtoA']), 'mnist-inverted', classifier, N);
  assert.equal(both.length, 2);
  for (const s of both) {
    assert.equal(s.labelAgreement, s.targetAccuracy);
    assert.equal(s.l1Cycle, 0); // the oracle's way back is exact too
    assert.ok(s.targetAccuracy >= 0.9, `${s.direction}: ${s.targetAccuracy}`);
  }
  classifier.dispose();
});
