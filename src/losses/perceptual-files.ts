/**
 * Node side of the perceptual loss's fixed network (perceptual-network.ts): reads 'mnist' (the
 * shipped digit classifier) or a tfjs model.json from disk, once per process, into the cache the
 * loss takes it from. Kept apart so the browser bundle, which has no file system, never imports it.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadMnistClassifierSync } from '../features/mnist-classifier.js';
import { loadLayersModel } from '../io/tfjs-format.js';
import { cachedPerceptualModel, registerPerceptualModel } from './perceptual-network.js';

/** Loads (once per process) the network `spec` names: 'mnist' or a model.json path. */
export async function loadPerceptualModel(spec: string): Promise<tfl.LayersModel> {
  const hit = cachedPerceptualModel(spec);
  if (hit) return hit;
  const model = spec === 'mnist' ? loadMnistClassifierSync() : await loadLayersModel(spec);
  registerPerceptualModel(spec, model);
  return model;
}
