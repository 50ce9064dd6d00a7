/**
 * A tfjs-layers model (a chain or tree of stock layers, as every ganbox network is) → ONNX nodes
 * in NCHW. tfjs computes in NHWC; ONNX's Conv/ConvTranspose/pools/BatchNormalization want NCHW,
 * so images are NCHW inside the graph and the callers add at most one Transpose at each end.
 *
 * Layout bookkeeping:
 *   - a 4-D tensor is NCHW here where tfjs has NHWC;
 *   - a flat tensor may hold its features in another order than tfjs's (`order[k]` = the tfjs
 *     index of ONNX column k): Flatten of NCHW gives C·H·W order where tfjs's gives H·W·C, and a
 *     Dense whose output is reshaped to an image writes its columns in C·H·W order so that the
 *     Reshape lands on NCHW directly. The Dense that reads such a tensor permutes its kernel rows
 *     instead of transposing activations; BatchNorm permutes its parameters.
 * Supported layers: InputLayer, Dense, Conv2D, Conv2DTranspose, BatchNormalization (inference:
 * moving statistics), ReLU, LeakyReLU, Activation (linear, relu, tanh, sigmoid, softmax),
 * MaxPooling2D, Flatten, Reshape (rank 1 → 3), Dropout (the identity at inference), and the
 * merges of the conditional generators (models/conditioning.ts): Concatenate of flat tensors (z,
 * labels, codes), Add and Multiply (element-wise, broadcasting a [1, 1, C] map over [H, W, C]).
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { ConfigError } from '../errors.js';
import type { Dim, GraphBuilder } from './graph.js';

/** A converted tensor: its ONNX name, tfjs per-example shape, and layout. */
export interface Converted {
  name: string;
  /** tfjs's per-example shape: [d] or [h, w, c]. */
  shape: number[];
  /** Flat tensors only: ONNX column k holds tfjs feature order[k] (undefined: the same order). */
  order?: Int32Array;
}

type Layer = tfl.layers.Layer;
type Config = Record<string, unknown>;

/** The layer's weights by their short name ('kernel', 'bias', 'gamma', 'moving_mean', …) as float32. */
function weightsOf(layer: Layer): Record<string, { values: Float32Array; shape: number[] }> {
  const out: Record<string, { values: Float32Array; shape: number[] }> = {};
  const tensors = layer.getWeights();
  layer.weights.forEach((w, i) => {
    const short = w.originalName.split('/').pop()!;
    out[short] = { values: tensors[i]!.dataSync() as Float32Array, shape: tensors[i]!.shape };
  });
  return out;
}

/** NHWC flat index → NCHW flat index permutation: order[k] (k in C·H·W order) = tfjs H·W·C index. */
export function chwOrder(h: number, w: number, c: number): Int32Array {
  const order = new Int32Array(h * w * c);
  for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    order[(ch * h + y) * w + x] = (y * w + x) * c + ch;
  }
  return order;
}

