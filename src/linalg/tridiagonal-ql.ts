/**
 * Eigenvalues (and optionally eigenvectors) of a symmetric tridiagonal matrix by the implicit QL
 * algorithm with Wilkinson shifts: EISPACK's TQL1/TQL2 (Bowdler, Martin, Reinsch & Wilkinson,
 * "The QR and QL algorithms for symmetric matrices", Numer. Math. 11, 1968), in the form of
 * Press et al., Numerical Recipes 3rd ed. §11.4 (`tqli`). Each sweep chases a bulge up the
 * unreduced block l..m with plane rotations, shifted by the eigenvalue of the leading 2×2 block
 * nearest d[l] (Wilkinson's shift: cubic convergence, on average under two sweeps per eigenvalue).
 * An off-diagonal is negligible when |e_m| ≤ ε(|d_m| + |d_{m+1}|) (relative, as Numerical
 * Recipes) or |e_m| ≤ ε‖T‖∞ (absolute, as EISPACK's tst1): the second is needed for clusters of
 * eigenvalues near 0 (singular covariances), where the relative test alone never succeeds; it
 * costs nothing in backward error, which is O(ε‖T‖) anyway.
 *
 * Cost: O(n²) for the values alone; with vectors, each rotation also turns two length-n rows of
 * Zᵀ (vectors are kept as rows, so the rotation reads contiguous memory): about 6n³ flops.
 */
import { NumericalError } from '../errors.js';

const MAX_SWEEPS = 60; // per eigenvalue; convergence normally takes 1–3

/**
 * Overwrites `d` ([n]) with the eigenvalues, in ascending order. `e` ([n−1]) is destroyed.
 * When `zt` ([n, n], row-major, rows = vectors) is given it must hold the identity (or the
 * transform to apply) on entry; row i of the result is the eigenvector of d[i].
 */
export function tridiagonalQL(
  d: Float64Array, e: Float64Array, zt?: Float64Array,
  /** Rotates rows i and i+1 of zt as the loop below does (a faster kernel, e.g. SIMD). */
  rotate?: (i: number, c: number, s: number) => void,
): void {
  const n = d.length;
  if (n === 0) return;
  const off = new Float64Array(n); // off[i] couples i and i+1; off[n−1] = 0
  off.set(e.subarray(0, n - 1));
  let norm = 0; // ‖T‖∞
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]!) + Math.abs(off[i]!) + (i > 0 ? Math.abs(off[i - 1]!) : 0));
  const absTol = Number.EPSILON * norm;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        const em = Math.abs(off[m]!);
        if (em <= Number.EPSILON * dd || em <= absTol) break;
      }
      if (m === l) break;
      if (++iter > MAX_SWEEPS) {
        throw new NumericalError(`the tridiagonal QL iteration did not converge for eigenvalue ${l} of ${n}; the matrix probably holds NaN or Inf.`);
      }
      // Wilkinson shift from the 2×2 block at l.
      let g = (d[l + 1]! - d[l]!) / (2 * off[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + off[l]! / (g + (g >= 0 ? r : -r));
      let s = 1, c = 1, p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * off[i]!;
        const b = c * off[i]!;
        r = Math.hypot(f, g);
        off[i + 1] = r;
        if (r === 0) { // recover from underflow
          d[i + 1]! -= p;
          off[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (rotate) rotate(i, c, s);
        else if (zt) {
          const ri = i * n, rj = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            const zf = zt[rj + k]!, zi = zt[ri + k]!;
            zt[rj + k] = s * zi + c * zf;
            zt[ri + k] = c * zi - s * zf;
          }
        }
      }
      if (underflow) continue;
      d[l]! -= p;
      off[l] = g;
      off[m] = 0;
    }
  }
  sortAscending(d, zt);
}

/** Sorts eigenvalues ascending, permuting the vector rows alongside. */
function sortAscending(d: Float64Array, zt?: Float64Array): void {
  const n = d.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a]! - d[b]!);
  if (order.every((v, i) => v === i)) return;
  const dv = Float64Array.from(order, (i) => d[i]!);
  d.set(dv);
  if (zt) {
    const copy = zt.slice();
    for (let r = 0; r < n; r++) zt.set(copy.subarray(order[r]! * n, order[r]! * n + n), r * n);
  }
}
