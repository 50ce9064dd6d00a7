/**
 * A `Conv2DBackpropFilter` kernel for the wasm backend, which has none in tfjs 4.22.
 *
 * Same identity as conv2d-filter-grad.ts (Dumoulin & Visin 2016, §4):
 *   dw = transpose( conv2d_valid( window(transpose(x, [3,1,2,0])), transpose(dy, [1,2,0,3]),
 *                                 stride = forward dilation, dilation = forward stride ), [1,2,0,3] )
 * but composed from the wasm backend's own kernels (Transpose, Slice, PadV2, Conv2D) instead of
 * tf ops, since a kernel may not call ops. Our Conv2D gradient does not need it; it exists for code
 * that calls the op directly — tf.conv2DBackpropFilter, the fused conv2d's gradient (used by
 * tfjs-layers' Conv2D with a bias) and tf's own Conv2DBackpropInput gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import { convGeometry, type Shape4 } from './conv-geometry.js';

type Info = tf.TensorInfo;

function run(name: string, backend: tf.KernelBackend, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): Info {
  const k = tf.getKernel(name, 'wasm');
  if (k === undefined) throw new Error(`ganbox internal error: wasm kernel ${name} missing`);
  return k.kernelFunc({ inputs, backend, attrs }) as Info;
}

const kernelFunc: tf.KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as tf.KernelBackend;
  const { x, dy } = inputs as { x: Info; dy: Info };
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (a.dataFormat === 'NCHW') throw new Error("ganbox: Conv2DBackpropFilter on wasm supports only dataFormat 'NHWC'");
  const g = convGeometry(x.shape as Shape4, a.filterShape, a.strides, a.pad, 1, a.dimRoundingMode);
  const [, h, w] = x.shape as Shape4;
  const temps: Info[] = [];
  const keep = (t: Info): Info => (temps.push(t), t);
  try {
    let xt = keep(run('Transpose', backend, { x }, { perm: [3, 1, 2, 0] })); // [C, H, W, B]
    // Cut the rows/columns the forward pass never reads, then zero-pad to the needH × needW window.
    const keepH = Math.min(h, g.needH - g.top);
    const keepW = Math.min(w, g.needW - g.left);
    if (keepH < h || keepW < w) {
      xt = keep(run('Slice', backend, { x: xt }, { begin: [0, 0, 0, 0], size: [-1, keepH, keepW, -1] }));
    }
    const paddings = [[0, 0], [g.top, g.needH - g.top - keepH], [g.left, g.needW - g.left - keepW], [0, 0]];
    if (paddings.some(([p, q]) => p! > 0 || q! > 0)) {
      xt = keep(run('PadV2', backend, { x: xt }, { paddings, constantValue: 0 }));
    }
    const f = keep(run('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] })); // [OH, OW, B, CO]
    const r = keep(run('Conv2D', backend, { x: xt, filter: f }, {
      strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [g.sh, g.sw],
    })); // [C, KH, KW, CO]
    return run('Transpose', backend, { x: r }, { perm: [1, 2, 0, 3] }); // [KH, KW, C, CO]
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
};

export const conv2dBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc,
};
