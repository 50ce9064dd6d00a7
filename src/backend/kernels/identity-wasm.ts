/**
 * A copy-free `Identity` kernel for the wasm backend: the output shares the input's data (the
 * backend's reference count is raised), as the cpu and webgl backends already do.
 *
 * Safe because tensors are immutable: no wasm kernel writes into an input, and `Variable.assign`
 * swaps data ids rather than writing in place. Why: tfjs's engine clones every tensor it saves for
 * a gradient (`saveTensorsForBackwardMode`) through Identity, and tfjs-backend-wasm 4.22 copies
 * each one: ~250 copies, 40 ms of a DCGAN iteration. Kernels inside the wasm backend that call
 * its own `identity` function directly are unaffected.
 */
import * as tf from '@tensorflow/tfjs-core';
import { replaceWasmKernel, type Info } from './wasm-run.js';

function makeKernel(original: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    if (x.dtype === 'string' || x.dtype === 'complex64') return original.kernelFunc(args);
    (args.backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

export function installIdentityWasm(): void {
  replaceWasmKernel(tf.Identity, makeKernel);
}
