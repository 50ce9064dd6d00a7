/**
 * One place that registers ganbox's gradients and kernels with tfjs (idempotent).
 *
 * Global side effects, on purpose:
 * - Importing '@tensorflow/tfjs-layers' registers all of tfjs-core's gradients: the Node build of
 *   tfjs-core registers none by itself (only the `@tensorflow/tfjs` union package and tfjs-layers
 *   do), so without it every `tf.grad` fails with "gradient function not found".
 * - `installGradients()` replaces the gradients of Conv2D, Conv2DBackpropInput and
 *   Conv2DBackpropFilter for EVERY backend (tfjs's gradient registry is global) with the ones in
 *   conv2d-grads.ts, LeakyReLU's with an equal, cheaper expression (leaky-relu-grad.ts), those of
 *   tanh/sigmoid/exp/elu with ones whose second order is right (saved-output-grads.ts), and adds
 *   zero gradients for comparison ops (comparison-grads.ts). They are correct on all backends
 *   (tested on cpu and wasm), so results do not depend on which backend was active when they
 *   were installed; Sum's and Mean's gradients broadcast dy instead of multiplying it by a ones tensor
 *   built in JavaScript (reduce-grads.ts).
 * - `installWasmKernels()` also registers the wasm `Conv2DBackpropFilter` kernel (which wasm
 *   lacks) and replaces wasm kernels that are slow in tfjs-backend-wasm 4.22 (each file says by
 *   how much, and falls back to the original for inputs it does not handle):
 *     BatchMatMul, _FusedMatMul  transposed products take the fast layout (matmul-transpose-wasm.ts)
 *     Conv2DBackpropInput        sub-pixel transposed convolution (conv2d-backprop-input-wasm.ts)
 *     Tile, Reverse              block copies (tile-wasm.ts, reverse-wasm.ts)
 *     Identity                   shares data instead of copying (identity-wasm.ts)
 *     Sum, Mean                  over leading axes without a transpose (reduce-leading-wasm.ts)
 * - `installCpuKernels()` replaces the cpu backend's `Conv2DBackpropFilter`, which reads every
 *   element through TensorBuffer.get, with a loop over contiguous memory (conv2d-backprop-filter-cpu.ts);
 *   the browser pages call it when they fall back to cpu.
 * Anything that re-registers all gradients later (e.g. importing '@tensorflow/tfjs') undoes our
 * overrides; calling `installGradients()` again restores them.
 */
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { convGradConfigs } from './conv2d-grads.js';
import { registerComparisonGrads } from './comparison-grads.js';
import { leakyReluGradConfig } from './leaky-relu-grad.js';
import { savedInputGradConfigs } from './saved-output-grads.js';
import { reduceGradConfigs } from './reduce-grads.js';
import { conv2dBackpropFilterWasmConfig } from './conv2d-backprop-filter-wasm.js';
import { installWasmMatMul } from './matmul-transpose-wasm.js';
import { installConv2dBackpropInputWasm } from './conv2d-backprop-input-wasm.js';
import { installTileWasm } from './tile-wasm.js';
import { installIdentityWasm } from './identity-wasm.js';
import { installReduceLeadingWasm } from './reduce-leading-wasm.js';
import { installReverseWasm } from './reverse-wasm.js';
import { installConv2dBackpropFilterCpu } from './conv2d-backprop-filter-cpu.js';

let ours: tf.GradConfig[] | undefined;
const original = new Map<string, tf.GradConfig | undefined>();

/** Registers ganbox's gradients (convolutions, LeakyReLU, tanh/sigmoid/exp/elu) and the comparison ops' zero gradients. */
export function installGradients(): void {
  if (ours === undefined) {
    const replaced = [tf.Conv2D, tf.Conv2DBackpropInput, tf.Conv2DBackpropFilter, tf.LeakyRelu,
      ...savedInputGradConfigs.map((c) => c.kernelName), ...reduceGradConfigs.map((c) => c.kernelName)];
    for (const name of replaced) original.set(name, tf.getGradient(name));
    ours = [...convGradConfigs((name) => original.get(name)), leakyReluGradConfig, ...savedInputGradConfigs, ...reduceGradConfigs];
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
  installConv2dBackpropInputWasm();
  installTileWasm();
  installIdentityWasm();
  installReduceLeadingWasm();
  installReverseWasm();
}

/** `installGradients()` plus the faster cpu kernels (the browser pages' fallback backend). */
export function installCpuKernels(): void {
  installGradients();
  installConv2dBackpropFilterCpu();
}

/** Puts tf's own gradients back for every kernel installGradients replaced (for tests that compare against them). */
export function uninstallGradients(): void {
  for (const [name, config] of original) {
    if (config !== undefined) tf.registerGradient(config);
    else tf.unregisterGradient(name);
  }
}
