/**
 * Calling the wasm backend's own kernels from inside a kernel of ours.
 *
 * A kernel may not call tf ops (the engine is mid-kernel: tfjs fails with "Cannot read properties
 * of undefined (reading 'backend')"), but it may call other kernels' `kernelFunc`s directly with
 * TensorInfos. `KernelScope` does that and frees every intermediate it made when the kernel ends,
 * so a kernel composed this way leaks nothing whether it returns or throws.
 */
import * as tf from '@tensorflow/tfjs-core';

export type Info = tf.TensorInfo;

/**
 * The two methods of tfjs-backend-wasm's BackendWasm that a JS kernel needs: allocate an output in
 * the wasm heap, and view a tensor's heap memory as a typed array (no copy).
 */
export interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  typedArrayFromHeap(t: Info): Float32Array | Int32Array | Uint8Array;
}

/** The wasm kernelFunc registered under `name` (ours, if we replaced it). */
export function wasmKernel(name: string): tf.KernelFunc {
  const k = tf.getKernel(name, 'wasm');
  if (k === undefined) throw new Error(`ganbox internal error: wasm kernel ${name} missing`);
  return k.kernelFunc;
}

/** A reshaped view of `t` that shares its data (for kernel inputs only; never returned). */
export function view(t: Info, shape: number[]): Info {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

export class KernelScope {
  private readonly temps: Info[] = [];
  constructor(readonly backend: tf.KernelBackend) {}

  /** Runs wasm kernel `name`; its output is freed by `dispose()` unless it is `release`d. */
  run(name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): Info {
    const out = wasmKernel(name)({ inputs, backend: this.backend, attrs }) as Info;
    this.temps.push(out);
    return out;
  }

  /** Hands `t` to the caller (the kernel's result): `dispose()` will not free it. */
  release(t: Info): Info {
    const i = this.temps.lastIndexOf(t);
    if (i >= 0) this.temps.splice(i, 1);
    return t;
  }

  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }
}

const originals = new Map<string, tf.KernelConfig>();

/**
 * Replaces the wasm kernel `name` with `make(original)` (idempotent; no-op until the wasm backend
 * is loaded). The replacement keeps the original's setup/dispose functions, so it can be
 * registered before or after the backend initialises, and may fall back to `original.kernelFunc`.
 */
export function replaceWasmKernel(name: string, make: (original: tf.KernelConfig) => tf.KernelFunc): void {
  if (originals.has(name)) return;
  const original = tf.getKernel(name, 'wasm');
  if (original === undefined) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({
    kernelName: name, backendName: 'wasm', kernelFunc: make(original),
    setupFunc: original.setupFunc, disposeFunc: original.disposeFunc,
  });
  originals.set(name, original);
}

/** The backend's own kernel that `replaceWasmKernel` replaced (for tests and benchmarks). */
export function originalWasmKernel(name: string): tf.KernelConfig | undefined {
  return originals.get(name);
}

/** `f(scope)` with a fresh scope that is always disposed; f's result must be `release`d. */
export function withScope<T>(backend: tf.KernelBackend, f: (s: KernelScope) => T): T {
  const s = new KernelScope(backend);
  try {
    return f(s);
  } finally {
    s.dispose();
  }
}
