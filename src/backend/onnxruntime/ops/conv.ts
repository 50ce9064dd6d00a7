/**
 * The convolution kernels. tfjs is NHWC with filters [KH, KW, C, CO]; ONNX's Conv is NCHW with
 * weights [CO, C, KH, KW]. Each mapping transposes in and out; onnxruntime's transpose optimiser
 * cancels the pairs between consecutive layers and its NCHWc transformer picks MLAS's blocked
 * AVX-512/AVX2 kernels. Padding comes from tfjs's own computeConv2DInfo, so 'same', 'valid',
 * numbers and explicit pads mean exactly what they mean in tfjs.
 *
 * - Conv2D, FusedConv2D: Conv (+ bias + activation).
 * - Conv2DBackpropInput (∂/∂x of a convolution, tf.conv2dTranspose): ConvTranspose with the same
 *   pads and strides; output_padding restores rows a strided forward pass never read.
 * - Conv2DBackpropFilter: ∂L/∂w[kh,kw,c,co] = Σ_{b,i,j} x_pad[b, s·i+kh, s·j+kw, c] · dy[b,i,j,co], a
 *   convolution of x (channels as batch, batch as channels) with dy as the filter, dilated by the
 *   stride (Dumoulin & Visin 2016, §4); one Conv node, cropped to [KH, KW].
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GraphBuilder } from '../onnx-graph.js';
import { size, type OpContext, type OpMapping } from './types.js';

type Info = ReturnType<typeof tf.backend_util.computeConv2DInfo>;
const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];
const FILTER_TO_OIHW = [3, 2, 0, 1];

function info(x: number[], filter: number[], a: tf.NamedAttrMap, dilations: unknown = a['dilations'] ?? 1): Info {
  return tf.backend_util.computeConv2DInfo(
    x as [number, number, number, number], filter as [number, number, number, number],
    a['strides'] as [number, number], dilations as [number, number],
    a['pad'] as 'same', a['dimRoundingMode'] as 'floor' | undefined,
  );
}

const nhwc = (a: tf.NamedAttrMap) => (a['dataFormat'] ?? 'NHWC') === 'NHWC';
const pads = (i: Info) => [i.padInfo.top, i.padInfo.left, i.padInfo.bottom, i.padInfo.right];

/** relu, relu6, elu, sigmoid, leakyrelu, prelu or linear after a fused op. */
export function activation(g: GraphBuilder, y: string, c: OpContext, prelu?: string): string {
  switch ((c.attrs['activation'] as string | undefined) ?? 'linear') {
    case 'linear': return y;
    case 'relu': return g.op('Relu', [y]);
    case 'relu6': return g.op('Clip', [y, g.scalar(0), g.scalar(6)]);
    case 'elu': return g.op('Elu', [y]);
    case 'sigmoid': return g.op('Sigmoid', [y]);
    case 'leakyrelu': return g.op('LeakyRelu', [y], { alpha: { float: (c.attrs['leakyreluAlpha'] as number) ?? 0.2 } });
    case 'prelu': return g.op('PRelu', [y, prelu!]);
    default: throw new Error(`ganbox internal error: activation ${String(c.attrs['activation'])}`);
  }
}
export const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'];

/** x as NCHW: as it is when already NCHW, else transposed from NHWC. */
const toNchw = (g: GraphBuilder, x: string, nchw: boolean | undefined) => (nchw ? x : g.op('Transpose', [x], { perm: NHWC_TO_NCHW }));

function conv(g: GraphBuilder, x: string, w: string, i: Info, bias?: string): string {
  const wt = g.op('Transpose', [w], { perm: FILTER_TO_OIHW });
  return g.op('Conv', bias ? [x, wt, bias] : [x, wt], {
    kernel_shape: [i.filterHeight, i.filterWidth], strides: [i.strideHeight, i.strideWidth],
    dilations: [i.dilationHeight, i.dilationWidth], pads: pads(i),
  }); // NCHW
}

const convCost = (c: OpContext) => 2 * size(c.outs[0]!.shape) * c.shapes[1]![0]! * c.shapes[1]![1]! * c.shapes[1]![2]!;
const float = (d: string[]) => d.every((x) => x === 'float32');

/** An NCHW-emitting mapping, plus `emit` for NHWC callers (transposes in and out). */
function nchwConv(m: Omit<OpMapping, 'emit'> & { emitNchw: NonNullable<OpMapping['emitNchw']> }): OpMapping {
  return { ...m, emit: (g, ins, c) => m.emitNchw(g, ins, c, ins.map(() => false)).map((y) => g.op('Transpose', [y], { perm: NCHW_TO_NHWC })) };
}

