/**
 * Choosing and preparing the tfjs backend: `useBackend('onnxruntime' | 'wasm' | 'cpu' | 'tensorflow')`.
 *
 * - 'onnxruntime' (default in Node): the native engine (onnxruntime/lazy-backend.ts): kernels are
 *   recorded and each recorded stretch runs as one ONNX graph on onnxruntime's CPU kernels with
 *   `threads` intra-op threads (default os.availableParallelism()). Where onnxruntime-node cannot
 *   load (no binary for the platform, not installed), one line on stderr says why and 'wasm' is used.
 * - 'wasm' (default): XNNPACK kernels, fast convolutions. In Node we start its threaded-SIMD build
 *   with `threads` XNNPACK threads (default: os.availableParallelism()) through the workaround in
 *   wasm-node-threads.ts; if that fails, the single-threaded SIMD build is used and `threads` is 1.
 *   The kernels and gradients wasm lacks for training are installed (kernels/install.ts).
 * - 'cpu': plain JavaScript kernels; correct, slow. The reference for tests.
 * - 'tensorflow': @tensorflow/tfjs-node (libtensorflow), which users install themselves.
 *
 * Every backend gets ganbox's convolution gradients and the comparison ops' zero gradients
 * (global in tfjs: see kernels/install.ts). Idempotent: calling again with the same name is cheap
 * and re-activates that backend; the thread count is fixed when wasm first initialises.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendError, ConfigError, unknownName } from '../errors.js';
import { installGradients, installWasmKernels } from './kernels/install.js';

export type BackendName = 'onnxruntime' | 'wasm' | 'cpu' | 'tensorflow';
export const BACKEND_NAMES: readonly BackendName[] = ['onnxruntime', 'wasm', 'cpu', 'tensorflow'];

export interface BackendInfo {
  name: BackendName;
  /** Threads the backend's kernels actually use. */
  threads: number;
  /** wasm only: whether the SIMD build runs. */
  simd?: boolean;
}

export interface UseBackendOptions {
  /** wasm only: XNNPACK threads (1–8); default os.availableParallelism(). */
  threads?: number;
}

const started = new Map<BackendName, Promise<BackendInfo>>();

/** Makes `name` the active tfjs backend, initialising it on first use. */
export async function useBackend(name: BackendName = 'onnxruntime', opts: UseBackendOptions = {}): Promise<BackendInfo> {
  if (!BACKEND_NAMES.includes(name)) throw unknownName('backend', String(name), BACKEND_NAMES, '--backend');
  const { threads } = opts;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new ConfigError(`--threads must be a whole number ≥ 1, got ${threads}`);
  }
  installGradients();
  if (name === 'onnxruntime') {
    const why = await onnxruntimeUnavailable(threads);
    if (why !== undefined) {
      if (!warnedFallback) process.stderr.write(`ganbox: ${why}; using the wasm backend\n`);
      warnedFallback = true;
      return useBackend('wasm', opts);
    }
  }
  if (name === 'wasm') installWasmKernels();

  let start = started.get(name);
  if (start === undefined) {
    start = name === 'onnxruntime' ? startOnnxruntime(threads) : name === 'wasm' ? startWasm(threads) : name === 'cpu' ? startCpu() : startTensorflow();
    started.set(name, start); // concurrent callers share one initialisation
    start.catch(() => started.delete(name));
  }
  const info = await start;
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) {
    throw new BackendError(`the ${name} backend failed to re-activate; use --backend cpu`);
  }
  return { ...info };
}

let warnedFallback = false;

/** Why the onnxruntime engine cannot run here (undefined when it can). */
async function onnxruntimeUnavailable(threads: number | undefined): Promise<string | undefined> {
  if (typeof process === 'undefined' || !tf.env().getBool('IS_NODE')) return 'onnxruntime runs only in Node';
  try {
    const { registerOnnxruntimeBackend } = await import('./onnxruntime/register.js');
    const os = await import('node:os');
    registerOnnxruntimeBackend(threads ?? os.availableParallelism());
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

async function startOnnxruntime(threads: number | undefined): Promise<BackendInfo> {
  if (!(await tf.setBackend('onnxruntime'))) throw new BackendError('the onnxruntime backend failed to initialise; use --backend wasm');
  // The engine's thread count is fixed when it is first registered, as wasm's is.
  const be = tf.backend() as unknown as { threads: number };
  return { name: 'onnxruntime', threads: be.threads };
}

async function startCpu(): Promise<BackendInfo> {
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu'))) throw new BackendError('the cpu backend failed to initialise');
  // Compat: the cpu backend prints a "you are running TensorFlow.js in Node.js, install tfjs-node"
  // banner on its first tensor; the CLI offers --backend instead, so we mark it as already shown.
  (tf.findBackend('cpu') as unknown as { firstUse?: boolean }).firstUse = false;
  return { name: 'cpu', threads: 1 };
}

async function startWasm(threads: number | undefined): Promise<BackendInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  installWasmKernels(); // now that the backend's own kernels are registered, wrap/add ours
  const os = await import('node:os').catch(() => undefined);
  const want = Math.min(threads ?? os?.availableParallelism() ?? 1, 8); // the build pre-creates 8 workers
  wasm.setThreadsCount(want);
  let ok = false;
  if (want > 1 && tf.env().getBool('IS_NODE')) {
    try {
      const { initWasmWithNodeThreads } = await import('./wasm-node-threads.js');
      ok = await initWasmWithNodeThreads(want);
    } catch (e) {
      // Fall back below; the reason only matters to someone debugging performance.
      if (process.env['GANBOX_DEBUG']) console.warn(`ganbox: threaded wasm unavailable: ${String(e)}`);
    }
    if (!ok) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  if (!ok) ok = await tf.setBackend('wasm');
  if (!ok) throw new BackendError('the wasm backend failed to initialise; use --backend cpu');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return { name: 'wasm', threads: wasm.getThreadsCount(), simd: Boolean(simd) };
}

async function startTensorflow(): Promise<BackendInfo> {
  // A variable specifier keeps TypeScript from resolving a package that is usually not installed.
  const specifier = '@tensorflow/tfjs-node';
  try {
    await import(specifier);
  } catch {
    throw new BackendError(
      'the tensorflow backend needs @tensorflow/tfjs-node, which is not installed: run `npm install @tensorflow/tfjs-node`, or use --backend wasm|cpu',
    );
  }
  if (!(await tf.setBackend('tensorflow'))) throw new BackendError('the tensorflow backend (@tensorflow/tfjs-node) failed to initialise; use --backend wasm|cpu');
  return { name: 'tensorflow', threads: tf.env().getBool('IS_NODE') ? (await import('node:os')).availableParallelism() : 1 };
}
