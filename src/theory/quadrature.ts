/**
 * Numerical integrals over known 1-D densities: the exact side of the theory experiments.
 *
 * Composite Simpson's rule on n (even) equal intervals of [a, b]:
 *   ∫ f ≈ h/3 · [f(x_0) + 4 Σ_odd f(x_i) + 2 Σ_even f(x_i) + f(x_n)],  h = (b − a)/n,
 * with error −(b − a) h⁴ f⁽⁴⁾(ξ)/180 for smooth f. For the kinked integrands below (|F1 − F2|
 * at a crossing) the error is O(h²) near the kink, and for a jump (a uniform's density at its
 * edges) O(h). With n = 20,000 over a range of ~10, measured against closed forms and scipy
 * (test/theory/quadrature.test.ts): ≤ 1e−6 for Gaussians, 3.5e−5 for the JSD of two uniforms —
 * far below the tolerances of the experiments, which use Gaussians.
 */
import { assert } from '../errors.js';
import { jointRange, type Density1D } from './densities.js';

/** Intervals used by default: h = 5e−4 on a range of 10. */
export const DEFAULT_INTERVALS = 20_000;

/** ∫_a^b f(x) dx by composite Simpson's rule on n intervals (n rounded up to even). */
export function simpson(f: (x: number) => number, a: number, b: number, n = DEFAULT_INTERVALS): number {
  assert(b > a && n >= 2, `simpson needs a < b and n ≥ 2, got [${a}, ${b}], n = ${n}`);
  const m = n % 2 === 0 ? n : n + 1;
  const h = (b - a) / m;
  let s = f(a) + f(b);
  for (let i = 1; i < m; i++) s += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

/** p log(p/q) with the conventions 0 log(0/q) = 0. */
function plogpq(p: number, q: number): number {
  return p > 0 ? p * Math.log(p / q) : 0;
}

/**
 * Jensen–Shannon divergence in nats (Lin 1991):
 *   JSD(P ‖ Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M),  M = (P + Q)/2,   0 ≤ JSD ≤ log 2,
 * by quadrature of the known densities over both ranges.
 */
export function jsd(p: Density1D, q: Density1D, n = DEFAULT_INTERVALS): number {
  const [a, b] = jointRange(p, q);
  return simpson((x) => {
    const px = p.pdf(x), qx = q.pdf(x), m = 0.5 * (px + qx);
    return m > 0 ? 0.5 * plogpq(px, m) + 0.5 * plogpq(qx, m) : 0;
  }, a, b, n);
}

/**
 * The value of the GAN game at the optimal discriminator (Goodfellow et al. 2014, Theorem 1):
 *   C(G) = V(D*, G) = E_pdata[log D*(x)] + E_pg[log(1 − D*(x))] = −log 4 + 2·JSD(p_data ‖ p_g).
 */
export function optimalValue(pData: Density1D, pG: Density1D, n = DEFAULT_INTERVALS): number {
  return -Math.log(4) + 2 * jsd(pData, pG, n);
}

/**
 * The 1-Wasserstein (earth mover's) distance of two distributions on the line:
 *   W1(P, Q) = ∫ |F_P(x) − F_Q(x)| dx   (Vallender 1974),
 * by quadrature of the known distribution functions over both ranges.
 */
export function wasserstein1(p: Density1D, q: Density1D, n = DEFAULT_INTERVALS): number {
  const [a, b] = jointRange(p, q);
  return simpson((x) => Math.abs(p.cdf(x) - q.cdf(x)), a, b, n);
}

/** n + 1 equally spaced points from a to b. */
export function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) out[i] = a + ((b - a) * i) / n;
  return out;
}
