/**
 * Householder reduction of a dense symmetric matrix to tridiagonal form, A = Q T Qᵀ, blocked.
 *
 * Algorithm: LAPACK's DSYTRD/DLATRD (Dongarra, Hammarling & Sorensen, "Block reduction of
 * matrices to condensed forms for eigenvalue computations", J. Comput. Appl. Math. 27, 1989;
 * Golub & Van Loan, Matrix Computations, 4th ed., §8.3.1). Reflector j is
 *   H_j = I − τ_j v_j v_jᵀ,  v_j[0..j] = 0, v_j[j+1] = 1,
 * chosen so that H_j annihilates A[j+2:, j]. Within a panel of NB reflectors the trailing matrix is
 * not touched: each new reflector needs A22·v, which is formed from the stale A22 and corrected
 * with the panel's V and W (w = τ(A22 v − V Wᵀv − W Vᵀv), then w −= ½τ(wᵀv)v). After the panel,
 * the trailing matrix takes one symmetric rank-2·NB update A22 −= V Wᵀ + W Vᵀ through `gemm`.
 * Half of the 4/3·n³ flops are in that update (matrix–matrix speed), half in the A22·v products.
 *
 * Storage: full symmetric n×n, row-major. Because A is symmetric, "column j below the diagonal"
 * is read as "row j right of the diagonal", so every inner loop runs along contiguous rows.
 * Where WebAssembly SIMD is available the matrix is moved into the kernel's memory and the
 * A22·v products run there, reading only the lower triangle (simd-kernel.ts `symv`). Measured
 * for 2048×2048 on a shared 2-core machine: plain JS 10.8 s; SIMD gemm 4.7 s; + SIMD gemv 3.0 s;
 * symv instead of gemv ≈ 2.5 s.
 */
import { gemm, mirrorLower } from './gemm.js';
import { createSimdKernel } from './simd-kernel.js';

export interface Tridiagonal {
  n: number;
  d: Float64Array; // [n] diagonal of T
  e: Float64Array; // [n-1] off-diagonal of T
  /** Reflectors, when kept: row j holds v_j (v_j[j+1] = 1), for j < n − 1. */
  v?: Float64Array; // [n, n]
  tau?: Float64Array; // [n-1]
}

const NB = 32; // panel width: the rank-64 update runs near full gemm speed, the panel stays in L2
const UNBLOCKED_BELOW = 2 * NB; // no gemm for the last rows
const NO_SIMD = typeof process !== 'undefined' && process.env?.GANBOX_NO_SIMD === '1';

/**
 * Reduces the symmetric matrix `a` ([n, n], row-major, both triangles set; overwritten) to
 * tridiagonal form. With `keepReflectors`, returns the reflectors for `applyQ`.
 */
