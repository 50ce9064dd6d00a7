/**
 * Tr((S1 S2)^½) for symmetric positive semi-definite S1, S2: the term of the Fréchet distance
 * that needs a matrix square root.
 *
 * S1 S2 is not symmetric, but it is similar to the symmetric PSD matrix S1^½ S2 S1^½, so
 *   Tr((S1 S2)^½) = Σ_i sqrt(λ_i(S1^½ S2 S1^½)),
 * and a symmetric eigensolver (no complex arithmetic, no Schur form) suffices. Any factor with
 * S1 = F Fᵀ gives the same eigenvalues, since F = S1^½ U for an orthogonal U and
 * Fᵀ S2 F = Uᵀ (S1^½ S2 S1^½) U. The default method takes F = Pᵀ L from a pivoted Cholesky
 * factorisation (cholesky.ts), which costs n³/3 instead of an eigendecomposition with vectors
 * (≈ 10n³), and which stops at S1's numerical rank r: with fewer samples than dimensions the
 * matrix to diagonalise, M = Lᵀ (P S2 Pᵀ) L, is only r×r.
 * Method 'sqrt' forms S1^½ = V diag(sqrt(max(λ, 0))) Vᵀ literally (eigh with vectors); it is kept
 * as a cross-check for small matrices.
 *
 * Rounding makes some eigenvalues of M slightly negative (for a rank-deficient product, about
 * −nε‖M‖). They are clipped to 0 and reported, not silently dropped: `negativeCount` and
 * `mostNegative`. A negative eigenvalue below −1e-6·λ_max means an input was not PSD, which is
 * an error rather than rounding.
 *
 * Agreement with scipy.linalg.sqrtm(S1·S2) (pytorch-fid): see docs in frechet.ts; the Schur-based
 * sqrtm of a singular product turns each of the ~(n − r) rounding-level eigenvalues δ into a
 * spurious +Re sqrt(δ), so on N < D statistics scipy's trace is the one further from the exact value.
 */
import { NumericalError, ShapeError } from '../errors.js';
import { pivotedCholesky, type PivotedCholesky } from './cholesky.js';
import { eigh, eigvalsh } from './eigen.js';
import { gemm, matmul, mirrorLower } from './gemm.js';

export interface TraceSqrtResult {
  /** Tr((S1 S2)^½). */
  value: number;
  /** Eigenvalues of S1^½ S2 S1^½ (or of the r×r matrix similar to it), ascending, before clipping. */
  eigenvalues: Float64Array;
  /** How many were negative and clipped to 0, and the most negative one (0 if none). */
  negativeCount: number;
  mostNegative: number;
  /** Numerical rank of the factored matrix (n for method 'sqrt'), and which one it was. */
  rank: number;
  factored: 'S1' | 'S2';
}

export interface TraceSqrtOptions {
  method?: 'cholesky' | 'sqrt';
  /**
   * Which matrix to factor (method 'cholesky'). 'first': S1. 'auto' (default): S1, unless it has
   * full rank and S2 does not, then S2. Factoring the lower-rank one keeps M small and avoids the
   * sqrt of rounding-level eigenvalues (each ~sqrt(nε‖M‖)) that a full-rank factor would bring in.
   */
  factor?: 'first' | 'auto';
  /** Relative size of a negative eigenvalue that is an error, not rounding. Default 1e-6. */
  negativeTolerance?: number;
}

const PANEL = 64; // column block of L in the trapezoidal products

/** Tr((S1 S2)^½) for symmetric PSD S1, S2 ([n, n], row-major). Symmetric in its arguments. */
export function traceSqrtProduct(s1: Float64Array, s2: Float64Array, n: number, opts: TraceSqrtOptions = {}): TraceSqrtResult {
  if (s1.length !== n * n || s2.length !== n * n) {
    throw new ShapeError(`traceSqrtProduct: expected two ${n}×${n} matrices, got ${s1.length} and ${s2.length} elements.`);
  }
  const { method = 'cholesky', negativeTolerance = 1e-6, factor = 'auto' } = opts;
  for (const [name, s] of [['S1', s1], ['S2', s2]] as const) {
    for (let i = 0; i < s.length; i++) {
      if (!Number.isFinite(s[i]!)) throw new NumericalError(`traceSqrtProduct: ${name} holds a non-finite value at index ${i}.`);
    }
  }
  const { m, r, factored } = method === 'sqrt' ? bySqrt(s1, s2, n, negativeTolerance) : byCholesky(s1, s2, n, factor, negativeTolerance);
  const eigenvalues = eigvalsh(m, r);
  let value = 0, negativeCount = 0, mostNegative = 0;
  const top = r > 0 ? Math.max(0, eigenvalues[r - 1]!) : 0;
  for (let i = 0; i < r; i++) {
    const lambda = eigenvalues[i]!;
    if (lambda < 0) { negativeCount++; mostNegative = Math.min(mostNegative, lambda); }
    else value += Math.sqrt(lambda);
  }
  if (mostNegative < -negativeTolerance * top) {
    throw new NumericalError(
      `traceSqrtProduct: S1^½ S2 S1^½ has eigenvalue ${mostNegative.toExponential(3)} against a largest of ${top.toExponential(3)}; ` +
        'the covariance matrices are not positive semi-definite (check that they are covariances).',
    );
  }
  return { value, eigenvalues, negativeCount, mostNegative, rank: r, factored };
}

