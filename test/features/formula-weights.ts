/**
 * The TypeScript mirror of make_inception_fixtures.py's `weight_values`: bit-identical float32
 * weights from an integer hash of (tensor name, element index), so the 95 MB Inception weight file
 * need not be committed. Every intermediate is exact in float64 (24-bit integers scaled by powers
 * of two, one product with a correctly rounded sqrt), and the one rounding to float32 is
 * Math.fround's round-to-nearest-even, as numpy's astype(float32).
 */
import { hash32 } from '../reference/hash-features.js';

/** FNV-1a, 32 bits, over the UTF-8 bytes of `name`. */
export function fnv1a(name: string): number {
  let h = 2166136261;
  for (const b of Buffer.from(name, 'utf8')) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h >>> 0;
}

/** u_i = (lowbias32(i·0x9E3779B1 + fnv1a(name)) >> 8) / 2^23 − 1 ∈ [−1, 1). */
export function formulaUniform(name: string, n: number): Float64Array {
  const seed = fnv1a(name);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (hash32((Math.imul(i, 0x9e3779b1) + seed) >>> 0) >>> 8) / 2 ** 23 - 1;
  return out;
}

/** The formula weights of one state_dict tensor (see weight_values in the Python script). */
export function formulaWeights(name: string, shape: readonly number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const u = formulaUniform(name, n);
  let f: (v: number) => number;
  if (name.endsWith('conv.weight')) {
    const s = Math.sqrt(6 / shape.slice(1).reduce((a, b) => a * b, 1));
    f = (v) => v * s;
  } else if (name.endsWith('bn.weight')) f = (v) => 1 + 0.25 * v;
  else if (name.endsWith('bn.bias') || name.endsWith('bn.running_mean')) f = (v) => 0.2 * v;
  else if (name.endsWith('bn.running_var')) f = (v) => 1 + 0.5 * v;
  else if (name === 'fc.weight') {
    const s = Math.sqrt(3 / shape[1]!);
    f = (v) => v * s;
  } else if (name === 'fc.bias') f = (v) => 0.5 * v;
  else throw new Error(`no formula for ${name}`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = f(u[i]!);
  return out;
}
