/**
 * Symmetric eigendecomposition A = V Λ Vᵀ in float64 (the LAPACK DSYEV path):
 *   1. Householder tridiagonalisation, blocked (tridiagonal.ts; Golub & Van Loan §8.3.1),
 *   2. implicit QL with Wilkinson shifts on the tridiagonal matrix (tridiagonal-ql.ts),
 *   3. for vectors, back-transformation by the stored reflectors.
 * Backward stable: the computed values are the exact ones of A + E with ‖E‖₂ = O(nε‖A‖₂), so
 * each eigenvalue is within O(nε‖A‖₂) of the truth (Golub & Van Loan Thm 8.1.4 / §8.3.6).
 *
 * Costs: values only ≈ 4/3·n³ flops (2048×2048: ~2.5 s on one core of this project's shared
 * machine); with vectors a further ≈ 6n³ for the QL rotations (SIMD) and 2n³ for the blocked
 * back-transformation (gemm).
 */
import { ShapeError, NumericalError } from '../errors.js';
import { applyQ, tridiagonalize } from './tridiagonal.js';
import { tridiagonalQL } from './tridiagonal-ql.js';
import { createSimdKernel } from './simd-kernel.js';

export interface Eigen {
  /** Eigenvalues, ascending. */
  values: Float64Array; // [n]
  /** When requested: column i (vectors[r·n + i]) is the unit eigenvector of values[i]. */
  vectors?: Float64Array; // [n, n]
}

/**
 * Eigenvalues (ascending) and, with `{vectors: true}`, orthonormal eigenvectors of the symmetric
 * matrix `a` ([n, n], row-major). Only the lower triangle is read. `a` is not modified.
 */
export function eigh(a: Float64Array, n: number, opts: { vectors?: boolean } = {}): Eigen {
  if (a.length !== n * n) throw new ShapeError(`eigh: expected ${n}×${n} = ${n * n} elements, got ${a.length}.`);
  const work = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = a[i * n + j]!;
      if (!Number.isFinite(v)) throw new NumericalError(`eigh: the matrix holds a non-finite value (${v}) at (${i}, ${j}).`);
      work[i * n + j] = v;
      work[j * n + i] = v;
    }
  }
  const t = tridiagonalize(work, n, opts.vectors === true);
  const values = t.d;
  if (!opts.vectors) {
    tridiagonalQL(values, t.e);
    return { values };
  }
  // Rows of zt are vectors in T's basis; with WebAssembly SIMD they live in the kernel's memory,
  // where the QL rotations (≈ 6n³ flops, the bulk of the work) run two lanes at a time.
  const kernel = n >= 64 ? createSimdKernel(n * n * 8) : undefined;
  const zt = kernel ? kernel.f64.subarray(0, n * n) : work;
  zt.fill(0);
  for (let i = 0; i < n; i++) zt[i * n + i] = 1;
  const rotate = kernel ? (i: number, c: number, s: number) => kernel.rot(i * n * 8, (i + 1) * n * 8, n, c, s) : undefined;
  tridiagonalQL(values, t.e, zt, rotate);
  applyQ(t, zt, n);
  // Rows → columns (numpy's convention: eigh(a)[1][:, i]).
  const vectors = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let r = 0; r < n; r++) vectors[r * n + i] = zt[i * n + r]!;
  return { values, vectors };
}

/** Eigenvalues only, ascending (≈ 4/3·n³ flops). */
export function eigvalsh(a: Float64Array, n: number): Float64Array {
  return eigh(a, n).values;
}
