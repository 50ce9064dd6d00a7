/**
 * The onnxruntime engine: a tfjs backend that records kernels instead of running them, and runs
 * each recorded stretch as one ONNX graph on onnxruntime's native CPU kernels (MLAS).
 *
 * How a training step runs: every kernel tfjs calls (forward, the gradients tfjs's autodiff
 * derives, the optimiser's updates) is appended to the current segment and returns a tensor
 * whose data does not exist yet. When JavaScript needs numbers — `dataSync()` on a loss, a kernel
 * the engine does not map, a checkpoint — the segment is flushed: its live values are computed
 * and stored, the rest is dropped. A training step always records the same kernels with the same
 * shapes, so its segments have the same key every step: the graph is written and loaded once,
 * then replayed with the step's weights, optimiser state, noise and batch as inputs.
 *
 * Segments whose estimated cost is under COMPILE_FLOPS run through tfjs's cpu kernels instead
 * (a graph would cost more to build than it saves). The choice depends only on the segment, so a
 * run is reproducible bit for bit, including across --resume.
 *
 * Data lives in JavaScript typed arrays (tfjs's cpu backend storage, which this class extends), so
 * tensors cross to onnxruntime without a copy from a wasm heap; every kernel without a mapping
 * (ops/index.ts) runs the cpu backend's implementation on materialised inputs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { compileSegment } from './compile.js';
import type { OpMapping, TfDtype } from './ops/index.js';
import { loadOrt, OrtSession, type OrtData, type OrtType } from './ort-binding.js';
import { Segment, type LazyValue, type Ref } from './segment.js';

/** Segments cheaper than this (floating-point operations) run on tfjs's cpu kernels. */
export const COMPILE_FLOPS = 1e6;
/** A segment longer than this is flushed before it grows further (bounds graph size and memory). */
const MAX_SEGMENT_OPS = 20_000;
/** Compiled graphs kept (least recently used are released). */
const MAX_SESSIONS = 24;

interface Entry {
  values?: tf.backend_util.BackendValues;
  dtype: tf.DataType;
  refCount: number;
  lazy?: LazyValue;
}

interface Compiled {
  session: OrtSession;
  slots: number[];
}

export interface EngineStats {
  /** Segments computed. */
  flushes: number;
  /** Of those, run as a graph (cached or new). */
  graphRuns: number;
  /** Graphs written and loaded. */
  compiles: number;
  /** Segments run on the cpu kernels. */
  interpreted: number;
  /** Kernels that ran on the cpu because the engine has no mapping for them. */
  fallbacks: Map<string, number>;
}

const SUPPORTED: ReadonlySet<string> = new Set(['float32', 'int32', 'bool']);

export class OnnxruntimeBackend extends MathBackendCPU {
  readonly threads: number;
  /** Segments at least this costly run as graphs (tests set 0 to compile everything). */
  compileFlops = COMPILE_FLOPS;
  /** The channels-first layout pass of compile.ts (tests compare with it off). */
  layout = true;
  readonly stats: EngineStats = { flushes: 0, graphRuns: 0, compiles: 0, interpreted: 0, fallbacks: new Map() };
  private seg = new Segment();
  private readonly sessions = new Map<string, Compiled>();
  private flushing = false;

  constructor(threads: number) {
    super();
    this.threads = threads;
    (this as unknown as { firstUse: boolean }).firstUse = false; // no "install tfjs-node" banner
  }

  private entry(dataId: object): Entry | undefined {
    return (this.data as unknown as { get(id: object): Entry | undefined; has(id: object): boolean }).has(dataId)
      ? (this.data as unknown as { get(id: object): Entry }).get(dataId)
      : undefined;
  }

  /** True when the data of `dataId` has not been computed yet. */
  isPending(dataId: object): boolean {
    return this.entry(dataId)?.lazy !== undefined;
  }

