/**
 * Feature extractors behind one interface (types.ts): images in, named layers out.
 *   - 'inception': pytorch-fid's FID Inception-v3, weights from pt_inception-2015-12-05-6726825d.pth
 *     (option weights / --weights); layers pool3, logits, logits-unbiased.
 *   - 'mnist': the small digit classifier shipped with ganbox (or a retrained one: option weights =
 *     its model.json); layers features, logits, probabilities.
 */
import { unknownName } from '../errors.js';
import { openInceptionExtractor } from './inception-fid.js';
import { openMnistExtractor } from './mnist-classifier.js';
import { openOnnxExtractor } from './onnx-extractor.js';
import { resolveEngine } from '../onnx/runtime.js';
import { EXTRACTOR_NAMES, type ExtractorName, type ExtractorOptions, type FeatureExtractor } from './types.js';

export { EXTRACTOR_NAMES, type ExtractorEngine, type ExtractorName, type ExtractorOptions, type FeatureExtractor } from './types.js';
export { OnnxInceptionExtractor, OnnxMnistExtractor, openOnnxExtractor } from './onnx-extractor.js';
export { InceptionFidExtractor, openInceptionExtractor, INCEPTION_LAYERS, type InceptionLayer } from './inception-fid.js';
export { FID_WEIGHTS_FILE, FID_WEIGHTS_URL, loadInceptionWeights, type InceptionWeights } from './inception-weights.js';
export { INCEPTION_SIZE, INCEPTION_CLASSES, POOL3_DIM } from './inception-arch.js';
export { RESIZE_MODES, type ResizeMode, inceptionInput, resizeImages } from './image-input.js';
export {
  MnistClassifierExtractor, openMnistExtractor, loadMnistClassifier, mnistClassifierPath, buildMnistClassifier,
  mnistClassifierSplit, mnistInput, MNIST_LAYERS,
} from './mnist-classifier.js';

/**
 * The feature extractor called `name` on `opts.engine` (default: onnxruntime when onnxruntime-node
 * loads, else tfjs with one line on stderr; features/onnx-extractor.ts) (unknown name: ConfigError listing the valid ones, flag
 * --extractor). 'inception' needs `opts.weights`; `opts.resize` picks its resize rule
 * ('bilinear' as pytorch-fid, default; 'tf1' as TensorFlow's FID code and torch-fidelity).
 * The caller disposes the extractor.
 */
export async function openExtractor(name: ExtractorName, opts: ExtractorOptions = {}): Promise<FeatureExtractor> {
  if (!(EXTRACTOR_NAMES as readonly string[]).includes(name)) throw unknownName('feature extractor', String(name), EXTRACTOR_NAMES, '--extractor');
  if (await resolveEngine(opts.engine) === 'onnxruntime') return openOnnxExtractor(name, opts);
  if (name === 'inception') return openInceptionExtractor(opts);
  return openMnistExtractor(opts.weights);
}
