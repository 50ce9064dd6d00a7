/**
 * A small builder for ONNX graphs (opset 17), encoded with onnx-proto (protobufjs over the
 * official onnx.proto). The engine writes one graph per recorded stretch of kernels; names are
 * generated ('v12', 'c3'), constants are deduplicated by content.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export const OPSET = 17;

export type Dtype = 'float32' | 'int32' | 'bool' | 'int64';

const ELEM: Record<Dtype, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

export type AttrValue = number | string | number[] | { floats: number[] } | { float: number };
export type Attrs = Record<string, AttrValue | undefined>;

function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') {
    // Integers are INT; use {float: x} for a float attribute that happens to be whole.
    return Number.isInteger(v) ? { name, type: T.INT, i: v } : { name, type: T.FLOAT, f: v };
  }
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ('floats' in v) return { name, type: T.FLOATS, floats: v.floats };
  return { name, type: T.FLOAT, f: v.float };
}

function valueInfo(name: string, dtype: Dtype, shape: readonly number[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: ELEM[dtype], shape: { dim: shape.map((d) => ({ dimValue: d })) } } },
  };
}

export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly inits: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly consts = new Map<string, string>();
  private n = 0;

  /** A fresh value name. */
  fresh(prefix = 'v'): string {
    return `${prefix}${this.n++}`;
  }

  input(name: string, dtype: Dtype, shape: readonly number[]): string {
    this.inputs.push(valueInfo(name, dtype, shape));
    return name;
  }

  output(name: string, dtype: Dtype, shape: readonly number[]): void {
    this.outputs.push(valueInfo(name, dtype, shape));
  }

  /** Adds a node; returns its output names (`outputs` of them). */
  node(op: string, inputs: readonly string[], attrs: Attrs = {}, outputs = 1): string[] {
    const out = Array.from({ length: outputs }, () => this.fresh());
    const attribute_ = Object.entries(attrs)
      .filter((e): e is [string, AttrValue] => e[1] !== undefined)
      .map(([k, v]) => attribute(k, v));
    this.nodes.push({ opType: op, input: [...inputs], output: out, attribute: attribute_ });
    return out;
  }

  /** One-output node. */
  op(op: string, inputs: readonly string[], attrs: Attrs = {}): string {
    return this.node(op, inputs, attrs, 1)[0]!;
  }

  /** A constant tensor (deduplicated by dtype, shape and values). */
  constant(dtype: Dtype, shape: readonly number[], values: readonly number[] | readonly bigint[]): string {
    const key = `${dtype}|${shape.join(',')}|${values.join(',')}`;
    const known = this.consts.get(key);
    if (known) return known;
    const name = this.fresh('c');
    let raw: Uint8Array;
    if (dtype === 'float32') raw = new Uint8Array(Float32Array.from(values as number[]).buffer);
    else if (dtype === 'int32') raw = new Uint8Array(Int32Array.from(values as number[]).buffer);
    else if (dtype === 'int64') raw = new Uint8Array(BigInt64Array.from((values as number[]).map((v) => BigInt(v))).buffer);
    else raw = Uint8Array.from(values as number[]);
    this.inits.push({ name, dataType: ELEM[dtype], dims: [...shape], rawData: raw });
    this.consts.set(key, name);
    return name;
  }

  /** A 1-D int64 constant (shapes, axes, pads, starts…). */
  ints(values: readonly number[]): string {
    return this.constant('int64', [values.length], values);
  }

  /** A scalar constant of `dtype`. */
  scalar(value: number, dtype: Dtype = 'float32'): string {
    return this.constant(dtype, [], [value]);
  }

  /** The encoded ModelProto. */
  encode(name = 'ganbox'): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'ganbox',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: { name, node: this.nodes, initializer: this.inits, input: this.inputs, output: this.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }

  get nodeCount(): number {
    return this.nodes.length;
  }
}
