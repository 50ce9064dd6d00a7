/**
 * The tfjs LayersModel format (model.json + weights.bin) on the local file system, without
 * @tensorflow/tfjs-node: a browser page loads the saved generator with
 * `tf.loadLayersModel('…/model.json')` as it is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DataError } from '../errors.js';
import { ioErrorMessage, writeFileAtomic } from './atomic.js';

const WEIGHTS_FILE = 'weights.bin';

/** Save `model` as DIR/model.json + DIR/weights.bin (each written atomically). */
export async function saveLayersModel(model: tfl.LayersModel, dir: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology!,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? 'ganbox',
        convertedBy: null,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileAtomic(path.join(dir, WEIGHTS_FILE), new Uint8Array(weightData));
      writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return path.join(dir, 'model.json');
}

/** Load a LayersModel saved by saveLayersModel (or by tfjs's converters, single or sharded). */
export async function loadLayersModel(modelJsonPath: string): Promise<tfl.LayersModel> {
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(fs.readFileSync(modelJsonPath, 'utf8'));
  } catch (err) {
    throw new DataError(ioErrorMessage(modelJsonPath, err) + ' (expected a tfjs model.json)');
  }
  const dir = path.dirname(modelJsonPath);
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      specs.push(...group.weights);
      for (const p of group.paths) {
        const file = path.join(dir, p);
        try {
          const b = fs.readFileSync(file);
          buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
        } catch (err) {
          throw new DataError(ioErrorMessage(file, err));
        }
      }
    }
    return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
  });
  try {
    return await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (err) {
    throw new DataError(`could not load the model in ${modelJsonPath}: ${(err as Error).message}`);
  }
}
