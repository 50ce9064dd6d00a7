/** `ganbox train --model pix2pix|cyclegan`, `--resume`, `ganbox translate` and `ganbox report` on a translation run. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { encodePng } from '../../src/io/png.js';

const BIN = path.resolve('bin/ganbox.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-translate-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function ganbox(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const metrics = (dir: string) => fs.readFileSync(path.join(tmp, dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);

// Six 32×16 side-by-side pictures: A (left, grey stripes) | B (right, the stripes inverted).
const pairs = path.join(tmp, 'pairs');
fs.mkdirSync(pairs);
for (let k = 0; k < 6; k++) {
  const px = new Uint8Array(32 * 16);
  for (let y = 0; y < 16; y++) for (let x = 0; x < 32; x++) {
    const v = ((x % 16) + y + k) % 4 < 2 ? 30 : 220;
    px[y * 32 + x] = x < 16 ? v : 255 - v;
  }
  fs.writeFileSync(path.join(pairs, `${k}.png`), encodePng(px, 32, 16, 1));
}
const common = ['--data', `pairs:${pairs}`, '--size', '16', '--load-size', '18', '--width', '2', '--d-width', '2', '--batch', '2',
  '--checkpoint-every', '1', '--sample-every', '1', '--log-every', '1', '--backend', 'cpu', '--cache-dir', path.join(tmp, 'cache'), '--quiet'];

test('pix2pix: a run folder with each loss term; resuming gives the generator of an uninterrupted run, byte for byte', () => {
  const a = ganbox('train', '--model', 'pix2pix', ...common, '--steps', '2', '--out', 'p2p', '--workers', '1');
  assert.equal(a.code, 0, a.err);
  const m = metrics('p2p');
  assert.deepEqual(m.map((r) => r.step), [1, 2]);
  for (const k of ['loss_d', 'loss_g', 'g_gan', 'g_l1', 'd_real', 'd_fake', 'lr']) assert.ok(Number.isFinite(m[0]![k]), k);
  const cfg = JSON.parse(fs.readFileSync(path.join(tmp, 'p2p', 'config.json'), 'utf8'));
  assert.equal(cfg.translation.model, 'pix2pix');
  assert.equal(cfg.data.memoryBytes, 6 * 2 * 18 * 18);
  // The grid: 8 fixed rows capped at the 6 images, 3 columns (A, G(A), B) of 16 px + 2 px padding.
  const grid = PNG.sync.read(fs.readFileSync(path.join(tmp, 'p2p', 'samples', 'step-000002.png')));
  assert.equal(grid.width, 3 * 18 + 2);
  assert.equal(grid.height, 6 * 18 + 2);
  const r = ganbox('train', '--resume', 'p2p', '--steps', '3', '--quiet');
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /resuming .* from step 2/);
  assert.deepEqual(metrics('p2p').map((x) => x.step), [1, 2, 3]);
  const s = ganbox('train', '--model', 'pix2pix', ...common, '--steps', '3', '--out', 'p2p-straight', '--workers', '0');
  assert.equal(s.code, 0, s.err);
  assert.deepEqual(fs.readFileSync(path.join(tmp, 'p2p', 'generator', 'weights.bin')), fs.readFileSync(path.join(tmp, 'p2p-straight', 'generator', 'weights.bin')));
  assert.deepEqual(metrics('p2p').map((x) => x.loss_g), metrics('p2p-straight').map((x) => x.loss_g));

  const t = ganbox('translate', '--run', 'p2p', '--in', pairs, '--split', '--out', 'out', '--backend', 'cpu');
  assert.equal(t.code, 0, t.err);
  assert.equal(fs.readdirSync(path.join(tmp, 'out')).length, 6);
  const img = PNG.sync.read(fs.readFileSync(path.join(tmp, 'out', '0.png')));
  assert.equal(img.width, 16);
  const back = ganbox('translate', '--run', 'p2p', '--in', pairs, '--out', 'out2', '--direction', 'BtoA', '--backend', 'cpu');
  assert.notEqual(back.code, 0);
  assert.match(back.err, /AtoB only/);

  const rep = ganbox('report', 'p2p');
  assert.equal(rep.code, 0, rep.err);
  assert.match(rep.out, /3 sample pictures/);
});

test('cyclegan on unpaired folders: both directions, cycle and identity terms, a 6-column grid; translate BtoA', () => {
  const c = ganbox('train', '--model', 'cyclegan', ...common.map((v) => (v === `pairs:${pairs}` ? `unpaired:${pairs},${pairs}` : v)),
    '--generator', 'unet', '--steps', '2', '--pool-size', '1', '--out', 'cyc');
  assert.equal(c.code, 0, c.err);
  const m = metrics('cyc');
  for (const k of ['g_gan_ab', 'g_gan_ba', 'g_cycle_a', 'g_cycle_b', 'g_identity_a', 'g_identity_b', 'd_a', 'd_b']) assert.ok(Number.isFinite(m[1]![k]), k);
  const grid = PNG.sync.read(fs.readFileSync(path.join(tmp, 'cyc', 'samples', 'step-000002.png')));
  assert.equal(grid.width, 6 * 18 + 2);
  assert.ok(fs.existsSync(path.join(tmp, 'cyc', 'generator-BtoA', 'model.json')));
  const t = ganbox('translate', '--run', 'cyc', '--in', path.join(pairs, '1.png'), '--out', 'cyc-out', '--direction', 'BtoA', '--backend', 'cpu');
  assert.equal(t.code, 0, t.err);
  assert.ok(fs.existsSync(path.join(tmp, 'cyc-out', '1.png')));
});

test('--on-bad-image: fail (default) names the broken file in one line; skip trains on the rest', () => {
  const bad = path.join(tmp, 'bad');
  fs.cpSync(pairs, bad, { recursive: true });
  fs.writeFileSync(path.join(bad, '9.png'), 'broken');
  const args = common.map((v) => (v === `pairs:${pairs}` ? `pairs:${bad}` : v));
  const f = ganbox('train', '--model', 'pix2pix', ...args, '--steps', '1', '--out', 'bad-run');
  assert.notEqual(f.code, 0);
  assert.match(f.err, /9\.png/);
  assert.doesNotMatch(f.err, /\n\s+at /);
  const s = ganbox('train', '--model', 'pix2pix', ...args, '--steps', '1', '--out', 'bad-run', '--on-bad-image', 'skip');
  assert.equal(s.code, 0, s.err);
  assert.match(s.err, /skipped .*9\.png/);
});
