/**
 * Running our ONNX graphs on onnxruntime-node (its public InferenceSession API), and choosing the
 * inference engine: 'onnxruntime' by default in Node when `onnxruntime-node` loads, 'tfjs'
 * otherwise (with one line on stderr saying why), or the one the caller names.
 *
 * Sessions: intraOpNumThreads = the threads asked for (default os.availableParallelism()),
 * graphOptimizationLevel 'all' (constant folding, Conv+BN/activation fusion, NCHWc layouts).
 */
import * as os from 'node:os';
import type * as Ort from 'onnxruntime-node';
import { ConfigError, unknownName } from '../errors.js';

export const ENGINES = ['onnxruntime', 'tfjs'] as const;
export type Engine = (typeof ENGINES)[number];

type OrtModule = typeof Ort;
let loading: Promise<OrtModule | Error> | undefined;
let warned = false;

/** onnxruntime-node, loaded once; an Error when it does not load (not installed, no binary for this platform). */
export function loadOnnxruntime(): Promise<OrtModule | Error> {
  loading ??= import('onnxruntime-node').then(
    (m) => { // a CommonJS package: its exports may arrive as named exports or only as `default`
      const d = (m as unknown as { default?: OrtModule }).default;
      return d?.InferenceSession ? d : (m as unknown as OrtModule);
    },
    (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
  );
  return loading;
}

/**
 * The engine to run inference on. `requested` undefined/'auto': onnxruntime when it loads, else tfjs
 * and one line on stderr; 'onnxruntime' that does not load is a ConfigError naming `flag`.
 */
export async function resolveEngine(requested: string | undefined, flag = '--engine'): Promise<Engine> {
  if (requested !== undefined && requested !== 'auto' && !(ENGINES as readonly string[]).includes(requested)) {
    throw unknownName('inference engine', requested, ['auto', ...ENGINES], flag);
  }
  if (requested === 'tfjs') return 'tfjs';
  const ort = await loadOnnxruntime();
  if (ort instanceof Error) {
    const why = ort.message.split('\n')[0];
    if (requested === 'onnxruntime') throw new ConfigError(`${flag} onnxruntime: onnxruntime-node does not load here (${why}); use ${flag} tfjs`);
    if (!warned) process.stderr.write(`ganbox: onnxruntime-node does not load (${why}); running inference on tfjs\n`);
    warned = true;
    return 'tfjs';
  }
  return 'onnxruntime';
}

/** A float32 tensor crossing into or out of a session. */
export interface OnnxTensor { data: Float32Array; dims: readonly number[] }

/** An InferenceSession over one of our graphs: float32 feeds in, the fetched float32 outputs out. */
export class OnnxSession {
  private constructor(private readonly ort: OrtModule, private readonly session: Ort.InferenceSession, readonly threads: number) {}

  /** A session over the ModelProto `bytes`, `threads` intra-op threads (default: all cores). */
  static async create(bytes: Uint8Array, threads = os.availableParallelism()): Promise<OnnxSession> {
    const ort = await loadOnnxruntime();
    if (ort instanceof Error) throw new ConfigError(`onnxruntime-node does not load here (${ort.message.split('\n')[0]}); use the tfjs engine (--engine tfjs)`);
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
    return new OnnxSession(ort, session, threads);
  }

  get inputNames(): readonly string[] { return this.session.inputNames; }
  get outputNames(): readonly string[] { return this.session.outputNames; }

  /**
   * Runs the graph. Feeds are copied when their memory is a SharedArrayBuffer (tfjs's threaded wasm
   * heap), which onnxruntime refuses.
   */
  async run(feeds: Record<string, OnnxTensor>, fetches: readonly string[] = this.outputNames): Promise<Record<string, OnnxTensor>> {
    const ortFeeds: Record<string, Ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      const data = t.data.buffer instanceof ArrayBuffer ? t.data : new Float32Array(t.data);
      ortFeeds[name] = new this.ort.Tensor('float32', data, [...t.dims]);
    }
    const out = await this.session.run(ortFeeds, [...fetches]);
    const result: Record<string, OnnxTensor> = {};
    for (const name of fetches) {
      const t = out[name]!;
      result[name] = { data: t.data as Float32Array, dims: t.dims };
    }
    return result;
  }

  async dispose(): Promise<void> { await this.session.release(); }
}
