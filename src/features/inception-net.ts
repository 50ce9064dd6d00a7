/**
 * The forward pass of pytorch-fid's FID Inception-v3 in tfjs, NHWC, block by block (shapes for
 * one 299×299 image in the trailing comments). Each BasicConv2d is one fused conv + bias + ReLU
 * (BatchNorm folded in by inception-weights.ts). Where the FID network differs from torchvision's
 * Inception3 to match the TensorFlow 2015 graph, a `Compat:` comment says so.
 */
import * as tf from '@tensorflow/tfjs-core';
import { INCEPTION_BLOCKS, type BlockKind } from './inception-arch.js';
import type { InceptionWeights } from './inception-weights.js';

/** What one forward pass returns: pool3 [n, 2048] and, when asked, the logits [n, 1008]. */
export interface InceptionOutputs {
  pool3: tf.Tensor2D;
  logits?: tf.Tensor2D;
  logitsUnbiased?: tf.Tensor2D;
}

type T4 = tf.Tensor4D;

export class InceptionNet {
  constructor(private readonly w: InceptionWeights) {}

  /** relu(BN(conv(x))) of the BasicConv2d called `name`. */
  private conv(name: string, x: T4): T4 {
    const c = this.w.convs.get(name);
    if (!c) throw new Error(`ganbox internal error: no Inception conv '${name}'`);
    const { stride, ph, pw, kh, kw } = c.spec;
    // PyTorch's symmetric padding p is tfjs's 'valid' (p = 0) or, at stride 1 with p = (k − 1)/2, 'same'.
    const valid = ph === 0 && pw === 0;
    if (!valid && !(stride === 1 && 2 * ph === kh - 1 && 2 * pw === kw - 1)) {
      throw new Error(`ganbox internal error: padding (${ph}, ${pw}) of '${name}' is neither valid nor same`);
    }
    return tf.fused.conv2d({ x, filter: c.filter, strides: stride, pad: valid ? 'valid' : 'same', bias: c.bias, activation: 'relu' });
  }

  /**
   * Compat (pytorch-fid's "Patch"): F.avg_pool2d(3, stride 1, padding 1, count_include_pad=False)
   * — TensorFlow's average pool leaves the padded zeros out of the mean (border windows average
   * 4 or 6 pixels, not 9); tfjs's 'same' average pool does the same.
   */
  private static avgPoolNoPad(x: T4): T4 {
    return tf.avgPool(x, 3, 1, 'same');
  }

  /** Mixed_5b/c/d, 35×35: [1×1 64 | 5×5 64 | 3×3dbl 96 | pool poolFeatures]. */
  private blockA(p: string, x: T4): T4 {
    const b1 = this.conv(`${p}.branch1x1`, x);
    const b5 = this.conv(`${p}.branch5x5_2`, this.conv(`${p}.branch5x5_1`, x));
    const b3 = this.conv(`${p}.branch3x3dbl_3`, this.conv(`${p}.branch3x3dbl_2`, this.conv(`${p}.branch3x3dbl_1`, x)));
    const bp = this.conv(`${p}.branch_pool`, InceptionNet.avgPoolNoPad(x)); // Compat: count_include_pad=False
    return tf.concat([b1, b5, b3, bp], 3);
  }

  /** Mixed_6a, 35 → 17: [3×3/2 384 | 3×3dbl/2 96 | maxpool/2 288] = 768. */
  private blockB(p: string, x: T4): T4 {
    const b3 = this.conv(`${p}.branch3x3`, x);
    const bd = this.conv(`${p}.branch3x3dbl_3`, this.conv(`${p}.branch3x3dbl_2`, this.conv(`${p}.branch3x3dbl_1`, x)));
    const bp = tf.maxPool(x, 3, 2, 'valid');
    return tf.concat([b3, bd, bp], 3);
  }

  /** Mixed_6b–e, 17×17: [1×1 192 | 7×7 192 | 7×7dbl 192 | pool 192] = 768. */
  private blockC(p: string, x: T4): T4 {
    const b1 = this.conv(`${p}.branch1x1`, x);
    let b7 = x;
    for (const k of [1, 2, 3]) b7 = this.conv(`${p}.branch7x7_${k}`, b7);
    let bd = x;
    for (const k of [1, 2, 3, 4, 5]) bd = this.conv(`${p}.branch7x7dbl_${k}`, bd);
    const bp = this.conv(`${p}.branch_pool`, InceptionNet.avgPoolNoPad(x)); // Compat: count_include_pad=False
    return tf.concat([b1, b7, bd, bp], 3);
  }

