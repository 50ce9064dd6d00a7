import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridDivergence, modeCoverage } from '../../src/metrics/toy-modes.js';
import { ring8 } from '../../src/data/toy2d.js';
import { Rng } from '../../src/train/rng.js';

test('samples from the true mixture cover every mode; ~98.9% fall within 3σ (the χ²₂ mass exp(−4.5))', () => {
  const dist = ring8();
  const { x } = dist.sample(20000, new Rng(1));
  const r = modeCoverage(dist, x);
  assert.equal(r.modesCovered, 8);
  assert.equal(r.modeCount, 8);
  const want = 1 - Math.exp(-4.5); // P(|N(0, σ²I₂)| < 3σ)
  assert.ok(Math.abs(r.highQualityFraction - want) < 0.003, `${r.highQualityFraction} vs ${want}`);
});

test('a collapsed generator: one mode covered, and points far from all modes are not high quality', () => {
  const dist = ring8();
  const collapsed = new Float32Array(2000);
  for (let i = 0; i < 1000; i++) { collapsed[2 * i] = 2 + 0.01 * Math.sin(i); collapsed[2 * i + 1] = 0.01 * Math.cos(i); }
  const r = modeCoverage(dist, collapsed);
  assert.equal(r.modesCovered, 1);
  assert.equal(r.highQualityFraction, 1);
  assert.equal(modeCoverage(dist, Float32Array.of(0, 0, 5, 5)).highQualityFraction, 0);
  assert.equal(modeCoverage(dist, collapsed, { minPerMode: 1001 }).modesCovered, 0);
});

test('grid KL/JS: the true sampler scores far lower than a collapsed one; JS ≤ log 2; P sums to 1', () => {
  const dist = ring8();
  const good = dist.sample(20000, new Rng(2)).x;
  const bad = new Float32Array(40000);
  const rng = new Rng(3);
  for (let i = 0; i < 20000; i++) { bad[2 * i] = 2 + 0.02 * rng.normal(); bad[2 * i + 1] = 0.02 * rng.normal(); }
  const g = gridDivergence(dist, good), b = gridDivergence(dist, bad);
  assert.ok(g.kl < 0.5 && b.kl > 1.5, `kl good ${g.kl}, collapsed ${b.kl}`);
  assert.ok(g.js < 0.1 && b.js > 0.4 && b.js <= Math.log(2), `js good ${g.js}, collapsed ${b.js}`);
  assert.ok(g.outsideData < 1e-6 && g.outsideSamples === 0);
});
