import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { readNpy } from '../../src/io/npy.js';

const BIN = path.resolve('bin/ganbox.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-cli-'));

function ganbox(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A user error: non-zero exit, one line on stderr, no stack trace. */
function assertUserError(r: ReturnType<typeof ganbox>, pattern: RegExp) {
  assert.notEqual(r.code, 0);
  assert.match(r.err, pattern);
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
}

test('--help lists the commands; train --help lists every flag with its default', () => {
  const top = ganbox('--help');
  assert.equal(top.code, 0);
  assert.match(top.out, /train/);
  assert.match(top.out, /sample/);
  const train = ganbox('train', '--help');
  assert.equal(train.code, 0);
  train.out = train.out.replace(/\s+/g, ' '); // commander wraps help to the terminal width
  for (const flag of ['--steps', '--batch', '--lr-g', '--lr-d', '--loss', '--data', '--arch', '--log-every', '--sample-every',
    '--checkpoint-every', '--seed', '--d-steps', '--backend', '--resume', '--out', '--force']) {
    assert.match(train.out, new RegExp(`${flag}\\b`), flag);
  }
  assert.match(train.out, /--steps <n> [^-]*\(default: 3000\)/);
  assert.match(train.out, /--loss <name> loss: minimax \| non-saturating \| wasserstein-clip .* \(default: "non-saturating"\)/);
  assert.match(ganbox('sample', '--help').out, /--format/);
});

test('bad input: one sentence naming the flag or file, non-zero exit', () => {
  assertUserError(ganbox('train', '--stepz', '3'), /unknown option '--stepz' \(Did you mean --steps\?\)/);
  assertUserError(ganbox('train', '--loss', 'hnge', '--data', 'ring8', '--backend', 'cpu'), /unknown loss 'hnge' \(--loss\); valid: .*minimax.*non-saturating/);
  assertUserError(ganbox('train', '--data', 'idx:/nonexistent/train-images-idx3-ubyte', '--backend', 'cpu'), /nonexistent/);
  assertUserError(ganbox('train', '--data', 'ring9', '--backend', 'cpu'), /unknown data source 'ring9'.*ring8/);
  assertUserError(ganbox('train', '--steps', '-4'), /--steps/);
  assertUserError(ganbox('train', '--backend', 'tensorflow', '--data', 'ring8'), /tfjs-node/);
  assertUserError(ganbox('sample', '--run', path.join(tmp, 'nope'), '--out', 'x.png', '--backend', 'cpu'), /nope/);
});

test('a tiny train + sample round trip (ring8 on cpu), and run folders are never overwritten', () => {
  const run = path.join(tmp, 'ring');
  const r = ganbox('train', '--data', 'ring8', '--steps', '30', '--log-every', '10', '--sample-every', '20',
    '--checkpoint-every', '20', '--backend', 'cpu', '--out', run);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /run folder: ring/);
  assert.match(r.out, /ganbox sample --run ring/);
  assert.match(r.err, /step 30\/30 \| loss_D [\d.]+ \| loss_G [\d.]+ \| D\(x\) [\d.]+ \| D\(G\(z\)\) [\d.]+ \| [\d.]+ img\/s \| ETA/);
  const config = JSON.parse(fs.readFileSync(path.join(run, 'config.json'), 'utf8'));
  assert.equal(config.train.data, 'ring8');
  assert.equal(config.train.arch, 'mlp');
  const lines = fs.readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.step), [10, 20, 30]);
  for (const k of ['step', 'loss_d', 'loss_g', 'value', 'd_real', 'd_fake', 'images_per_s', 'time']) assert.ok(k in lines[0], k);
  assert.equal(lines[2].value, -lines[2].loss_d);
  assert.ok(fs.existsSync(path.join(run, 'samples', 'step-000020.png')));
  assert.ok(fs.existsSync(path.join(run, 'samples', 'step-000030.png')));
  assert.ok(fs.existsSync(path.join(run, 'generator', 'model.json')));
  assert.ok(fs.existsSync(path.join(run, 'checkpoints', 'step-000030.ckpt')));

  const again = ganbox('train', '--data', 'ring8', '--steps', '5', '--backend', 'cpu', '--out', run);
  assertUserError(again, /already exists.*--resume.*--force/);
  assert.ok(fs.existsSync(path.join(run, 'checkpoints', 'step-000030.ckpt')), 'nothing was lost');

  const png = ganbox('sample', '--run', run, '--n', '100', '--out', 'points.png', '--backend', 'cpu');
  assert.equal(png.code, 0, png.err);
  assert.equal(PNG.sync.read(fs.readFileSync(path.join(tmp, 'points.png'))).width, 400);
  const npy = ganbox('sample', '--run', run, '--n', '10', '--out', 'points.npy', '--backend', 'cpu');
  assert.equal(npy.code, 0, npy.err);
  const arr = readNpy(fs.readFileSync(path.join(tmp, 'points.npy')));
  assert.deepEqual(arr.shape, [10, 2]);
  assertUserError(ganbox('sample', '--run', run, '--n', '10', '--out', 'points.npy', '--backend', 'cpu'), /already exists.*--force/);
});

test('images: a 2-step MNIST DCGAN run, then sample as a PNG grid and as uint8 NHWC .npy', () => {
  const run = path.join(tmp, 'digits');
  const r = ganbox('train', '--steps', '2', '--batch', '8', '--log-every', '1', '--out', run, '--quiet');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '', '--quiet prints no progress');
  const grid = ganbox('sample', '--run', run, '--n', '6', '--cols', '3', '--out', 'digits.png');
  assert.equal(grid.code, 0, grid.err);
  const png = PNG.sync.read(fs.readFileSync(path.join(tmp, 'digits.png')));
  // 3 × 2 cells of 28 px with 2 px padding around every cell (torchvision's make_grid layout).
  assert.deepEqual([png.width, png.height], [3 * 30 + 2, 2 * 30 + 2]);
  const npy = ganbox('sample', '--run', run, '--n', '5', '--format', 'npy', '--out', 'digits.bin');
  assert.equal(npy.code, 0, npy.err);
  const arr = readNpy(fs.readFileSync(path.join(tmp, 'digits.bin')));
  assert.equal(arr.dtype, '|u1');
  assert.deepEqual(arr.shape, [5, 28, 28, 1]);
});
