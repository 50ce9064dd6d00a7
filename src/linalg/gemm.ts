/**
 * Dense float64 matrix multiply, C ← α·op(A)·op(B) + β·C, row-major: JavaScript loops around a
 * WebAssembly SIMD micro-kernel (plain JavaScript where WebAssembly SIMD is missing).
 *
 * The loop structure is Goto & van de Geijn's ("Anatomy of high-performance matrix
 * multiplication", ACM TOMS 34(3), 2008), the one BLIS and OpenBLAS use:
 *   for each KC-deep slab of the inner dimension
 *     pack op(B)[slab, :] into column panels NR wide      (stays in L2, re-used by every row block)
 *     for each MC-tall block of rows
 *       pack α·op(A)[rows, slab] into row panels MR tall  (stays in L1/L2)
 *       for each MR×NR tile: a register-blocked micro-kernel, 16 scalar accumulators
 * Packing makes every inner-loop access contiguous whatever the transposes, so op(A) = Aᵀ or
 * op(B) = Bᵀ cost nothing extra. The micro-kernel is 4×4. In V8 scalar code it ran at ~3.3 GFLOP/s
 * on this project's 2.6 GHz Xeon (against ~1.2 for a plain i-k-j loop and ~2.3 for dot products
 * against a transposed B, 1024³); the WebAssembly SIMD version (simd-kernel.ts), used whenever
 * the runtime has WebAssembly SIMD, ran at ~15 GFLOP/s in cache. The packed panels then live in
 * the kernel's memory, and each call computes a column of 4×4 tiles that JS adds into C.
 *
 * Matrices are given BLAS-style as (array, offset, leading dimension), so sub-blocks of a larger
 * matrix are used in place. `lower: true` computes only the tiles of C that touch its lower
 * triangle (for symmetric updates, SYRK/SYR2K): tiles straddling the diagonal are written whole,
 * so the strict upper triangle of C is left partly updated and the caller mirrors the lower one.
 */

import { createSimdKernel } from './simd-kernel.js';

const MR = 4; // rows of a micro-tile
const NR = 4; // columns of a micro-tile
const KC = 256; // inner-dimension slab: an MR×KC panel of A is 8 KB, a KC×NR panel of B 8 KB
const MC = 96; // rows per packed A block: 96×256×8 B = 192 KB
const NC = 1024; // columns per packed B block: 256×1024×8 B = 2 MB

/** A row-major view: element (i, j) of op-less X is data[off + i·ld + j]. */
export interface MatView {
  data: Float64Array;
  off: number;
  ld: number;
}

export interface GemmOptions {
  transA?: boolean; // op(A) = Aᵀ (A stored k×m)
  transB?: boolean; // op(B) = Bᵀ (B stored n×k)
  alpha?: number;
  beta?: number;
  /** Only the lower triangle of C (m = n) is needed: skip tiles strictly above the diagonal. */
  lower?: boolean;
}

// Packed panels: in the SIMD kernel's memory when available, else ordinary arrays.
const A_BYTES = 0;
const B_BYTES = MC * KC * 8;
const S_BYTES = B_BYTES + KC * NC * 8; // scratch: one column of MC/MR tiles
const noSimd = typeof process !== 'undefined' && process.env?.GANBOX_NO_SIMD === '1';
const simdKernel = noSimd ? undefined : createSimdKernel(S_BYTES + (MC / MR) * 16 * 8);
const packA = simdKernel ? simdKernel.f64.subarray(A_BYTES / 8, B_BYTES / 8) : new Float64Array(MC * KC);
const packB = simdKernel ? simdKernel.f64.subarray(B_BYTES / 8, S_BYTES / 8) : new Float64Array(KC * NC);
const scratch = simdKernel ? simdKernel.f64.subarray(S_BYTES / 8) : new Float64Array(0);

/** Whether gemm runs the WebAssembly SIMD kernel (set GANBOX_NO_SIMD=1 to force plain JS). */
export const GEMM_USES_SIMD = simdKernel !== undefined;

