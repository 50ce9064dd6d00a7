/**
 * A small writer of PyTorch zip checkpoints, as `torch.save(state_dict, f)` (torch ≥ 1.6) lays
 * them out: a stored zip with `archive/data.pkl` (a protocol-2 pickle of an OrderedDict whose
 * values are torch._utils._rebuild_tensor_v2(persistent storage id, offset, size, stride,
 * requires_grad=False, OrderedDict()) calls), `archive/data/<key>` (one raw little-endian float32
 * storage per tensor) and `archive/version`; and the legacy (pre-zip) layout. Tests use it to make weight files the real reader
 * (src/io/torch-pth.ts) then loads; it writes only what this layout needs.
 */
import { encodeZip } from '../../src/io/zip.js';

class Pickler {
  private parts: Buffer[] = [];
  op(code: number | string): this {
    this.parts.push(typeof code === 'number' ? Buffer.from([code]) : Buffer.from(code, 'latin1'));
    return this;
  }
  str(s: string): this { // BINUNICODE
    const b = Buffer.from(s, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(b.length);
    this.parts.push(Buffer.from('X', 'latin1'), len, b);
    return this;
  }
  int(n: number): this { // BININT
    const b = Buffer.alloc(5);
    b.write('J', 0, 'latin1');
    b.writeInt32LE(n, 1);
    this.parts.push(b);
    return this;
  }
  global(module: string, name: string): this { return this.op(`c${module}\n${name}\n`); }
  intTuple(xs: readonly number[]): this { this.op('('); for (const x of xs) this.int(x); return this.op('t'); }
  bytes(): Buffer { return Buffer.concat(this.parts); }
}

/**
 * The pickle of OrderedDict(name → float32 tensor with storage key = its index). Persistent ids:
 * zip ('storage', FloatStorage, key, 'cpu', numel); legacy the same plus view_metadata None.
 */
function statePickle(tensors: [string, readonly number[]][], legacy = false): Buffer {
  const p = new Pickler().op(0x80).op(0x02); // PROTO 2
  p.global('collections', 'OrderedDict').op(')').op('R').op('('); // OrderedDict(), MARK
  tensors.forEach(([name, shape], k) => {
    const numel = shape.reduce((a, b) => a * b, 1);
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    p.str(name);
    p.global('torch._utils', '_rebuild_tensor_v2').op('(');
    p.op('(').str('storage').global('torch', 'FloatStorage').str(String(k)).str('cpu').int(numel);
    if (legacy) p.op('N'); // view_metadata None
    p.op('t').op('Q'); // BINPERSID
    p.int(0).intTuple(shape).intTuple(strides).op(0x89); // offset, size, stride, NEWFALSE
    p.global('collections', 'OrderedDict').op(')').op('R'); // backward_hooks
    p.op('t').op('R');
  });
  return p.op('u').op('.').bytes(); // SETITEMS, STOP
}

/** A stored (uncompressed) zip of `members`, without zip64. */
export function storedZip(members: [string, Uint8Array][]): Buffer {
  return encodeZip(members);
}

/** torch.save's zip layout for a state_dict of float32 tensors. */
export function encodeTorchZip(state: [string, readonly number[], Float32Array][]): Buffer {
  const members: [string, Uint8Array][] = [['archive/data.pkl', statePickle(state.map(([n, s]) => [n, s]))]];
  state.forEach(([, , data], k) => members.push([`archive/data/${k}`, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)]));
  members.push(['archive/version', Buffer.from('3\n')]);
  return storedZip(members);
}

/**
 * torch.save's legacy layout (torch < 1.6, `_use_new_zipfile_serialization=False`, the format of
 * files saved before 2020): pickles of the magic number 0x1950a86a20f9469cfc6c, the protocol
 * version 1001, sys_info {protocol_version, little_endian, type_sizes}, the state_dict and the
 * sorted storage keys; then per key an int64 element count and the raw little-endian elements.
 */
export function encodeTorchLegacy(state: [string, readonly number[], Float32Array][]): Buffer {
  const magic = new Pickler().op(0x80).op(0x02);
  const m = Buffer.alloc(10);
  m.writeBigUInt64LE(0xa86a20f9469cfc6cn, 0); // low 8 bytes of 0x1950a86a20f9469cfc6c
  m.writeUInt16LE(0x1950, 8);
  magic.op(0x8a).op(String.fromCharCode(10)); // LONG1, 10 bytes
  const parts: Buffer[] = [Buffer.concat([magic.bytes(), m, Buffer.from('.', 'latin1')])];
  parts.push(new Pickler().op(0x80).op(0x02).int(1001).op('.').bytes());
  const info = new Pickler().op(0x80).op(0x02).op('}').op('(');
  info.str('protocol_version').int(1001).str('little_endian').op(0x88).str('type_sizes');
  info.op('}').op('(').str('short').int(2).str('int').int(4).str('long').int(4).op('u');
  parts.push(info.op('u').op('.').bytes());
  parts.push(statePickle(state.map(([n, sh]) => [n, sh]), true));
  const keys = state.map((_, k) => String(k)).sort();
  const kp = new Pickler().op(0x80).op(0x02).op(']').op('(');
  for (const k of keys) kp.str(k);
  parts.push(kp.op('e').op('.').bytes());
  for (const k of keys) {
    const data = state[Number(k)]![2];
    const n = Buffer.alloc(8);
    n.writeBigInt64LE(BigInt(data.length));
    parts.push(n, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  return Buffer.concat(parts);
}
