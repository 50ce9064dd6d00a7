/**
 * Inception weights from the standard PyTorch file `pt_inception-2015-12-05-6726825d.pth`
 * (pytorch-fid's FID_WEIGHTS_URL; torch-fidelity ships the same weights), read by the safe
 * checkpoint reader (src/io/torch-pth.ts): tensors only, nothing executed.
 *
 * Each BasicConv2d's BatchNorm (eval mode, running statistics) is folded into its convolution:
 *   y = γ (W∗x − μ) / √(σ² + ε) + β = (s·W)∗x + (β − s·μ),   s = γ / √(σ² + ε),  ε = 1e-3,
 * computed in float64 and rounded once to float32. The only change against PyTorch's separate
 * conv and BN is that rounding (a few ulp per layer); the fixture test bounds the whole network's
 * difference at 1e-4 relative. PyTorch's filters [out, in, kh, kw] become tfjs's NHWC filters
 * [kh, kw, in, out]; fc.weight [1008, 2048] becomes [2048, 1008] for x·W.
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, DataError } from '../errors.js';
import { loadTorchCheckpoint, tensorToFloat32, type TorchTensor } from '../io/torch-pth.js';
import { BN_EPS, convTensorShapes, FC_SHAPES, INCEPTION_CONVS, type ConvSpec } from './inception-arch.js';

/** The standard weight file's name and where it comes from (pytorch-fid's release). */
export const FID_WEIGHTS_FILE = 'pt_inception-2015-12-05-6726825d.pth';
export const FID_WEIGHTS_URL = `https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/${FID_WEIGHTS_FILE}`;

/** A BasicConv2d with its BatchNorm folded in: relu(conv(x, filter) + bias). */
export interface FoldedConv {
  spec: ConvSpec;
  filter: tf.Tensor4D; // [kh, kw, cin, cout]
  bias: tf.Tensor1D; // [cout]
}

export interface InceptionWeights {
  convs: ReadonlyMap<string, FoldedConv>;
  fcWeight: tf.Tensor2D; // [2048, 1008]
  fcBias: tf.Tensor1D; // [1008]
  dispose(): void;
}

const WHERE = `the standard file ${FID_WEIGHTS_FILE} comes from pytorch-fid's releases: ${FID_WEIGHTS_URL}`;

/** The weights file's checks: given, present, a readable checkpoint. */
export function readInceptionCheckpoint(path: string | undefined): Map<string, TorchTensor> {
  if (path === undefined || path === '') {
    throw new ConfigError(`the inception extractor needs its weights file (option weights, --weights FILE); ${WHERE}`);
  }
  if (!existsSync(path)) throw new DataError(`inception weights file ${path} does not exist; ${WHERE}`);
  return loadTorchCheckpoint(path);
}

/** A tensor of the file as float32 (float16/float64 files convert), with its shape checked (also read by onnx/inception.ts). */
export function take(sd: Map<string, TorchTensor>, name: string, shape: readonly number[], file: string): Float32Array {
  const t = sd.get(name);
  const want = shape.join('×');
  if (!t) {
    throw new DataError(`${file} has no tensor '${name}' (shape ${want}); it is not the FID Inception weights file (${FID_WEIGHTS_FILE})`);
  }
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new DataError(`${file}: tensor '${name}' has shape ${t.shape.join('×') || 'scalar'}, not ${want}; it is not the FID Inception weights file (${FID_WEIGHTS_FILE})`);
  }
  if (t.dtype === 'float32') return t.data as Float32Array;
  if (t.dtype === 'float64' || t.dtype === 'float16' || t.dtype === 'bfloat16') return tensorToFloat32(t);
  throw new DataError(`${file}: tensor '${name}' is ${t.dtype}, not a floating-point tensor`);
}

/** BN folded into the conv, transposed to [kh, kw, cin, cout] (see the file comment). */
export function foldBatchNorm(spec: ConvSpec, w: Float32Array, gamma: Float32Array, beta: Float32Array,
  mean: Float32Array, variance: Float32Array): { filter: Float32Array; bias: Float32Array } {
  const { cin, cout, kh, kw } = spec;
  const filter = new Float32Array(kh * kw * cin * cout);
  const bias = new Float32Array(cout);
  for (let o = 0; o < cout; o++) {
    const s = gamma[o]! / Math.sqrt(variance[o]! + BN_EPS);
    bias[o] = beta[o]! - s * mean[o]!;
    for (let i = 0; i < cin; i++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          filter[((y * kw + x) * cin + i) * cout + o] = w[((o * cin + i) * kh + y) * kw + x]! * s;
        }
      }
    }
  }
  return { filter, bias };
}

/** Reads, checks and folds every tensor of the FID Inception file into tfjs tensors. */
export function loadInceptionWeights(path: string | undefined): InceptionWeights {
  const sd = readInceptionCheckpoint(path);
  const file = path!;
  const made: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => { made.push(t); return t; };
  try {
    const convs = new Map<string, FoldedConv>();
    for (const spec of INCEPTION_CONVS) {
      const shapes = convTensorShapes(spec);
      const [w, g, b, m, v] = Object.entries(shapes).map(([name, shape]) => take(sd, name, shape, file)) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
      const { filter, bias } = foldBatchNorm(spec, w, g, b, m, v);
      convs.set(spec.name, {
        spec,
        filter: keep(tf.tensor4d(filter, [spec.kh, spec.kw, spec.cin, spec.cout])),
        bias: keep(tf.tensor1d(bias)),
      });
    }
    const fw = take(sd, 'fc.weight', FC_SHAPES['fc.weight'], file);
    const fb = take(sd, 'fc.bias', FC_SHAPES['fc.bias'], file);
    const [classes, dim] = FC_SHAPES['fc.weight'];
    const fcWeight = keep(tf.tidy(() => tf.transpose(tf.tensor2d(fw, [classes, dim]))) as tf.Tensor2D);
    const fcBias = keep(tf.tensor1d(fb));
    return { convs, fcWeight, fcBias, dispose: () => { for (const t of made) t.dispose(); made.length = 0; } };
  } catch (e) {
    for (const t of made) t.dispose();
    throw e;
  }
}
