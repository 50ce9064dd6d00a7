/**
 * A Gaussian kernel density estimate in 2-D, for the generator's density p_g, which has no closed
 * form: p̂(x) = (1/n) Σ_i N(x; x_i, h²I). Bandwidth by Scott's rule (Scott 1992, §6.3),
 * h = σ̂ · n^(−1/(d+4)) with d = 2 and σ̂ the mean of the two coordinates' standard deviations.
 * It is an estimate: it blurs p_g by h, so D* computed from it is blurred too.
 */

/** Scott's bandwidth for `samples` ([n, 2] flattened); never below `floor`. */
export function scottBandwidth(samples: ArrayLike<number>, floor = 1e-3): number {
  const n = Math.floor(samples.length / 2);
  if (n < 2) return Math.max(floor, 0.1);
  let sd = 0;
  for (let c = 0; c < 2; c++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += samples[2 * i + c]!;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (samples[2 * i + c]! - m) ** 2;
    sd += Math.sqrt(v / (n - 1)) / 2;
  }
  return Math.max(floor, sd * n ** (-1 / 6));
}

/** log p̂(x) at each of `points` ([m, 2] flattened), from `samples` ([n, 2] flattened); stable (max-shifted). */
export function gaussianKde(samples: ArrayLike<number>, points: ArrayLike<number>, h = scottBandwidth(samples)): Float64Array {
  const n = Math.floor(samples.length / 2);
  const m = Math.floor(points.length / 2);
  const out = new Float64Array(m); // [m]
  const inv2h2 = 1 / (2 * h * h);
  const logNorm = -Math.log(2 * Math.PI * h * h) - Math.log(n);
  const e = new Float64Array(n);
  for (let p = 0; p < m; p++) {
    const x = points[2 * p]!;
    const y = points[2 * p + 1]!;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const dx = x - samples[2 * i]!;
      const dy = y - samples[2 * i + 1]!;
      e[i] = -(dx * dx + dy * dy) * inv2h2;
      if (e[i]! > max) max = e[i]!;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.exp(e[i]! - max);
    out[p] = max + Math.log(s) + logNorm;
  }
  return out;
}
