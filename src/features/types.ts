/**
 * One interface for every feature extractor (inception-fid, mnist): images in, named layers out.
 * Metrics only ever see the flat float features this returns (features → statistics → value).
 */
import type * as tf from '@tensorflow/tfjs-core';

export const EXTRACTOR_NAMES = ['inception', 'mnist'] as const;
export type ExtractorName = (typeof EXTRACTOR_NAMES)[number];

/** Where an extractor's network runs (src/onnx/runtime.ts): 'auto' = onnxruntime when it loads, else tfjs. */
export type ExtractorEngine = 'auto' | 'onnxruntime' | 'tfjs';

export interface ExtractorOptions {
  /** Inference engine (--engine); default 'auto'. Both give the same features to ~1e-6 relative. */
  engine?: ExtractorEngine;
  /** onnxruntime's intra-op threads (default: all cores; the worker pool's workers use 1 each). */
  threads?: number;
  /** Weight file (required for 'inception': pt_inception-2015-12-05-6726825d.pth). */
  weights?: string;
  /** Resize rule for inputs that are not the network's size ('inception': 'bilinear' as pytorch-fid, or 'tf1'). */
  resize?: string;
}

export interface FeatureExtractor {
  readonly name: ExtractorName;
  /** The layers `extract` can return, first one the default for FID (e.g. 'pool3', 'logits', 'logits-unbiased'). */
  readonly layers: readonly string[];
  /** Width of each layer's features. */
  readonly dims: Readonly<Record<string, number>>;
  /** Settings that change the features (for --json output and reference-statistics cache keys). */
  readonly settings: Readonly<Record<string, string | number>>;
  /**
   * Features of a batch of images: `images` [n, h, w, c] float32 with values in [0, 255] (as uint8 pixels),
   * c = 1 or 3, any h × w (the extractor resizes and converts channels). Returns one [n, dims[layer]]
   * tensor per requested layer; the caller disposes them. The onnxruntime extractors answer
   * asynchronously (onnxruntime's run is async): callers `await` the result.
   */
  extract(images: tf.Tensor4D, layers: readonly string[]): Record<string, tf.Tensor2D> | Promise<Record<string, tf.Tensor2D>>;
  dispose(): void;
}
