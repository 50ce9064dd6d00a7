/**
 * Registers the 'onnxruntime' tfjs backend and its kernels: for every kernel of tfjs's cpu
 * backend, a function that records the call when ops/index.ts maps it (and its inputs are of a
 * kind the mapping handles), and otherwise computes pending inputs and runs the cpu kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { OnnxruntimeBackend } from './lazy-backend.js';
import { OP_MAPPINGS } from './ops/index.js';
import { loadOrt } from './ort-binding.js';

export const ENGINE_NAME = 'onnxruntime';
let registered = false;

/** Registers the backend (idempotent). Throws, saying why, when onnxruntime-node cannot load. */
export function registerOnnxruntimeBackend(threads: number): void {
  loadOrt();
  if (registered) return;
  tf.registerBackend(ENGINE_NAME, () => new OnnxruntimeBackend(threads), 0);
  for (const k of tf.getKernelsForBackend('cpu')) {
    const mapping = OP_MAPPINGS[k.kernelName];
    const cpuKernel = k.kernelFunc;
    tf.registerKernel({
      kernelName: k.kernelName,
      backendName: ENGINE_NAME,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const be = backend as OnnxruntimeBackend;
        const a = attrs ?? {};
        const alias = k.kernelName === 'Reshape' || k.kernelName === 'Identity' ||
          (k.kernelName === 'Cast' && (inputs['x'] as tf.TensorInfo).dtype === a['dtype']);
        if (mapping && !alias && be.canRecord(mapping, inputs, a)) {
          const outs = be.record(k.kernelName, mapping, inputs, a);
          return outs.length === 1 ? outs[0]! : outs;
        }
        if (mapping === undefined && !alias) {
          be.stats.fallbacks.set(k.kernelName, (be.stats.fallbacks.get(k.kernelName) ?? 0) + 1);
        }
        // Reshape, Identity and a Cast to the same dtype alias their input's data (as on cpu), pending or not.
        if (!alias) be.materialize(Object.values(inputs));
        return cpuKernel({ inputs, backend, attrs });
      },
    });
  }
  registered = true;
}
