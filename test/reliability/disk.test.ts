/**
 * Disk problems (issue 6.6): no space (ENOSPC), no permission (EACCES), a read-only file system
 * (EROFS) while the real CLI writes a checkpoint, the generator, a sample picture, the metrics
 * log or `ganbox sample --out`. Tests run as root, where permissions are not enforced, so the
 * faults are injected into node:fs by test/reliability/fault-fs.mjs (loaded with NODE_OPTIONS):
 * the CLI's own code path is the one tested. Each must give one sentence naming the file, exit 2,
 * leave the previous checkpoint intact and loadable, and — after the disk is "fixed" — resume to
 * the same result as a run that never failed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeCheckpoint, listCheckpoints, loadLatestCheckpoint } from '../../src/train/checkpoint.js';
import { assertSameRun, runGanbox } from './helpers.js';

const FAULT_FS = path.resolve('test/reliability/fault-fs.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-disk-'));
const ARGS = ['train', '--data', 'ring8', '--steps', '12', '--batch', '16', '--width', '16', '--seed', '5', '--checkpoint-every', '2',
  '--sample-every', '4', '--log-every', '1', '--threads', '1', '--quiet'];

interface Fault { match: string; ops: string[]; code: string; nth: number }
const withFault = (args: string[], fault: Fault) =>
  runGanbox(args, { NODE_OPTIONS: `--import ${FAULT_FS}`, GANBOX_FAULT: JSON.stringify(fault) });

/** One sentence on stderr, exit 2, no stack trace. */
function assertOneSentence(r: { code: number | null; err: string }, pattern: RegExp) {
  assert.equal(r.code, 2, r.err);
  assert.match(r.err.trim(), pattern);
  assert.doesNotMatch(r.err, /\n\s+at |internal error/, 'no stack trace');
  assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
}

const tempFiles = (dir: string) =>
  ['', 'checkpoints', 'samples', 'generator'].flatMap((d) => (fs.existsSync(path.join(dir, d)) ? fs.readdirSync(path.join(dir, d)) : []))
    .filter((f) => f.includes('.tmp-'));

// fault, where it strikes, and the checkpoint that must survive it (undefined: none was written yet).
const TRAIN_CASES: [string, Fault, RegExp, number | undefined][] = [
  ['ENOSPC writing the 3rd checkpoint', { match: '/checkpoints/', ops: ['write'], code: 'ENOSPC', nth: 3 },
    /^error: could not write \S+step-000006\.ckpt: no space left on the device; training stopped at step 6 and the newest checkpoint, \S+step-000004\.ckpt, is intact: free some space or fix the permissions, then continue with ganbox train --resume \S+$/, 4],
  ['EACCES creating the first checkpoint', { match: '/checkpoints/', ops: ['open'], code: 'EACCES', nth: 1 },
    /could not write \S+step-000002\.ckpt: permission denied; training stopped at step 2 and no checkpoint was written yet/, undefined],
  ['ENOSPC reported by fsync', { match: '/checkpoints/', ops: ['fsync'], code: 'ENOSPC', nth: 2 },
    /could not write \S+step-000004\.ckpt: no space left on the device; .*newest checkpoint, \S+step-000002\.ckpt, is intact/, 2],
  ['EACCES renaming a checkpoint into place', { match: '/checkpoints/', ops: ['rename'], code: 'EACCES', nth: 3 },
    /could not write \S+step-000006\.ckpt: permission denied; .*newest checkpoint, \S+step-000004\.ckpt, is intact/, 4],
  ['EROFS on the checkpoint folder', { match: '/checkpoints/', ops: ['open'], code: 'EROFS', nth: 2 },
    /could not write \S+step-000004\.ckpt: the file system is read-only; .*step-000002\.ckpt, is intact/, 2],
  ['ENOSPC writing the generator', { match: '/generator/', ops: ['write'], code: 'ENOSPC', nth: 3 },
    /could not write \S+generator\/weights\.bin: no space left on the device; .*newest checkpoint, \S+step-000004\.ckpt, is intact/, 4],
  ['ENOSPC writing a sample picture', { match: '/samples/', ops: ['write'], code: 'ENOSPC', nth: 2 },
    /could not write \S+samples\/step-000008\.png: no space left on the device; .*newest checkpoint, \S+step-000006\.ckpt, is intact/, 6],
  ['EACCES on a sample picture', { match: '/samples/', ops: ['open'], code: 'EACCES', nth: 1 },
    /could not write \S+samples\/step-000004\.png: permission denied; .*newest checkpoint, \S+step-000002\.ckpt, is intact/, 2],
  ['ENOSPC appending to metrics.jsonl', { match: 'metrics.jsonl', ops: ['append'], code: 'ENOSPC', nth: 5 },
    /could not write \S+metrics\.jsonl: no space left on the device; training stopped at step 5 and the newest checkpoint, \S+step-000004\.ckpt, is intact/, 4],
];

const baselineDir = path.join(tmp, 'baseline');
const baseline = runGanbox([...ARGS, '--out', baselineDir]);

test(`${TRAIN_CASES.length} write faults during training: one sentence naming the file, exit 2, the previous checkpoint intact; a resume then loses nothing`, async () => {
  // Two at a time: each case is its own ganbox process.
  const results: Promise<void>[] = [];
  const check = async (i: number) => {
    const [label, fault, pattern, survivor] = TRAIN_CASES[i]!;
    const dir = path.join(tmp, `case-${i}`);
    const r = await withFault([...ARGS, '--out', dir], fault);
    assertOneSentence(r, pattern);
    const ckpts = path.join(dir, 'checkpoints');
    const loaded = loadLatestCheckpoint(ckpts);
    assert.equal(loaded?.data.step, survivor, `${label}: the newest loadable checkpoint`);
    assert.equal(loaded?.skipped.length ?? 0, 0, `${label}: no damaged checkpoint left behind`);
    for (const f of listCheckpoints(ckpts)) decodeCheckpoint(fs.readFileSync(f), f); // every one on disk verifies
    assert.deepEqual(tempFiles(dir), [], `${label}: temporary files removed`);
    // The disk is "fixed": the run continues and ends exactly as the run that never failed.
    const resumed = await runGanbox(['train', '--resume', dir, '--quiet']);
    assert.equal(resumed.code, 0, `${label}: ${resumed.err}`);
    await baseline;
    assertSameRun(dir, baselineDir);
  };
  for (let i = 0; i < TRAIN_CASES.length; i += 2) {
    results.length = 0;
    results.push(check(i));
    if (i + 1 < TRAIN_CASES.length) results.push(check(i + 1));
    await Promise.all(results);
  }
  const base = await baseline;
  assert.equal(base.code, 0, base.err);
});

test('ganbox sample: no space or no permission for --out is one sentence naming the file, and nothing is left behind', async () => {
  await baseline;
  const cases: [string, Fault, RegExp][] = [
    ['grid.png', { match: 'grid.png', ops: ['open'], code: 'EACCES', nth: 1 }, /^error: could not write \S+grid\.png: permission denied; the previous version, if any, is intact$/],
    ['points.npy', { match: 'points.npy', ops: ['write'], code: 'ENOSPC', nth: 1 }, /^error: could not write \S+points\.npy: no space left on the device; the previous version, if any, is intact$/],
  ];
  for (const [name, fault, pattern] of cases) {
    const out = path.join(tmp, name);
    const r = await withFault(['sample', '--run', baselineDir, '--n', '16', '--out', out], fault);
    assertOneSentence(r, pattern);
    assert.ok(!fs.existsSync(out));
    assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.includes('.tmp-')), []);
  }
});
