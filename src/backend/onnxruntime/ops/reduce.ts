/**
 * Reductions (Sum, Mean, Max, Min, Prod over axes), ArgMax/ArgMin and Softmax. Opset 17 takes
 * ReduceSum's axes as an input and the other reductions' as an attribute. tfjs sums float32
 * sequentially in float32; onnxruntime's order differs, so sums agree to rounding, not bit for bit.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { axesOf, size, type OpMapping, type TfDtype } from './types.js';

/** Max and Min name their axes `reductionIndices`, the other reductions `axis`. */
const axisAttr = (a: tf.NamedAttrMap) => a['axis'] ?? a['reductionIndices'];

function reduce(op: 'ReduceSum' | 'ReduceMean' | 'ReduceMax' | 'ReduceMin' | 'ReduceProd'): OpMapping {
  return {
    inputs: ['x'],
    layout: 'reduce',
    supports: (s, d, a) => d[0] === 'float32' && axesOf(axisAttr(a), s[0]!.length).length > 0,
    infer: (s, d, a) => {
      const axes = axesOf(axisAttr(a), s[0]!.length);
      const keep = Boolean(a['keepDims']);
      const shape = s[0]!.flatMap((n, i) => (axes.includes(i) ? (keep ? [1] : []) : [n]));
      return [{ shape, dtype: d[0]! }];
    },
    emit: (g, [x], c) => {
      const axes = axesOf(axisAttr(c.attrs), c.shapes[0]!.length);
      const keepdims = c.attrs['keepDims'] ? 1 : 0;
      return [op === 'ReduceSum' ? g.op(op, [x!, g.ints(axes)], { keepdims }) : g.op(op, [x!], { axes, keepdims })];
    },
    cost: (c) => size(c.shapes[0]!),
  };
}

function arg(op: 'ArgMax' | 'ArgMin'): OpMapping {
  return {
    inputs: ['x'],
    supports: (s, d, a) => d[0] === 'float32' && axesOf(a['axis'], s[0]!.length).length === 1,
    infer: (s, _d, a) => {
      const [axis] = axesOf(a['axis'], s[0]!.length);
      return [{ shape: s[0]!.filter((_, i) => i !== axis), dtype: 'int32' as TfDtype }];
    },
    // Compat: tfjs returns the first index of the extreme value, as ONNX's default select_last_index = 0.
    emit: (g, [x], c) => [g.op('Cast', [g.op(op, [x!], { axis: axesOf(c.attrs['axis'], c.shapes[0]!.length)[0]!, keepdims: 0 })], { to: 6 })],
    cost: (c) => size(c.shapes[0]!),
  };
}

export const REDUCE: Record<string, OpMapping> = {
  Sum: reduce('ReduceSum'),
  Mean: reduce('ReduceMean'),
  Max: reduce('ReduceMax'),
  Min: reduce('ReduceMin'),
  Prod: reduce('ReduceProd'),
  ArgMax: arg('ArgMax'),
  ArgMin: arg('ArgMin'),
  Softmax: {
    inputs: ['logits'],
    supports: (s, d, a) => d[0] === 'float32' && axesOf(a['dim'], s[0]!.length)[0] === s[0]!.length - 1,
    infer: (s, d) => [{ shape: s[0]!, dtype: d[0]! }],
    emit: (g, [x]) => [g.op('Softmax', [x!], { axis: -1 })],
  },
};
