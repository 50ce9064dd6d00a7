/**
 * Pivoted Cholesky factorisation of a symmetric positive semi-definite matrix,
 *   P A Pᵀ ≈ L Lᵀ,  L [n×r] lower trapezoidal, r = numerical rank,
 * stopping when every remaining diagonal pivot is ≤ tol. This is LAPACK's DPSTRF (complete
 * "diagonal" pivoting: the largest remaining diagonal element is moved to the front at each step),
 * blocked the same way: within a panel of NB columns the pivots and columns are computed
 * left-looking, then the trailing matrix takes one rank-NB update through `gemm`.
 * Reference: Higham, "Analysis of the Cholesky decomposition of a semi-definite matrix" (1990)
 * and Accuracy and Stability of Numerical Algorithms, 2nd ed., §10.3; Lucas, "LAPACK-style codes
 * for level 2 and 3 pivoted Cholesky factorizations" (LAPACK Working Note 161, 2004).
 * With this pivoting the residual ‖P A Pᵀ − L Lᵀ‖ is of the order of tol + nε‖A‖ (Higham 1990),
 * and the default tol = n·ε·max_i A_ii is DPSTRF's.
 *
 * Cost: about n·r² − (2/3)r³ flops (n³/3 at full rank), so a rank-deficient covariance
 * (fewer samples than dimensions) factors faster than a full-rank one.
 */
import { gemm, mirrorLower } from './gemm.js';

export interface PivotedCholesky {
  n: number;
  rank: number;
  /** L [n × rank], row-major: row i belongs to original index perm[i]. */
  l: Float64Array;
  perm: Int32Array; // [n]
  /** The largest diagonal element left unfactored (0 at full rank): the size of what was dropped. */
  dropped: number;
  /** The most negative diagonal element met (0 if none): > −tol for a matrix that is PSD to rounding. */
  mostNegativePivot: number;
  /**
   * max |S_ij| of the unfactored Schur complement S (0 at full rank). For a PSD matrix
   * |S_ij| ≤ sqrt(S_ii S_jj) ≤ tol; a larger value means the matrix was indefinite.
   */
  residual: number;
  tol: number;
}

const NB = 64;

/**
 * Factors the symmetric PSD matrix `a` ([n, n], row-major; only the lower triangle is read;
 * not modified). `tol` defaults to n·ε·max diag(A).
 */
export function pivotedCholesky(a: Float64Array, n: number, tol?: number): PivotedCholesky {
  const w = new Float64Array(n * n); // working copy, full symmetric storage
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) { w[i * n + j] = a[i * n + j]!; w[j * n + i] = a[i * n + j]!; }
  }
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  const diag = new Float64Array(n); // diag[i] = A_ii − Σ_{c<j} L_ic², the Schur complement's diagonal
  let maxDiag = 0;
  for (let i = 0; i < n; i++) { diag[i] = w[i * n + i]!; maxDiag = Math.max(maxDiag, diag[i]!); }
  const t = tol ?? n * Number.EPSILON * maxDiag;
  let rank = n;
  let mostNegative = 0;
  outer:
  for (let k = 0; k < n; k += NB) {
    const nb = Math.min(NB, n - k);
    for (let j = k; j < k + nb; j++) {
      // Pivot: the largest remaining diagonal element.
      let p = j;
      for (let i = j + 1; i < n; i++) if (diag[i]! > diag[p]!) p = i;
      for (let i = j; i < n; i++) if (diag[i]! < mostNegative) mostNegative = diag[i]!;
      if (!(diag[p]! > t)) { // also stops on NaN
        rank = j;
        updateTrailing(w, n, k, j - k); // only to measure what is dropped
        break outer;
      }
      if (p !== j) swapSymmetric(w, n, j, p, diag, perm);
      const ljj = Math.sqrt(diag[j]!);
      w[j * n + j] = ljj;
      // Column j of L: L_ij = (A_ij − Σ_{c∈[k,j)} L_ic L_jc) / L_jj; A_ij is up to date for c < k.
      const rj = j * n;
      for (let i = j + 1; i < n; i++) {
        const ri = i * n;
        let s = w[ri + j]!;
        for (let c = k; c < j; c++) s -= w[ri + c]! * w[rj + c]!;
        const lij = s / ljj;
        w[ri + j] = lij;
        diag[i]! -= lij * lij;
      }
    }
    updateTrailing(w, n, k, nb);
  }
  const l = new Float64Array(n * rank);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < Math.min(i + 1, rank); c++) l[i * rank + c] = w[i * n + c]!;
  }
  let dropped = 0, residual = 0;
  for (let i = rank; i < n; i++) {
    dropped = Math.max(dropped, diag[i]!);
    for (let j = rank; j <= i; j++) residual = Math.max(residual, Math.abs(w[i * n + j]!));
  }
  return { n, rank, l, perm, dropped, mostNegativePivot: mostNegative, residual, tol: t };
}

/** A[s:, s:] −= L[s:, k:k+nb] L[s:, k:k+nb]ᵀ with s = k + nb (lower triangle, then mirrored). */
function updateTrailing(w: Float64Array, n: number, k: number, nb: number): void {
  const s = k + nb;
  const m = n - s;
  if (m <= 0 || nb === 0) return;
  const panel = { data: w, off: s * n + k, ld: n }; // [m, nb]
  gemm(m, m, nb, panel, panel, { data: w, off: s * n + s, ld: n }, { transB: true, alpha: -1, beta: 1, lower: true });
  mirrorLower(w, m, s * n + s, n);
}

/** Symmetric permutation: swap rows and columns i and p (i < p) of the full matrix. */
function swapSymmetric(w: Float64Array, n: number, i: number, p: number, diag: Float64Array, perm: Int32Array): void {
  const ri = i * n, rp = p * n;
  for (let c = 0; c < n; c++) { const tmp = w[ri + c]!; w[ri + c] = w[rp + c]!; w[rp + c] = tmp; }
  for (let r = 0; r < n; r++) { const tmp = w[r * n + i]!; w[r * n + i] = w[r * n + p]!; w[r * n + p] = tmp; }
  let tmp = diag[i]!; diag[i] = diag[p]!; diag[p] = tmp;
  tmp = perm[i]!; perm[i] = perm[p]!; perm[p] = tmp;
}