export const CONV: Record<string, OpMapping> = {
  Conv2D: nchwConv({
    inputs: ['x', 'filter'],
    supports: (_s, d, a) => float(d) && nhwc(a),
    infer: (s, _d, a) => { const i = info(s[0]!, s[1]!, a); return [{ shape: [i.batchSize, i.outHeight, i.outWidth, i.outChannels], dtype: 'float32' }]; },
    emitNchw: (g, [x, w], c, nchw) => [conv(g, toNchw(g, x!, nchw[0]), w!, info(c.shapes[0]!, c.shapes[1]!, c.attrs))],
    cost: convCost,
  }),
  FusedConv2D: nchwConv({
    inputs: ['x', 'filter', 'bias?', 'preluActivationWeights?'],
    supports: (s, d, a) => float(d) && nhwc(a) && ACTIVATIONS.includes((a['activation'] as string) ?? 'linear') &&
      (a['activation'] !== 'prelu') && (s[2] === undefined || s[2].length <= 1 || s[2].slice(0, -1).every((n) => n === 1)),
    infer: (s, _d, a) => { const i = info(s[0]!, s[1]!, a); return [{ shape: [i.batchSize, i.outHeight, i.outWidth, i.outChannels], dtype: 'float32' }]; },
    emitNchw: (g, [x, w, b], c, nchw) => {
      const i = info(c.shapes[0]!, c.shapes[1]!, c.attrs);
      let bias = b;
      if (b && c.shapes[2]!.length !== 1) bias = g.op('Reshape', [b, g.ints([size(c.shapes[2]!)])]);
      if (b && size(c.shapes[2]!) === 1 && i.outChannels !== 1) bias = g.op('Expand', [bias!, g.ints([i.outChannels])]);
      return [activation(g, conv(g, toNchw(g, x!, nchw[0]), w!, i, bias), c)];
    },
    cost: convCost,
  }),
  Conv2DBackpropInput: nchwConv({
    inputs: ['dy', 'filter'],
    supports: (_s, d, a) => float(d) && nhwc(a),
    infer: (_s, _d, a) => [{ shape: [...(a['inputShape'] as number[])], dtype: 'float32' }],
    emitNchw: (g, [dy, w], c, nchw) => {
      const xShape = c.attrs['inputShape'] as number[];
      const i = info(xShape, c.shapes[1]!, c.attrs, 1);
      const reach = (o: number, s: number, k: number, p0: number, p1: number) => s * (o - 1) + k - p0 - p1;
      const outPad = [
        xShape[1]! - reach(i.outHeight, i.strideHeight, i.filterHeight, i.padInfo.top, i.padInfo.bottom),
        xShape[2]! - reach(i.outWidth, i.strideWidth, i.filterWidth, i.padInfo.left, i.padInfo.right),
      ];
      return [g.op('ConvTranspose', [toNchw(g, dy!, nchw[0]), g.op('Transpose', [w!], { perm: FILTER_TO_OIHW })], {
        kernel_shape: [i.filterHeight, i.filterWidth], strides: [i.strideHeight, i.strideWidth], pads: pads(i),
        output_padding: outPad.some((p) => p !== 0) ? outPad : undefined,
      })];
    },
    cost: (c) => 2 * size(c.shapes[0]!) * c.shapes[1]![0]! * c.shapes[1]![1]! * c.shapes[1]![2]!,
  }),
  /** Its output is a filter, not an activation: `emitNchw` takes NCHW inputs but returns [KH, KW, C, CO]. */
  Conv2DBackpropFilter: {
    inputs: ['x', 'dy'],
    supports: (_s, d, a) => float(d) && nhwc(a),
    infer: (_s, _d, a) => [{ shape: [...(a['filterShape'] as number[])], dtype: 'float32' }],
    emit: (g, ins, c) => filterGrad(g, ins, c, [false, false]),
    emitNchw: (g, ins, c, nchw) => filterGrad(g, ins, c, nchw),
    plainOutputs: true,
    cost: (c) => 2 * size(c.shapes[1]!) * c.outs[0]!.shape[0]! * c.outs[0]!.shape[1]! * c.outs[0]!.shape[2]!,
  },
};

function filterGrad(g: GraphBuilder, [x, dy]: string[], c: OpContext, nchw: boolean[]): string[] {
  const fs = c.attrs['filterShape'] as number[];
  const i = info(c.shapes[0]!, fs, c.attrs, 1);
  // [C, B, H, W] and [CO, B, OH, OW], from NHWC or NCHW.
  const xc = g.op('Transpose', [x!], { perm: nchw[0] ? [1, 0, 2, 3] : [3, 0, 1, 2] });
  const dw = g.op('Transpose', [dy!], { perm: nchw[1] ? [1, 0, 2, 3] : [3, 0, 1, 2] });
  let y = g.op('Conv', [xc, dw], {
    kernel_shape: [i.outHeight, i.outWidth], dilations: [i.strideHeight, i.strideWidth], strides: [1, 1], pads: pads(i),
  }); // [C, CO, ≥KH, ≥KW]
  const hp = c.shapes[0]![1]! + i.padInfo.top + i.padInfo.bottom - (i.outHeight - 1) * i.strideHeight;
  const wp = c.shapes[0]![2]! + i.padInfo.left + i.padInfo.right - (i.outWidth - 1) * i.strideWidth;
  if (hp !== fs[0] || wp !== fs[1]) y = g.op('Slice', [y, g.ints([0, 0]), g.ints([fs[0]!, fs[1]!]), g.ints([2, 3])]);
  return [g.op('Transpose', [y], { perm: [2, 3, 0, 1] })];
}
