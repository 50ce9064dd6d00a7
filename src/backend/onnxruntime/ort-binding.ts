/**
 * onnxruntime-node's native session, called synchronously.
 *
 * tfjs kernels are synchronous, and the public `InferenceSession.run` of onnxruntime-node is async
 * (it wraps the native call in `setImmediate`). The package's native binding runs synchronously.
 * Compat: `onnxruntime-node/dist/binding` (`initOrt()`, `new binding.InferenceSession()`,
 * `loadModel(buffer, byteOffset, byteLength, options)`, `run(feeds, fetches, options)`) is internal
 * to onnxruntime-node 1.30.0, which package.json pins exactly. `loadOrt()` checks the shape of that
 * API and the version, and test/backend/onnxruntime-binding.test.ts fails loudly when either changes.
 */
import { createRequire } from 'node:module';

/** The onnxruntime version whose internal binding this file was written against. */
export const ORT_VERSION = '1.30.0';

export type OrtType = 'float32' | 'int32' | 'int64' | 'bool' | 'uint8';
export type OrtData = Float32Array | Int32Array | BigInt64Array | Uint8Array;

/** A tensor as the binding takes and returns it (onnxruntime-common's Tensor). */
export interface OrtTensor {
  readonly type: string;
  readonly data: OrtData;
  readonly dims: readonly number[];
}

interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, null>, options: object): Record<string, OrtTensor>;
  readonly inputMetadata: { name: string }[];
  readonly outputMetadata: { name: string }[];
  dispose(): void;
}

interface Ort {
  newSession(): NativeSession;
  makeTensor(type: OrtType, data: OrtData, dims: readonly number[]): OrtTensor;
  version: string;
}

let ort: Ort | undefined;
let failure: string | undefined;

/**
 * Loads onnxruntime-node's native binding; throws an Error whose message says why it cannot be
 * used (not installed, no binary for this platform, or a version whose internals differ).
 */
export function loadOrt(): Ort {
  if (ort) return ort;
  if (failure) throw new Error(failure);
  try {
    const require = createRequire(import.meta.url);
    const pkg = require('onnxruntime-node/package.json') as { version: string };
    if (pkg.version !== ORT_VERSION) {
      throw new Error(`onnxruntime-node ${pkg.version} is installed, but ganbox uses the internal binding of ${ORT_VERSION}`);
    }
    // onnxruntime-common is onnxruntime-node's dependency, resolved from there.
    const common = createRequire(require.resolve('onnxruntime-node/package.json'))('onnxruntime-common') as { Tensor: new (type: string, data: OrtData, dims: readonly number[]) => OrtTensor };
    const mod = require('onnxruntime-node/dist/binding') as {
      binding: { InferenceSession: new () => NativeSession };
      initOrt: () => void;
    };
    if (typeof mod.initOrt !== 'function' || typeof mod.binding?.InferenceSession !== 'function') {
      throw new Error(`onnxruntime-node ${pkg.version}'s internal binding no longer has initOrt/InferenceSession`);
    }
    mod.initOrt();
    const probe = new mod.binding.InferenceSession();
    if (typeof probe.loadModel !== 'function' || typeof probe.run !== 'function') {
      throw new Error(`onnxruntime-node ${pkg.version}'s native session no longer has loadModel/run`);
    }
    ort = {
      newSession: () => new mod.binding.InferenceSession(),
      makeTensor: (type, data, dims) => new common.Tensor(type, asOrtArray(type, data), dims),
      version: pkg.version,
    };
    return ort;
  } catch (e) {
    const code = (e as { code?: string }).code;
    failure = code === 'MODULE_NOT_FOUND' || code === 'ERR_DLOPEN_FAILED'
      ? `onnxruntime-node is not usable here (${(e as Error).message.split('\n')[0]})`
      : (e as Error).message;
    throw new Error(failure);
  }
}

export interface SessionOptions {
  /** intra-op threads; inter-op is 1 (our graphs are chains). */
  threads: number;
}

/** A loaded ONNX model that runs synchronously. */
export class OrtSession {
  private readonly native: NativeSession;
  readonly inputNames: string[];
  readonly outputNames: string[];
  private readonly fetches: Record<string, null>;

  constructor(model: Uint8Array, opts: SessionOptions) {
    const o = loadOrt();
    this.native = o.newSession();
    this.native.loadModel(model.buffer, model.byteOffset, model.byteLength, {
      intraOpNumThreads: opts.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      // No arena and no memory-pattern planning: each run's intermediates are allocated and freed
      // as it goes. Measured (DCGAN-MNIST, bench/ganbox-child.ts): peak RSS 563 → 394 MB; 64×64×3
      // DCGAN: 1,724 → 904 MB; no loss of speed (a training step's graph runs once per step, and a
      // session kept for an earlier segment would otherwise hold its whole arena).
      enableCpuMemArena: false,
      enableMemPattern: false,
      // Development aid: GANBOX_ORT_PROFILE=PREFIX writes onnxruntime's per-node profile (JSON) per session.
      ...(process.env['GANBOX_ORT_PROFILE'] ? { enableProfiling: true, profileFilePrefix: process.env['GANBOX_ORT_PROFILE'] } : {}),
    });
    this.inputNames = this.native.inputMetadata.map((m) => m.name);
    this.outputNames = this.native.outputMetadata.map((m) => m.name);
    this.fetches = Object.fromEntries(this.outputNames.map((n) => [n, null]));
  }

  /** Runs the model on `feeds` (name → tensor); returns the outputs in `outputNames` order. */
  run(feeds: Record<string, OrtTensor>): OrtTensor[] {
    const out = this.native.run(feeds, this.fetches, {});
    return this.outputNames.map((n) => out[n]!);
  }

  dispose(): void {
    if (process.env['GANBOX_ORT_PROFILE']) (this.native as unknown as { endProfiling(): void }).endProfiling();
    this.native.dispose();
  }
}

/**
 * tfjs may hold a tensor's values in another typed array than its dtype names (tfjs-backend-cpu's
 * OneHot writes its int32 output as a Float32Array); onnxruntime-common checks
 * the array's class, so the values are copied into the class the dtype asks for.
 */
function asOrtArray(type: OrtType, data: OrtData): OrtData {
  const want = { float32: Float32Array, int32: Int32Array, int64: BigInt64Array, bool: Uint8Array, uint8: Uint8Array }[type];
  if (data instanceof want) return data;
  if (want === BigInt64Array) return BigInt64Array.from(data as ArrayLike<number>, (v) => BigInt(v));
  return (want as Float32ArrayConstructor).from(data as ArrayLike<number>);
}
