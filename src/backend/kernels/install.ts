/**
 * One place that registers ganbox's gradients and kernels with tfjs (idempotent).
 *
 * Global side effects, on purpose:
 * - Importing '@tensorflow/tfjs-layers' registers all of tfjs-core's gradients: the Node build of
 *   tfjs-core registers none by itself (only the `@tensorflow/tfjs` union package and tfjs-layers
 *   do), so without it every `tf.grad` fails with "gradient function not found".
 * - `installGradients()` replaces the gradients of Conv2D, Conv2DBackpropInput and
 *   Conv2DBackpropFilter for EVERY backend (tfjs's gradient registry is global) with the ones in
 *   conv2d-grads.ts, and adds zero gradients for comparison ops (comparison-grads.ts). They are
 *   correct on all backends (tested on cpu and wasm), so results do not depend on which backend
 *   was active when they were installed.
 * - `installWasmKernels()` also registers the wasm `Conv2DBackpropFilter` kernel and wraps the
 *   wasm matrix-product kernels so transposed products take the fast path (matmul-transpose-wasm.ts),
 * Anything that re-registers all gradients later (e.g. importing '@tensorflow/tfjs') undoes our
 * overrides; calling `installGradients()` again restores them.
 */
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { convGradConfigs } from './conv2d-grads.js';
import { registerComparisonGrads } from './comparison-grads.js';
import { conv2dBackpropFilterWasmConfig } from './conv2d-backprop-filter-wasm.js';
import { installWasmMatMul } from './matmul-transpose-wasm.js';

let ours: tf.GradConfig[] | undefined;
const original = new Map<string, tf.GradConfig | undefined>();

/** Registers ganbox's convolution gradients and the comparison ops' zero gradients. */
export function installGradients(): void {
  if (ours === undefined) {
    for (const name of [tf.Conv2D, tf.Conv2DBackpropInput, tf.Conv2DBackpropFilter]) {
      original.set(name, tf.getGradient(name));
    }
    ours = convGradConfigs((name) => original.get(name));
  }
  for (const config of ours) {
    if (tf.getGradient(config.kernelName) !== config) tf.registerGradient(config);
  }
  registerComparisonGrads();
}

/** `installGradients()` plus the kernels the wasm backend lacks for training. */
export function installWasmKernels(): void {
  installGradients();
  if (tf.getKernel(tf.Conv2DBackpropFilter, 'wasm') === undefined) {
    tf.registerKernel(conv2dBackpropFilterWasmConfig);
  }
  installWasmMatMul();
}

/** Puts tf's own convolution gradients back (for tests that compare against them). */
export function uninstallGradients(): void {
  for (const [name, config] of original) {
    if (config !== undefined) tf.registerGradient(config);
    else tf.unregisterGradient(name);
  }
}
