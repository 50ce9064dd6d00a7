/**
 * pytorch-fid's FID Inception-v3 (see features/inception-net.ts, the tfjs forward pass this
 * mirrors block for block) as one ONNX graph, NCHW, with the input handling of
 * features/image-input.ts inside:
 *
 *   images [N, H, W, C] float32 pixels in [0, 255], C = 1 or 3, any H × W
 *     → Expand to 3 channels (grey repeated, as PIL's convert('RGB'))
 *     → Transpose to NCHW → Resize to 299 × 299 (linear; 'bilinear': half_pixel =
 *       F.interpolate(align_corners=False); 'tf1': asymmetric = TF1 resize_bilinear)
 *     → 'bilinear': x/127.5 − 1; 'tf1': (x − 128)/128
 *     → the 94 BasicConv2d (BN folded, weights as inception-weights.ts folds them), pools, Mixed blocks
 *     → pool3 [N, 2048] (GlobalAveragePool), logits_unbiased [N, 1008] = pool3·Wᵀ, logits = + b.
 *
 * Compat: the pools of pytorch-fid's FID blocks: 3×3 average pools with count_include_pad=False
 * (AveragePool count_include_pad = 0), and Mixed_7c's (E_2) 3×3 max pool, stride 1, padding 1.
 */
import { convTensorShapes, FC_SHAPES, INCEPTION_BLOCKS, INCEPTION_CONVS, INCEPTION_SIZE, type BlockKind } from '../features/inception-arch.js';
import { foldBatchNorm, readInceptionCheckpoint, take } from '../features/inception-weights.js';
import type { ResizeMode } from '../features/image-input.js';
import { GraphBuilder } from './graph.js';

export const INCEPTION_ONNX_INPUT = 'images';
/** Graph outputs, named as the extractor's layers (logits-unbiased with an underscore). */
export const INCEPTION_ONNX_OUTPUTS = { pool3: 'pool3', logits: 'logits', 'logits-unbiased': 'logits_unbiased' } as const;

/** Folded BasicConv2d weights in ONNX's Conv layout: filter [out, in, kh, kw], bias [out]. */
export interface OnnxConvWeights { filter: Float32Array; bias: Float32Array }

/**
 * Reads the FID weight file and folds each BN into its conv (inception-weights.ts foldBatchNorm,
 * ε = BN_EPS = 1e-3, the same float32 values the tfjs path uses), transposed to [out, in, kh, kw].
 */
export function readOnnxInceptionWeights(file: string | undefined): { convs: Map<string, OnnxConvWeights>; fcWeight: Float32Array; fcBias: Float32Array } {
  const sd = readInceptionCheckpoint(file);
  const convs = new Map<string, OnnxConvWeights>();
  for (const spec of INCEPTION_CONVS) {
    const [w, g, b, m, v] = Object.entries(convTensorShapes(spec)).map(([name, shape]) => take(sd, name, shape, file!)) as Float32Array[];
    const folded = foldBatchNorm(spec, w!, g!, b!, m!, v!); // filter [kh, kw, cin, cout]
    const { cin, cout, kh, kw } = spec;
    const filter = new Float32Array(folded.filter.length);
    for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
      filter[((o * cin + i) * kh + y) * kw + x] = folded.filter[((y * kw + x) * cin + i) * cout + o]!;
    }
    convs.set(spec.name, { filter, bias: folded.bias });
  }
  const fw = take(sd, 'fc.weight', FC_SHAPES['fc.weight'], file!); // [1008, 2048]
  const [classes, dim] = FC_SHAPES['fc.weight'];
  const fcWeight = new Float32Array(dim * classes); // [2048, 1008] for pool3 · W
  for (let c = 0; c < classes; c++) for (let d = 0; d < dim; d++) fcWeight[d * classes + c] = fw[c * dim + d]!;
  return { convs, fcWeight, fcBias: take(sd, 'fc.bias', FC_SHAPES['fc.bias'], file!) };
}

