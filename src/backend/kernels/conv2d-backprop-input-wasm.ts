/**
 * A fast `Conv2DBackpropInput` (transposed convolution) kernel for the wasm backend: the
 * sub-pixel decomposition into stride-1 convolutions of the SMALL input, then an interleave.
 * No zeros are inserted and no multiply touches a known zero.
 *
 * tf.conv2dTranspose(dy, w, [B, H, W, C], s, pad) is the adjoint of y = conv2d(x, w, s, pad)
 * (Dumoulin & Visin 2016, "A guide to convolution arithmetic for deep learning", §4):
 *   dx[b, h, v, c] = Σ_{p, q, o} dy[b, i, j, o] · w[p, q, c, o]   over  h + top = i·sh + p,  v + left = j·sw + q
 * with w [KH, KW, C, CO] and dy [B, OH, OW, CO]. Write the padded output row u = h + top as
 * u = sh·m + r (0 ≤ r < sh). Then p ≡ r (mod sh): p = r + sh·t, i = m − t, and
 *   dx[u = sh·m + r] = Σ_{t = 0}^{T−1} dy[m − t] · w_r[t],   w_r[t] = w[r + sh·t]  (0 when r + sh·t ≥ KH),
 * T = ⌈KH / sh⌉ — for each residue r a stride-1 correlation of dy with the flipped sub-kernel
 * w_r[T − 1 − t] (columns likewise). The sh·sw residues' sub-kernels stacked along the output
 * channels form F[T_h, T_w, CO, sh·sw·C] (channel (r_h·sw + r_w)·C + c, subPixelFilter), and the
 * residue channels are interleaved into space — the periodic shuffle of Shi et al. 2016
 * ("Real-Time Single Image and Video Super-Resolution Using an Efficient Sub-Pixel Convolutional
 * Neural Network", eq. 4) — by one Transpose (interleave).
 *
 * Two ways to run the convolutions (useExact picks; both tested on odd shapes against cpu):
 * - combined: ONE convolution with all sh·sw·C output channels over m ∈ [⌊top/sh⌋, ⌈(top + H)/sh⌉)
 *   (dy rows outside [0, OH) are the convolution's explicit zero padding; unused ones are sliced
 *   off), interleave, then crop the H rows from u = top. Any shape; for k 4, s 2, 'same' it
 *   computes M = OH + 1 rows (15–30% extra multiplies). Best when C is small (the DCGAN's 64→1).
 * - exact (sh | H, sw | W, C ≥ 8): one convolution per OUTPUT residue (ρ_h, ρ_w), each over
 *   exactly H/sh × W/sw positions with its own padding, concatenated along channels, interleaved:
 *   no extra multiplies, no crop. The DCGAN's 128→64 layer: 36 ms against 42 ms combined and
 *   202 ms for tfjs-backend-wasm 4.22's own kernel (batch 64, 2 threads).
 *
 * Handles any stride, 'same'/'valid'/numeric/explicit padding, any kernel size (sub-kernels of
 * kernels smaller than the stride are zero), batch 1, non-square shapes; NCHW and inconsistent
 * shapes go to the backend's original kernel. Composed only of the wasm backend's kernels
 * (PadV2, Transpose, Reverse, Slice, Conv2D, Concat, Reshape), never tf ops. Gradients are not
 * affected: the engine differentiates Conv2DBackpropInput with its registered gradient
 * (conv2d-grads.ts), whatever kernel computes the value.
 */
import * as tf from '@tensorflow/tfjs-core';
import { convGeometry, type Shape4 } from './conv-geometry.js';
import { replaceWasmKernel, view, withScope, type Info, type KernelScope } from './wasm-run.js';

/**
 * w [KH, KW, C, CO] → F [T_h, T_w, CO, sh·sw·C] with
 *   F[T_h−1−t_h, T_w−1−t_w, o, (r_h·sw + r_w)·C + c] = w[r_h + sh·t_h, r_w + sw·t_w, c, o]  (0 outside w).
 */
