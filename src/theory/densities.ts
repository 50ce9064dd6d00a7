/**
 * One-dimensional distributions whose density and distribution function are known exactly, for
 * the theory experiments: Gaussians, uniforms and finite mixtures of them. Each can be sampled
 * from a seeded Rng (src/train/rng.ts), so an experiment is reproducible from its seed.
 */
import { ConfigError } from '../errors.js';
import type { Rng } from '../train/rng.js';

export interface Density1D {
  /** A short human-readable name, e.g. "N(0, 1)", for plots and JSON. */
  readonly label: string;
  /** Probability density p(x). */
  pdf(x: number): number;
  /** Distribution function F(x) = P(X ≤ x). */
  cdf(x: number): number;
  /** n independent draws, as float32 (the dtype the networks see). */
  sample(rng: Rng, n: number): Float32Array;
  /** An interval holding all but a negligible mass (< 1e−9): where quadratures integrate. */
  readonly range: readonly [number, number];
}

/**
 * erf(x) by the Chebyshev fit of Numerical Recipes (Press et al. 2007, §6.2.2, `erfccheb`'s
 * predecessor `erfcc`): fractional error below 1.2e−7 everywhere, enough for quadratures whose
 * other errors are ~1e−6.
 */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc : erfc - 1;
}

const fmt = (v: number) => String(Number(v.toPrecision(4)));

/** N(mean, std²): p(x) = exp(−(x − μ)²/(2σ²)) / (σ√(2π)), F(x) = ½(1 + erf((x − μ)/(σ√2))). */
export function gaussian(mean: number, std: number): Density1D {
  if (!(Number.isFinite(mean) && Number.isFinite(std) && std > 0)) {
    throw new ConfigError(`a Gaussian needs a finite mean and a positive standard deviation, got N(${mean}, ${std}²)`);
  }
  const c = 1 / (std * Math.sqrt(2 * Math.PI));
  return {
    label: `N(${fmt(mean)}, ${fmt(std)}²)`,
    pdf: (x) => c * Math.exp(-0.5 * ((x - mean) / std) ** 2),
    cdf: (x) => 0.5 * (1 + erf((x - mean) / (std * Math.SQRT2))),
    sample: (rng, n) => rng.normalArray(n, mean, std),
    range: [mean - 7 * std, mean + 7 * std], // mass outside: 2.6e−12
  };
}

/** U[lo, hi]: p = 1/(hi − lo) inside, F linear inside. */
export function uniform(lo: number, hi: number): Density1D {
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) {
    throw new ConfigError(`a uniform distribution needs lo < hi, got U[${lo}, ${hi}]`);
  }
  const p = 1 / (hi - lo);
  return {
    label: `U[${fmt(lo)}, ${fmt(hi)}]`,
    pdf: (x) => (x >= lo && x <= hi ? p : 0),
    cdf: (x) => (x <= lo ? 0 : x >= hi ? 1 : (x - lo) * p),
    sample: (rng, n) => rng.uniformArray(n, lo, hi),
    range: [lo, hi],
  };
}

/** Σ_k w_k p_k with weights normalised to sum 1; sampling picks a component, then draws from it. */
export function mixture(components: readonly Density1D[], weights?: readonly number[]): Density1D {
  const w = weights ?? components.map(() => 1);
  if (components.length === 0 || w.length !== components.length || w.some((v) => !(v > 0))) {
    throw new ConfigError('a mixture needs at least one component and one positive weight per component');
  }
  const total = w.reduce((a, b) => a + b, 0);
  const pw = w.map((v) => v / total);
  return {
    label: components.map((c, i) => `${fmt(pw[i]!)}·${c.label}`).join(' + '),
    pdf: (x) => components.reduce((s, c, i) => s + pw[i]! * c.pdf(x), 0),
    cdf: (x) => components.reduce((s, c, i) => s + pw[i]! * c.cdf(x), 0),
    sample: (rng, n) => {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let u = rng.uniform();
        let k = 0;
        while (k < pw.length - 1 && u >= pw[k]!) { u -= pw[k]!; k++; }
        out[i] = components[k]!.sample(rng, 1)[0]!;
      }
      return out;
    },
    range: [Math.min(...components.map((c) => c.range[0])), Math.max(...components.map((c) => c.range[1]))],
  };
}

/** The smallest interval holding both distributions' ranges. */
export function jointRange(a: Density1D, b: Density1D): [number, number] {
  return [Math.min(a.range[0], b.range[0]), Math.max(a.range[1], b.range[1])];
}
