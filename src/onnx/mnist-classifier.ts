/**
 * ganbox's MNIST classifier (features/mnist-classifier.ts) as an ONNX graph with the extractor's
 * input handling (mnistInput) inside:
 *
 *   images [N, H, W, C] float32 pixels in [0, 255] (C fixed per graph: 1 or 3)
 *     → C = 3: grey = 0.299 R + 0.587 G + 0.114 B (ITU-R 601 luma, PIL's convert('L'))
 *     → Resize to 28 × 28 (linear, half_pixel: tfjs resizeBilinear with half-pixel centres)
 *     → x/127.5 − 1 → the network (NCHW inside) → features [N, 128], logits [N, 10],
 *       probabilities [N, 10] = softmax(logits).
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { MNIST_SIDE } from '../features/mnist-classifier.js';
import { ConfigError } from '../errors.js';
import { GraphBuilder } from './graph.js';
import { addLayersModel } from './layers-model.js';

export const MNIST_ONNX_INPUT = 'images';

/** The classifier `model` (outputs [features, logits]) for inputs with `channels` channels. */
export function mnistClassifierToOnnx(model: tfl.LayersModel, channels: 1 | 3): Uint8Array {
  const g = new GraphBuilder('ganbox_mnist_classifier');
  g.reserve('features', 'logits', 'probabilities');
  const input = g.input(MNIST_ONNX_INPUT, ['N', 'H', 'W', channels]);
  let grey = input;
  if (channels === 3) {
    const luma = g.floats('luma', Float32Array.of(0.299, 0.587, 0.114), [3]);
    grey = g.op('ReduceSum', [g.op('Mul', [input, luma], {}, 'weighted'), g.ints('axis_c', [3])], { keepdims: 1 }, 'grey');
  }
  const nchw = g.op('Transpose', [grey], { perm: [0, 3, 1, 2] }, 'nchw'); // [N, 1, H, W]
  const batch = g.op('Slice', [g.op('Shape', [nchw], {}, 'shape'), g.ints('zero', [0]), g.ints('one', [1])], {}, 'batch');
  const sizes = g.op('Concat', [batch, g.ints('chw', [1, MNIST_SIDE, MNIST_SIDE])], { axis: 0 }, 'sizes');
  const resized = g.op('Resize', [nchw, '', '', sizes], { mode: 'linear', coordinate_transformation_mode: 'half_pixel' }, 'resized');
  const scaled = g.op('Sub', [g.op('Div', [resized, g.floats('c127_5', Float32Array.of(127.5), [])], {}, 'div'), g.floats('c1', Float32Array.of(1), [])], {}, 'scaled');
  const outs = addLayersModel(g, model, 'classifier_input', scaled); // NCHW [N, 1, 28, 28]
  if (outs.length !== 2) throw new ConfigError(`ONNX export: the MNIST classifier has outputs [features, logits], this model has ${outs.length}`);
  const [features, logits] = outs as [typeof outs[0], typeof outs[0]];
  g.named('Identity', [features!.name], {}, 'features');
  g.named('Identity', [logits!.name], {}, 'logits');
  g.named('Softmax', [logits!.name], { axis: -1 }, 'probabilities');
  g.output('features', ['N', features!.shape[0]!]);
  g.output('logits', ['N', logits!.shape[0]!]);
  g.output('probabilities', ['N', logits!.shape[0]!]);
  return g.encode(`ganbox MNIST classifier: images [N, H, W, ${channels}] in [0, 255] → features, logits, probabilities`);
}
