/**
 * A ganbox generator (any arch of src/models: MLP, DCGAN at every size) as an ONNX graph:
 * input `z` [N, latentDim] → output `images` [N, H, W, C] in [−1, 1] (NHWC, the values of
 * `ganbox sample` before the uint8 rounding) or `points` [N, D] for 2-D runs. NCHW inside, one
 * Transpose at the end; BatchNorm in inference mode (moving statistics), as sampling uses it.
 * Conditional and InfoGAN generators take their other inputs under the model's names: `y`
 * [N, classes] (one-hot labels) and `c` [N, codes] (the categorical code one-hot, then the
 * continuous codes), as `ganbox sample` feeds them (sampling/conditions.ts).
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { ConfigError } from '../errors.js';
import { GraphBuilder } from './graph.js';
import { addLayersModel } from './layers-model.js';

export const GENERATOR_INPUT = 'z';
/** Output name: 'images' for image generators, 'points' for vector ones. */
export function generatorOutputName(outputShape: readonly number[]): 'images' | 'points' {
  return outputShape.length === 3 ? 'images' : 'points';
}

/** The ONNX ModelProto bytes of generator `model` ([N, latentDim] → [N, ...outputShape]). */
export function generatorToOnnx(model: tfl.LayersModel): Uint8Array {
  const g = new GraphBuilder('ganbox_generator');
  g.reserve('images', 'points');
  const outs = addLayersModel(g, model, GENERATOR_INPUT);
  if (outs.length !== 1) throw new ConfigError(`ONNX export: a generator has one output, this model has ${outs.length}`);
  const out = outs[0]!;
  if (out.order) throw new ConfigError('ONNX export: the generator ends in a permuted vector; not supported');
  const name = generatorOutputName(out.shape);
  if (out.shape.length === 3) {
    g.named('Transpose', [out.name], { perm: [0, 2, 3, 1] }, name); // NCHW → NHWC, once
  } else {
    g.named('Identity', [out.name], {}, name);
  }
  g.output(name, ['N', ...out.shape]);
  return g.encode(`ganbox generator: ${generatorInputs(model).map((i) => `${i.name} [N, ${i.size}]`).join(', ')} → ${name} [N, ${out.shape.join(', ')}]`);
}

/** The generator's graph inputs: z, then y and c for conditional and InfoGAN generators. */
export function generatorInputs(model: tfl.LayersModel): { name: string; size: number }[] {
  return model.inputs.map((inp, i) => ({ name: model.inputs.length === 1 ? GENERATOR_INPUT : model.inputNames[i]!, size: inp.shape[1] as number }));
}
