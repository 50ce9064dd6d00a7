/**
 * The ResNet-block generator of CycleGAN (Zhu, Park, Isola & Efros 2017, "Unpaired Image-to-Image
 * Translation using Cycle-Consistent Adversarial Networks", appendix 7.2; after Johnson et al. 2016):
 *   c7s1-64, d128, d256, R256 × n, u128, u64, c7s1-C_out (tanh)
 * c7s1-k: 7×7 conv stride 1, k filters, norm, ReLU; dk: 3×3 conv stride 2; Rk: two 3×3 convs with
 * the block's input added back; uk: 3×3 transposed conv stride 2. n = 9 blocks at 256 px and above,
 * 6 below (the paper's choice for 128 px). Instance norm throughout (translation-layers.ts).
 * Downsampling scaled to small images as the PatchGAN is (patchgan.ts): the paper's 2 stride-2 steps
 * at 128 and 256 px, d = clamp(log2(S) − 5, 0, 2) below (64 px: 1, 32 px: 0). With 2 steps at
 * 32 px the blocks work on 8×8 maps and one output pixel sees ~70 px, more than twice the image:
 * a generator that can redraw the whole digit, and CycleGAN's cycle term does not stop it (it
 * hides the input in the output instead: Chu et al. 2017, "CycleGAN, a master of
 * steganography"). On mnist-inverted, 2 steps kept 11 % / 18 % of the labels after 2,000 steps;
 * 0 steps (a field of 25 px) kept 56 % / 57 % after 1,000 (bench/translation-results.md).
 * Compat: the reference pads with reflection; tfjs-layers has no reflection padding, so we pad with
 * zeros (the sizes are the same). Its transposed conv is PyTorch's (k3, s2, p1, output_padding 1);
 * ours is tfjs's 'same', which also doubles the side.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { ConfigError } from '../errors.js';
import { checkPositiveInt, type Sym } from './layers.js';
import { convK, instanceNorm, reluL, tanhL, upConv, type ImageTranslator } from './translation-layers.js';

export interface ResnetGeneratorOptions {
  inputShape: readonly number[];
  outChannels: number;
  ngf?: number;
  /** Residual blocks; default 9 at ≥ 256 px, else 6. */
  blocks?: number;
  /** Stride-2 convolutions before the blocks (and transposed ones after); default by size (resnetDownsampleFor). */
  downsample?: number;
}

/** Downsampling steps for images of side S: clamp(log2(S) − 5, 0, 2) (the module comment). */
export const resnetDownsampleFor = (side: number) => Math.max(0, Math.min(2, Math.round(Math.log2(side)) - 5));

export function resnetGenerator(options: ResnetGeneratorOptions): ImageTranslator {
  const [side, w, cin] = options.inputShape as [number, number, number];
  const down = options.downsample ?? resnetDownsampleFor(Math.min(side, w));
  if (!Number.isInteger(down) || down < 0 || down > 4) throw new ConfigError(`the ResNet generator's downsampling steps (--downsample) must be from 0 to 4, got ${down}`);
  if (side % 2 ** down !== 0 || w % 2 ** down !== 0) throw new ConfigError(`the ResNet generator needs image sides divisible by ${2 ** down} (--size), got ${side}×${w}`);
  const ngf = checkPositiveInt(options.ngf ?? 64, 'width', '--width');
  const blocks = checkPositiveInt(options.blocks ?? (side >= 256 ? 9 : 6), 'blocks', '--depth');

  const x = tfl.input({ shape: [side, w, cin], name: 'image' });        // [B, S, S, C_in]
  let h: Sym = convK(x, ngf, 7, 1, 3, 'r_c7_in', false);                // [B, S, S, ngf]
  h = reluL(instanceNorm(h, 'r_c7_in_norm'), 'r_c7_in_relu');
  for (let i = 1; i <= down; i++) {                                      // [B, S/2^i, …, 2^i·ngf]
    h = reluL(instanceNorm(convK(h, ngf * 2 ** i, 3, 2, 1, `r_d${i}`, false), `r_d${i}_norm`), `r_d${i}_relu`);
  }
  const inner = ngf * 2 ** down;
  for (let b = 0; b < blocks; b++) {
    let r = reluL(instanceNorm(convK(h, inner, 3, 1, 1, `r_b${b}_c1`, false), `r_b${b}_n1`), `r_b${b}_relu`);
    r = instanceNorm(convK(r, inner, 3, 1, 1, `r_b${b}_c2`, false), `r_b${b}_n2`);
    h = tfl.layers.add({ name: `r_b${b}_add` }).apply([h, r]) as Sym;
  }
  for (let i = down - 1; i >= 0; i--) {                                  // [B, S/2^i, …, 2^i·ngf]
    const k = down - i;
    h = reluL(instanceNorm(upConv(h, ngf * 2 ** i, 3, `r_u${k}`, false), `r_u${k}_norm`), `r_u${k}_relu`);
  }
  const y = tanhL(convK(h, options.outChannels, 7, 1, 3, 'r_c7_out'), 'r_out_tanh');             // [B, S, S, C_out]
  const model = tfl.model({ inputs: x, outputs: y, name: 'resnet_generator' });
  return { model, inputShape: [side, w, cin], outputShape: [side, w, options.outChannels], arch: 'resnet' };
}
