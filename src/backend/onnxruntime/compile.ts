/**
 * A segment → one ONNX graph: its used slots become the graph's inputs (in0, in1, …), each needed
 * kernel's mapping emits its nodes, and the wanted values become the outputs. A consumer that sees
 * a value with another shape (tfjs Reshape shares data) gets a Reshape node.
 *
 * Layout pass. tfjs is NHWC, ONNX's convolutions are NCHW. A convolution's output stays NCHW in
 * the graph ("channels-first", cf) and flows so through the ops that do not care about layout
 * (element-wise maths with per-channel vectors reshaped to [C, 1, 1], reductions with permuted
 * axes, Tile, Transpose), straight into the next convolution. It is transposed back to NHWC only
 * where an op needs tfjs's layout (Reshape, MatMul, Concat, Slice, …) or the value leaves the graph.
 * This removes the Transpose pairs around every convolution, which onnxruntime's own transpose
 * optimiser could not remove through BatchNorm's broadcasts.
 */
import { GraphBuilder } from './onnx-graph.js';
import type { OpContext } from './ops/index.js';
import type { LazyValue, RecordedOp, Segment } from './segment.js';

export interface CompiledGraph {
  model: Uint8Array;
  /** Slot index of each graph input, in the graph's input order. */
  slots: number[];
  nodes: number;
}

const TO_LOGICAL = [0, 2, 3, 1]; // NCHW tensor → NHWC: perm of Transpose
const PHYS_AXIS = [0, 2, 3, 1]; // NHWC axis a is NCHW axis PHYS_AXIS[a]
const LOGICAL_AXIS = [0, 3, 1, 2]; // NCHW axis p is NHWC axis LOGICAL_AXIS[p]

interface Phys {
  name: string;
  /** A rank-4 NHWC value held as NCHW. */
  cf: boolean;
}

