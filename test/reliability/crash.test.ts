/**
 * Crash trials (issue 6.1): the real CLI trains a small ring8 MLP, checkpointing every 2 steps,
 * and is killed with SIGKILL at seeded random moments — during startup, mid-step, mid-checkpoint
 * write — over and over; after each kill `ganbox train --resume DIR` must start, resume from the
 * newest checkpoint written before the kill (so at most the steps since it are lost), and the
 * finished run must equal an uninterrupted run with the same seed bit for bit: weights, optimiser
 * moments, RNG and data-stream state, generator file, metrics and sample pictures.
 * About 30–60 s on a loaded 2-core machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listCheckpoints, loadLatestCheckpoint } from '../../src/train/checkpoint.js';
import { assertSameRun, mulberry32, runGanbox, startGanbox } from './helpers.js';

const STEPS = 200;
const EVERY = 2; // checkpoint cadence: most kills land near a checkpoint write
const TRIALS = 12;
const args = (steps = STEPS) => [
  'train', '--data', 'ring8', '--steps', String(steps), '--batch', '16', '--width', '16', '--seed', '3',
  '--checkpoint-every', String(EVERY), '--sample-every', '50', '--log-every', '1', '--keep', '3', '--threads', '1',
];
/** Every other step-triggered trial holds checkpoint writes open 40 ms (test/reliability/fault-fs.mjs), so its kill lands mid-write. */
const SLOW_WRITES = { NODE_OPTIONS: `--import ${path.resolve('test/reliability/fault-fs.mjs')}`, GANBOX_FAULT: JSON.stringify({ match: '.ckpt', ops: ['write', 'rename'], delayMs: 40 }) };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-crash-'));
const baselineDir = path.join(tmp, 'baseline');
// The uninterrupted run, started now so it runs beside the trials.
const baseline = runGanbox([...args(), '--out', baselineDir]);

