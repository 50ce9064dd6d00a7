/**
 * Collapse diagnostics: the mode numbers and the diversity against hand-computed values, the
 * failure detector's sentences, and a short run whose metrics.jsonl carries them (with the
 * warning on the info channel when the young generator covers too few modes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useBackend } from '../../src/backend/index.js';
import { detectFailure, meanPairwiseDistance, modeDiagnostics } from '../../src/stabilisers/diagnostics.js';
import { runTraining } from '../../src/train/run.js';

await useBackend('wasm');

test('mode diagnostics: covered modes, high-quality fraction, KL of the mode histogram to uniform', () => {
  const dist = { modes: [[0, 0], [10, 0], [0, 10], [10, 10]] as [number, number][], std: 1 };
  // 3 samples at mode 0, 1 at mode 1, one far from every mode (not high quality).
  const s = [0.5, 0, -1, 1, 0, 2.9, 10, 0.1, 5, 5];
  const d = modeDiagnostics(dist, s);
  assert.equal(d.modes_covered, 2);
  assert.equal(d.modes_total, 4);
  assert.equal(d.hq_fraction, 4 / 5);
  const want = 0.75 * Math.log(0.75 * 4) + 0.25 * Math.log(0.25 * 4);
  assert.ok(Math.abs(d.kl_modes! - want) < 1e-12);
  // Balanced over every mode: KL = 0.
  assert.equal(modeDiagnostics(dist, [0, 0, 10, 0, 0, 10, 10, 10]).kl_modes, 0);
  // Pairwise distances of (0,0), (3,4), (6,8): 5, 10, 5 → mean 20/3.
  assert.ok(Math.abs(meanPairwiseDistance([0, 0, 3, 4, 6, 8], 3, 2) - 20 / 3) < 1e-12);
});

test('the failure detector names the failure and the remedies in one line', () => {
  const m = detectFailure({ modes_covered: 2, modes_total: 8 })!;
  assert.equal(m.kind, 'mode-collapse');
  assert.match(m.message, /2 of 8 modes.*--preset coverage/);
  assert.equal(detectFailure({ diversity: 0.05 })!.kind, 'mode-collapse');
  assert.equal(detectFailure({ d_acc_real: 1, d_acc_fake: 1, logit_gap: 20, diversity: 0.9 })!.kind, 'd-wins');
  assert.match(detectFailure({ grad_norm_d: 5e4 })!.message, /--spectral-norm/);
  assert.equal(detectFailure({ modes_covered: 8, modes_total: 8, d_acc_real: 0.6, d_acc_fake: 0.5, logit_gap: 0.3, grad_norm_d: 1 }), undefined);
  for (const k of [m, detectFailure({ diversity: 0.05 })!]) assert.ok(!k.message.includes('\n'));
});

test('a run logs the diagnostics in metrics.jsonl; no collapse warning in its first 200 steps', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-diag-'));
  const info: string[] = [];
  await runTraining({ data: 'ring8', batch: 16, width: 8, steps: 3, logEvery: 1, sampleEvery: 3, checkpointEvery: 3, seed: 1 },
    { out: path.join(dir, 'run'), onInfo: (m) => info.push(m) });
  const rows = fs.readFileSync(path.join(dir, 'run', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.length, 3);
  for (const r of rows) {
    for (const k of ['d_acc_real', 'd_acc_fake', 'logit_gap', 'grad_norm_d', 'grad_norm_g', 'diversity', 'modes_covered', 'hq_fraction']) {
      assert.equal(typeof r[k], 'number', k);
    }
    assert.equal(typeof r.kl_modes, r.modes_covered > 0 ? 'number' : 'undefined');
    assert.equal(r.modes_total, 8);
  }
  // A freshly initialised G always looks collapsed: the monitor stays silent until step 200
  // (train/collapse-monitor.ts); detectFailure's verdicts are tested above.
  assert.equal(info.filter((m) => m.startsWith('warning:')).length, 0, info.join('\n'));
});