/**
 * C[m×n] ← α·op(A)[m×k]·op(B)[k×n] + β·C. β = 0 overwrites C (NaNs in C do not propagate).
 */
export function gemm(m: number, n: number, k: number, A: MatView, B: MatView, C: MatView, opts: GemmOptions = {}): void {
  const { transA = false, transB = false, alpha = 1, beta = 1, lower = false } = opts;
  const c = C.data, ldc = C.ld, co = C.off;
  if (beta !== 1) {
    for (let i = 0; i < m; i++) {
      const r = co + i * ldc;
      const jEnd = lower ? Math.min(n, (Math.floor(i / MR) + 1) * MR) : n;
      if (beta === 0) c.fill(0, r, r + jEnd);
      else for (let j = 0; j < jEnd; j++) c[r + j]! *= beta;
    }
  }
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return;
  for (let jc = 0; jc < n; jc += NC) {
    const nb = Math.min(NC, n - jc);
    // With `lower`, rows above jc contribute nothing to columns ≥ jc: start at the tile row holding jc.
    const iStart = lower ? Math.floor(jc / MR) * MR : 0;
    for (let pc = 0; pc < k; pc += KC) {
      const kb = Math.min(KC, k - pc);
      packPanelB(B, transB, pc, kb, jc, nb);
      for (let ic = iStart; ic < m; ic += MC) {
        const mb = Math.min(MC, m - ic);
        packPanelA(A, transA, ic, mb, pc, kb, alpha);
        if (simdKernel) {
          simdBlock(simdKernel.tiles, ic, mb, jc, nb, kb, c, co, ldc, lower);
          continue;
        }
        for (let jr = 0; jr < nb; jr += NR) {
          const colTile = jc + jr;
          const nr = Math.min(NR, nb - jr);
          for (let ir = 0; ir < mb; ir += MR) {
            const rowTile = ic + ir;
            if (lower && colTile >= rowTile + MR) continue; // tile strictly above the diagonal
            const mr = Math.min(MR, mb - ir);
            microKernel(packA, ir * kb, packB, jr * kb, kb, c, co + rowTile * ldc + colTile, ldc, mr, nr);
          }
        }
      }
    }
  }
}

/** The packed MC×KC by KC×NC block product through the SIMD kernel, one column of tiles per call. */
function simdBlock(
  tiles: (ap: number, bp: number, cp: number, kb: number, count: number) => void,
  ic: number, mb: number, jc: number, nb: number, kb: number, c: Float64Array, co: number, ldc: number, lower: boolean,
): void {
  for (let jr = 0; jr < nb; jr += NR) {
    const colTile = jc + jr;
    const nr = Math.min(NR, nb - jr);
    // With `lower`, tiles whose first row is above colTile lie strictly above the diagonal.
    const irStart = lower ? Math.max(0, colTile - ic) : 0;
    if (irStart >= mb) continue;
    const count = Math.ceil((mb - irStart) / MR);
    tiles(A_BYTES + irStart * kb * 8, B_BYTES + jr * kb * 8, S_BYTES, kb, count);
    for (let t = 0; t < count; t++) {
      const rowTile = ic + irStart + t * MR;
      const mr = Math.min(MR, mb - irStart - t * MR);
      const so = t * 16;
      let o = co + rowTile * ldc + colTile;
      if (mr === 4 && nr === 4) {
        for (let i = 0; i < 4; i++, o += ldc) {
          const s = so + 4 * i;
          c[o]! += scratch[s]!; c[o + 1]! += scratch[s + 1]!; c[o + 2]! += scratch[s + 2]!; c[o + 3]! += scratch[s + 3]!;
        }
      } else {
        for (let i = 0; i < mr; i++, o += ldc) for (let j = 0; j < nr; j++) c[o + j]! += scratch[so + 4 * i + j]!;
      }
    }
  }
}