/** Step of the last progress line ("step 12/60 | …") printed so far; 0 if none. */
const lastStep = (err: string) => Math.max(0, ...[...err.matchAll(/^step (\d+)\//gm)].map((m) => Number(m[1])));
const tempFiles = (dir: string) =>
  ['', 'checkpoints', 'samples', 'generator'].flatMap((d) => (fs.existsSync(path.join(dir, d)) ? fs.readdirSync(path.join(dir, d)) : []))
    .filter((f) => f.includes('.tmp-')).length;

test(`${TRIALS} SIGKILLs at random moments: every resume starts, loses at most the steps since the last checkpoint, and the run ends bit for bit as an uninterrupted one`, async () => {
  const dir = path.join(tmp, 'killed');
  const r = mulberry32(20261125);
  let kills = 0, midWrite = 0, beforeConfig = 0, maxLost = 0;
  for (let trial = 0; trial <= TRIALS; trial++) {
    const started = fs.existsSync(path.join(dir, 'config.json'));
    // After a kill before config.json exists, the way on is the same command again.
    const cmd = started ? ['train', '--resume', dir] : [...args(), '--out', dir];
    const expectFrom = started ? (loadLatestCheckpoint(path.join(dir, 'checkpoints'))?.data.step ?? 0) : 0;
    const last = trial === TRIALS;
    // Kill either after a random delay (startup included), or a few ms after a random step's progress line.
    const byTime = r() < 0.3;
    const slow = !byTime && !last && trial % 2 === 1;
    const delayMs = byTime ? Math.floor(r() * 1500) : Math.floor(r() * (slow ? 100 : 15));
    const remaining = STEPS - expectFrom;
    const target = expectFrom + 1 + Math.floor(r() * Math.max(1, Math.min(remaining - 30, (2 * remaining) / (TRIALS - trial + 1))));
    let armed = false;
    const proc = startGanbox(cmd, {
      env: slow ? SLOW_WRITES : {},
      onStderr: (err, child) => {
        if (last || armed || lastStep(err) < target) return;
        armed = true; // (by time: the target is a guard, so no trial can run to the end)
        setTimeout(() => child.kill('SIGKILL'), byTime ? 0 : delayMs);
      },
    });
    if (!last && byTime) setTimeout(() => proc.child.kill('SIGKILL'), delayMs);
    const res = await proc.done;
    if (started) {
      // It started, from the newest good checkpoint on disk before it ran (or reached its first line).
      const from = /resuming .* from step (\d+)/.exec(res.err);
      if (from) assert.equal(Number(from[1]), expectFrom, res.err);
      else assert.ok(res.signal === 'SIGKILL' && !/step \d+\//.test(res.err), `trial ${trial} did not resume: ${res.err}`);
      assert.doesNotMatch(res.err, /error|internal/i, res.err);
    }
    if (last) {
      assert.equal(res.code, 0, res.err);
      assert.match(res.out, /run folder: /);
      break;
    }
    assert.equal(res.signal, 'SIGKILL', `trial ${trial} ended before its kill: ${res.err}`);
    kills++;
    if (tempFiles(dir) > 0) midWrite++;
    if (process.env.CRASH_DEBUG) console.log(`trial ${trial}: ${byTime ? 'time' : slow ? 'slow' : 'step'} delay ${delayMs} target ${target} seen ${lastStep(res.err)} tmp ${tempFiles(dir)}`);
    if (!fs.existsSync(path.join(dir, 'config.json'))) beforeConfig++;
    // Nothing written before the kill is lost: a printed step k means checkpoint floor(k/EVERY)·EVERY was complete.
    const seen = lastStep(res.err);
    const newest = loadLatestCheckpoint(path.join(dir, 'checkpoints'))?.data.step ?? 0;
    assert.ok(newest >= Math.floor(seen / EVERY) * EVERY, `trial ${trial}: saw step ${seen} but the newest good checkpoint is ${newest}`);
    maxLost = Math.max(maxLost, seen - newest);
    assert.ok(listCheckpoints(path.join(dir, 'checkpoints')).length <= 4, '--keep 3 (+ at most one being written)');
  }
  const base = await baseline;
  assert.equal(base.code, 0, base.err);
  assertSameRun(dir, baselineDir);
  assert.equal(tempFiles(dir), 0, 'resumes clean up the temporary files of killed writes');
  assert.equal(kills, TRIALS);
  console.log(`# crash trials: ${kills} SIGKILLs (${midWrite} left a write unfinished, ${beforeConfig} before config.json); ` +
    `most steps lost to one kill ${maxLost} (bound: steps since the last checkpoint); final state identical`);
});

test('a torn or corrupted newest checkpoint is reported and the previous one is used; the run still ends bit for bit', async () => {
  const base = await baseline;
  assert.equal(base.code, 0, base.err);
  for (const damage of ['truncate', 'flip'] as const) {
    const dir = path.join(tmp, `damaged-${damage}`);
    fs.cpSync(baselineDir, dir, { recursive: true });
    const newest = listCheckpoints(path.join(dir, 'checkpoints')).at(-1)!;
    assert.equal(path.basename(newest), `step-000${STEPS}.ckpt`);
    if (damage === 'truncate') fs.truncateSync(newest, Math.floor(fs.statSync(newest).size / 2));
    else {
      const b = fs.readFileSync(newest);
      b[Math.floor(b.length / 2)]! ^= 0x04;
      fs.writeFileSync(newest, b);
    }
    const resumed = await runGanbox(['train', '--resume', dir, '--quiet']);
    assert.equal(resumed.code, 0, resumed.err);
    assert.match(resumed.err, new RegExp(`skipped .*step-000${STEPS}\\.ckpt: checkpoint .*step-000${STEPS}\\.ckpt is unusable: checksum mismatch \\(torn or corrupted file\\)`));
    assert.match(resumed.err, new RegExp(`resuming .* from step ${STEPS - EVERY} \\(step-000${STEPS - EVERY}\\.ckpt\\)`));
    assertSameRun(dir, baselineDir);
  }
});

test('a folder left by a kill before config.json was written is reused by the same command, without --force', async () => {
  const dir = path.join(tmp, 'unstarted');
  for (const d of ['samples', 'checkpoints']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.writeFileSync(path.join(dir, '.config.json.tmp-999999-1'), '{"tr');
  const res = await runGanbox([...args(4), '--out', dir, '--quiet']);
  assert.equal(res.code, 0, res.err);
  assert.ok(fs.existsSync(path.join(dir, 'checkpoints', 'step-000004.ckpt')));
  // A folder with anything else in it is still never overwritten.
  const other = path.join(tmp, 'other');
  fs.mkdirSync(other);
  fs.writeFileSync(path.join(other, 'notes.txt'), 'mine');
  const refused = await runGanbox([...args(4), '--out', other, '--quiet']);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /already exists/);
});
