/**
 * How one tfjs kernel becomes ONNX nodes. A mapping states the kernel's inputs in order, its
 * output shapes and dtypes (computed without running it), the nodes it emits, and optionally an
 * estimate of its cost in floating-point operations (the engine compiles a stretch of kernels to a
 * graph when it is costly enough; otherwise it runs them with the cpu backend's kernels).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Dtype, GraphBuilder } from '../onnx-graph.js';

export type TfDtype = 'float32' | 'int32' | 'bool';

export interface OutInfo {
  shape: number[];
  dtype: TfDtype;
}

export interface OpContext {
  shapes: number[][];
  dtypes: TfDtype[];
  attrs: tf.NamedAttrMap;
  outs: OutInfo[];
}

export interface OpMapping {
  /** Input names of the tfjs kernel in order; a trailing '?' marks an optional one; 'variadic' for Concat/AddN. */
  inputs: readonly string[] | 'variadic';
  /** False when this mapping does not handle these inputs/attrs (the cpu kernel runs instead). */
  supports?(shapes: number[][], dtypes: TfDtype[], attrs: tf.NamedAttrMap): boolean;
  infer(shapes: number[][], dtypes: TfDtype[], attrs: tf.NamedAttrMap): OutInfo[];
  emit(g: GraphBuilder, ins: string[], ctx: OpContext): string[];
  /** Floating-point operations, roughly; default: the outputs' element count. */
  cost?(ctx: OpContext): number;
  /**
   * How the op treats a rank-4 NHWC tensor the graph keeps as NCHW (see compile.ts's layout pass):
   * 'elementwise' — any layout, once every input is in the same one (rank-1 inputs broadcast over
   * channels); 'reduce' and 'tile' — axes/reps are permuted; 'transpose' — perms compose.
   * Absent: the op sees NHWC.
   */
  layout?: 'elementwise' | 'reduce' | 'tile' | 'transpose';
  /** Conv kernels: emit with NCHW activations (`nchw[i]`: input i is already NCHW); outputs NCHW. */
  emitNchw?(g: GraphBuilder, ins: string[], ctx: OpContext, nchw: boolean[]): string[];
  /** With emitNchw: its outputs are not activations (a filter gradient) and keep tfjs's layout. */
  plainOutputs?: boolean;
}

export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Numpy broadcasting of two shapes. */
export function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`ganbox internal error: shapes ${a} and ${b} do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Normalised, sorted axes of a tfjs `axis` attribute (number, array or null = all). */
export function axesOf(axis: unknown, rank: number): number[] {
  const list = axis === null || axis === undefined ? [...Array(rank).keys()] : Array.isArray(axis) ? (axis as number[]) : [axis as number];
  return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((x, y) => x - y);
}

export const onnxDtype = (d: TfDtype): Dtype => d;