export function tridiagonalize(input: Float64Array, n: number, keepReflectors = false): Tridiagonal {
  // Memory layout of the SIMD kernel: A [n×n], then v [n], then y [n] (bytes).
  const kernel = n >= 64 && !NO_SIMD ? createSimdKernel((n * n + 2 * n) * 8) : undefined;
  let a = input;
  if (kernel) { a = kernel.f64.subarray(0, n * n); a.set(input); }
  const vBytes = n * n * 8, yBytes = vBytes + n * 8;
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(0, n - 1));
  const tau = new Float64Array(Math.max(0, n - 1));
  const vAll = keepReflectors ? new Float64Array(n * n) : undefined;
  const rows = Math.min(n, UNBLOCKED_BELOW); // most reflectors in one panel
  const V = new Float64Array(rows * n); // [rows, n] the panel's reflectors v_j
  const W = new Float64Array(rows * n); // [rows, n] the panel's w_j
  const left = new Float64Array(2 * NB * n); // [V; W] for the rank-2NB update
  const right = new Float64Array(2 * NB * n); // [W; V]
  const y = new Float64Array(n);

  for (let k = 0, nb = 0; k < n; k += nb) {
    nb = n - k <= UNBLOCKED_BELOW ? n - k : NB;
    V.fill(0, 0, nb * n);
    W.fill(0, 0, nb * n);
    for (let jj = 0; jj < nb; jj++) {
      const j = k + jj;
      const rowJ = j * n;
      // 1. Bring row j (≡ column j) up to date with this panel's earlier reflectors.
      for (let c = 0; c < jj; c++) {
        const co = c * n;
        const vcj = V[co + j]!, wcj = W[co + j]!;
        for (let i = j; i < n; i++) a[rowJ + i]! -= V[co + i]! * wcj + W[co + i]! * vcj;
      }
      d[j] = a[rowJ + j]!;
      if (j === n - 1) break;
      // 2. Householder reflector for x = A[j, j+1:] (dlarfg).
      const alpha = a[rowJ + j + 1]!;
      let xnorm2 = 0;
      for (let i = j + 2; i < n; i++) xnorm2 += a[rowJ + i]! * a[rowJ + i]!;
      const vo = jj * n; // v_j = V[vo + ·]
      V[vo + j + 1] = 1;
      if (xnorm2 === 0) {
        tau[j] = 0;
        e[j] = alpha;
      } else {
        const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, Math.sqrt(xnorm2));
        tau[j] = (beta - alpha) / beta;
        const scale = 1 / (alpha - beta);
        for (let i = j + 2; i < n; i++) V[vo + i] = a[rowJ + i]! * scale;
        e[j] = beta;
      }
      if (vAll) for (let i = j + 1; i < n; i++) vAll[rowJ + i] = V[vo + i]!;
      const t = tau[j]!;
      if (t === 0) continue;
      // 3. w = τ (A22 v − V (Wᵀ v) − W (Vᵀ v)) over indices j+1..n−1, A22 as it stood at the panel start.
      if (kernel) {
        const m = n - j - 1;
        const f = kernel.f64, vw = vBytes / 8, yw = yBytes / 8;
        for (let i = j + 1; i < n; i++) f[vw + i] = V[vo + i]!;
        kernel.symv(((j + 1) * n + j + 1) * 8, n * 8, vBytes + (j + 1) * 8, yBytes + (j + 1) * 8, m);
        for (let i = j + 1; i < n; i++) y[i] = f[yw + i]!;
      } else for (let i = j + 1; i < n; i++) {
        const r = i * n;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let p = j + 1;
        for (; p + 3 < n; p += 4) {
          s0 += a[r + p]! * V[vo + p]!; s1 += a[r + p + 1]! * V[vo + p + 1]!;
          s2 += a[r + p + 2]! * V[vo + p + 2]!; s3 += a[r + p + 3]! * V[vo + p + 3]!;
        }
        for (; p < n; p++) s0 += a[r + p]! * V[vo + p]!;
        y[i] = s0 + s1 + s2 + s3;
      }
      for (let c = 0; c < jj; c++) {
        const co = c * n;
        let wv = 0, vv = 0;
        for (let i = j + 1; i < n; i++) { const vi = V[vo + i]!; wv += W[co + i]! * vi; vv += V[co + i]! * vi; }
        for (let i = j + 1; i < n; i++) y[i]! -= V[co + i]! * wv + W[co + i]! * vv;
      }
      let wv = 0;
      for (let i = j + 1; i < n; i++) { const w = t * y[i]!; W[vo + i] = w; wv += w * V[vo + i]!; }
      const half = -0.5 * t * wv;
      for (let i = j + 1; i < n; i++) W[vo + i]! += half * V[vo + i]!;
    }
    // 4. Trailing update A[s:, s:] −= V Wᵀ + W Vᵀ = [V; W]ᵀ [W; V], lower triangle, then mirror.
    const s = k + nb;
    const m = n - s;
    if (m > 0) {
      left.set(V.subarray(0, nb * n), 0);
      left.set(W.subarray(0, nb * n), nb * n);
      right.set(W.subarray(0, nb * n), 0);
      right.set(V.subarray(0, nb * n), nb * n);
      gemm(m, m, 2 * nb, { data: left, off: s, ld: n }, { data: right, off: s, ld: n }, { data: a, off: s * n + s, ld: n },
        { transA: true, alpha: -1, beta: 1, lower: true });
      mirrorLower(a, m, s * n + s, n);
    }
  }
  return keepReflectors ? { n, d, e, v: vAll, tau } : { n, d, e };
}

