/**
 * `Sum` and `Mean` over the LEADING axes for the wasm backend, without a transpose.
 *
 * Viewing x as [R, K] (R = product of the reduced leading axes, K of the rest):
 *   sum[k] = Σ_{r < R} x[r·K + k],   mean[k] = sum[k] / R
 * one pass over x in memory order, with the stock kernel's float32 arithmetic and order (below). tfjs-backend-wasm 4.22 reduces only innermost axes, so for these it first
 * transposes the whole input: 4.7 ms for a Sum over [64, 14, 14, 64] → [64] (2 threads), against
 * ~0.6–1 ms here. (A product with a ones vector on XNNPACK takes 2.9 ms: it repacks x as weights.) BatchNorm on NHWC reduces exactly these axes — moments in the forward pass, Σdy and
 * Σdy·x̂ in the backward pass — as do the bias gradients and broadcasting gradients (Sub, Mul).
 * Other axis sets, int32 inputs and full reductions (already innermost) use the original kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { replaceWasmKernel, type Info, type WasmHeap } from './wasm-run.js';


/**
 * Column sums of x viewed as [rows, cols] into out[cols], in float32 and in the same order as the
 * backend's own kernel (rows 0, 1, 2, … one after the other), so results are bit-identical to
 * stock tfjs-backend-wasm and a pinned-seed run does not change. A float32 sum computed as a
 * float64 add rounded to float32 (Math.fround) is the IEEE float32 sum. `mean` divides by rows in
 * float32 as the backend's Mean does. Four rows per pass halve the accumulator's loads and stores.
 */
export function sumLeading(x: Float32Array, rows: number, cols: number, mean: boolean, out: Float32Array): void {
  const acc = new Float32Array(cols);
  const f = Math.fround;
  const c2 = 2 * cols, c3 = 3 * cols, c4 = 4 * cols;
  let r = 0, at = 0;
  for (; r + 4 <= rows; r += 4, at += c4) {
    for (let k = 0; k < cols; k++) {
      const a = at + k;
      acc[k] = f(f(f(acc[k]! + x[a]!) + x[a + cols]!) + x[a + c2]!) + x[a + c3]!;
    }
  }
  for (; r < rows; r++, at += cols) {
    for (let k = 0; k < cols; k++) acc[k] = acc[k]! + x[at + k]!;
  }
  for (let k = 0; k < cols; k++) out[k] = mean ? acc[k]! / rows : acc[k]!;
}

/**
 * k when `axis` is exactly [0, 1, …, k−1] (0 < k < rank; negative axes allowed), else 0. The order
 * matters: the stock kernel sums in the order the axes are listed, and we match it bit for bit.
 */
export function leadingAxes(axis: number | number[], rank: number): number {
  const axes = tf.util.parseAxisParam(axis, new Array<number>(rank).fill(1));
  const k = axes.length;
  return k > 0 && k < rank && axes.every((a, i) => a === i) ? k : 0;
}

function makeKernel(mean: boolean) {
  return (original: tf.KernelConfig): tf.KernelFunc => (args) => {
    const { x } = args.inputs as { x: Info };
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const k = x.dtype === 'float32' ? leadingAxes(axis, x.shape.length) : 0;
    if (k === 0) return original.kernelFunc(args);
    const rows = x.shape.slice(0, k).reduce((a, b) => a * b, 1);
    const kept = x.shape.slice(k);
    const cols = kept.reduce((a, b) => a * b, 1);
    if (rows === 0 || cols === 0) return original.kernelFunc(args);
    const backend = args.backend as unknown as WasmHeap;
    const out = backend.makeOutput(keepDims ? [...new Array<number>(k).fill(1), ...kept] : kept, 'float32');
    sumLeading(backend.typedArrayFromHeap(x) as Float32Array, rows, cols, mean, backend.typedArrayFromHeap(out) as Float32Array);
    return out;
  };
}

export function installReduceLeadingWasm(): void {
  replaceWasmKernel(tf.Sum, makeKernel(false));
  replaceWasmKernel(tf.Mean, makeKernel(true));
}
