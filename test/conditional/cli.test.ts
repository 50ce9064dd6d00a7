/**
 * The conditional flow through the CLI: train a tiny acgan + InfoGAN run on the embedded digits,
 * sample one class, the class grid (with -labels.npy) and a code sweep; wrong combinations are one
 * line naming the flag.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readNpy } from '../../src/io/npy.js';

const BIN = path.resolve('bin/ganbox.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-cond-cli-'));

function ganbox(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function assertUserError(r: ReturnType<typeof ganbox>, pattern: RegExp) {
  assert.notEqual(r.code, 0);
  assert.match(r.err, pattern);
  assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
}

test('train --conditional acgan --info-*, then sample a class, the class grid and a sweep', () => {
  const t = ganbox('train', '--conditional', 'acgan', '--info-categorical', '3', '--info-continuous', '1', '--arch', 'mlp',
    '--width', '16', '--depth', '1', '--steps', '3', '--log-every', '1', '--out', 'run', '--quiet', '--backend', 'cpu');
  assert.equal(t.code, 0, t.err);
  const lines = fs.readFileSync(path.join(tmp, 'run', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  for (const k of ['aux_real_acc', 'aux_fake_acc', 'mi_lower_bound', 'info_cat_acc']) assert.ok(Number.isFinite(lines[2][k]), k);
  const s = ganbox('sample', '--run', 'run', '--classes', 'all', '--cols', '3', '--out', 'grid.npy', '--backend', 'cpu');
  assert.equal(s.code, 0, s.err);
  assert.deepEqual(readNpy(fs.readFileSync(path.join(tmp, 'grid.npy'))).shape, [30, 28, 28, 1]);
  const labels = readNpy(fs.readFileSync(path.join(tmp, 'grid-labels.npy')));
  assert.deepEqual([...labels.data as Int32Array].slice(0, 7), [0, 0, 0, 1, 1, 1, 2]);
  assert.equal(ganbox('sample', '--run', 'run', '--class', '3', '--n', '4', '--out', 'three.png', '--backend', 'cpu').code, 0);
  assert.equal(ganbox('sample', '--run', 'run', '--code', 'c0=1', '--sweep', 'c1', '--n', '10', '--cols', '5', '--out', 'sweep.png', '--backend', 'cpu').code, 0);
  assertUserError(ganbox('sample', '--run', 'run', '--class', '12', '--out', 'x.png', '--backend', 'cpu'), /--class 12 is out of range: this run has 10 classes/);
  assertUserError(ganbox('sample', '--run', 'run', '--sweep', 'c0', '--out', 'x.png', '--backend', 'cpu'), /--sweep c0: the swept code must be a continuous one/);
  assertUserError(ganbox('train', '--conditional', 'cgan', '--data', 'moons', '--steps', '1', '--out', 'bad', '--backend', 'cpu'),
    /--conditional cgan needs labelled data but moons has no labels; use one of mnist/);
  assertUserError(ganbox('train', '--info-categorical', '1', '--out', 'bad2'), /--info-categorical/);
});