export function compileSegment(seg: Segment, ops: readonly RecordedOp[], outs: readonly LazyValue[], layout = true): CompiledGraph {
  const g = new GraphBuilder();
  const slotName = new Map<number, string>();
  const slots: number[] = [];
  const phys = new Map<LazyValue, Phys>();
  const cache = new Map<string, string>();
  const memo = (key: string, make: () => string) => {
    let v = cache.get(key);
    if (v === undefined) cache.set(key, (v = make()));
    return v;
  };

  const slotInput = (slot: number): string => {
    let name = slotName.get(slot);
    if (name === undefined) {
      const s = seg.slots[slot]!;
      name = g.input(`in${slots.length}`, s.dtype, s.shape);
      slots.push(slot);
      slotName.set(slot, name);
    }
    return name;
  };

  /** The value in tfjs's layout. */
  const nhwc = (v: LazyValue): string => {
    const p = phys.get(v);
    if (p === undefined) throw new Error(`ganbox internal error: value ${v.local} used before it was computed`);
    return p.cf ? memo(`nhwc${v.local}`, () => g.op('Transpose', [p.name], { perm: TO_LOGICAL })) : p.name;
  };

  /** A kernel input in tfjs's layout and the shape the kernel sees. */
  const plain = (ref: RecordedOp['refs'][number]): string | undefined => {
    if (ref === undefined) return undefined;
    if ('slot' in ref) return slotInput(ref.slot);
    const base = nhwc(ref.value);
    if (ref.shape.join() === ref.value.shape.join()) return base;
    return memo(`${ref.value.local}@${ref.shape}`, () => g.op('Reshape', [base, g.ints(ref.shape)]));
  };

  /** Whether a ref is a cf value seen with its own shape. */
  const isCf = (ref: RecordedOp['refs'][number]): boolean =>
    ref !== undefined && 'value' in ref && phys.get(ref.value)?.cf === true && ref.shape.join() === ref.value.shape.join();

  /** A rank-4 (or broadcastable lower-rank) input moved to NCHW for an element-wise op; undefined if impossible. */
  const toCf = (ref: RecordedOp['refs'][number], shape: number[]): string | undefined => {
    if (ref === undefined) return undefined;
    if (isCf(ref)) return phys.get((ref as { value: LazyValue }).value)!.name;
    const x = plain(ref)!;
    if (shape.length === 0) return x;
    if (shape.length === 1) return memo(`c1:${x}`, () => g.op('Reshape', [x, g.ints([shape[0]!, 1, 1])]));
    if (shape.length === 4) return memo(`c4:${x}`, () => g.op('Transpose', [x], { perm: [0, 3, 1, 2] }));
    return undefined;
  };

  for (const op of ops) {
    const m = op.mapping;
    const ctx: OpContext = { shapes: op.shapes, dtypes: op.dtypes, attrs: op.attrs, outs: op.outs };
    const anyCf = layout && op.refs.some(isCf);
    let names: string[] | undefined;
    let cfOut = false;
    if (layout && m.emitNchw) {
      names = m.emitNchw(g, op.refs.map((r) => (isCf(r) ? phys.get((r as { value: LazyValue }).value)!.name : plain(r))) as string[], ctx, op.refs.map(isCf));
      cfOut = !m.plainOutputs;
    } else if (anyCf && m.layout === 'elementwise' && op.outs.length === 1 && op.outs[0]!.shape.length === 4) {
      const ins = op.refs.map((r, i) => toCf(r, op.shapes[i] ?? []));
      if (ins.every((x, i) => x !== undefined || op.refs[i] === undefined)) {
        names = m.emit(g, ins as string[], ctx);
        cfOut = true;
      }
    } else if (anyCf && m.layout === 'reduce') {
      const axes = reduceAxes(op);
      const keep = Boolean(op.attrs['keepDims']);
      const physAxes = axes.map((a) => PHYS_AXIS[a]!);
      const restLogical = [0, 1, 2, 3].filter((a) => !axes.includes(a));
      const restPhys = [0, 1, 2, 3].filter((p) => !physAxes.includes(p)).map((p) => LOGICAL_AXIS[p]!);
      if (keep || restLogical.join() === restPhys.join()) {
        const x = phys.get((op.refs[0] as { value: LazyValue }).value)!.name;
        const s = op.shapes[0]!;
        names = m.emit(g, [x], { ...ctx, shapes: [[s[0]!, s[3]!, s[1]!, s[2]!]], attrs: { ...op.attrs, axis: physAxes, reductionIndices: physAxes } });
        cfOut = keep;
      }
    } else if (layout && m.layout === 'tile' && op.shapes[0]!.length === 4) {
      // Rank-4 tiles (the gradient of a mean over N, H, W) are built channels-first: their
      // consumers are BatchNorm's element-wise gradient ops on convolution outputs.
      const r = op.attrs['reps'] as number[];
      names = m.emit(g, [toCf(op.refs[0], op.shapes[0]!)!], { ...ctx, attrs: { ...op.attrs, reps: [r[0]!, r[3]!, r[1]!, r[2]!] } });
      cfOut = true;
    } else if (anyCf && m.layout === 'transpose') {
      const perm = (op.attrs['perm'] as number[]).map((p) => TO_LOGICAL[p]!);
      const x = phys.get((op.refs[0] as { value: LazyValue }).value)!.name;
      names = m.emit(g, [x], { ...ctx, attrs: { ...op.attrs, perm } });
    }
    if (names === undefined) names = m.emit(g, op.refs.map(plain) as string[], ctx);
    op.outs.forEach((v, i) => phys.set(v, { name: names![i]!, cf: cfOut }));
  }

  const used = new Set<string>();
  for (const v of outs) {
    let name = nhwc(v);
    // An output must be a distinct value name that is not a graph input.
    if (used.has(name) || name.startsWith('in')) name = g.op('Identity', [name]);
    used.add(name);
    g.output(name, v.dtype, v.shape);
  }
  return { model: g.encode(), slots, nodes: g.nodeCount };
}

function reduceAxes(op: RecordedOp): number[] {
  const axis = op.attrs['axis'] ?? op.attrs['reductionIndices'];
  const list = axis === null || axis === undefined ? [0, 1, 2, 3] : Array.isArray(axis) ? (axis as number[]) : [axis as number];
  return [...new Set(list.map((a) => (a < 0 ? a + 4 : a)))].sort();
}
