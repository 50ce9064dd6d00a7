/**
 * The optimal discriminator of the original GAN game for a fixed G (Goodfellow et al. 2014,
 * Proposition 1): D*(x) = p_data(x) / (p_data(x) + p_g(x)) = σ(log p_data(x) − log p_g(x)),
 * computed from log-densities so that far from both supports it stays finite (½ where both
 * log-densities are −∞).
 */
export function optimalDiscriminator(logPData: ArrayLike<number>, logPG: ArrayLike<number>): Float32Array {
  const out = new Float32Array(logPData.length);
  for (let i = 0; i < out.length; i++) {
    const a = logPData[i]!;
    const b = logPG[i]!;
    const d = a === -Infinity && b === -Infinity ? 0 : a - b;
    out[i] = d >= 0 ? 1 / (1 + Math.exp(-d)) : Math.exp(d) / (1 + Math.exp(d));
  }
  return out;
}
