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

/** Bytes per element of a weight spec (quantized weights are stored in their quantized dtype). */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

interface CheckedManifest { groups: tf.io.WeightsManifestConfig; elements: number; bytes: number }

/**
 * Checks model.json's manifest before anything is read or built: relative weight paths inside the
 * model's folder, shapes of non-negative integers, known dtypes, and declared sizes that add up
 * to exactly the bytes of the weight files. Returns the total element count, which bounds what
 * building the model may allocate (see loadLayersModel).
 */
function checkManifest(json: unknown, modelJsonPath: string, dir: string): CheckedManifest {
  const bad = (why: string) => new DataError(`${modelJsonPath} is not a usable tfjs model.json: ${why}.`);
  const j = json as { modelTopology?: unknown; weightsManifest?: unknown } | null;
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw bad('it is not a JSON object');
  if (typeof j.modelTopology !== 'object' || j.modelTopology === null) throw bad('it has no modelTopology');
  if (!Array.isArray(j.weightsManifest)) throw bad('it has no weightsManifest list');
  let elements = 0, bytes = 0, fileBytes = 0;
  for (const group of j.weightsManifest as Partial<tf.io.WeightsManifestConfig[number]>[]) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group.weights)) throw bad('a manifest group lacks its paths or weights');
    for (const p of group.paths) {
      if (typeof p !== 'string' || !p || path.isAbsolute(p) || p.split(/[\\/]/).includes('..')) throw bad(`weight path ${JSON.stringify(p)} is not a file beside it`);
      const file = path.join(dir, p);
      try {
        fileBytes += fs.statSync(file).size;
      } catch (err) {
        throw new DataError(`${ioErrorMessage(file, err)}, which ${modelJsonPath} lists as its weights`);
      }
    }
    for (const w of group.weights as Partial<tf.io.WeightsManifestEntry>[]) {
      const shape = w?.shape;
      if (typeof w?.name !== 'string' || !Array.isArray(shape) || shape.length > 8 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
        throw bad('a weight entry has no name or a malformed shape');
      }
      const per = DTYPE_BYTES[(w.quantization?.dtype ?? w.dtype) as string];
      if (per === undefined) throw bad(`weight ${w.name} has an unsupported dtype`);
      const n = shape.reduce((a, b) => a * b, 1);
      elements += n;
      bytes += n * per;
    }
  }
  if (!Number.isSafeInteger(bytes) || bytes !== fileBytes) {
    throw bad(`its weights manifest declares ${bytes} bytes of weights but the weight files hold ${fileBytes}`);
  }
  return { groups: j.weightsManifest as tf.io.WeightsManifestConfig, elements, bytes };
}

/**
 * While a model is built from a topology, the weights it creates may not exceed the manifest's
 * element count: building allocates every weight before tfjs compares them with the manifest,
 * so a topology asking for a huge layer would otherwise allocate it.
 */
type AddWeight = (this: unknown, name: string, shape: number[], ...rest: unknown[]) => unknown;
const layerProto = (tfl.layers as unknown as { Layer: { prototype: { addWeight: AddWeight } } }).Layer.prototype;
const originalAddWeight = layerProto.addWeight;
let weightBudget: { left: number; file: string } | undefined;
layerProto.addWeight = function (this: unknown, name: string, shape: number[], ...rest: unknown[]) {
  if (weightBudget) {
    const n = Array.isArray(shape) ? shape.reduce((a, b) => a * (Number.isSafeInteger(b) && b >= 0 ? b : Infinity), 1) : Infinity;
    weightBudget.left -= n;
    if (!(weightBudget.left >= 0)) {
      throw new DataError(`${weightBudget.file} is not a usable tfjs model.json: its topology asks for more weights than its manifest holds (layer weight ${name}).`);
    }
  }
  return originalAddWeight.call(this, name, shape, ...rest);
};

/** Load a LayersModel saved by saveLayersModel (or by tfjs's converters, single or sharded). */
export async function loadLayersModel(modelJsonPath: string): Promise<tfl.LayersModel> {
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(fs.readFileSync(modelJsonPath, 'utf8'));
  } catch (err) {
    throw new DataError(ioErrorMessage(modelJsonPath, err) + ' (expected a tfjs model.json)');
  }
  const dir = path.dirname(modelJsonPath);
  const manifest = checkManifest(json, modelJsonPath, dir);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of manifest.groups) {
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
  weightBudget = { left: manifest.elements, file: modelJsonPath };
  try {
    const artifacts = await tf.io.getModelArtifactsForJSON(json, async () => [specs, tf.io.CompositeArrayBuffer.join(buffers)]);
    return await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`could not load the model in ${modelJsonPath}: ${(err as Error)?.message ?? String(err)}`);
  } finally {
    weightBudget = undefined;
  }
}