export function subPixelFilter(s: KernelScope, w: Info, sh: number, sw: number): Info {
  const [kh, kw, c, co] = w.shape as Shape4;
  const th = Math.ceil(kh / sh), tw = Math.ceil(kw / sw);
  let f = w;
  if (th * sh > kh || tw * sw > kw) {
    f = s.run('PadV2', { x: f }, { paddings: [[0, th * sh - kh], [0, tw * sw - kw], [0, 0], [0, 0]], constantValue: 0 });
  } // (t_h, r_h, t_w, r_w, c, o)
  if (c > 1 && co > 1) {
    f = s.run('Transpose', { x: view(f, [th * sh * tw * sw, c, co]) }, { perm: [0, 2, 1] });
  } // (t_h, r_h, t_w, r_w, o, c)
  if (sh > 1 && tw > 1) {
    f = s.run('Transpose', { x: view(f, [th, sh, tw, sw * co * c]) }, { perm: [0, 2, 1, 3] });
  } // (t_h, t_w, r_h, r_w, o, c)
  if (sh * sw > 1 && co > 1) {
    f = s.run('Transpose', { x: view(f, [th * tw, sh * sw, co, c]) }, { perm: [0, 2, 1, 3] });
  } // (t_h, t_w, o, r_h, r_w, c)
  if (th > 1 || tw > 1) {
    f = s.run('Reverse', { x: view(f, [th, tw, co * sh * sw * c]) }, { dims: [0, 1] });
  }
  return view(f, [th, tw, co, sh * sw * c]);
}

/** The rows (or columns) of dy one axis needs, and how the output is cut from the interleave. */
function axisPlan(outSize: number, dySize: number, k: number, s: number, before: number) {
  const t = Math.ceil(k / s);
  const m0 = Math.floor(before / s);
  const m = Math.ceil((before + outSize) / s) - m0;
  const lo = m0 - t + 1; // first dy index the window reads (may be < 0: zero padding)
  const hi = m0 + m; // one past the last
  const start = Math.max(0, lo), end = Math.min(dySize, hi);
  return { m, start, end, padFront: start - lo, padBack: hi - end, offset: before - m0 * s };
}

/**
 * y [B, M, N, sh·sw·C] with channel (r_h·sw + r_w)·C + c → [B, M·sh, N·sw, C], out[b, m·sh + r_h,
 * n·sw + r_w, c] = y[b, m, n, (r_h·sw + r_w)·C + c]: a Transpose of the view [B·M, N, sh, sw·C]
 * with perm [0, 2, 1, 3]. (The backend's DepthToSpace does the same for sh = sw but is ~100×
 * slower: 70 ms against 0.5 ms for [64, 8, 8, 256].)
 */
function interleave(s: KernelScope, y: Info, sh: number, sw: number): Info {
  const [b, m, n, ch] = y.shape as Shape4;
  const c = ch / (sh * sw);
  const out = [b, m * sh, n * sw, c];
  if (sh === 1) return s.run('Reshape', { x: y }, { shape: out }); // already in place
  const t = s.run('Transpose', { x: view(y, [b * m, n, sh, sw * c]) }, { perm: [0, 2, 1, 3] });
  return s.run('Reshape', { x: t }, { shape: out }); // shares t's data
}

/**
 * When sh | H and sw | W: one exact stride-1 convolution per output residue (ρ_h, ρ_w), each with
 * its own zero padding, concatenated along channels and interleaved — no wasted rows, no crop.
 */
function exactResidues(
  s: KernelScope, dy: Info, f: Info, xShape: Shape4, kh: number, kw: number, sh: number, sw: number, top: number, left: number,
): Info | undefined {
  const [b, h, w, c] = xShape;
  const [, oh, ow, co] = dy.shape as Shape4;
  const th = Math.ceil(kh / sh), tw = Math.ceil(kw / sw);
  const plan = [];
  for (let ph = 0; ph < sh; ph++) {
    for (let pw = 0; pw < sw; pw++) {
      const rh = (ph + top) % sh, rw = (pw + left) % sw;
      const rowsP = axisWindow(h / sh, oh, th, Math.floor((ph + top) / sh));
      const colsP = axisWindow(w / sw, ow, tw, Math.floor((pw + left) / sw));
      if (rowsP.end <= rowsP.start || colsP.end <= colsP.start) return undefined; // reads only padding
      plan.push({ rh, rw, rowsP, colsP });
    }
  }
  const parts: Info[] = [];
  for (const { rh, rw, rowsP, colsP } of plan) {
    const fr = s.run('Slice', { x: f }, { begin: [0, 0, 0, (rh * sw + rw) * c], size: [th, tw, co, c] });
    let x = dy;
    if (rowsP.start > 0 || rowsP.end < oh || colsP.start > 0 || colsP.end < ow) {
      x = s.run('Slice', { x }, { begin: [0, rowsP.start, colsP.start, 0], size: [b, rowsP.end - rowsP.start, colsP.end - colsP.start, co] });
    }
    parts.push(s.run('Conv2D', { x, filter: fr }, {
      strides: [1, 1], dilations: [1, 1], dataFormat: 'NHWC',
      pad: [[0, 0], [rowsP.padFront, rowsP.padBack], [colsP.padFront, colsP.padBack], [0, 0]],
    }));
  }
  const y = s.run('Concat', parts as unknown as tf.NamedTensorInfoMap, { axis: 3 });
  return interleave(s, y, sh, sw); // [B, H, W, C]
}

