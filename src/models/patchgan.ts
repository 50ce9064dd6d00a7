/**
 * The PatchGAN discriminator (Isola et al. 2017 §3.2.2; appendix 6.1.2): a fully convolutional
 * net whose every output logit judges one N×N patch of the input, real or fake; the loss averages
 * over patches. It models high frequencies only (L1 covers the low ones) and runs on any size.
 *
 * The 70×70 net at 256 px, with Ck = 4×4 conv, k filters, zero padding 1 (PyTorch's NLayerDiscriminator):
 *   C64 s2 – C128 s2 – C256 s2 – C512 s1 – C1 s1,   LeakyReLU(0.2), norm on all but the first and last
 * Receptive field of n stride-2 layers then two stride-1 layers, all 4×4:
 *   RF = 1 + 3·(1 + 2 + … + 2^(n−1) + 2^n + 2^n) = 1 + 3·(2^n − 1 + 2^(n+1))
 *   n = 3: 70 (256 px)   n = 2: 34 (128 px)   n = 1: 16 (64 and 32 px)
 * Scaled to smaller images by n = clamp(log2(S) − 5, 1, 3), keeping the patch about a quarter of
 * the image side (70/256 ≈ 34/128 ≈ 16/64). test/models/translation.test.ts measures the field by
 * back-propagating one logit to the input.
 * For pix2pix the input is the condition and the image on the channel axis ([A, B]: C_A + C_B).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { ConfigError } from '../errors.js';
import { checkPositiveInt, type Sym } from './layers.js';
import { convK, instanceNorm, leaky, type PatchDiscriminator } from './translation-layers.js';

export interface PatchGanOptions {
  /** [S, S, C] (pix2pix: C = C_A + C_B). */
  inputShape: readonly number[];
  /** Filters of the first layer (the paper's 64). */
  ndf?: number;
  /** Stride-2 layers; default from the image side (see the module comment). */
  layers?: number;
  /** 'none' leaves the norm layers out (instance norm couples a whole layer, hiding the field's edge in a gradient test). */
  norm?: 'instance' | 'none';
}

export const patchLayersFor = (side: number) => Math.max(1, Math.min(3, Math.round(Math.log2(side)) - 5));
export const patchReceptiveField = (n: number) => 1 + 3 * (2 ** n - 1 + 2 ** (n + 1));

export function patchGanDiscriminator(options: PatchGanOptions): PatchDiscriminator {
  const [side, w, c] = options.inputShape as [number, number, number];
  const ndf = checkPositiveInt(options.ndf ?? 64, 'width', '--width');
  const n = options.layers ?? patchLayersFor(side);
  if (!Number.isInteger(n) || n < 1 || n > 6) throw new ConfigError(`PatchGAN layers must be from 1 to 6, got ${n}`);
  const rf = patchReceptiveField(n);
  if (side / 2 ** n < 3) throw new ConfigError(`images of side ${side} are too small for a PatchGAN with ${n} stride-2 layers`);

  const x = tfl.input({ shape: [side, w, c], name: 'image' });         // [B, S, S, C]
  let h: Sym = convK(x, ndf, 4, 2, 1, 'p_conv0');                       // [B, S/2, S/2, ndf]
  h = leaky(h, 'p_lrelu0');
  for (let i = 1; i < n; i++) {
    h = convK(h, ndf * Math.min(2 ** i, 8), 4, 2, 1, `p_conv${i}`, false);
    if (options.norm !== 'none') h = instanceNorm(h, `p_norm${i}`);
    h = leaky(h, `p_lrelu${i}`);
  }
  h = convK(h, ndf * Math.min(2 ** n, 8), 4, 1, 1, `p_conv${n}`, false); // [B, S/2^n − 1, …]
  if (options.norm !== 'none') h = instanceNorm(h, `p_norm${n}`);
  h = leaky(h, `p_lrelu${n}`);
  const logits = convK(h, 1, 4, 1, 1, 'p_logits');                      // [B, S/2^n − 2, …, 1]
  const model = tfl.model({ inputs: x, outputs: logits, name: 'patchgan' });
  return { model, inputShape: [side, w, c], receptiveField: rf, arch: 'patchgan' };
}