/** The whole graph (ModelProto bytes) for the weight file `file` and resize rule `resize`. */
export function inceptionToOnnx(file: string | undefined, resize: ResizeMode): Uint8Array {
  const w = readOnnxInceptionWeights(file);
  const g = new GraphBuilder('ganbox_fid_inception_v3');
  const O = INCEPTION_ONNX_OUTPUTS;
  g.reserve(O.pool3, O.logits, O['logits-unbiased']);
  const specs = new Map(INCEPTION_CONVS.map((c) => [c.name, c]));

  const conv = (name: string, x: string): string => {
    const s = specs.get(name)!;
    const cw = w.convs.get(name)!;
    const y = g.op('Conv', [x, g.floats(`${name}.weight`, cw.filter, [s.cout, s.cin, s.kh, s.kw]), g.floats(`${name}.bias`, cw.bias, [s.cout])],
      { kernel_shape: [s.kh, s.kw], strides: [s.stride, s.stride], pads: [s.ph, s.pw, s.ph, s.pw] }, name);
    return g.op('Relu', [y], {}, `${name}.relu`);
  };
  const maxPool = (x: string, stride: number, pad: number) =>
    g.op('MaxPool', [x], { kernel_shape: [3, 3], strides: [stride, stride], pads: [pad, pad, pad, pad] }, 'maxpool');
  // Compat (pytorch-fid's Patch): F.avg_pool2d(3, stride 1, padding 1, count_include_pad=False).
  const avgPoolNoPad = (x: string) =>
    g.op('AveragePool', [x], { kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], count_include_pad: 0 }, 'avgpool');
  const concat = (xs: string[], name: string) => g.op('Concat', xs, { axis: 1 }, name);
  const chain = (p: string, names: string[], x: string) => names.reduce((h, n) => conv(`${p}.${n}`, h), x);

  const block = (p: string, kind: BlockKind, x: string): string => {
    switch (kind) {
      case 'A': return concat([
        conv(`${p}.branch1x1`, x),
        chain(p, ['branch5x5_1', 'branch5x5_2'], x),
        chain(p, ['branch3x3dbl_1', 'branch3x3dbl_2', 'branch3x3dbl_3'], x),
        conv(`${p}.branch_pool`, avgPoolNoPad(x)),
      ], p);
      case 'B': return concat([
        conv(`${p}.branch3x3`, x),
        chain(p, ['branch3x3dbl_1', 'branch3x3dbl_2', 'branch3x3dbl_3'], x),
        maxPool(x, 2, 0),
      ], p);
      case 'C': return concat([
        conv(`${p}.branch1x1`, x),
        chain(p, [1, 2, 3].map((k) => `branch7x7_${k}`), x),
        chain(p, [1, 2, 3, 4, 5].map((k) => `branch7x7dbl_${k}`), x),
        conv(`${p}.branch_pool`, avgPoolNoPad(x)),
      ], p);
      case 'D': return concat([
        chain(p, ['branch3x3_1', 'branch3x3_2'], x),
        chain(p, [1, 2, 3, 4].map((k) => `branch7x7x3_${k}`), x),
        maxPool(x, 2, 0),
      ], p);
      default: {
        const s3 = conv(`${p}.branch3x3_1`, x);
        const sd = chain(p, ['branch3x3dbl_1', 'branch3x3dbl_2'], x);
        // Compat: E_2 (Mixed_7c) max-pools (3×3, stride 1, padding 1) where torchvision averages.
        const pooled = kind === 'E2' ? maxPool(x, 1, 1) : avgPoolNoPad(x);
        return concat([
          conv(`${p}.branch1x1`, x),
          concat([conv(`${p}.branch3x3_2a`, s3), conv(`${p}.branch3x3_2b`, s3)], `${p}.3x3`),
          concat([conv(`${p}.branch3x3dbl_3a`, sd), conv(`${p}.branch3x3dbl_3b`, sd)], `${p}.3x3dbl`),
          conv(`${p}.branch_pool`, pooled),
        ], p);
      }
    }
  };

  // Input handling (image-input.ts inceptionInput): RGB, NCHW, resize, scale.
  const input = g.input(INCEPTION_ONNX_INPUT, ['N', 'H', 'W', 'C']);
  const rgb = g.op('Expand', [input, g.ints('rgb_shape', [1, 1, 1, 3])], {}, 'rgb'); // [N, H, W, 3]
  const nchw = g.op('Transpose', [rgb], { perm: [0, 3, 1, 2] }, 'nchw'); // [N, 3, H, W]
  const batch = g.op('Slice', [g.op('Shape', [nchw], {}, 'shape'), g.ints('zero', [0]), g.ints('one', [1])], {}, 'batch');
  const sizes = g.op('Concat', [batch, g.ints('chw', [3, INCEPTION_SIZE, INCEPTION_SIZE])], { axis: 0 }, 'sizes');
  // Compat: half_pixel is PyTorch's align_corners=False (pytorch-fid), asymmetric TF1's resize_bilinear.
  const resized = g.op('Resize', [nchw, '', '', sizes], {
    mode: 'linear', coordinate_transformation_mode: resize === 'bilinear' ? 'half_pixel' : 'asymmetric',
  }, 'resized'); // [N, 3, 299, 299]
  const scalar = (name: string, v: number) => g.floats(name, Float32Array.of(v), []);
  const x = resize === 'bilinear'
    ? g.op('Sub', [g.op('Div', [resized, scalar('c127_5', 127.5)], {}, 'div'), scalar('c1', 1)], {}, 'x') // 2·(x/255) − 1
    : g.op('Div', [g.op('Sub', [resized, scalar('c128', 128)], {}, 'sub'), scalar('c128b', 128)], {}, 'x'); // Compat: (x − 128)/128

  let h = x;
  for (const n of ['Conv2d_1a_3x3', 'Conv2d_2a_3x3', 'Conv2d_2b_3x3']) h = conv(n, h); // [N, 64, 147, 147]
  h = maxPool(h, 2, 0); // [N, 64, 73, 73]
  for (const n of ['Conv2d_3b_1x1', 'Conv2d_4a_3x3']) h = conv(n, h); // [N, 192, 71, 71]
  h = maxPool(h, 2, 0); // [N, 192, 35, 35]
  for (const b of INCEPTION_BLOCKS) h = block(b.name, b.kind, h); // [N, 2048, 8, 8]
  const pool3 = g.named('Flatten', [g.op('GlobalAveragePool', [h], {}, 'gap')], { axis: 1 }, O.pool3); // [N, 2048]
  const unbiased = g.named('MatMul', [pool3, g.floats('fc.weight_t', w.fcWeight, [FC_SHAPES['fc.weight'][1], FC_SHAPES['fc.weight'][0]])], {}, O['logits-unbiased']);
  g.named('Add', [unbiased, g.floats('fc.bias', w.fcBias, [FC_SHAPES['fc.bias'][0]])], {}, O.logits);
  g.output(O.pool3, ['N', 2048]);
  g.output(O.logits, ['N', FC_SHAPES['fc.bias'][0]]);
  g.output(O['logits-unbiased'], ['N', FC_SHAPES['fc.bias'][0]]);
  return g.encode(`pytorch-fid FID Inception-v3, resize ${resize}: images [N, H, W, C] in [0, 255] → pool3, logits, logits_unbiased`);
}
