/**
 * The feature extractors on onnxruntime: the same networks and input handling as the tfjs ones
 * (inception-fid.ts, mnist-classifier.ts), run as the ONNX graphs of src/onnx/ (inception.ts,
 * mnist-classifier.ts), which include the resize/scale/grey steps. Same names, layers, dims and
 * settings as their tfjs twins, so features from either engine share cache keys; they agree to
 * ~1e-6 relative (test/features/onnx-extractor.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { checkImages, checkLayers } from './checks.js';
import type { ExtractorOptions, FeatureExtractor } from './types.js';
import { checkResizeMode } from './image-input.js';
import { INCEPTION_DIMS, INCEPTION_LAYERS, inceptionSettings } from './inception-fid.js';
import { openMnistExtractor } from './mnist-classifier.js';
import { OnnxSession } from '../onnx/runtime.js';
import { INCEPTION_ONNX_OUTPUTS, inceptionToOnnx } from '../onnx/inception.js';
import { mnistClassifierToOnnx } from '../onnx/mnist-classifier.js';

/** Runs `images` through `session` in chunks of `chunk`; returns one [n, dims[l]] tensor per layer. */
async function runChunks(session: OnnxSession, images: tf.Tensor4D, layers: readonly string[], outputOf: (l: string) => string,
  dims: Readonly<Record<string, number>>, chunk: number): Promise<Record<string, tf.Tensor2D>> {
  const [n, h, w, c] = images.shape;
  const pixels = await images.data() as Float32Array; // [n, h, w, c] in 0…255
  const per = h * w * c;
  const out: Record<string, Float32Array> = {};
  for (const l of layers) out[l] = new Float32Array(n * dims[l]!);
  const fetches = [...new Set(layers.map(outputOf))];
  for (let s = 0; s < n; s += chunk) {
    const m = Math.min(chunk, n - s);
    const r = await session.run({ images: { data: pixels.subarray(s * per, (s + m) * per), dims: [m, h, w, c] } }, fetches);
    for (const l of layers) out[l]!.set(r[outputOf(l)]!.data, s * dims[l]!);
  }
  const result: Record<string, tf.Tensor2D> = {};
  for (const l of layers) result[l] = tf.tensor2d(out[l]!, [n, dims[l]!]);
  return result;
}

/** pytorch-fid's Inception on onnxruntime (graph from onnx/inception.ts for one resize rule). */
export class OnnxInceptionExtractor implements FeatureExtractor {
  readonly name = 'inception' as const;
  readonly engine = 'onnxruntime' as const;
  /** Images per session run (as InceptionFidExtractor's INCEPTION_CHUNK: bounded activation memory). */
  chunk = 16;

  constructor(private readonly session: OnnxSession, readonly layers: readonly string[], readonly dims: Readonly<Record<string, number>>,
    readonly settings: Readonly<Record<string, string | number>>) {}

  async extract(images: tf.Tensor4D, layers: readonly string[]): Promise<Record<string, tf.Tensor2D>> {
    checkLayers(layers, this.layers);
    checkImages(images, 'inception');
    return runChunks(this.session, images, layers, (l) => INCEPTION_ONNX_OUTPUTS[l as keyof typeof INCEPTION_ONNX_OUTPUTS], this.dims, this.chunk);
  }

  dispose(): void { void this.session.dispose(); }
}

/** ganbox's MNIST classifier on onnxruntime: one session per channel count (1 or 3), built on first use. */
export class OnnxMnistExtractor implements FeatureExtractor {
  readonly name = 'mnist' as const;
  readonly engine = 'onnxruntime' as const;
  private readonly sessions = new Map<number, Promise<OnnxSession>>();
  chunk = 500;

  constructor(private readonly model: tfl.LayersModel, private readonly threads: number | undefined, readonly layers: readonly string[],
    readonly dims: Readonly<Record<string, number>>, readonly settings: Readonly<Record<string, string | number>>) {}

  async extract(images: tf.Tensor4D, layers: readonly string[]): Promise<Record<string, tf.Tensor2D>> {
    checkLayers(layers, this.layers);
    checkImages(images, 'mnist');
    const c = images.shape[3] as 1 | 3;
    let session = this.sessions.get(c);
    if (!session) {
      session = OnnxSession.create(mnistClassifierToOnnx(this.model, c), this.threads);
      this.sessions.set(c, session);
    }
    return runChunks(await session, images, layers, (l) => l, this.dims, this.chunk);
  }

  dispose(): void {
    for (const s of this.sessions.values()) void s.then((x) => x.dispose());
    this.sessions.clear();
    this.model.dispose();
  }
}

/** The extractor `name` on onnxruntime: the same checks and errors as the tfjs openers. */
export async function openOnnxExtractor(name: 'inception' | 'mnist', opts: ExtractorOptions = {}): Promise<FeatureExtractor> {
  if (name === 'mnist') {
    const ex = await openMnistExtractor(opts.weights); // loads and checks the tfjs model the graph is written from
    return new OnnxMnistExtractor(ex.model, opts.threads, ex.layers, ex.dims, ex.settings);
  }
  const resize = checkResizeMode(opts.resize);
  const session = await OnnxSession.create(inceptionToOnnx(opts.weights, resize), opts.threads);
  return new OnnxInceptionExtractor(session, INCEPTION_LAYERS, INCEPTION_DIMS, inceptionSettings(opts.weights!, resize));
}
