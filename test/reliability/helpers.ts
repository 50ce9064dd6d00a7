/** Shared by the reliability tests: a seeded PRNG, the CLI as a child process, run-folder comparison. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeCheckpoint, listCheckpoints } from '../../src/train/checkpoint.js';

export const BIN = path.resolve('bin/ganbox.js');

/** mulberry32: a small seeded PRNG, so every run of a test tries the same cases. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** Start `ganbox ...args`; `onStderr` sees stderr as it arrives. */
export function startGanbox(args: string[], opts: { env?: NodeJS.ProcessEnv; onStderr?: (text: string, child: ChildProcess) => void } = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); opts.onStderr?.(err, child); });
  const done = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  done.finally(() => clearTimeout(timer));
  return { child, done };
}

export const runGanbox = (args: string[], env?: NodeJS.ProcessEnv) => startGanbox(args, { env }).done;

/** metrics.jsonl lines without their timing fields. */
export function metricsWithoutTiming(dir: string): unknown[] {
  return fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => {
    const { images_per_s: _i, time: _t, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return rest;
  });
}

/** The newest checkpoints of two run folders hold the same step, state and tensor bits. */
export function assertSameFinalCheckpoint(a: string, b: string): number {
  const fa = listCheckpoints(path.join(a, 'checkpoints')).at(-1)!;
  const fb = listCheckpoints(path.join(b, 'checkpoints')).at(-1)!;
  const ca = decodeCheckpoint(fs.readFileSync(fa), fa);
  const cb = decodeCheckpoint(fs.readFileSync(fb), fb);
  assert.equal(ca.step, cb.step, 'final step');
  assert.deepEqual([...ca.tensors.keys()], [...cb.tensors.keys()]);
  for (const [k, v] of ca.tensors) {
    assert.ok(Buffer.from(v.values.buffer).equals(Buffer.from(cb.tensors.get(k)!.values.buffer)), `tensor ${k} differs`);
  }
  assert.deepEqual(ca.state, cb.state, 'optimiser step counts, RNG and data-stream state');
  return ca.tensors.size;
}

/** Same final checkpoint, generator weights, metrics (timing aside) and sample pictures. */
export function assertSameRun(a: string, b: string): void {
  assertSameFinalCheckpoint(a, b);
  const bytes = (d: string, f: string) => fs.readFileSync(path.join(d, f));
  assert.ok(bytes(a, 'generator/weights.bin').equals(bytes(b, 'generator/weights.bin')), 'generator weights.bin');
  assert.deepEqual(metricsWithoutTiming(a), metricsWithoutTiming(b), 'metrics.jsonl');
  const samples = (d: string) => fs.readdirSync(path.join(d, 'samples')).sort();
  assert.deepEqual(samples(a), samples(b), 'sample pictures');
  for (const f of samples(a)) assert.ok(bytes(a, `samples/${f}`).equals(bytes(b, `samples/${f}`)), `samples/${f}`);
}
