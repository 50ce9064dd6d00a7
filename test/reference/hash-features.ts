/**
 * The TypeScript mirror of make_metrics_fixtures.py's input generators: bit-identical float32
 * features and logits from an integer hash, so fixtures need not store them.
 * Every value is a dyadic rational and every float64 sum is exact, so the only rounding is the
 * final float32 one (Math.fround, round-to-nearest-even, as numpy's astype(float32)).
 */

/** lowbias32 (Chris Wellons' integer hash), uint32 → uint32. */
export function hash32(v: number): number {
  let x = v >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/** `count` values in [-1, 1), multiples of 2^-15 (hash_uniform in the Python script). */
export function hashUniform(seed: number, count: number): Float64Array {
  const out = new Float64Array(count);
  const s = Number((BigInt(seed) * 0x85ebca77n) & 0xffffffffn);
  for (let i = 0; i < count; i++) {
    const key = (Math.imul(i, 0x9e3779b1) + s) >>> 0;
    out[i] = ((hash32(key) >>> 16) - 32768) / 32768;
  }
  return out;
}

/** float32 [n, d] = max(Z Uᵀ/4 + noise·E + shift, 0) (lowrank_features in the Python script). */
export function lowrankFeatures(seed: number, n: number, d: number, opts: { rank?: number; shift?: number; noise?: number; relu?: boolean } = {}): Float32Array {
  const { rank = 16, shift = 0.5, noise = 0.25, relu = true } = opts;
  const z = hashUniform(seed * 3, n * rank);
  for (let i = 0; i < n; i++) for (let r = 0; r < rank; r++) z[i * rank + r]! *= 2 ** -Math.floor(r / 4);
  const u = hashUniform(seed * 3 + 1, d * rank);
  const e = hashUniform(seed * 3 + 2, n * d);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let x = 0;
      for (let r = 0; r < rank; r++) x += z[i * rank + r]! * u[j * rank + r]!;
      let v = x / 4 + noise * e[i * d + j]! + shift;
      if (relu) v = Math.max(v, 0);
      out[i * d + j] = v;
    }
  }
  return out;
}

/** float32 [n, c] logits (logits_matrix in the Python script). */
export function logitsMatrix(seed: number, n: number, c: number): Float32Array {
  const base = hashUniform(seed, n * c);
  const offset = hashUniform(seed + 7, c);
  const out = new Float32Array(n * c);
  for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) out[i * c + j] = base[i * c + j]! * 6 + offset[j]! * 2;
  return out;
}
