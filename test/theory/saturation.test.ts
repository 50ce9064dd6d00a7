import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../src/backend/index.js';
import { saturation } from '../../src/theory/saturation.js';

await useBackend('wasm', { threads: 1 }); // see optimal-discriminator.test.ts

/**
 * Goodfellow et al. 2014, §3. Per sample, autodiff through the library's minimax and
 * non-saturating generator losses gives n·|∂L_G/∂logit| = D and 1 − D exactly (float32 rounding:
 * measured max relative error 1.3e−7). As D learns to reject the fixed initial G, D(G(z)) falls
 * and the minimax gradient on G's weights collapses while the non-saturating one grows.
 * Measured on wasm (200 D steps, seed 0): mean D(G(z)) ≈ 1e−3, ratio of gradient norms ≈ 160.
 */
test('saturation: measured gradients follow D and 1 − D; minimax starves G once D(G(z)) is small', () => {
  const before = tf.memory().numTensors;
  const r = saturation({ steps: 200, seed: 0 });
  assert.equal(tf.memory().numTensors, before, 'every tensor freed');
  assert.ok(r.max_rel_error_closed_form < 1e-5, `closed-form error ${r.max_rel_error_closed_form}`);
  const first = r.checkpoints[0]!, last = r.checkpoints[r.checkpoints.length - 1]!;
  assert.ok(first.d_fake_mean > 0.3 && first.d_fake_mean < 0.7, `untrained D: D(G(z)) = ${first.d_fake_mean}`);
  assert.ok(last.d_fake_mean < 0.02, `trained D: D(G(z)) = ${last.d_fake_mean}`);
  assert.ok(r.final_ratio > 10, `non-saturating / minimax gradient norm ${r.final_ratio}`);
  assert.ok(last.grad_norm_minimax < first.grad_norm_minimax, 'the minimax gradient shrank');
});
