/**
 * Fréchet Inception Distance (Heusel, Ramsauer, Unterthiner, Nessler & Hochreiter, "GANs trained
 * by a two time-scale update rule converge to a local Nash equilibrium", NeurIPS 2017).
 *
 * The Fréchet (2-Wasserstein) distance between the Gaussians N(mu1, S1) and N(mu2, S2) is
 *   d² = ||mu1 − mu2||² + Tr(S1 + S2 − 2 (S1 S2)^½)
 * (Dowson & Landau 1982). As in pytorch-fid's calculate_frechet_distance, a stable version is
 * what matters; pytorch-fid credits Dougal J. Sutherland's for its own. Ours differs in how the
 * square root is taken, deliberately:
 *
 * Compat: pytorch-fid computes covmean = scipy.linalg.sqrtm(S1·S2) (complex Schur form), retries
 *   with 1e-6 added to both diagonals if that is not finite, keeps the real part (an error if an
 *   imaginary part exceeds 1e-3) and uses Tr(covmean). We compute Tr((S1 S2)^½) = Σ sqrt(λ_i) of
 *   the symmetric PSD matrix similar to S1 S2 (linalg/trace-sqrt.ts), in float64, with negative
 *   rounding-level eigenvalues clipped to 0 and reported. On 2048-d statistics, including N < D,
 *   the two agree to ~1e-7 relative (test/metrics/frechet.test.ts pins 1e-6); where they differ,
 *   ours is the closer to the exact value, because the Schur route turns each of the D − N
 *   rounding-level eigenvalues δ of a singular product into a spurious Re sqrt(δ) > 0. Our route
 *   never needs pytorch-fid's 1e-6 diagonal retry; `diagonalOffset` applies it on request, to
 *   reproduce a pytorch-fid value that took that branch.
 */
import { ShapeError } from '../errors.js';
import { traceSqrtProduct } from '../linalg/trace-sqrt.js';
import type { FeatureStatistics } from './statistics.js';

export interface FrechetOptions {
  /** Added to both covariance diagonals first (pytorch-fid's retry uses 1e-6). Default 0. */
  diagonalOffset?: number;
  /** Receives one line when negative eigenvalues were clipped. Default: none. */
  log?: (message: string) => void;
}

export interface FrechetResult {
  /** d² itself (what is reported as FID). */
  value: number;
  /** Its parts: ||Δmu||², Tr S1, Tr S2, Tr((S1 S2)^½). */
  meanTerm: number;
  trace1: number;
  trace2: number;
  traceSqrt: number;
  /** Diagnostics of the square root: eigenvalues clipped from below at 0, numerical rank used. */
  negativeCount: number;
  mostNegative: number;
  rank: number;
}

/** The Fréchet distance between two sets of feature statistics (torch-fidelity's statistics → value step). */
export function frechetDistance(s1: FeatureStatistics, s2: FeatureStatistics, opts: FrechetOptions = {}): FrechetResult {
  const d = s1.mu.length;
  if (s2.mu.length !== d || s1.sigma.length !== d * d || s2.sigma.length !== d * d) {
    throw new ShapeError(`frechetDistance: statistics have dimensions ${d} and ${s2.mu.length} (with sigma of ${s1.sigma.length} and ${s2.sigma.length} elements); they must match.`);
  }
  const eps = opts.diagonalOffset ?? 0;
  let sigma1 = s1.sigma, sigma2 = s2.sigma;
  if (eps !== 0) {
    sigma1 = sigma1.slice(); sigma2 = sigma2.slice();
    for (let i = 0; i < d; i++) { sigma1[i * d + i]! += eps; sigma2[i * d + i]! += eps; }
  }
  let meanTerm = 0, trace1 = 0, trace2 = 0;
  for (let i = 0; i < d; i++) {
    const diff = s1.mu[i]! - s2.mu[i]!;
    meanTerm += diff * diff;
    trace1 += sigma1[i * d + i]!;
    trace2 += sigma2[i * d + i]!;
  }
  // Factor the covariance from fewer samples: its rank is at most n − 1, so the eigenproblem is
  // smaller. Without both counts (pytorch-fid files), let traceSqrtProduct pick by rank.
  const known = s1.n !== undefined && s2.n !== undefined;
  const swap = known && s2.n! < s1.n!;
  const factor = known ? 'first' : 'auto';
  const t = swap ? traceSqrtProduct(sigma2, sigma1, d, { factor }) : traceSqrtProduct(sigma1, sigma2, d, { factor });
  if (t.negativeCount > 0 && opts.log) {
    opts.log(`fid: clipped ${t.negativeCount} negative eigenvalue(s) of S1^½ S2 S1^½ to 0 (most negative ${t.mostNegative.toExponential(2)}; rounding level).`);
  }
  const value = meanTerm + trace1 + trace2 - 2 * t.value;
  return { value, meanTerm, trace1, trace2, traceSqrt: t.value, negativeCount: t.negativeCount, mostNegative: t.mostNegative, rank: t.rank };
}