/** packB[(jr·kb + p)·NR + jj] = op(B)[pc + p, jc + jr + jj], zero-padded to a multiple of NR. */
function packPanelB(B: MatView, trans: boolean, pc: number, kb: number, jc: number, nb: number): void {
  const b = B.data, ld = B.ld, off = B.off;
  for (let jr = 0; jr < nb; jr += NR) {
    const nr = Math.min(NR, nb - jr);
    const base = jr * kb;
    for (let p = 0; p < kb; p++) {
      const dst = base + p * NR;
      for (let jj = 0; jj < NR; jj++) {
        if (jj >= nr) { packB[dst + jj] = 0; continue; }
        const row = pc + p, col = jc + jr + jj;
        packB[dst + jj] = trans ? b[off + col * ld + row]! : b[off + row * ld + col]!;
      }
    }
  }
}

/** packA[(ir·kb + p)·MR + ii] = α·op(A)[ic + ir + ii, pc + p], zero-padded to a multiple of MR. */
function packPanelA(A: MatView, trans: boolean, ic: number, mb: number, pc: number, kb: number, alpha: number): void {
  const a = A.data, ld = A.ld, off = A.off;
  for (let ir = 0; ir < mb; ir += MR) {
    const mr = Math.min(MR, mb - ir);
    const base = ir * kb;
    for (let ii = 0; ii < MR; ii++) {
      if (ii >= mr) { for (let p = 0; p < kb; p++) packA[base + p * MR + ii] = 0; continue; }
      const row = ic + ir + ii;
      if (trans) for (let p = 0; p < kb; p++) packA[base + p * MR + ii] = alpha * a[off + (pc + p) * ld + row]!;
      else {
        const src = off + row * ld + pc;
        for (let p = 0; p < kb; p++) packA[base + p * MR + ii] = alpha * a[src + p]!;
      }
    }
  }
}

/** C[4×4 tile at co] += Ap[4×kb] · Bp[kb×4]; only the mr×nr valid corner is written. */
function microKernel(
  ap: Float64Array, ao: number, bp: Float64Array, bo: number, kb: number,
  c: Float64Array, co: number, ldc: number, mr: number, nr: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kb; p++) {
    const a = ao + 4 * p, b = bo + 4 * p;
    const a0 = ap[a]!, a1 = ap[a + 1]!, a2 = ap[a + 2]!, a3 = ap[a + 3]!;
    const b0 = bp[b]!, b1 = bp[b + 1]!, b2 = bp[b + 2]!, b3 = bp[b + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (mr === 4 && nr === 4) {
    let o = co;
    c[o]! += c00; c[o + 1]! += c01; c[o + 2]! += c02; c[o + 3]! += c03; o += ldc;
    c[o]! += c10; c[o + 1]! += c11; c[o + 2]! += c12; c[o + 3]! += c13; o += ldc;
    c[o]! += c20; c[o + 1]! += c21; c[o + 2]! += c22; c[o + 3]! += c23; o += ldc;
    c[o]! += c30; c[o + 1]! += c31; c[o + 2]! += c32; c[o + 3]! += c33;
    return;
  }
  const t = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let i = 0; i < mr; i++) for (let j = 0; j < nr; j++) c[co + i * ldc + j]! += t[i * 4 + j]!;
}

/** A[n×n] (row-major, leading dimension ld): copy the lower triangle onto the upper. */
export function mirrorLower(a: Float64Array, n: number, off = 0, ld = n): void {
  const B = 64; // blocked so both the row and the column walks stay in cache
  for (let ib = 0; ib < n; ib += B) {
    for (let jb = 0; jb <= ib; jb += B) {
      const iEnd = Math.min(ib + B, n);
      for (let i = ib; i < iEnd; i++) {
        const jEnd = Math.min(jb + B, i);
        for (let j = jb; j < jEnd; j++) a[off + j * ld + i] = a[off + i * ld + j]!;
      }
    }
  }
}

/** C = A·B for dense row-major A [m×k], B [k×n]. */
export function matmul(A: Float64Array, B: Float64Array, m: number, k: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  gemm(m, n, k, { data: A, off: 0, ld: k }, { data: B, off: 0, ld: n }, { data: C, off: 0, ld: n }, { beta: 0 });
  return C;
}
