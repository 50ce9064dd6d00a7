/**
 * Plain-loop convolution and its gradients, straight from the definition (float64 sums), as an
 * independent reference: NHWC, y[b,i,j,o] = Σ_{p,q,c} xpad[b, i·sh + p·dh, j·sw + q·dw, c]·w[p,q,c,o].
 * Padding comes from tfjs's computeConv2DInfo, which is tfjs's definition of 'same'/'valid'.
 */
import * as tf from '@tensorflow/tfjs-core';

export type S4 = [number, number, number, number];
export interface ConvSpec {
  x: S4; w: S4; strides: number | [number, number];
  pad: 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
  dilations?: number | [number, number];
}

/** Visits every (x index, w index, y index) triple that the forward pass multiplies together. */
function each(spec: ConvSpec, f: (xi: number, wi: number, yi: number) => void): S4 {
  const info = tf.backend_util.computeConv2DInfo(spec.x, spec.w, spec.strides, spec.dilations ?? 1, spec.pad);
  const [B, H, W, C] = spec.x;
  const [KH, KW, , CO] = spec.w;
  const { outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  for (let b = 0; b < B; b++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
    for (let p = 0; p < KH; p++) {
      const h = i * sh + p * dh - top;
      if (h < 0 || h >= H) continue;
      for (let q = 0; q < KW; q++) {
        const v = j * sw + q * dw - left;
        if (v < 0 || v >= W) continue;
        for (let c = 0; c < C; c++) {
          const xi = ((b * H + h) * W + v) * C + c;
          const wb = ((p * KW + q) * C + c) * CO;
          const yb = ((b * OH + i) * OW + j) * CO;
          for (let o = 0; o < CO; o++) f(xi, wb + o, yb + o);
        }
      }
    }
  }
  return [B, OH, OW, CO];
}

export function outShape(spec: ConvSpec): S4 {
  return each({ ...spec, x: [0, spec.x[1], spec.x[2], spec.x[3]] }, () => {}).map((d, k) => (k === 0 ? spec.x[0] : d)) as S4;
}

export function refConv(spec: ConvSpec, x: Float32Array, w: Float32Array): Float64Array {
  const y = new Float64Array(outShape(spec).reduce((a, b) => a * b, 1));
  each(spec, (xi, wi, yi) => { y[yi]! += x[xi]! * w[wi]!; });
  return y;
}

export function refInputGrad(spec: ConvSpec, dy: Float32Array, w: Float32Array): Float64Array {
  const dx = new Float64Array(spec.x.reduce((a, b) => a * b, 1));
  each(spec, (xi, wi, yi) => { dx[xi]! += dy[yi]! * w[wi]!; });
  return dx;
}

export function refFilterGrad(spec: ConvSpec, x: Float32Array, dy: Float32Array): Float64Array {
  const dw = new Float64Array(spec.w.reduce((a, b) => a * b, 1));
  each(spec, (xi, wi, yi) => { dw[wi]! += x[xi]! * dy[yi]!; });
  return dw;
}
