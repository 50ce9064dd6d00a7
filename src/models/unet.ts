/**
 * The U-Net generator of pix2pix (Isola, Zhu, Zhou & Efros 2017, "Image-to-Image Translation with
 * Conditional Adversarial Networks", §3.2.1 and appendix 6.1.1): an encoder–decoder whose layer i
 * is concatenated onto decoder layer n − i (skip connections), so low-level structure (edges,
 * positions) passes straight to the output.
 *
 * With d = log2(S) halvings (256 px: 8, down to 1×1), Ck = conv 4×4 stride 2 with k filters:
 *   encoder  C64 – C128 – C256 – C512 – C512 – … (k = ngf·min(2^i, 8))        LeakyReLU(0.2)
 *   decoder  mirrors it with 4×4 stride-2 transposed convs on [up, skip]        ReLU
 *            → conv to C_out channels at full size, tanh
 * Normalisation after every conv except the first encoder layer and the innermost one (whose
 * output is 1×1 at 256 px, appendix 6.1.1), and the output layer. Dropout 50 % in the decoder's
 * first blocks after the bottleneck, at training and test time (the generator's only noise, §3.1):
 * 3 blocks at d ≥ 8 as in the paper, scaled down to max(1, d − 5) for smaller images (32 px: 1).
 * Compat: the order follows the reference code's UnetSkipConnectionBlock (LeakyReLU → conv → norm
 * going down, ReLU → convT → norm (→ dropout) going up); norm is instance norm (translation-layers.ts).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { ConfigError } from '../errors.js';
import { checkPositiveInt, type Sym } from './layers.js';
import { convK, instanceNorm, leaky, NoiseDropout, reluL, tanhL, upConv, type ImageTranslator } from './translation-layers.js';

export interface UnetOptions {
  /** [S, S, C_in], S a power of two from 8 to 1024. */
  inputShape: readonly number[];
  outChannels: number;
  /** Filters of the first layer (the paper's 64). */
  ngf?: number;
  /** Dropout rate of the noise blocks; 0 turns the noise off. Default 0.5. */
  dropout?: number;
  /** Seed of the dropout masks' stream (drawn by the caller from the run's Rng). */
  noiseSeed?: number;
}

export function unetDepth(side: number): number {
  const d = Math.log2(side);
  if (!Number.isInteger(d) || d < 3 || d > 10) {
    throw new ConfigError(`the U-Net generator needs a square image side that is a power of two from 8 to 1024 (--size), got ${side}`);
  }
  return d;
}

export function unetGenerator(options: UnetOptions): ImageTranslator {
  const [side, w, cin] = options.inputShape as [number, number, number];
  if (side !== w) throw new ConfigError(`the U-Net generator needs square images, got ${side}×${w}`);
  const depth = unetDepth(side);
  const ngf = checkPositiveInt(options.ngf ?? 64, 'width', '--width');
  const rate = options.dropout ?? 0.5;
  const noisy = Math.max(1, Math.min(3, depth - 5));
  const ch = (i: number) => ngf * Math.min(2 ** i, 8); // encoder layer i (0-based) filters

  const x = tfl.input({ shape: [side, side, cin], name: 'image' });  // [B, S, S, C_in]
  const skips: Sym[] = [];
  let h: Sym = x;
  for (let i = 0; i < depth; i++) {
    if (i > 0) h = leaky(h, `u_down${i}_lrelu`);
    h = convK(h, ch(i), 4, 2, 'same', `u_down${i}_conv`, true);      // [B, S/2^(i+1), …, ch(i)]
    if (i > 0 && i < depth - 1) h = instanceNorm(h, `u_down${i}_norm`);
    skips.push(h);
  }
  for (let i = depth - 1; i >= 1; i--) {
    // Decoder block mirroring encoder layer i: up to encoder layer i−1's size and width.
    if (i < depth - 1) h = tfl.layers.concatenate({ name: `u_up${i}_cat` }).apply([h, skips[i]!]) as Sym;
    h = reluL(h, `u_up${i}_relu`);
    h = upConv(h, ch(i - 1), 4, `u_up${i}_convt`, true);               // [B, S/2^i, …, ch(i−1)]
    h = instanceNorm(h, `u_up${i}_norm`);
    const block = depth - 1 - i; // 0 = right after the bottleneck
    if (block < noisy && rate > 0) {
      h = new NoiseDropout({ name: `u_up${i}_noise`, rate, seed: (options.noiseSeed ?? 0) + i }).apply(h) as Sym;
    }
  }
  h = tfl.layers.concatenate({ name: 'u_out_cat' }).apply([h, skips[0]!]) as Sym;
  h = reluL(h, 'u_out_relu');
  h = upConv(h, options.outChannels, 4, 'u_out_convt', true);            // [B, S, S, C_out]
  const y = tanhL(h, 'u_out_tanh');
  const model = tfl.model({ inputs: x, outputs: y, name: 'unet' });
  return { model, inputShape: [side, side, cin], outputShape: [side, side, options.outChannels], arch: 'unet' };
}
