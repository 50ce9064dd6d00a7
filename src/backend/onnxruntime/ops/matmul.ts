/**
 * Matrix products and batch normalisation.
 * - BatchMatMul, _FusedMatMul: ONNX MatMul (numpy broadcasting of the batch dimensions) on
 *   operands transposed in their last two axes when asked; onnxruntime fuses the Transposes into
 *   its FusedMatMul (one MLAS SGEMM with transA/transB).
 * - FusedBatchNorm: y = offset + (x − mean) · scale / sqrt(variance + ε) (Ioffe & Szegedy 2015,
 *   Algorithm 1's last line), written in the same order of operations as tfjs's cpu kernel.
 */
import { broadcast, size, type OpMapping } from './types.js';
import { activation, ACTIVATIONS } from './conv.js';

const swapLast = (rank: number) => [...Array(rank - 2).keys(), rank - 1, rank - 2];

function matmulShape(s: number[][], ta: boolean, tb: boolean): number[] {
  const [a, b] = [s[0]!, s[1]!];
  const m = ta ? a[a.length - 1]! : a[a.length - 2]!;
  const n = tb ? b[b.length - 2]! : b[b.length - 1]!;
  return [...broadcast(a.slice(0, -2), b.slice(0, -2)), m, n];
}

const matmulCost = (c: { shapes: number[][]; attrs: Record<string, unknown>; outs: { shape: number[] }[] }) => {
  const a = c.shapes[0]!;
  const k = c.attrs['transposeA'] ? a[a.length - 2]! : a[a.length - 1]!;
  return 2 * size(c.outs[0]!.shape) * k;
};

function product(g: Parameters<OpMapping['emit']>[0], a: string, b: string, c: Parameters<OpMapping['emit']>[2]): string {
  const ta = c.attrs['transposeA'] ? g.op('Transpose', [a], { perm: swapLast(c.shapes[0]!.length) }) : a;
  const tb = c.attrs['transposeB'] ? g.op('Transpose', [b], { perm: swapLast(c.shapes[1]!.length) }) : b;
  return g.op('MatMul', [ta, tb]);
}

export const MATMUL: Record<string, OpMapping> = {
  BatchMatMul: {
    inputs: ['a', 'b'],
    supports: (s, d) => d[0] === 'float32' && d[1] === 'float32' && s[0]!.length >= 2 && s[1]!.length >= 2,
    infer: (s, _d, a) => [{ shape: matmulShape(s, Boolean(a['transposeA']), Boolean(a['transposeB'])), dtype: 'float32' }],
    emit: (g, [a, b], c) => [product(g, a!, b!, c)],
    cost: matmulCost,
  },
  _FusedMatMul: {
    inputs: ['a', 'b', 'bias?', 'preluActivationWeights?'],
    supports: (s, d, a) => d.every((x) => x === 'float32') && s[0]!.length >= 2 && s[1]!.length >= 2 &&
      ACTIVATIONS.includes((a['activation'] as string) ?? 'linear'),
    infer: (s, _d, a) => [{ shape: matmulShape(s, Boolean(a['transposeA']), Boolean(a['transposeB'])), dtype: 'float32' }],
    emit: (g, [a, b, bias, p], c) => {
      let y = product(g, a!, b!, c);
      if (bias) y = g.op('Add', [y, bias]);
      return [activation(g, y, c, p)];
    },
    cost: matmulCost,
  },
  FusedBatchNorm: {
    inputs: ['x', 'mean', 'variance', 'offset?', 'scale?'],
    layout: 'elementwise',
    supports: (s, d) => d.every((x) => x === 'float32') && s.slice(1).every((x) => x !== undefined && broadcast(s[0]!, x).join() === s[0]!.join()),
    infer: (s) => [{ shape: s[0]!, dtype: 'float32' }],
    emit: (g, [x, mean, variance, offset, scale], c) => {
      let y = g.op('Sub', [x!, mean!]);
      if (scale) y = g.op('Mul', [y, scale]);
      y = g.op('Div', [y, g.op('Sqrt', [g.op('Add', [variance!, g.scalar((c.attrs['varianceEpsilon'] as number) ?? 0.001)])])]);
      return [offset ? g.op('Add', [offset, y]) : y];
    },
    cost: (c) => 4 * size(c.shapes[0]!),
  },
};
