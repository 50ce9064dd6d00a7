/**
 * Kernels that move data: Transpose, Concat, Slice, PadV2, Tile, Reverse. (Reshape and Identity
 * never reach a graph as nodes of their own: the engine aliases them, as tfjs's cpu backend does,
 * and inserts a Reshape where a consumer sees another shape.)
 */
import { axesOf, size, type OpMapping } from './types.js';

const moveCost = (c: { outs: { shape: number[] }[] }) => size(c.outs[0]!.shape);

export const SHAPE: Record<string, OpMapping> = {
  Transpose: {
    inputs: ['x'],
    layout: 'transpose',
    infer: (s, d, a) => [{ shape: (a['perm'] as number[]).map((p) => s[0]![p]!), dtype: d[0]! }],
    emit: (g, [x], c) => [g.op('Transpose', [x!], { perm: [...(c.attrs['perm'] as number[])] })],
    cost: moveCost,
  },
  Concat: {
    inputs: 'variadic',
    supports: (s, d) => s.length > 0 && d.every((x) => x === d[0]) && s.every((x) => x.length === s[0]!.length && x.length > 0),
    infer: (s, d, a) => {
      const [axis] = axesOf(a['axis'], s[0]!.length);
      const shape = [...s[0]!];
      shape[axis!] = s.reduce((n, x) => n + x[axis!]!, 0);
      return [{ shape, dtype: d[0]! }];
    },
    emit: (g, ins, c) => [ins.length === 1 ? g.op('Identity', ins) : g.op('Concat', ins, { axis: axesOf(c.attrs['axis'], c.shapes[0]!.length)[0]! })],
    cost: moveCost,
  },
  /** SplitV (the gradient of Concat, tf.split): ONNX Split with explicit sizes. */
  SplitV: {
    inputs: ['x'],
    supports: (s) => s[0]!.length > 0,
    infer: (s, d, a) => {
      const [axis] = axesOf(a['axis'], s[0]!.length);
      return splitSizes(s[0]![axis!]!, a['numOrSizeSplits'] as number | number[]).map((n) => {
        const shape = [...s[0]!];
        shape[axis!] = n;
        return { shape, dtype: d[0]! };
      });
    },
    emit: (g, [x], c) => {
      const [axis] = axesOf(c.attrs['axis'], c.shapes[0]!.length);
      const sizes = splitSizes(c.shapes[0]![axis!]!, c.attrs['numOrSizeSplits'] as number | number[]);
      return g.node('Split', [x!, g.ints(sizes)], { axis: axis! }, sizes.length);
    },
    cost: (c) => size(c.shapes[0]!),
  },
  Slice: {
    inputs: ['x'],
    infer: (s, d, a) => {
      const begin = a['begin'] as number[];
      const sz = a['size'] as number[];
      return [{ shape: s[0]!.map((n, i) => (sz[i] === -1 || sz[i] === undefined ? n - (begin[i] ?? 0) : sz[i]!)), dtype: d[0]! }];
    },
    emit: (g, [x], c) => {
      const begin = c.shapes[0]!.map((_, i) => (c.attrs['begin'] as number[])[i] ?? 0);
      const ends = c.outs[0]!.shape.map((n, i) => begin[i]! + n);
      return [g.op('Slice', [x!, g.ints(begin), g.ints(ends), g.ints(begin.map((_, i) => i))])];
    },
    cost: moveCost,
  },
  PadV2: {
    inputs: ['x'],
    infer: (s, d, a) => [{ shape: s[0]!.map((n, i) => n + (a['paddings'] as number[][])[i]![0]! + (a['paddings'] as number[][])[i]![1]!), dtype: d[0]! }],
    emit: (g, [x], c) => {
      const p = c.attrs['paddings'] as number[][];
      const pads = [...p.map((q) => q[0]!), ...p.map((q) => q[1]!)];
      return [g.op('Pad', [x!, g.ints(pads), g.scalar((c.attrs['constantValue'] as number) ?? 0, c.dtypes[0]!)])];
    },
    cost: moveCost,
  },
  Tile: {
    inputs: ['x'],
    layout: 'tile',
    infer: (s, d, a) => [{ shape: s[0]!.map((n, i) => n * (a['reps'] as number[])[i]!), dtype: d[0]! }],
    emit: (g, [x], c) => [g.op('Tile', [x!, g.ints(c.attrs['reps'] as number[])])],
    cost: moveCost,
  },
  /**
   * Nearest-neighbour resize from a 1×1 image only (conditional D's label planes: [B, 1, 1, K] →
   * [B, H, W, K]): every output pixel reads the one input pixel whatever alignCorners and
   * halfPixelCenters say, so it is a Tile. Other sizes run the cpu kernel.
   */
  ResizeNearestNeighbor: {
    inputs: ['images'],
    supports: (s) => s[0]!.length === 4 && s[0]![1] === 1 && s[0]![2] === 1,
    infer: (s, d, a) => {
      const [h, w] = a['size'] as [number, number];
      return [{ shape: [s[0]![0]!, h, w, s[0]![3]!], dtype: d[0]! }];
    },
    emit: (g, [x], c) => {
      const [h, w] = c.attrs['size'] as [number, number];
      return [g.op('Tile', [x!, g.ints([1, h, w, 1])])];
    },
    cost: moveCost,
  },
  /** Its gradient for a 1×1 image: every output pixel came from the one input pixel, so dx = Σ_{h,w} dy. */
  ResizeNearestNeighborGrad: {
    inputs: ['images', 'dy'],
    supports: (s, d) => d[1] === 'float32' && s[0]!.length === 4 && s[0]![1] === 1 && s[0]![2] === 1,
    infer: (s, d) => [{ shape: s[0]!, dtype: d[1]! }],
    emit: (g, [, dy]) => [g.op('ReduceSum', [dy!, g.ints([1, 2])], { keepdims: 1 })],
    cost: (c) => size(c.shapes[1]!),
  },
  /** Reverse along axes: a Slice with step −1 (ends below −dim clamp to "before index 0"). */
  Reverse: {
    inputs: ['x'],
    infer: (s, d) => [{ shape: s[0]!, dtype: d[0]! }],
    emit: (g, [x], c) => {
      const axes = axesOf(c.attrs['dims'], c.shapes[0]!.length);
      if (axes.length === 0) return [g.op('Identity', [x!])];
      const shape = c.shapes[0]!;
      return [g.op('Slice', [x!, g.ints(axes.map((a) => shape[a]! - 1)), g.ints(axes.map((a) => -shape[a]! - 1)), g.ints(axes), g.ints(axes.map(() => -1))])];
    },
    cost: moveCost,
  },
};

/** tf.split's sizes: n equal parts, or the given sizes with one −1 taking the rest. */
function splitSizes(dim: number, spec: number | number[]): number[] {
  if (typeof spec === 'number') return Array.from({ length: spec }, () => dim / spec);
  const known = spec.filter((n) => n !== -1).reduce((a, b) => a + b, 0);
  return spec.map((n) => (n === -1 ? dim - known : n));
}
