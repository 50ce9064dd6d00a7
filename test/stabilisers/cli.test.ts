/** `ganbox train`'s stabiliser flags: bad values are one sentence naming the flag; --help lists the presets. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const BIN = path.resolve('bin/ganbox.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-stab-cli-'));
const ganbox = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('bad stabiliser flags: non-zero exit, one line naming the flag', () => {
  for (const [args, re] of [
    [['--ema', '1'], /--ema/],
    [['--data', 'ring8', '--pack', '3', '--batch', '64'], /--pack.*--batch 64/],
    [['--data', 'ring8', '--augment', 'translation'], /--augment/],
    [['--preset', 'qualty'], /--preset|qualty/],
  ] as [string[], RegExp][]) {
    const r = ganbox('train', '--steps', '1', '--out', path.join(tmp, 'run'), ...args);
    assert.notEqual(r.code, 0, args.join(' '));
    const lines = r.err.trim().split('\n').filter((l) => l.startsWith('error'));
    assert.equal(lines.length, 1, r.err);
    assert.match(lines[0]!, re);
    assert.doesNotMatch(r.err, /at .*\.ts:\d+/, 'no stack trace');
  }
});

test('train --help lists the stabiliser flags and the presets with their reasons', () => {
  const r = ganbox('train', '--help');
  assert.equal(r.code, 0);
  for (const s of ['--spectral-norm', '--ema', '--r1', '--augment', '--pack', '--mbstd', '--minibatch-disc', '--historical-averaging', '--unroll', 'coverage', 'quality', 'Miyato']) {
    assert.ok(r.out.includes(s), s);
  }
});

test('train --preset quality on 2-D points keeps the MLP (the preset\'s net is for images) and its rates', () => {
  const out = path.join(tmp, 'quality-points');
  const r = ganbox('train', '--data', 'ring8', '--preset', 'quality', '--steps', '2', '--out', out, '--quiet');
  assert.equal(r.code, 0, r.err);
  const c = (JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')) as { train: Record<string, unknown> }).train;
  assert.deepEqual([c.arch, c.width, c.lrG, c.preset], ['mlp', 128, 1e-3, 'quality']);
});
