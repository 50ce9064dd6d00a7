/**
 * Element-wise kernels: unary maths, binary maths with numpy broadcasting, comparisons, casts,
 * and the constant-filling kernels. Each maps to the ONNX operator of the same definition; where
 * tfjs's cpu kernel defines an edge case (NaN in Step), the emitted nodes reproduce it.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { GraphBuilder } from '../onnx-graph.js';
import { broadcast, size, type OpMapping, type TfDtype } from './types.js';

const sameShape = (dtype?: TfDtype) => (shapes: number[][], dtypes: TfDtype[]) => [{ shape: shapes[0]!, dtype: dtype ?? dtypes[0]! }];

function unary(emit: (g: GraphBuilder, x: string, attrs: tf.NamedAttrMap, dtype: TfDtype) => string, floatOnly = true): OpMapping {
  return {
    inputs: ['x'],
    layout: 'elementwise',
    supports: (_s, d) => !floatOnly || d[0] === 'float32',
    infer: sameShape(),
    emit: (g, [x], c) => [emit(g, x!, c.attrs, c.dtypes[0]!)],
  };
}

const simple = (op: string, floatOnly = true) => unary((g, x) => g.op(op, [x]), floatOnly);

function binary(op: string, outDtype?: TfDtype, dtypesOk: (d: TfDtype) => boolean = (d) => d !== 'bool'): OpMapping {
  return {
    inputs: ['a', 'b'],
    layout: 'elementwise',
    supports: (_s, d) => d[0] === d[1] && dtypesOk(d[0]!),
    infer: (s, d) => [{ shape: broadcast(s[0]!, s[1]!), dtype: outDtype ?? d[0]! }],
    emit: (g, [a, b]) => [g.op(op, [a!, b!])],
  };
}

export const ELEMENTWISE: Record<string, OpMapping> = {
  Abs: simple('Abs'),
  Neg: simple('Neg', false),
  Relu: simple('Relu'),
  Sigmoid: simple('Sigmoid'),
  Tanh: simple('Tanh'),
  Exp: simple('Exp'),
  Log: simple('Log'),
  Sqrt: simple('Sqrt'),
  Softplus: simple('Softplus'),
  Sign: simple('Sign'),
  Floor: simple('Floor'),
  Ceil: simple('Ceil'),
  Round: simple('Round'), // both round half to even
  Reciprocal: simple('Reciprocal'),
  Erf: simple('Erf'),
  Sin: simple('Sin'),
  Cos: simple('Cos'),
  Elu: simple('Elu'),
  Rsqrt: unary((g, x) => g.op('Reciprocal', [g.op('Sqrt', [x])])),
  Square: unary((g, x) => g.op('Mul', [x, x]), false),
  Log1p: unary((g, x) => g.op('Log', [g.op('Add', [x, g.scalar(1)])])),
  Relu6: unary((g, x) => g.op('Clip', [x, g.scalar(0), g.scalar(6)])),
  LeakyRelu: unary((g, x, a) => g.op('LeakyRelu', [x], { alpha: { float: a['alpha'] as number } })),
  /**
   * tfjs: x > 0 → 1, else alpha (NaN → NaN). As [x > 0] (a cast comparison), and alpha + (1 − alpha)·[x > 0]
   * for alpha ≠ 0; NaN gives 0/alpha here (a NaN input is reported by the loss check anyway).
   * Compat: onnxruntime's Where with scalar branches is several times slower than Greater + Cast.
   */
  Step: unary((g, x, a) => {
    const alpha = (a['alpha'] as number) ?? 0;
    const pos = g.op('Cast', [g.op('Greater', [x, g.scalar(0)])], { to: 1 });
    return alpha === 0 ? pos : g.op('Add', [g.op('Mul', [pos, g.scalar(1 - alpha)]), g.scalar(alpha)]);
  }),
  ClipByValue: unary((g, x, a) => g.op('Clip', [x, g.scalar(a['clipValueMin'] as number), g.scalar(a['clipValueMax'] as number)])),
  IsNan: { inputs: ['x'], layout: 'elementwise', supports: (_s, d) => d[0] === 'float32', infer: sameShape('bool'), emit: (g, [x]) => [g.op('IsNaN', [x!])] },
  LogicalNot: { inputs: ['x'], layout: 'elementwise', supports: (_s, d) => d[0] === 'bool', infer: sameShape('bool'), emit: (g, [x]) => [g.op('Not', [x!])] },

  Add: binary('Add'),
  Sub: binary('Sub'),
  Multiply: binary('Mul'),
  RealDiv: binary('Div', undefined, (d) => d === 'float32'),
  Maximum: binary('Max', undefined, (d) => d === 'float32'),
  Minimum: binary('Min', undefined, (d) => d === 'float32'),
  Pow: binary('Pow', undefined, (d) => d === 'float32'),
  SquaredDifference: {
    ...binary('Sub'),
    emit: (g, [a, b]) => { const d = g.op('Sub', [a!, b!]); return [g.op('Mul', [d, d])]; },
  },
  Greater: binary('Greater', 'bool'),
  GreaterEqual: binary('GreaterOrEqual', 'bool'),
  Less: binary('Less', 'bool'),
  LessEqual: binary('LessOrEqual', 'bool'),
  Equal: binary('Equal', 'bool', () => true),
  NotEqual: { ...binary('Equal', 'bool', () => true), emit: (g, [a, b]) => [g.op('Not', [g.op('Equal', [a!, b!])])] },
  LogicalAnd: binary('And', 'bool', (d) => d === 'bool'),
  LogicalOr: binary('Or', 'bool', (d) => d === 'bool'),

  Prelu: {
    inputs: ['x', 'alpha'],
    supports: (s, d) => d[0] === 'float32' && broadcast(s[0]!, s[1]!).join() === s[0]!.join(),
    infer: sameShape(),
    emit: (g, [x, a]) => [g.op('PRelu', [x!, a!])],
  },

  AddN: {
    inputs: 'variadic',
    layout: 'elementwise',
    supports: (s, d) => d.every((x) => x === d[0] && x !== 'bool') && s.every((x) => x.join() === s[0]!.join()),
    infer: sameShape(),
    emit: (g, ins) => [ins.length === 1 ? g.op('Identity', ins) : g.op('Sum', ins)],
  },

  /** tfjs's condition may be rank 1 against rank-n branches: it then picks whole rows. */
  Select: {
    inputs: ['condition', 't', 'e'],
    supports: (s, d) => d[0] === 'bool' && d[1] === d[2] && s[1]!.join() === s[2]!.join() &&
      (s[0]!.join() === s[1]!.join() || (s[0]!.length === 1 && s[0]![0] === s[1]![0])),
    infer: (s, d) => [{ shape: s[1]!, dtype: d[1]! }],
    emit: (g, [c, t, e], ctx) => {
      let cond = c!;
      const [cs, ts] = [ctx.shapes[0]!, ctx.shapes[1]!];
      if (cs.length < ts.length) cond = g.op('Reshape', [cond, g.ints([cs[0]!, ...ts.slice(1).map(() => 1)])]);
      return [g.op('Where', [cond, t!, e!])];
    },
  },

  Cast: {
    inputs: ['x'],
    layout: 'elementwise',
    supports: (_s, d, a) => ['float32', 'int32', 'bool'].includes(a['dtype'] as string) && a['dtype'] !== d[0],
    infer: (s, _d, a) => [{ shape: s[0]!, dtype: a['dtype'] as TfDtype }],
    emit: (g, [x], c) => [g.op('Cast', [x!], { to: ({ float32: 1, int32: 6, bool: 9 } as const)[c.outs[0]!.dtype] })],
  },

  ZerosLike: fillLike(0),
  OnesLike: fillLike(1),
  Fill: {
    inputs: [],
    supports: (_s, _d, a) => ['float32', 'int32'].includes(a['dtype'] as string),
    infer: (_s, _d, a) => [{ shape: [...(a['shape'] as number[])], dtype: a['dtype'] as TfDtype }],
    emit: (g, _i, c) => [g.op('Expand', [g.scalar(c.attrs['value'] as number, c.outs[0]!.dtype), g.ints(c.outs[0]!.shape)])],
  },
};

function fillLike(v: number): OpMapping {
  return {
    inputs: ['x'],
    supports: (_s, d) => d[0] !== 'bool',
    infer: sameShape(),
    emit: (g, _i, c) => [g.op('Expand', [g.scalar(v, c.outs[0]!.dtype), g.ints(c.outs[0]!.shape)])],
    cost: (c) => size(c.outs[0]!.shape),
  };
}
