/**
 * The Inception-v3 of the standard FID code (Szegedy et al. 2016, "Rethinking the Inception
 * Architecture"; the TensorFlow graph inception-2015-12-05 that Heusel et al. 2017 used for FID,
 * as ported to PyTorch by pytorch-fid's `fid_inception_v3`): every BasicConv2d by its state_dict
 * name, with its shape, stride and padding. This table is the single description the weight
 * loader (checks every tensor's shape) and the forward pass (inception-net.ts) read.
 *
 * Names are those of torchvision's Inception3 and of pt_inception-2015-12-05-6726825d.pth:
 * `<block>.<branch>.conv.weight` [out, in, kh, kw] (no bias) and `<block>.<branch>.bn.{weight,
 * bias,running_mean,running_var}` [out]; then `fc.weight` [1008, 2048] and `fc.bias` [1008].
 */

/** One BasicConv2d = conv (no bias) + BatchNorm(eps 1e-3) + ReLU. */
export interface ConvSpec {
  /** state_dict prefix, e.g. 'Mixed_5b.branch5x5_2'. */
  name: string;
  cin: number;
  cout: number;
  kh: number;
  kw: number;
  stride: 1 | 2;
  /** PyTorch's symmetric padding (rows, columns): 0 ('valid') or (k − 1)/2 ('same' at stride 1). */
  ph: number;
  pw: number;
}

/** Compat: BasicConv2d's BatchNorm2d(eps=0.001), TensorFlow's value, not PyTorch's default 1e-5. */
export const BN_EPS = 1e-3;
/** Side of the network's input (pytorch-fid resizes every image to it). */
export const INCEPTION_SIZE = 299;
/** Classes of the 2015 graph: 1000 ImageNet classes + 8 unused (hence 1008, not 1000). */
export const INCEPTION_CLASSES = 1008;
export const POOL3_DIM = 2048;

/** What the file's fc holds. */
export const FC_SHAPES = { 'fc.weight': [INCEPTION_CLASSES, POOL3_DIM], 'fc.bias': [INCEPTION_CLASSES] } as const;

type K = number | [number, number];
const specs: ConvSpec[] = [];
function conv(name: string, cin: number, cout: number, k: K, opts: { stride?: 1 | 2; pad?: K } = {}): void {
  const [kh, kw] = typeof k === 'number' ? [k, k] : k;
  const pad = opts.pad ?? 0;
  const [ph, pw] = typeof pad === 'number' ? [pad, pad] : pad;
  specs.push({ name, cin, cout, kh, kw, stride: opts.stride ?? 1, ph, pw });
}

/** InceptionA (35×35): 1×1 | 1×1→5×5 | 1×1→3×3→3×3 | pool→1×1; out 64 + 64 + 96 + poolFeatures. */
function blockA(p: string, cin: number, poolFeatures: number): number {
  conv(`${p}.branch1x1`, cin, 64, 1);
  conv(`${p}.branch5x5_1`, cin, 48, 1);
  conv(`${p}.branch5x5_2`, 48, 64, 5, { pad: 2 });
  conv(`${p}.branch3x3dbl_1`, cin, 64, 1);
  conv(`${p}.branch3x3dbl_2`, 64, 96, 3, { pad: 1 });
  conv(`${p}.branch3x3dbl_3`, 96, 96, 3, { pad: 1 });
  conv(`${p}.branch_pool`, cin, poolFeatures, 1);
  return 64 + 64 + 96 + poolFeatures;
}

/** InceptionB (35 → 17): 3×3/2 | 1×1→3×3→3×3/2 | maxpool 3×3/2; out 384 + 96 + cin. */
function blockB(p: string, cin: number): number {
  conv(`${p}.branch3x3`, cin, 384, 3, { stride: 2 });
  conv(`${p}.branch3x3dbl_1`, cin, 64, 1);
  conv(`${p}.branch3x3dbl_2`, 64, 96, 3, { pad: 1 });
  conv(`${p}.branch3x3dbl_3`, 96, 96, 3, { stride: 2 });
  return 384 + 96 + cin;
}

/** InceptionC (17×17, factorised 7×7): 1×1 | 1×7→7×1 | (7×1→1×7)×2 | pool→1×1; out 4 × 192. */
function blockC(p: string, cin: number, c7: number): number {
  conv(`${p}.branch1x1`, cin, 192, 1);
  conv(`${p}.branch7x7_1`, cin, c7, 1);
  conv(`${p}.branch7x7_2`, c7, c7, [1, 7], { pad: [0, 3] });
  conv(`${p}.branch7x7_3`, c7, 192, [7, 1], { pad: [3, 0] });
  conv(`${p}.branch7x7dbl_1`, cin, c7, 1);
  conv(`${p}.branch7x7dbl_2`, c7, c7, [7, 1], { pad: [3, 0] });
  conv(`${p}.branch7x7dbl_3`, c7, c7, [1, 7], { pad: [0, 3] });
  conv(`${p}.branch7x7dbl_4`, c7, c7, [7, 1], { pad: [3, 0] });
  conv(`${p}.branch7x7dbl_5`, c7, 192, [1, 7], { pad: [0, 3] });
  conv(`${p}.branch_pool`, cin, 192, 1);
  return 4 * 192;
}

