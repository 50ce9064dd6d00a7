import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBackend } from '../../src/backend/index.js';
import { openDataSource } from '../../src/data/index.js';
import type { ToyDistribution } from '../../src/data/source.js';
import { GanTrainer } from '../../src/train/trainer.js';
import { Rng } from '../../src/train/rng.js';

await useBackend('wasm');

/**
 * The foundation's end-to-end check: the paper's GAN (non-saturating loss) on ring8 covers at
 * least 7 of the 8 modes in 2,000 steps. A mode counts as covered when a generated sample falls
 * within 3 std of its centre; the high-quality fraction is the share of samples within 3 std of
 * some centre.
 *
 * Settings (batch 512, Adam lr 2e-3, β = (0.5, 0.999), MLP 3×128, z ∈ R^8) were chosen by
 * measuring, not by trying seeds: the same loop in PyTorch 1.13 (test/reference/ring8_gan.py)
 * covered 8, 7, 7, 8, 7 modes at step 2,000 for seeds 0–4 (high-quality fractions 0.17–0.67),
 * where lr 1e-4 … 1e-3 collapsed to 1–6 modes for several seeds. ganbox on wasm, seeds 0, 1, 2:
 * 8, 7, 8 modes, high-quality fractions 0.77, 0.54, 0.81.
 * A wasm run is reproducible bit for bit, but GAN training is chaotic: a kernel that rounds its
 * last bit differently gives another trajectory (seed 0 with other matmul/conv kernels: ≥ 7 modes,
 * high-quality 0.30). So the bounds hold for the family of runs, not for one: ≥ 7 modes, and a
 * high-quality fraction ≥ 0.15, which a diffuse or collapsed generator does not reach (measured
 * 0.00–0.02 for the lr 1e-4 runs above).
 */
test('ring8: a 2,000-step run covers at least 7 of the 8 modes', async () => {
  const data = (await openDataSource('ring8')) as ToyDistribution;
  const trainer = new GanTrainer(data, { batch: 512, lrG: 2e-3, lrD: 2e-3, seed: 0 });
  for (let i = 0; i < 2000; i++) trainer.trainStep();
  const n = 2000;
  const z = trainer.noise(n, new Rng(12345));
  const fake = trainer.sample(z);
  const pts = fake.dataSync();
  z.dispose();
  fake.dispose();
  trainer.dispose();

  const radius = 3 * data.std;
  const hits = new Array<number>(data.modes.length).fill(0);
  let good = 0;
  for (let i = 0; i < n; i++) {
    let hit = false;
    data.modes.forEach(([mx, my], k) => {
      if (Math.hypot(pts[2 * i]! - mx, pts[2 * i + 1]! - my) < radius) { hits[k]! += 1; hit = true; }
    });
    if (hit) good += 1;
  }
  const covered = hits.filter((h) => h > 0).length;
  assert.ok(covered >= 7, `covered ${covered} of 8 modes (samples per mode: ${hits.join(', ')})`);
  assert.ok(good / n >= 0.15, `high-quality fraction ${good / n}`);
});
