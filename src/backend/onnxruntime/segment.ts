/**
 * A recorded stretch of kernels: the lazy values they produce, the materialised tensors they read
 * (the graph's inputs, "slots") and a key that is equal for two stretches exactly when they would
 * compile to the same graph (same kernels, attributes, wiring, input shapes and dtypes). Values
 * are numbered within the segment, so the training step of step 100 has the key of step 99.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { OpMapping, TfDtype } from './ops/index.js';

export interface LazyValue {
  /** Index among the segment's values. */
  readonly local: number;
  readonly shape: number[];
  readonly dtype: TfDtype;
  readonly dataId: object;
  /** tfjs disposed it: it is computed only if a later kernel of the segment needs it. */
  dead: boolean;
}

export interface Slot {
  readonly values: tf.backend_util.BackendValues;
  readonly shape: number[];
  readonly dtype: TfDtype;
}

/** A kernel input: a graph input (slot), or a value of the segment seen with a shape (Reshape views). */
export type Ref = { slot: number } | { value: LazyValue; shape: number[] };

export interface RecordedOp {
  readonly kernel: string;
  readonly mapping: OpMapping;
  /** The tfjs kernel's input names, aligned with `refs` (undefined for an absent optional input). */
  readonly names: (string | undefined)[];
  readonly refs: (Ref | undefined)[];
  readonly shapes: number[][];
  readonly dtypes: TfDtype[];
  readonly attrs: tf.NamedAttrMap;
  readonly outs: LazyValue[];
}

export class Segment {
  readonly ops: RecordedOp[] = [];
  readonly slots: Slot[] = [];
  readonly values: LazyValue[] = [];
  private readonly slotOf = new Map<object, Map<string, number>>();
  private readonly keyParts: string[] = [];
  /** Estimated floating-point operations of all its kernels. */
  cost = 0;

  /** The slot of a materialised tensor viewed with `shape` (one per dataId and shape). */
  slot(dataId: object, values: tf.backend_util.BackendValues, shape: number[], dtype: TfDtype): number {
    let byShape = this.slotOf.get(dataId);
    if (!byShape) this.slotOf.set(dataId, (byShape = new Map()));
    const s = shape.join(',');
    let i = byShape.get(s);
    if (i === undefined) {
      i = this.slots.length;
      this.slots.push({ values, shape: [...shape], dtype });
      byShape.set(s, i);
    }
    return i;
  }

  newValue(dataId: object, shape: number[], dtype: TfDtype): LazyValue {
    const v: LazyValue = { local: this.values.length, shape, dtype, dataId, dead: false };
    this.values.push(v);
    return v;
  }

  add(op: RecordedOp, cost: number): void {
    this.ops.push(op);
    this.cost += cost;
    const refs = op.refs.map((r) => {
      if (r === undefined) return '_';
      if ('slot' in r) {
        const s = this.slots[r.slot]!;
        return `s${r.slot}:${s.dtype}[${s.shape}]`;
      }
      return r.shape.join() === r.value.shape.join() ? `v${r.value.local}` : `v${r.value.local}@[${r.shape}]`;
    });
    this.keyParts.push(`${op.kernel}(${refs.join(',')})${JSON.stringify(op.attrs)}`);
  }

  /** The key of this segment when `outs` are the values wanted from it. */
  key(outs: readonly LazyValue[]): string {
    return `${this.keyParts.join(';')}=>${outs.map((v) => v.local).join(',')}`;
  }

  /** The ops needed for `outs`, in recorded order. */
  needed(outs: readonly LazyValue[]): RecordedOp[] {
    const producer = new Map<LazyValue, RecordedOp>();
    for (const op of this.ops) for (const v of op.outs) producer.set(v, op);
    const keep = new Set<RecordedOp>();
    const stack = [...outs];
    while (stack.length) {
      const op = producer.get(stack.pop()!);
      if (!op || keep.has(op)) continue;
      keep.add(op);
      for (const r of op.refs) if (r && 'value' in r) stack.push(r.value);
    }
    return this.ops.filter((op) => keep.has(op));
  }
}
