/**
 * Metrics of conditional generators, as pure functions of predicted and requested classes:
 *   - class accuracy: the fraction of samples a fixed classifier assigns to the class they were
 *     generated for, overall and per class (the "accuracy under a pretrained classifier" of
 *     Odena et al. 2017 §4.1 and of the conditional-GAN literature since);
 *   - matched accuracy: for codes with no given meaning (InfoGAN's categorical code, Chen et al.
 *     2016 §7.1: "5% error" on MNIST after matching codes to digits), the accuracy after the best
 *     one-to-one assignment of codes to classes (Hungarian method, Kuhn 1955; Munkres 1957), as in
 *     unsupervised-clustering accuracy.
 */
import { ShapeError } from '../errors.js';

export interface ClassAccuracy {
  /** Fraction of all samples classified as requested. */
  overall: number;
  /** Per requested class; NaN for a class with no samples. */
  perClass: number[];
  /** Samples per requested class. */
  counts: number[];
}

export function classAccuracy(predicted: ArrayLike<number>, requested: ArrayLike<number>, classes: number): ClassAccuracy {
  if (predicted.length !== requested.length) throw new ShapeError(`classAccuracy: ${predicted.length} predictions for ${requested.length} requests.`);
  const hits = new Array<number>(classes).fill(0);
  const counts = new Array<number>(classes).fill(0);
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    const r = requested[i]!;
    counts[r]! += 1;
    if (predicted[i] === r) { hits[r]! += 1; total += 1; }
  }
  return { overall: total / Math.max(requested.length, 1), perClass: hits.map((h, k) => h / counts[k]!), counts };
}

/** counts[a][b] = number of samples with code a and predicted class b. */
export function confusion(codes: ArrayLike<number>, predicted: ArrayLike<number>, numCodes: number, numClasses: number): number[][] {
  const m = Array.from({ length: numCodes }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < codes.length; i++) m[codes[i]!]![predicted[i]!]! += 1;
  return m;
}

/**
 * The assignment of rows to columns with the least total cost (Hungarian method with potentials,
 * O(n²m), rows ≤ columns; a rectangular matrix with more rows is transposed by the caller).
 * Returns, for each row, its column. Follows the classic shortest-augmenting-path formulation
 * (e.g. Burkard, Dell'Amico & Martello 2009, "Assignment Problems", §4.4).
 */
export function hungarian(cost: readonly (readonly number[])[]): number[] {
  const n = cost.length;
  const m = n === 0 ? 0 : cost[0]!.length;
  if (n > m) throw new ShapeError(`hungarian: ${n} rows but only ${m} columns; transpose the matrix.`);
  const INF = Number.POSITIVE_INFINITY;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);      // p[j]: row matched to column j (1-based; 0 = none)
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(INF);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) { minv[j] = cur; way[j] = j0; }
        if (minv[j]! < delta) { delta = minv[j]!; j1 = j; }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) { u[p[j]!] += delta; v[j] -= delta; } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do { const j1 = way[j0]!; p[j0] = p[j1]!; j0 = j1; } while (j0 !== 0);
  }
  const assign = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) assign[p[j]! - 1] = j - 1;
  return assign;
}

export interface MatchedAccuracy {
  /** Fraction of samples whose predicted class is the class matched to their code. */
  accuracy: number;
  /** The matched class of each code (−1 when there are more codes than classes and it got none). */
  mapping: number[];
}

/** Accuracy of codes as classes after the best one-to-one matching of codes to classes. */
export function matchedAccuracy(codes: ArrayLike<number>, predicted: ArrayLike<number>, numCodes: number, numClasses: number): MatchedAccuracy {
  if (codes.length !== predicted.length) throw new ShapeError(`matchedAccuracy: ${codes.length} codes for ${predicted.length} predictions.`);
  const counts = confusion(codes, predicted, numCodes, numClasses);
  let mapping: number[];
  if (numCodes <= numClasses) {
    mapping = hungarian(counts.map((row) => row.map((c) => -c)));
  } else {
    const byClass = hungarian(Array.from({ length: numClasses }, (_, b) => counts.map((row) => -row[b]!)));
    mapping = new Array<number>(numCodes).fill(-1);
    byClass.forEach((code, cls) => { mapping[code] = cls; });
  }
  let hits = 0;
  mapping.forEach((cls, code) => { if (cls >= 0) hits += counts[code]![cls]!; });
  return { accuracy: hits / Math.max(codes.length, 1), mapping };
}
