/**
 * Test helpers for src/backend: deterministic data, running one computation on a chosen backend,
 * and the error measure every comparison here uses.
 */
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, type BackendName } from '../../src/backend/index.js';

/** Deterministic values in [-1, 1) (mulberry32), so cpu and wasm see the same numbers. */
export function rand(shape: readonly number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/**
 * max |a − b| / max |b|: the error relative to the reference's largest magnitude. Elementwise
 * relative error is meaningless for entries near zero, which gradients have plenty of.
 */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Runs `fn` inside tf.tidy on `backend` and returns its outputs' values. */
export async function on(backend: BackendName, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await useBackend(backend);
  const outs = tf.tidy(fn);
  const values = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return values;
}