  /** Mixed_7a, 17 → 8: [3×3/2 320 | 7×7×3/2 192 | maxpool/2 768] = 1280. */
  private blockD(p: string, x: T4): T4 {
    const b3 = this.conv(`${p}.branch3x3_2`, this.conv(`${p}.branch3x3_1`, x));
    let b7 = x;
    for (const k of [1, 2, 3, 4]) b7 = this.conv(`${p}.branch7x7x3_${k}`, b7);
    const bp = tf.maxPool(x, 3, 2, 'valid');
    return tf.concat([b3, b7, bp], 3);
  }

  /** Mixed_7b (E_1) and Mixed_7c (E_2), 8×8: [1×1 320 | 3×3 (1×3, 3×1) 768 | 3×3dbl 768 | pool 192] = 2048. */
  private blockE(p: string, x: T4, kind: BlockKind): T4 {
    const b1 = this.conv(`${p}.branch1x1`, x);
    const s3 = this.conv(`${p}.branch3x3_1`, x);
    const b3 = tf.concat([this.conv(`${p}.branch3x3_2a`, s3), this.conv(`${p}.branch3x3_2b`, s3)], 3);
    const sd = this.conv(`${p}.branch3x3dbl_2`, this.conv(`${p}.branch3x3dbl_1`, x));
    const bd = tf.concat([this.conv(`${p}.branch3x3dbl_3a`, sd), this.conv(`${p}.branch3x3dbl_3b`, sd)], 3);
    // Compat: E_1 (Mixed_7b) averages without the padded zeros; E_2 (Mixed_7c) max-pools (3×3,
    // stride 1, padding 1) where torchvision averages — the TensorFlow graph's choice, which
    // pytorch-fid calls "likely an error" in that graph and keeps for comparable FIDs.
    const pooled = kind === 'E2' ? tf.maxPool(x, 3, 1, 'same') : InceptionNet.avgPoolNoPad(x);
    const bp = this.conv(`${p}.branch_pool`, pooled);
    return tf.concat([b1, b3, bd, bp], 3);
  }

  /**
   * pool3 (and the logits when `withLogits`) of `x` [n, 299, 299, 3] in [−1, 1]. One tf.tidy;
   * intermediate activations are freed as soon as the next block has used them.
   */
  forward(x: T4, withLogits: boolean): InceptionOutputs {
    return tf.tidy(() => {
      let h = this.conv('Conv2d_1a_3x3', x); // [n, 149, 149, 32]
      h = this.conv('Conv2d_2a_3x3', h); // [n, 147, 147, 32]
      h = this.conv('Conv2d_2b_3x3', h); // [n, 147, 147, 64]
      h = tf.maxPool(h, 3, 2, 'valid'); // [n, 73, 73, 64]
      h = this.conv('Conv2d_3b_1x1', h); // [n, 73, 73, 80]
      h = this.conv('Conv2d_4a_3x3', h); // [n, 71, 71, 192]
      h = tf.maxPool(h, 3, 2, 'valid'); // [n, 35, 35, 192]
      for (const b of INCEPTION_BLOCKS) {
        const prev = h;
        h = tf.tidy(() => {
          switch (b.kind) {
            case 'A': return this.blockA(b.name, prev); // 35×35: 256, 288, 288
            case 'B': return this.blockB(b.name, prev); // [n, 17, 17, 768]
            case 'C': return this.blockC(b.name, prev); // 17×17×768
            case 'D': return this.blockD(b.name, prev); // [n, 8, 8, 1280]
            default: return this.blockE(b.name, prev, b.kind); // [n, 8, 8, 2048]
          }
        });
        prev.dispose();
      }
      const pool3 = tf.mean(h, [1, 2]) as tf.Tensor2D; // adaptive average pool to 1×1: [n, 2048]
      if (!withLogits) return { pool3 };
      const logitsUnbiased = tf.matMul(pool3, this.w.fcWeight) as tf.Tensor2D; // [n, 1008], torch-fidelity's logits_unbiased
      const logits = tf.add(logitsUnbiased, this.w.fcBias) as tf.Tensor2D; // fc: x·Wᵀ + b
      return { pool3, logits, logitsUnbiased };
    });
  }
}