/** M = Lᵀ (P S2 Pᵀ) L with P S1 Pᵀ = L Lᵀ, L [n×r] lower trapezoidal. */
function byCholesky(
  s1: Float64Array, s2: Float64Array, n: number, factor: 'first' | 'auto', negTol: number,
): { m: Float64Array; r: number; factored: 'S1' | 'S2' } {
  let f = pivotedCholesky(s1, n);
  let factored: 'S1' | 'S2' = 'S1';
  checkPsd(f, 'S1', negTol);
  if (factor === 'auto' && f.rank === n) {
    const f2 = pivotedCholesky(s2, n);
    checkPsd(f2, 'S2', negTol);
    if (f2.rank < n) { f = f2; s2 = s1; factored = 'S2'; }
  }
  const { l, perm, rank: r } = f;
  const s2p = new Float64Array(n * n); // P S2 Pᵀ
  for (let i = 0; i < n; i++) {
    const src = perm[i]! * n, dst = i * n;
    for (let j = 0; j < n; j++) s2p[dst + j] = s2[src + perm[j]!]!;
  }
  // X = (P S2 Pᵀ) L, [n×r]: column block c0.. of L is zero above row c0.
  const x = new Float64Array(n * r);
  for (let c0 = 0; c0 < r; c0 += PANEL) {
    const w = Math.min(PANEL, r - c0);
    gemm(n, w, n - c0, { data: s2p, off: c0, ld: n }, { data: l, off: c0 * r + c0, ld: r }, { data: x, off: c0, ld: r }, { beta: 0 });
  }
  // M = Lᵀ X, [r×r], lower triangle by row blocks: M[c0:c0+w, :c0+w] = L[c0:, c0:c0+w]ᵀ X[c0:, :c0+w].
  const m = new Float64Array(r * r);
  for (let c0 = 0; c0 < r; c0 += PANEL) {
    const w = Math.min(PANEL, r - c0);
    gemm(w, c0 + w, n - c0, { data: l, off: c0 * r + c0, ld: r }, { data: x, off: c0 * r, ld: r }, { data: m, off: c0 * r, ld: r },
      { transA: true, beta: 0 });
  }
  mirrorLower(m, r);
  return { m, r, factored };
}

function checkPsd(f: PivotedCholesky, name: string, negTol: number): void {
  const scale = f.tol / (f.n * Number.EPSILON); // max diag
  if (f.residual > negTol * scale || f.mostNegativePivot < -negTol * scale) {
    throw new NumericalError(
      `traceSqrtProduct: ${name} is not positive semi-definite (after rank ${f.rank} of ${f.n}, a remainder of size ` +
        `${Math.max(f.residual, -f.mostNegativePivot).toExponential(3)} against a largest variance of ${scale.toExponential(3)}); check that it is a covariance.`,
    );
  }
}

/** M = S1^½ S2 S1^½ with S1^½ from eigh (rounding-level negative eigenvalues of S1 clipped to 0). */
function bySqrt(s1: Float64Array, s2: Float64Array, n: number, negTol: number): { m: Float64Array; r: number; factored: 'S1' } {
  const root = sqrtPsd(s1, n, negTol);
  const m = matmul(matmul(root, s2, n, n, n), root, n, n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) { const v = 0.5 * (m[i * n + j]! + m[j * n + i]!); m[i * n + j] = v; m[j * n + i] = v; }
  return { m, r: n, factored: 'S1' };
}

/**
 * S^½ = V diag(sqrt(max(λ, 0))) Vᵀ for a symmetric PSD S ([n, n]); an eigenvalue below
 * −negTol·λ_max is an error (S is not PSD), not rounding.
 */
export function sqrtPsd(s: Float64Array, n: number, negTol = 1e-6): Float64Array {
  const { values, vectors } = eigh(s, n, { vectors: true });
  if (n > 0 && values[0]! < -negTol * Math.max(0, values[n - 1]!)) {
    throw new NumericalError(`sqrtPsd: the matrix has eigenvalue ${values[0]!.toExponential(3)} against a largest of ${values[n - 1]!.toExponential(3)}; it is not positive semi-definite.`);
  }
  const v = vectors!;
  const vs = new Float64Array(n * n); // V diag(sqrt λ)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vs[i * n + j] = v[i * n + j]! * Math.sqrt(Math.max(0, values[j]!));
  const root = new Float64Array(n * n);
  gemm(n, n, n, { data: vs, off: 0, ld: n }, { data: v, off: 0, ld: n }, { data: root, off: 0, ld: n }, { transB: true, beta: 0 });
  return root;
}