/** InceptionD (17 → 8): 1×1→3×3/2 | 1×1→1×7→7×1→3×3/2 | maxpool 3×3/2; out 320 + 192 + cin. */
function blockD(p: string, cin: number): number {
  conv(`${p}.branch3x3_1`, cin, 192, 1);
  conv(`${p}.branch3x3_2`, 192, 320, 3, { stride: 2 });
  conv(`${p}.branch7x7x3_1`, cin, 192, 1);
  conv(`${p}.branch7x7x3_2`, 192, 192, [1, 7], { pad: [0, 3] });
  conv(`${p}.branch7x7x3_3`, 192, 192, [7, 1], { pad: [3, 0] });
  conv(`${p}.branch7x7x3_4`, 192, 192, 3, { stride: 2 });
  return 320 + 192 + cin;
}

/** InceptionE (8×8, expanded): 1×1 | 1×1→(1×3, 3×1) | 1×1→3×3→(1×3, 3×1) | pool→1×1; out 2048. */
function blockE(p: string, cin: number): number {
  conv(`${p}.branch1x1`, cin, 320, 1);
  conv(`${p}.branch3x3_1`, cin, 384, 1);
  conv(`${p}.branch3x3_2a`, 384, 384, [1, 3], { pad: [0, 1] });
  conv(`${p}.branch3x3_2b`, 384, 384, [3, 1], { pad: [1, 0] });
  conv(`${p}.branch3x3dbl_1`, cin, 448, 1);
  conv(`${p}.branch3x3dbl_2`, 448, 384, 3, { pad: 1 });
  conv(`${p}.branch3x3dbl_3a`, 384, 384, [1, 3], { pad: [0, 1] });
  conv(`${p}.branch3x3dbl_3b`, 384, 384, [3, 1], { pad: [1, 0] });
  conv(`${p}.branch_pool`, cin, 192, 1);
  return 320 + 768 + 768 + 192;
}

/** The block sequence after the stem, with the kind each block is and its input width. */
export type BlockKind = 'A' | 'B' | 'C' | 'D' | 'E1' | 'E2';
export interface BlockSpec { name: string; kind: BlockKind; cin: number }

// The stem: 299 → 149 → 147 → 147 → maxpool 73 → 73 → 71 → maxpool 35.
conv('Conv2d_1a_3x3', 3, 32, 3, { stride: 2 });
conv('Conv2d_2a_3x3', 32, 32, 3);
conv('Conv2d_2b_3x3', 32, 64, 3, { pad: 1 });
conv('Conv2d_3b_1x1', 64, 80, 1);
conv('Conv2d_4a_3x3', 80, 192, 3);

const blocks: BlockSpec[] = [];
{
  let c = 192;
  const add = (name: string, kind: BlockKind, build: (cin: number) => number) => { blocks.push({ name, kind, cin: c }); c = build(c); };
  add('Mixed_5b', 'A', (cin) => blockA('Mixed_5b', cin, 32)); // → 256
  add('Mixed_5c', 'A', (cin) => blockA('Mixed_5c', cin, 64)); // → 288
  add('Mixed_5d', 'A', (cin) => blockA('Mixed_5d', cin, 64)); // → 288
  add('Mixed_6a', 'B', (cin) => blockB('Mixed_6a', cin)); // → 768
  add('Mixed_6b', 'C', (cin) => blockC('Mixed_6b', cin, 128));
  add('Mixed_6c', 'C', (cin) => blockC('Mixed_6c', cin, 160));
  add('Mixed_6d', 'C', (cin) => blockC('Mixed_6d', cin, 160));
  add('Mixed_6e', 'C', (cin) => blockC('Mixed_6e', cin, 192));
  add('Mixed_7a', 'D', (cin) => blockD('Mixed_7a', cin)); // → 1280
  add('Mixed_7b', 'E1', (cin) => blockE('Mixed_7b', cin)); // → 2048
  add('Mixed_7c', 'E2', (cin) => blockE('Mixed_7c', cin)); // → 2048
  if (c !== POOL3_DIM) throw new Error(`ganbox internal error: Inception ends with ${c} channels, not ${POOL3_DIM}`);
}

/** Every BasicConv2d in forward order (94 of them). */
export const INCEPTION_CONVS: readonly ConvSpec[] = specs;
/** The eleven Mixed blocks in forward order. */
export const INCEPTION_BLOCKS: readonly BlockSpec[] = blocks;

/** The state_dict tensors one BasicConv2d needs, with their shapes. */
export function convTensorShapes(c: ConvSpec): Record<string, number[]> {
  return {
    [`${c.name}.conv.weight`]: [c.cout, c.cin, c.kh, c.kw],
    [`${c.name}.bn.weight`]: [c.cout],
    [`${c.name}.bn.bias`]: [c.cout],
    [`${c.name}.bn.running_mean`]: [c.cout],
    [`${c.name}.bn.running_var`]: [c.cout],
  };
}