/**
 * Rows of `z` ([count, n], row-major) are vectors in T's basis; replaces each row r by (Q r)ᵀ,
 * i.e. applies Q = H_0 H_1 ⋯ H_{n−2} (so an eigenvector of T becomes one of A):
 * (Q r)ᵀ = rᵀ H_{n−2} ⋯ H_0, each H_j being symmetric.
 * Blocked with the compact WY form (Schreiber & Van Loan, "A storage-efficient WY representation
 * for products of Householder transformations", SIAM J. Sci. Stat. Comput. 10(1), 1989; LAPACK
 * DLARFT/DLARFB): for reflectors k..k+b−1, H_k ⋯ H_{k+b−1} = I − V T Vᵀ with T upper triangular,
 * so r H_{k+b−1} ⋯ H_k = r (I − V Tᵀ Vᵀ): two gemm calls per block, 2·count·n² flops in all.
 */
export function applyQ(t: Tridiagonal, z: Float64Array, count: number): void {
  const { n, v, tau } = t;
  if (!v || !tau) throw new Error('ganbox internal error: applyQ needs the reflectors (keepReflectors = true)');
  if (n < 2) return;
  const B = 32;
  const T = new Float64Array(B * B); // [b, b] upper triangular
  const w = new Float64Array(count * B); // Z V, then (Z V) Tᵀ
  const w2 = new Float64Array(count * B);
  for (let k0 = Math.floor((n - 2) / B) * B; k0 >= 0; k0 -= B) {
    const nb = Math.min(B, n - 1 - k0); // reflectors k0..k0+nb−1, rows k0.. of v
    const c0 = k0 + 1; // columns before c0 are zero in every reflector of the block
    const len = n - c0;
    // T by DLARFT (forward, columnwise): T_bb = τ_b, T[0:b, b] = −τ_b T[0:b, 0:b] (V[:, 0:b]ᵀ v_b).
    T.fill(0);
    for (let b = 0; b < nb; b++) {
      const tb = tau[k0 + b]!;
      T[b * B + b] = tb;
      if (tb === 0) continue;
      const vb = (k0 + b) * n;
      for (let c = 0; c < b; c++) {
        const vc = (k0 + c) * n;
        let dot = 0;
        for (let i = k0 + b + 1; i < n; i++) dot += v[vc + i]! * v[vb + i]!;
        w2[c] = dot; // scratch
      }
      for (let r = 0; r < b; r++) {
        let s = 0;
        for (let c = r; c < b; c++) s += T[r * B + c]! * w2[c]!;
        T[r * B + b] = -tb * s;
      }
    }
    const vView = { data: v, off: k0 * n + c0, ld: n }; // [nb, len]: row b = v_{k0+b}[c0..]
    const zView = { data: z, off: c0, ld: n }; // [count, len]
    gemm(count, nb, len, zView, vView, { data: w, off: 0, ld: B }, { transB: true, beta: 0 }); // w = Z V
    gemm(count, nb, nb, { data: w, off: 0, ld: B }, { data: T, off: 0, ld: B }, { data: w2, off: 0, ld: B }, { transB: true, beta: 0 }); // w2 = w Tᵀ
    gemm(count, len, nb, { data: w2, off: 0, ld: B }, vView, zView, { alpha: -1, beta: 1 }); // Z −= w2 Vᵀ
  }
}
