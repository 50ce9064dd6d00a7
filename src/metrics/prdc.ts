/**
 * Precision and recall (Kynkäänniemi, Karras, Laine, Lehtinen & Aila, "Improved precision and
 * recall metric for assessing generative models", NeurIPS 2019; k = 3) and density and coverage
 * (Naeem, Oh, Uh, Choi & Yoo, "Reliable fidelity and diversity metrics for generative models",
 * ICML 2020; k = 5), on feature vectors with Euclidean distances.
 * Each sample's radius r_k is the distance to its k-th nearest neighbour in its own set, itself
 * excluded; B(x, r) is the open ball. With R the real and F the fake set:
 *   precision = mean_{f∈F} [∃ r∈R: f ∈ B(r, r_k(r))]       recall   = mean_{r∈R} [∃ f∈F: r ∈ B(f, r_k(f))]
 *   density   = mean_{f∈F} #{r∈R: f ∈ B(r, r_k(r))} / k     coverage = mean_{r∈R} [min_f ‖r − f‖ < r_k(r)]
 *
 * Compat: the PRDC reference code (clovaai/generative-evaluation-prdc, `compute_prdc(real_features,
 *   fake_features, nearest_k)`): one k for all four values, distances as sklearn's
 *   euclidean_distances computes them (√max(‖x‖² − 2xᵀy + ‖y‖², 0) in float64, 0 on the
 *   diagonal of a set against itself), radii = the (k+1)-th smallest distance in the row
 *   (the first is the point itself), strict `<` comparisons. Rows are processed in blocks, so the
 *   N×M distance matrices are never held whole.
 */
import { ShapeError } from '../errors.js';
import { gemm } from '../linalg/gemm.js';

export interface PrdcResult {
  precision: number;
  recall: number;
  density: number;
  coverage: number;
}

const BLOCK_ELEMENTS = 1 << 22; // distances held at once (32 MB)

/** All four values with one k, as compute_prdc(real, fake, nearest_k). */
export function computePrdc(real: ArrayLike<number>, nReal: number, fake: ArrayLike<number>, nFake: number, d: number, nearestK: number): PrdcResult {
  if (real.length !== nReal * d || fake.length !== nFake * d) {
    throw new ShapeError(`prdc: expected ${nReal}×${d} real and ${nFake}×${d} fake features, got ${real.length} and ${fake.length} values.`);
  }
  if (!Number.isInteger(nearestK) || nearestK < 1 || nearestK >= Math.min(nReal, nFake)) {
    throw new ShapeError(`prdc: nearest_k must be an integer in [1, ${Math.min(nReal, nFake) - 1}] for ${nReal} real and ${nFake} fake samples, got ${nearestK}.`);
  }
  const r = Float64Array.from(real), f = Float64Array.from(fake);
  const realRadii = kthNeighbourRadii(r, nReal, d, nearestK);
  const fakeRadii = kthNeighbourRadii(f, nFake, d, nearestK);
  const fakeInside = new Int32Array(nFake); // #{real balls containing fake j}
  let recallCount = 0, coverageCount = 0;
  forEachDistanceBlock(r, nReal, f, nFake, d, false, (i0, rows, dist) => {
    for (let bi = 0; bi < rows; bi++) {
      const i = i0 + bi, row = bi * nFake, ri = realRadii[i]!;
      let recalled = false, nearest = Infinity;
      for (let j = 0; j < nFake; j++) {
        const dij = dist[row + j]!;
        if (dij < ri) fakeInside[j]!++;
        if (dij < fakeRadii[j]!) recalled = true;
        if (dij < nearest) nearest = dij;
      }
      if (recalled) recallCount++;
      if (nearest < ri) coverageCount++;
    }
  });
  let precisionCount = 0, densitySum = 0;
  for (let j = 0; j < nFake; j++) { if (fakeInside[j]! > 0) precisionCount++; densitySum += fakeInside[j]!; }
  return {
    precision: precisionCount / nFake,
    recall: recallCount / nReal,
    density: densitySum / nearestK / nFake,
    coverage: coverageCount / nReal,
  };
}

/** Precision and recall with k = 3 (Kynkäänniemi et al.'s default). */
export function precisionRecall(real: ArrayLike<number>, nReal: number, fake: ArrayLike<number>, nFake: number, d: number, k = 3): { precision: number; recall: number } {
  const { precision, recall } = computePrdc(real, nReal, fake, nFake, d, k);
  return { precision, recall };
}

/** Density and coverage with k = 5 (Naeem et al.'s default). */
export function densityCoverage(real: ArrayLike<number>, nReal: number, fake: ArrayLike<number>, nFake: number, d: number, k = 5): { density: number; coverage: number } {
  const { density, coverage } = computePrdc(real, nReal, fake, nFake, d, k);
  return { density, coverage };
}

/** Distance of each row of x [n, d] to its k-th nearest other row. */
export function kthNeighbourRadii(x: Float64Array, n: number, d: number, k: number): Float64Array {
  const radii = new Float64Array(n);
  const best = new Float64Array(k + 1); // the k+1 smallest distances of a row, ascending
  forEachDistanceBlock(x, n, x, n, d, true, (i0, rows, dist) => {
    for (let bi = 0; bi < rows; bi++) {
      best.fill(Infinity);
      const row = bi * n;
      for (let j = 0; j < n; j++) {
        const v = dist[row + j]!;
        if (v >= best[k]!) continue;
        let p = k;
        while (p > 0 && best[p - 1]! > v) { best[p] = best[p - 1]!; p--; }
        best[p] = v;
      }
      radii[i0 + bi] = best[k]!; // (k+1)-th smallest, the point itself (0) being the first
    }
  });
  return radii;
}

/** Calls back with consecutive row blocks of the Euclidean distance matrix between x [n, d] and y [m, d]. */
function forEachDistanceBlock(
  x: Float64Array, n: number, y: Float64Array, m: number, d: number, same: boolean,
  visit: (i0: number, rows: number, dist: Float64Array) => void,
): void {
  const sq = (a: Float64Array, rows: number) => {
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) { let s = 0; for (let j = 0; j < d; j++) s += a[i * d + j]! ** 2; out[i] = s; }
    return out;
  };
  const xx = sq(x, n), yy = same ? xx : sq(y, m);
  const blockRows = Math.max(1, Math.min(n, Math.floor(BLOCK_ELEMENTS / Math.max(1, m))));
  const dist = new Float64Array(blockRows * m);
  for (let i0 = 0; i0 < n; i0 += blockRows) {
    const rows = Math.min(blockRows, n - i0);
    gemm(rows, m, d, { data: x, off: i0 * d, ld: d }, { data: y, off: 0, ld: d }, { data: dist, off: 0, ld: m }, { transB: true, alpha: -2, beta: 0 });
    for (let bi = 0; bi < rows; bi++) {
      const i = i0 + bi, row = bi * m;
      for (let j = 0; j < m; j++) dist[row + j] = Math.sqrt(Math.max(dist[row + j]! + xx[i]! + yy[j]!, 0));
      if (same) dist[row + i] = 0;
    }
    visit(i0, rows, dist);
  }
}