  /** Appends a mapped kernel to the current segment; returns its (pending) outputs. */
  record(kernel: string, mapping: OpMapping, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo[] {
    if (this.seg.ops.length >= MAX_SEGMENT_OPS) this.flush();
    const spec = mapping.inputs === 'variadic' ? Object.keys(inputs) : mapping.inputs.map((n) => n.replace('?', ''));
    const infos = spec.map((n) => inputs[n]);
    const refs: (Ref | undefined)[] = infos.map((t) => (t === undefined ? undefined : this.ref(t)));
    const shapes = infos.map((t) => (t ? [...t.shape] : undefined)) as number[][];
    const dtypes = infos.map((t) => t?.dtype) as TfDtype[];
    const outInfo = mapping.infer(shapes, dtypes, attrs);
    const outs = outInfo.map((o) => {
      const dataId = {};
      const value = this.seg.newValue(dataId, o.shape, o.dtype);
      (this.data as unknown as { set(id: object, e: Entry): void }).set(dataId, { dtype: o.dtype, refCount: 1, lazy: value });
      return value;
    });
    const op = { kernel, mapping, names: spec, refs, shapes, dtypes, attrs: { ...attrs }, outs };
    const ctx = { shapes, dtypes, attrs, outs: outInfo };
    this.seg.add(op, mapping.cost ? mapping.cost(ctx) : outInfo.reduce((n, o) => n + o.shape.reduce((a, b) => a * b, 1), 0));
    return outs.map((v) => ({ dataId: v.dataId, shape: v.shape, dtype: v.dtype }));
  }

  private ref(t: tf.TensorInfo): Ref {
    const e = this.entry(t.dataId)!;
    if (e.lazy) return { value: e.lazy, shape: [...t.shape] };
    return { slot: this.seg.slot(t.dataId, e.values!, [...t.shape], t.dtype as TfDtype) };
  }

  /** Whether `mapping` can record this call (dtypes the engine handles, attributes it supports). */
  canRecord(mapping: OpMapping, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): boolean {
    const spec = mapping.inputs === 'variadic' ? Object.keys(inputs) : mapping.inputs.map((n) => n.replace('?', ''));
    const infos = spec.map((n) => inputs[n]);
    for (let i = 0; i < infos.length; i++) {
      const t = infos[i];
      if (t === undefined) {
        if (mapping.inputs === 'variadic' || !mapping.inputs[i]!.endsWith('?')) return false;
        continue;
      }
      if (!SUPPORTED.has(t.dtype)) return false;
    }
    if (mapping.supports) {
      return mapping.supports(infos.map((t) => (t ? [...t.shape] : undefined)) as number[][], infos.map((t) => t?.dtype) as TfDtype[], attrs);
    }
    return true;
  }

  /** Computes the pending segment if any of `infos` is pending (before a cpu kernel reads them). */
  materialize(infos: readonly (tf.TensorInfo | undefined)[]): void {
    if (infos.some((t) => t !== undefined && this.isPending(t.dataId))) this.flush();
  }

  override readSync(dataId: object): tf.backend_util.BackendValues {
    if (this.isPending(dataId)) this.flush();
    return super.readSync(dataId);
  }

  override async read(dataId: object): Promise<tf.backend_util.BackendValues> {
    return this.readSync(dataId);
  }

  override disposeData(dataId: object, force = false): boolean {
    const e = this.entry(dataId);
    const released = super.disposeData(dataId, force);
    if (e?.lazy && released) e.lazy.dead = true;
    return released;
  }

  /** Computes every live pending value. */
  flush(): void {
    if (this.flushing) throw new Error('ganbox internal error: nested flush');
    const seg = this.seg;
    if (seg.ops.length === 0) return;
    this.seg = new Segment();
    const outs = seg.values.filter((v) => !v.dead);
    if (outs.length === 0) return;
    this.flushing = true;
    try {
      this.stats.flushes++;
      const results = seg.cost >= this.compileFlops ? this.runGraph(seg, outs) : this.interpret(seg, outs);
      outs.forEach((v, i) => {
        const e = this.entry(v.dataId);
        if (e) {
          e.values = results[i]!;
          delete e.lazy;
        }
      });
    } finally {
      this.flushing = false;
    }
  }

  private runGraph(seg: Segment, outs: LazyValue[]): tf.backend_util.BackendValues[] {
    const key = `${this.layout ? 'L' : 'P'}${seg.key(outs)}`;
    let compiled = this.sessions.get(key);
    if (compiled) {
      this.sessions.delete(key); // re-insert: most recently used last
    } else {
      const graph = compileSegment(seg, seg.needed(outs), outs, this.layout);
      if (process.env['GANBOX_ORT_DUMP']) {
        const fs = process.getBuiltinModule?.('node:fs') as typeof import('node:fs') | undefined;
        fs?.writeFileSync(`${process.env['GANBOX_ORT_DUMP']}/graph-${this.stats.compiles}.onnx`, graph.model);
      }
      compiled = { session: new OrtSession(graph.model, { threads: this.threads }), slots: graph.slots };
      this.stats.compiles++;
      if (this.sessions.size >= MAX_SESSIONS) {
        const [oldest, old] = this.sessions.entries().next().value as [string, Compiled];
        old.session.dispose();
        this.sessions.delete(oldest);
      }
    }
    this.sessions.set(key, compiled);
    this.stats.graphRuns++;
    const ort = loadOrt();
    const feeds: Record<string, ReturnType<typeof ort.makeTensor>> = {};
    compiled.slots.forEach((slot, i) => {
      const s = seg.slots[slot]!;
      feeds[`in${i}`] = ort.makeTensor(s.dtype as OrtType, s.values as OrtData, s.shape);
    });
    return compiled.session.run(feeds).map((t) => t.data as tf.backend_util.BackendValues);
  }

  /** Runs the needed kernels one by one with tfjs's cpu implementations. */
  private interpret(seg: Segment, outs: LazyValue[]): tf.backend_util.BackendValues[] {
    this.stats.interpreted++;
    const computed = new Map<LazyValue, tf.backend_util.BackendValues>();
    for (const op of seg.needed(outs)) {
      const temps: object[] = [];
      // Variadic kernels (Concat, AddN) take their inputs as an array, as tfjs passes them.
      const inputs = (op.mapping.inputs === 'variadic' ? [] : {}) as tf.NamedTensorInfoMap;
      op.refs.forEach((r, i) => {
        if (r === undefined) return;
        const [values, shape, dtype] = 'slot' in r
          ? [seg.slots[r.slot]!.values, seg.slots[r.slot]!.shape, seg.slots[r.slot]!.dtype]
          : [computed.get(r.value)!, r.shape, r.value.dtype];
        const dataId = this.write(values, shape, dtype);
        temps.push(dataId);
        inputs[op.names[i]!] = { dataId, shape, dtype };
      });
      const kernel = tf.getKernel(op.kernel, 'cpu');
      if (!kernel) throw new Error(`ganbox internal error: no cpu kernel ${op.kernel}`);
      const res = kernel.kernelFunc({ inputs, backend: this, attrs: op.attrs });
      const list = Array.isArray(res) ? res : [res];
      op.outs.forEach((v, i) => computed.set(v, this.entry(list[i]!.dataId)!.values!));
      for (const t of list) super.disposeData(t.dataId);
      for (const t of temps) super.disposeData(t);
    }
    return outs.map((v) => computed.get(v)!);
  }

  override dispose(): void {
    for (const c of this.sessions.values()) c.session.dispose();
    this.sessions.clear();
    super.dispose();
  }
}
