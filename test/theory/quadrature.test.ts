import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { erf, gaussian, mixture, uniform } from '../../src/theory/densities.js';
import { jsd, optimalValue, simpson, wasserstein1 } from '../../src/theory/quadrature.js';
import { Rng } from '../../src/train/rng.js';

const ref = JSON.parse(fs.readFileSync(new URL('../reference/theory_values.json', import.meta.url), 'utf8')) as Record<string, number>;
const near = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

test('Simpson and erf against closed forms', () => {
  near(simpson((x) => x * x, 0, 1, 10), 1 / 3, 1e-15, '∫x² on [0, 1]'); // exact for cubics
  near(simpson(Math.sin, 0, Math.PI), 2, 1e-12, '∫sin on [0, π]');
  // erf from tables (Abramowitz & Stegun, Table 7.1); the fit's error is < 1.2e−7 relative.
  near(erf(0), 0, 2e-7, 'erf(0)');
  near(erf(0.5), 0.5204998778130465, 2e-7, 'erf(0.5)');
  near(erf(1), 0.8427007929497149, 2e-7, 'erf(1)');
  near(erf(-2), -0.9953222650189527, 2e-7, 'erf(-2)');
});

test('densities integrate to 1 and distribution functions match their densities', () => {
  for (const p of [gaussian(0.3, 0.7), uniform(-1, 2), mixture([gaussian(-1.5, 0.7), gaussian(1.5, 0.7)], [1, 3])]) {
    near(simpson((x) => p.pdf(x), p.range[0], p.range[1]), 1, 1e-6, `∫ p of ${p.label}`);
    near(p.cdf(0.4), simpson((x) => p.pdf(x), p.range[0], 0.4), 1e-6, `F(0.4) of ${p.label}`);
  }
  // Sampling: a 3:1 mixture of N(−1.5, ·) and N(1.5, ·) has mean 0.75; 20,000 draws, sd of the mean ≈ 0.011.
  const xs = mixture([gaussian(-1.5, 0.7), gaussian(1.5, 0.7)], [1, 3]).sample(new Rng(0), 20000);
  near(xs.reduce((a, b) => a + b, 0) / xs.length, 0.75, 0.05, 'mixture sample mean');
});

test('JSD by quadrature: 0 for identical, log 2 for disjoint, closed forms for uniforms, scipy for Gaussians', () => {
  near(jsd(gaussian(0, 1), gaussian(0, 1)), 0, 1e-12, 'JSD(P ‖ P)');
  // A uniform's jump makes Simpson's error O(h) at the edges: 3.5e−5 measured at h = 1.5e−4.
  near(jsd(uniform(0, 1), uniform(2, 3)), Math.log(2), 1e-4, 'disjoint supports');
  // U[0, 1] vs U[0.5, 1.5]: the overlap contributes 0, each half-unit alone ½·log 2 · ½ → ½ log 2.
  near(jsd(uniform(0, 1), uniform(0.5, 1.5)), 0.5 * Math.log(2), 1e-4, 'half-overlapping uniforms');
  // scipy.integrate.quad (test/reference/theory_values.py): 0.2211708312197…
  near(jsd(gaussian(0, 1), gaussian(1.5, 1)), ref['jsd_n0_1__n1.5_1']!, 1e-9, 'JSD(N(0,1) ‖ N(1.5,1))');
  near(optimalValue(gaussian(0, 1), gaussian(0, 1)), -Math.log(4), 1e-12, 'V(D*, G) at p_g = p_data');
  near(optimalValue(uniform(0, 1), uniform(2, 3)), 0, 2e-4, 'V(D*, G) for disjoint supports (JSD = log 2)');
});

test('W1 = ∫|F1 − F2| by quadrature against closed forms and scipy', () => {
  near(wasserstein1(gaussian(0, 1), gaussian(2.5, 1)), 2.5, 1e-7, 'equal σ: |μ1 − μ2|');
  near(wasserstein1(gaussian(1, 1), gaussian(1, 3)), 2 * Math.sqrt(2 / Math.PI), 1e-6, 'equal μ: |σ1 − σ2|·E|Z|');
  near(wasserstein1(uniform(0, 1), uniform(0.3, 1.3)), 0.3, 1e-7, 'shifted uniforms');
  near(wasserstein1(uniform(0, 1), uniform(0, 2)), 0.5, 1e-7, 'U[0,1] vs U[0,2]');
  near(wasserstein1(gaussian(0, 1), gaussian(1.5, 0.4)), ref['w1_n0_1__n1.5_0.4']!, 1e-6, 'the wasserstein experiment pair');
});
