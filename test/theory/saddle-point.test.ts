import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBackend } from '../../src/backend/index.js';
import { saddlePoint } from '../../src/theory/saddle-point.js';

await useBackend('wasm', { threads: 1 }); // see optimal-discriminator.test.ts

/**
 * Goodfellow et al. 2014, Thm. 1: V(D*, G) = −log 4 + 2·JSD(p_data ‖ p_g). The exact side is the
 * quadrature (checked against scipy in quadrature.test.ts); the estimate is a trained D's value on
 * 20,000 samples per side. Measured on wasm (400 steps, seed 0): μ_g = 1.5: −0.9559 vs −0.9440
 * (0.012 low, as a D short of D* must be); p_g = p_data: −1.38633 vs −1.38629.
 * Bounds: 0.03 for μ_g = 1.5 (D's error plus Monte Carlo, sd ≈ 0.006), 0.01 at the equilibrium.
 */
test('saddle-point: a trained D estimates −log 4 + 2·JSD, and −log 4 when p_g = p_data', () => {
  const r = saddlePoint({ steps: 400, means: [0, 1.5], mean: 1.5, seed: 0 });
  assert.equal(r.sweep.length, 2);
  assert.ok(Math.abs(r.value_exact - (-Math.log(4) + 2 * 0.22117083121973563)) < 1e-9, `exact ${r.value_exact}`);
  assert.ok(Math.abs(r.value_estimate - r.value_exact) <= 0.03, `estimate ${r.value_estimate} vs exact ${r.value_exact}`);
  assert.ok(r.value_estimate <= r.value_exact + 0.015, 'a trained D does not beat D* (beyond Monte Carlo error)');
  assert.equal(r.equal.value_exact, -Math.log(4));
  assert.ok(Math.abs(r.equal.value_estimate + Math.log(4)) <= 0.01, `p_g = p_data: ${r.equal.value_estimate}`);
});
