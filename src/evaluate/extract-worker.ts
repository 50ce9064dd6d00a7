/**
 * Worker-thread side of ExtractorPool (extractor-pool.ts): opens the extractor once on its own tfjs
 * backend (one kernel thread: the pool's workers are the parallelism), then answers batch messages
 * with features. Protocol, all messages plain objects:
 *   → worker: {type: 'batch', id, pixels: Uint8Array [count, H, W, C], shape: [count, H, W, C], layers}
 *   ← main:   {type: 'ready', meta} once; {type: 'result', id, features: {layer: Float32Array}};
 *             {type: 'error', error: {name, message, kind?, stack}}
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { GanboxError } from '../errors.js';
import { useBackend, type BackendName } from '../backend/index.js';
import type { ExtractorSpec } from './extractor-spec.js';
import type { FeatureExtractor } from '../features/types.js';

export interface WorkerInit {
  ganboxExtractWorker: true;
  spec: ExtractorSpec & { module: string };
  backend: BackendName;
}

function serialiseError(err: unknown) {
  const e = err as Error & { kind?: string; exitCode?: number };
  return { name: e?.name ?? 'Error', message: e?.message ?? String(err), kind: err instanceof GanboxError ? e.kind : undefined, stack: e?.stack };
}

async function main(): Promise<void> {
  const port = parentPort!;
  const init = workerData as WorkerInit;
  let extractor: FeatureExtractor;
  try {
    await useBackend(init.backend, { threads: 1 });
    const mod = (await import(init.spec.module)) as { openExtractor: (n: string, o?: object) => Promise<FeatureExtractor> };
    // One onnxruntime thread per worker unless asked otherwise: the pool's workers are the parallelism.
    extractor = await mod.openExtractor(init.spec.name, { threads: 1, ...init.spec.options });
  } catch (err) {
    port.postMessage({ type: 'error', error: serialiseError(err) });
    return;
  }
  port.postMessage({ type: 'ready', meta: { name: extractor.name, layers: [...extractor.layers], dims: { ...extractor.dims }, settings: { ...extractor.settings } } });
  port.on('message', async (msg: { type: string; id: number; pixels: Uint8Array; shape: [number, number, number, number]; layers: string[] }) => {
    if (msg.type === 'close') { extractor.dispose(); port.close(); return; }
    try {
      const features = await extractBatch(extractor, msg.pixels, msg.shape, msg.layers);
      port.postMessage({ type: 'result', id: msg.id, features }, Object.values(features).map((f) => f.buffer as ArrayBuffer));
    } catch (err) {
      port.postMessage({ type: 'error', id: msg.id, error: serialiseError(err) });
    }
  });
}

/** One batch through the extractor: uint8 pixels → float32 features per layer (tensors freed). */
export async function extractBatch(extractor: FeatureExtractor, pixels: Uint8Array, shape: [number, number, number, number], layers: readonly string[]): Promise<Record<string, Float32Array>> {
  const images = tf.tensor4d(Float32Array.from(pixels), shape); // [count, H, W, C] in 0…255
  try {
    const out = await extractor.extract(images, layers);
    const result: Record<string, Float32Array> = {};
    for (const l of layers) {
      const t = out[l];
      if (!t) throw new Error(`ganbox internal error: the ${extractor.name} extractor returned no '${l}' layer`);
      result[l] = new Float32Array(t.dataSync() as Float32Array); // a copy we own (transferable)
    }
    for (const t of Object.values(out)) t.dispose();
    return result;
  } finally {
    images.dispose();
  }
}

if (parentPort && (workerData as { ganboxExtractWorker?: boolean } | null)?.ganboxExtractWorker) void main();
