/**
 * A small builder for ONNX graphs (the ONNX IR, https://onnx.ai/onnx/repo-docs/IR.html), encoded
 * with `onnx-proto`'s protobuf schema: nodes in topological order, float32 and int64 initializers,
 * typed inputs/outputs whose batch dimension may be symbolic ('N'). Default opset 17 (every op
 * the writers use — Conv, ConvTranspose, Gemm, BatchNormalization, Resize, pools — is stable there
 * and onnxruntime ≥ 1.14 runs it).
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type Attr = number | string | number[] | { floats: number[] };
export type Dim = number | string;

export const OPSET = 17;
/** IR version 8 (ONNX 1.10+): the newest the onnx-proto 8 schema describes. */
export const IR_VERSION = 8;

export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(readonly name: string) {}

  private readonly reserved = new Set<string>();

  /** Keeps `names` (graph outputs) out of `fresh`'s reach until `named` produces them. */
  reserve(...names: string[]): void {
    for (const n of names) { this.names.add(n); this.reserved.add(n); }
  }

  /** Node `op` with one output called exactly `name`, a name given to `reserve` first. */
  named(op: string, inputs: readonly string[], attrs: Record<string, Attr>, name: string): string {
    if (!this.reserved.delete(name)) throw new Error(`ganbox internal error: ONNX tensor name ${name} was not reserved or is produced twice`);
    this.nodes.push({ opType: op, input: [...inputs], output: [name], name: this.fresh(`${op}_node`), attribute: Object.entries(attrs).map(([k, v]) => attribute_(k, v)) });
    return name;
  }

  /** A fresh tensor name starting with `base`. */
  fresh(base: string): string {
    let n = base;
    while (this.names.has(n)) n = `${base}_${++this.counter}`;
    this.names.add(n);
    return n;
  }

  /** A graph input of element type float32, dims numbers or symbolic names ('N'). */
  input(name: string, dims: readonly Dim[]): string {
    this.names.add(name);
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  /** Marks tensor `name` as a graph output with the given (possibly symbolic) dims. */
  output(name: string, dims: readonly Dim[]): void {
    this.outputs.push(valueInfo(name, dims));
  }

  /** A float32 initializer (stored little-endian as raw_data). */
  floats(base: string, values: Float32Array, dims: readonly number[]): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== values.length) throw new Error(`ganbox internal error: initializer ${base} has ${values.length} values for dims ${dims.join('×')}`);
    const name = this.fresh(base);
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    this.initializers.push({ name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(bytes) });
    return name;
  }

  /** An int64 initializer (shapes, axes, sizes). */
  ints(base: string, values: readonly number[]): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: [...values] });
    return name;
  }

  /**
   * Appends node `op`; returns its output names (fresh names from `outputs` bases, default one
   * output named after the op). Attributes: integers → INT (but alpha, beta, epsilon and momentum,
   * float attributes in every ONNX op that has them, are always FLOAT), non-integers → FLOAT,
   * {floats} → FLOATS, strings → STRING, number arrays → INTS.
   */
  node(op: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, outputs: readonly string[] = [op.toLowerCase()]): string[] {
    const outs = outputs.map((o) => this.fresh(o));
    const attribute = Object.entries(attrs).map(([name, v]) => attribute_(name, v));
    this.nodes.push({ opType: op, input: [...inputs], output: outs, name: this.fresh(`${op}_node`), attribute });
    return outs;
  }

  /** The one-output form of `node`. */
  op(op: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, output?: string): string {
    return this.node(op, inputs, attrs, [output ?? op.toLowerCase()])[0]!;
  }

  /** The serialized ModelProto. */
  encode(docString = ''): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'ganbox',
      docString,
      graph: { name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, dims: readonly Dim[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute_(name: string, v: Attr): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if (typeof v === 'object') return { name, type: T.FLOATS, floats: v.floats };
  return Number.isInteger(v) && !name.match(/^(alpha|beta|epsilon|momentum)$/)
    ? { name, type: T.INT, i: v }
    : { name, type: T.FLOAT, f: v };
}