/**
 * Exact per-residue convolutions pay off when each has enough output channels for XNNPACK's
 * micro-kernels; with few (the DCGAN's 64→1 layer) one combined convolution is faster.
 * Measured (batch 64, 2 threads, A/B alternated): 128→64, 7→14: exact 36 ms, combined 42 ms
 * (native 202 ms); 64→1, 14→28: exact 12 ms, combined 5 ms (native 7 ms).
 */
export function useExact([, h, w, c]: Shape4, sh: number, sw: number): boolean {
  return sh * sw > 1 && h % sh === 0 && w % sw === 0 && c >= 8;
}

function axisWindow(k: number, dySize: number, t: number, d: number) {
  const lo = d - t + 1, hi = d + k;
  const start = Math.max(0, lo), end = Math.min(dySize, hi);
  return { start, end, padFront: start - lo, padBack: hi - end };
}

function makeKernel(original: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const { inputs, attrs } = args;
    const backend = args.backend as tf.KernelBackend;
    const { dy, filter } = inputs as { dy: Info; filter: Info };
    const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const xShape = a.inputShape as Shape4;
    if (a.dataFormat === 'NCHW' || dy.shape.length !== 4 || filter.shape.length !== 4 || xShape.length !== 4) {
      return original.kernelFunc(args);
    }
    const g = convGeometry(xShape, filter.shape as Shape4, a.strides, a.pad, 1, a.dimRoundingMode);
    const [b, h, w, c] = xShape;
    const [, oh, ow, co] = dy.shape as Shape4;
    const rows = axisPlan(h, oh, g.kh, g.sh, g.top);
    const cols = axisPlan(w, ow, g.kw, g.sw, g.left);
    if (oh !== g.oh || ow !== g.ow || co !== filter.shape[3] || c !== filter.shape[2] ||
        rows.end <= rows.start || cols.end <= cols.start) {
      return original.kernelFunc(args);
    }
    return withScope(backend, (s) => {
      const f = subPixelFilter(s, filter, g.sh, g.sw); // [T_h, T_w, CO, sh·sw·C]
      const exact = useExact(xShape, g.sh, g.sw) ? exactResidues(s, dy, f, xShape, g.kh, g.kw, g.sh, g.sw, g.top, g.left) : undefined;
      if (exact !== undefined) return s.release(exact);
      let x = dy;
      if (rows.start > 0 || rows.end < oh || cols.start > 0 || cols.end < ow) {
        x = s.run('Slice', { x }, { begin: [0, rows.start, cols.start, 0], size: [b, rows.end - rows.start, cols.end - cols.start, co] });
      }
      const y = s.run('Conv2D', { x, filter: f }, {
        strides: [1, 1], dilations: [1, 1], dataFormat: 'NHWC',
        pad: [[0, 0], [rows.padFront, rows.padBack], [cols.padFront, cols.padBack], [0, 0]],
      }); // [B, M, N, sh·sw·C]
      const fullH = rows.m * g.sh, fullW = cols.m * g.sw;
      const z = interleave(s, y, g.sh, g.sw); // [B, M·sh, N·sw, C]
      if (rows.offset === 0 && cols.offset === 0 && fullH === h && fullW === w) return s.release(z);
      return s.release(s.run('Slice', { x: z }, { begin: [0, rows.offset, cols.offset, 0], size: [b, h, w, c] }));
    });
  };
}

/** Replaces the wasm Conv2DBackpropInput kernel with the sub-pixel one (idempotent). */
export function installConv2dBackpropInputWasm(): void {
  replaceWasmKernel(tf.Conv2DBackpropInput, makeKernel);
}