/** TensorFlow's 'same' padding for one spatial axis: [before, after] (before = ⌊total/2⌋). */
export function samePads(input: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(input / stride);
  const total = Math.max((out - 1) * stride + kernel - input, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** The Reshape to rank 3 that a Dense's output reaches through element-wise layers only, if any. */
function reshapeAhead(layer: Layer): number[] | undefined {
  let l: Layer = layer;
  for (;;) {
    if (l.outboundNodes.length !== 1) return undefined;
    const next = l.outboundNodes[0]!.outboundLayer;
    const cls = next.getClassName();
    if (cls === 'Reshape') {
      const t = (next.getConfig() as Config).targetShape as number[];
      return t.length === 3 ? t : undefined;
    }
    if (!['ReLU', 'LeakyReLU', 'Activation', 'Dropout'].includes(cls)) return undefined;
    l = next;
  }
}

function activation(g: GraphBuilder, x: string, act: string | undefined, base: string): string {
  switch (act ?? 'linear') {
    case 'linear': return x;
    case 'relu': return g.op('Relu', [x], {}, base);
    case 'tanh': return g.op('Tanh', [x], {}, base);
    case 'sigmoid': return g.op('Sigmoid', [x], {}, base);
    case 'softmax': return g.op('Softmax', [x], { axis: -1 }, base);
    default: throw new ConfigError(`ONNX export: activation '${act}' is not supported (linear, relu, tanh, sigmoid, softmax)`);
  }
}

/** Dense: y = x·W + b (Gemm). Rows permuted to the input's order, columns to C·H·W if reshaped ahead. */
function dense(g: GraphBuilder, layer: Layer, x: Converted): Converted {
  const cfg = layer.getConfig() as Config;
  const w = weightsOf(layer);
  const [inDim, units] = w.kernel!.shape as [number, number];
  let kernel = w.kernel!.values;
  let bias = w.bias?.values;
  if (x.order) { // kernel rows follow the input's column order
    const k = new Float32Array(kernel.length);
    for (let r = 0; r < inDim; r++) k.set(kernel.subarray(x.order[r]! * units, (x.order[r]! + 1) * units), r * units);
    kernel = k;
  }
  const target = reshapeAhead(layer);
  let order: Int32Array | undefined;
  if (target) {
    order = chwOrder(target[0]!, target[1]!, target[2]!);
    const k = new Float32Array(kernel.length);
    for (let r = 0; r < inDim; r++) for (let c = 0; c < units; c++) k[r * units + c] = kernel[r * units + order[c]!]!;
    kernel = k;
    if (bias) bias = Float32Array.from(order, (i) => bias![i]!);
  }
  const inputs = [x.name, g.floats(`${layer.name}.kernel`, kernel, [inDim, units])];
  if (bias) inputs.push(g.floats(`${layer.name}.bias`, bias, [units]));
  const y = g.op('Gemm', inputs, {}, layer.name);
  return { name: activation(g, y, cfg.activation as string, `${layer.name}.act`), shape: [units], order };
}

/** Conv2D: tfjs kernel [kh, kw, in, out] → ONNX [out, in, kh, kw]; 'same' as explicit TF pads. */
function conv2d(g: GraphBuilder, layer: Layer, x: Converted, transpose: boolean): Converted {
  const cfg = layer.getConfig() as Config;
  const w = weightsOf(layer);
  const [kh, kw, a, b] = w.kernel!.shape as [number, number, number, number];
  const [cin, cout] = transpose ? [b, a] : [a, b]; // transposed: tfjs kernel [kh, kw, out, in]
  const strides = cfg.strides as number[];
  const dil = (cfg.dilationRate as number[] | number | undefined) ?? 1;
  if ((Array.isArray(dil) ? dil : [dil]).some((d) => d !== 1)) throw new ConfigError(`ONNX export: ${layer.name} has a dilation rate; not supported`);
  const [h, wd] = x.shape as [number, number, number];
  const k = w.kernel!.values;
  // Both ONNX layouts index [first, second, y, x]: Conv [out, in, …], ConvTranspose [in, out, …].
  const onnxK = new Float32Array(k.length);
  const [d0, d1] = transpose ? [cin, cout] : [cout, cin];
  for (let i = 0; i < d0; i++) for (let j = 0; j < d1; j++) for (let y = 0; y < kh; y++) for (let q = 0; q < kw; q++) {
    // tfjs index [y, q, in, out] (conv) or [y, q, out, in] (transposed): both are [y, q, j, i] here.
    onnxK[((i * d1 + j) * kh + y) * kw + q] = k[((y * kw + q) * d1 + j) * d0 + i]!;
  }
  const same = cfg.padding === 'same';
  let pads = [0, 0, 0, 0];
  let outH: number, outW: number;
  if (!transpose) {
    if (same) {
      const [t, bt] = samePads(h, kh, strides[0]!), [l, r] = samePads(wd, kw, strides[1]!);
      pads = [t, l, bt, r];
    }
    outH = Math.floor((h + pads[0]! + pads[2]! - kh) / strides[0]!) + 1;
    outW = Math.floor((wd + pads[1]! + pads[3]! - kw) / strides[1]!) + 1;
  } else {
    // Compat: tfjs/TF conv2dTranspose 'same' gives in·s and crops as the gradient of a 'same'
    // conv: total max(k − s, 0), ⌊total/2⌋ before (k = 4, s = 2: one pixel each side, PyTorch's padding=1).
    if (same) {
      const t = Math.max(kh - strides[0]!, 0), l = Math.max(kw - strides[1]!, 0);
      pads = [Math.floor(t / 2), Math.floor(l / 2), t - Math.floor(t / 2), l - Math.floor(l / 2)];
    }
    outH = strides[0]! * (h - 1) + kh - pads[0]! - pads[2]!;
    outW = strides[1]! * (wd - 1) + kw - pads[1]! - pads[3]!;
  }
  const inputs = [x.name, g.floats(`${layer.name}.kernel`, onnxK, [d0, d1, kh, kw])];
  if (w.bias) inputs.push(g.floats(`${layer.name}.bias`, w.bias.values, [cout]));
  const y = g.op(transpose ? 'ConvTranspose' : 'Conv', inputs, { kernel_shape: [kh, kw], strides, pads }, layer.name);
  return { name: activation(g, y, cfg.activation as string, `${layer.name}.act`), shape: [outH, outW, cout] };
}

function batchNorm(g: GraphBuilder, layer: Layer, x: Converted): Converted {
  const cfg = layer.getConfig() as Config;
  const w = weightsOf(layer);
  const c = x.shape.at(-1)!;
  const perm = (v: Float32Array | undefined, fill: number) => {
    const vals = v ?? new Float32Array(c).fill(fill);
    return x.order ? Float32Array.from(x.order, (i) => vals[i]!) : vals;
  };
  if (x.shape.length === 1 && x.order === undefined && (cfg.axis as number) !== -1 && (cfg.axis as number) !== 1) {
    throw new ConfigError(`ONNX export: ${layer.name} normalises axis ${String(cfg.axis)}; only the last axis is supported`);
  }
  const params = [
    g.floats(`${layer.name}.gamma`, perm(w.gamma?.values, 1), [c]),
    g.floats(`${layer.name}.beta`, perm(w.beta?.values, 0), [c]),
    g.floats(`${layer.name}.mean`, perm(w.moving_mean!.values, 0), [c]),
    g.floats(`${layer.name}.var`, perm(w.moving_variance!.values, 1), [c]),
  ];
  // BatchNormalization's inference form: γ (x − μ) / √(σ² + ε) + β over axis 1 (NCHW channels).
  const y = g.op('BatchNormalization', [x.name, ...params], { epsilon: cfg.epsilon as number }, layer.name);
  return { ...x, name: y };
}

/** One layer's ONNX nodes, given its converted input. */
function convertLayer(g: GraphBuilder, layer: Layer, x: Converted): Converted {
  const cfg = layer.getConfig() as Config;
  switch (layer.getClassName()) {
    case 'Dense': return dense(g, layer, x);
    case 'Conv2D': return conv2d(g, layer, x, false);
    case 'Conv2DTranspose': return conv2d(g, layer, x, true);
    case 'BatchNormalization': return batchNorm(g, layer, x);
    case 'ReLU': return { ...x, name: g.op('Relu', [x.name], {}, layer.name) };
    case 'LeakyReLU': return { ...x, name: g.op('LeakyRelu', [x.name], { alpha: cfg.alpha as number }, layer.name) };
    case 'Activation': return { ...x, name: activation(g, x.name, cfg.activation as string, layer.name) };
    case 'Dropout': return x;
    case 'MaxPooling2D': {
      const [ph, pw] = cfg.poolSize as number[];
      const strides = (cfg.strides as number[] | null) ?? [ph!, pw!];
      const [h, w, c] = x.shape as [number, number, number];
      let pads = [0, 0, 0, 0];
      if (cfg.padding === 'same') {
        const [t, b] = samePads(h, ph!, strides[0]!), [l, r] = samePads(w, pw!, strides[1]!);
        pads = [t, l, b, r];
      }
      const name = g.op('MaxPool', [x.name], { kernel_shape: [ph!, pw!], strides, pads }, layer.name);
      const oh = Math.floor((h + pads[0]! + pads[2]! - ph!) / strides[0]!) + 1;
      const ow = Math.floor((w + pads[1]! + pads[3]! - pw!) / strides[1]!) + 1;
      return { name, shape: [oh, ow, c] };
    }
    case 'Flatten': {
      if (x.shape.length === 1) return x;
      const [h, w, c] = x.shape as [number, number, number];
      return { name: g.op('Flatten', [x.name], { axis: 1 }, layer.name), shape: [h * w * c], order: chwOrder(h, w, c) };
    }
    case 'Reshape': {
      const t = cfg.targetShape as number[];
      if (x.shape.length !== 1 || t.length !== 3) throw new ConfigError(`ONNX export: ${layer.name} reshapes [${x.shape}] to [${t}]; only flat → [h, w, c] is supported`);
      const [h, w, c] = t as [number, number, number];
      const want = chwOrder(h, w, c);
      if (x.order && x.order.every((v, i) => v === want[i])) {
        return { name: g.op('Reshape', [x.name, g.ints(`${layer.name}.shape`, [-1, c, h, w])], {}, layer.name), shape: t };
      }
      if (x.order) throw new ConfigError(`ONNX export: ${layer.name} reshapes a permuted vector; not supported`);
      const nhwc = g.op('Reshape', [x.name, g.ints(`${layer.name}.shape`, [-1, h, w, c])], {}, `${layer.name}.nhwc`);
      return { name: g.op('Transpose', [nhwc], { perm: [0, 3, 1, 2] }, layer.name), shape: t };
    }
    default:
      throw new ConfigError(`ONNX export: layer ${layer.name} (${layer.getClassName()}) is not supported`);
  }
}

/**
 * A layer with several inputs: Concatenate (flat tensors, last axis), Add, Multiply. Flat operands
 * keep their column orders: a concatenation's order is its parts' orders side by side; Add and
 * Multiply need every operand in the same order (a [1, 1, C] map is NCHW [C, 1, 1], which ONNX
 * broadcasts over [C, H, W] as tfjs does over [H, W, C]).
 */
function convertMerge(g: GraphBuilder, layer: Layer, xs: Converted[]): Converted {
  const cls = layer.getClassName();
  if (cls === 'Concatenate') {
    const axis = (layer.getConfig() as Config).axis as number;
    if (xs.some((x) => x.shape.length !== 1) || (axis !== -1 && axis !== 1)) {
      throw new ConfigError(`ONNX export: ${layer.name} concatenates [${xs.map((x) => `[${x.shape}]`).join(', ')}] on axis ${axis}; only flat tensors on their last axis are supported`);
    }
    const total = xs.reduce((a, x) => a + x.shape[0]!, 0);
    let order: Int32Array | undefined;
    if (xs.some((x) => x.order)) {
      order = new Int32Array(total);
      let at = 0;
      for (const x of xs) {
        for (let k = 0; k < x.shape[0]!; k++) order[at + k] = at + (x.order ? x.order[k]! : k);
        at += x.shape[0]!;
      }
    }
    return { name: g.op('Concat', xs.map((x) => x.name), { axis: 1 }, layer.name), shape: [total], ...(order ? { order } : {}) };
  }
  if (cls === 'Add' || cls === 'Multiply') {
    const orders = xs.map((x) => x.order?.join() ?? '');
    if (orders.some((o) => o !== orders[0])) throw new ConfigError(`ONNX export: ${layer.name} combines vectors in different feature orders; not supported`);
    const op = cls === 'Add' ? 'Add' : 'Mul';
    let name = xs[0]!.name;
    for (let i = 1; i < xs.length; i++) name = g.op(op, [name, xs[i]!.name], {}, i === xs.length - 1 ? layer.name : `${layer.name}.${i}`);
    // The output has the operands' full shape (the broadcast one's dims are 1 where they differ).
    const shape = xs.map((x) => x.shape).reduce((a, b) => a.map((d, i) => Math.max(d, b[i] ?? d)));
    return { name, shape, ...(xs[0]!.order ? { order: xs[0]!.order } : {}) };
  }
  throw new ConfigError(`ONNX export: layer ${layer.name} (${cls}) has ${xs.length} inputs; only Concatenate, Add and Multiply are supported`);
}

/**
 * Adds `model` to `g`: each model input becomes a graph input ([N, d] for vectors, NHWC
 * [N, h, w, c] for images, transposed to NCHW once), named `inputName` for a one-input model and
 * by the model's own input names (z, y, c) otherwise — or, given `from` (one-input models only),
 * the existing tensor of that name (already NCHW for images) — and returns each model output
 * converted (flat, or NCHW images), in the model's output order.
 */
export function addLayersModel(g: GraphBuilder, model: tfl.LayersModel, inputName: string, from?: string): Converted[] {
  if (from !== undefined && model.inputs.length !== 1) throw new ConfigError('ONNX export: only one-input models can read an existing tensor');
  const done = new Map<string, Converted>();
  model.inputs.forEach((inp, i) => {
    const name = model.inputs.length === 1 ? inputName : model.inputNames[i]!;
    const inShape = inp.shape.slice(1) as number[];
    const input = from ?? g.input(name, ['N', ...inShape] as Dim[]);
    done.set(inp.sourceLayer.name, inShape.length === 3 && from === undefined
      ? { name: g.op('Transpose', [input], { perm: [0, 3, 1, 2] }, `${name}.nchw`), shape: inShape }
      : { name: input, shape: inShape });
  });
  for (const layer of model.layers) { // topological order
    if (done.has(layer.name)) continue;
    const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
    if (inbound.length === 0) throw new ConfigError(`ONNX export: layer ${layer.name} has no input`);
    done.set(layer.name, inbound.length === 1
      ? convertLayer(g, layer, done.get(inbound[0]!.name)!)
      : convertMerge(g, layer, inbound.map((l) => done.get(l.name)!)));
  }
  return model.outputs.map((o) => done.get(o.sourceLayer.name)!);
}
