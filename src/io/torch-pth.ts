/**
 * PyTorch checkpoint (.pth / .pt) reading: tensors and containers only, as
 * `torch.load(path, map_location='cpu', weights_only=True)` would give, without Python.
 *
 * Two containers (torch/serialization.py):
 * - zip (torch ≥ 1.6, `_use_new_zipfile_serialization=True`): `<archive>/data.pkl` (the pickle),
 *   `<archive>/data/<key>` (one raw little-endian storage per key), `<archive>/version`, and in
 *   torch 2 `<archive>/byteorder`. Persistent ids are ('storage', StorageType, key, location, numel).
 * - legacy: five concatenated things — pickle(MAGIC 0x1950a86a20f9469cfc6c), pickle(1001),
 *   pickle(sys_info), pickle(obj), pickle(sorted storage keys) — then for each key an int64
 *   element count followed by the raw elements. Persistent ids are
 *   ('storage', StorageType, key, location, numel, view_metadata).
 * Tensors come from torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad,
 * backward_hooks[, metadata]) and parameters from _rebuild_parameter; every tensor is copied out
 * contiguous (C order), so views (transposes, slices with a storage offset) come out as PyTorch
 * shows them. The pickle goes through the restricted unpickler (pickle.ts) with the allow-list of
 * torch 1.13's weights_only unpickler (plus torch 2's additions that only build data); anything
 * else is refused with a DataError naming the global.
 *
 * Limits: every view must lie inside its storage; the tensors' total size may not exceed
 * 4 × the file size + 64 MiB (stride-0 views could otherwise ask for any amount of memory).
 * float16 and bfloat16 come out as their raw bits (Uint16Array); see `tensorToFloat32`.
 */
import { readFileSync } from 'node:fs';
import { DataError } from '../errors.js';
import { describe, PyDict, PyGlobal, PyOpaque, PySet, PyTuple, unpickle, type AllowedGlobal, type PickleContext, type PyValue } from './pickle.js';
import { looksLikeZip, readZip } from './zip.js';

export type TorchDtype = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';
export type TorchData = Float32Array | Float64Array | Uint16Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

export interface TorchTensor {
  dtype: TorchDtype;
  shape: number[];
  /** prod(shape) elements in C order; float16/bfloat16 as raw bits, bool as 0/1 bytes. */
  data: TorchData;
}

interface DtypeInfo { dtype: TorchDtype; size: number; make: (b: ArrayBuffer, off: number, n: number) => TorchData }
const D = (dtype: TorchDtype, size: number, make: DtypeInfo['make']): DtypeInfo => ({ dtype, size, make });
const DTYPES: Record<TorchDtype, DtypeInfo> = {
  float32: D('float32', 4, (b, o, n) => new Float32Array(b, o, n)),
  float64: D('float64', 8, (b, o, n) => new Float64Array(b, o, n)),
  float16: D('float16', 2, (b, o, n) => new Uint16Array(b, o, n)),
  bfloat16: D('bfloat16', 2, (b, o, n) => new Uint16Array(b, o, n)),
  int64: D('int64', 8, (b, o, n) => new BigInt64Array(b, o, n)),
  int32: D('int32', 4, (b, o, n) => new Int32Array(b, o, n)),
  int16: D('int16', 2, (b, o, n) => new Int16Array(b, o, n)),
  int8: D('int8', 1, (b, o, n) => new Int8Array(b, o, n)),
  uint8: D('uint8', 1, (b, o, n) => new Uint8Array(b, o, n)),
  bool: D('bool', 1, (b, o, n) => new Uint8Array(b, o, n)),
};

// Storage classes (torch._storage_classes): name → dtype; undefined = allowed by torch, unsupported here.
const STORAGES: Record<string, TorchDtype | undefined> = {
  FloatStorage: 'float32', DoubleStorage: 'float64', HalfStorage: 'float16', BFloat16Storage: 'bfloat16',
  LongStorage: 'int64', IntStorage: 'int32', ShortStorage: 'int16', CharStorage: 'int8', ByteStorage: 'uint8',
  BoolStorage: 'bool', ComplexFloatStorage: undefined, ComplexDoubleStorage: undefined, QInt8Storage: undefined,
  QUInt8Storage: undefined, QInt32Storage: undefined, QUInt4x2Storage: undefined, QUInt2x4Storage: undefined,
};
// torch dtype globals (torch.float32, …), as pickled by torch.dtype.__reduce__.
const DTYPE_NAMES = ['float32', 'float64', 'float16', 'bfloat16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool',
  'complex32', 'complex64', 'complex128'];

class Storage extends PyOpaque {
  readonly pyType = 'torch storage';
  bytes: Uint8Array | undefined; // set once the container's data is read
  private typed: TorchData | undefined;
  constructor(readonly key: string, readonly info: DtypeInfo, readonly numel: number) { super(); }
  /** The storage as an aligned typed array (copied once). */
  elements(fileName: string): TorchData {
    if (!this.typed) {
      if (!this.bytes) throw new DataError(`${fileName} is not a valid PyTorch checkpoint: storage '${this.key}' has no data.`);
      const copy = new Uint8Array(this.numel * this.info.size);
      copy.set(this.bytes.subarray(0, copy.length));
      this.typed = this.info.make(copy.buffer, 0, this.numel);
    }
    return this.typed;
  }
}
class TensorRef extends PyOpaque {
  readonly pyType = 'torch.Tensor';
  constructor(readonly storage: Storage, readonly offset: number, readonly size: number[], readonly stride: number[]) { super(); }
}
/** A legacy storage view (view_metadata): elements [offset, offset + numel) of `base`. */
class StorageView extends Storage {
  constructor(key: string, readonly base: Storage, readonly offset: number, numel: number) { super(key, base.info, numel); }
}

const int = (v: PyValue, what: string, ctx: PickleContext): number => {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  throw ctx.fail(`${what} is a ${describe(v)}${typeof v === 'number' || typeof v === 'bigint' ? ` (${v})` : ''}, not a small integer`);
};
const intTuple = (v: PyValue, what: string, ctx: PickleContext): number[] => {
  if (!(v instanceof PyTuple) && !Array.isArray(v)) throw ctx.fail(`${what} is a ${describe(v)}, not a tuple`);
  const items = v instanceof PyTuple ? v.items : v;
  if (items.length > 64) throw ctx.fail(`${what} has ${items.length} dimensions`);
  return items.map((x, i) => {
    const n = int(x, `${what}[${i}]`, ctx);
    if (n < 0) throw ctx.fail(`${what}[${i}] is negative (${n})`);
    return n;
  });
};

function rebuildTensor(args: PyValue[], ctx: PickleContext, fn: string): TensorRef {
  if (args.length < 4) throw ctx.fail(`${fn} needs at least 4 arguments, got ${args.length}`);
  const [storage, offset, size, stride] = args;
  if (!(storage instanceof Storage)) throw ctx.fail(`${fn}'s storage is a ${describe(storage!)}`);
  const s = intTuple(size!, 'tensor size', ctx), st = intTuple(stride!, 'tensor stride', ctx);
  if (s.length !== st.length) throw ctx.fail(`tensor size has ${s.length} dimensions but its stride ${st.length}`);
  const off = int(offset!, 'storage offset', ctx);
  if (off < 0) throw ctx.fail(`storage offset ${off} is negative`);
  let last = off, empty = false;
  for (let i = 0; i < s.length; i++) { if (s[i] === 0) empty = true; last += (s[i]! - 1) * st[i]!; }
  if (!empty && (!Number.isSafeInteger(last) || last >= storage.numel)) {
    throw ctx.fail(`a tensor of size (${s.join(', ')}), stride (${st.join(', ')}) at offset ${off} reaches element ${last} of a ${storage.numel}-element storage`);
  }
  return new TensorRef(storage, off, s, st);
}
const asTensor = (v: PyValue, what: string, ctx: PickleContext): TensorRef => {
  if (v instanceof TensorRef) return v;
  throw ctx.fail(`${what} is a ${describe(v)}, not a tensor`);
};
const unsupported = (what: string): AllowedGlobal => ({ call: (_a, ctx) => { throw ctx.fail(`${what} are not supported (only dense CPU-loadable tensors are)`); } });

/** The allow-list: torch 1.13's `_get_allowed_globals()`, plus pure data builders torch 2 added. */
function allowedGlobals(): Map<string, AllowedGlobal> {
  const g = new Map<string, AllowedGlobal>();
  g.set('collections.OrderedDict', {
    call: (args, ctx) => {
      const d = new PyDict(true);
      if (args.length > 1) throw ctx.fail('OrderedDict() takes at most one argument');
      if (args.length === 1) {
        const src = args[0]!;
        if (src instanceof PyDict) { for (const [k, v] of src.entries()) d.set(k, v); ctx.charge(src.size); return d; }
        const items = src instanceof PyTuple ? src.items : Array.isArray(src) ? src : null;
        if (!items) throw ctx.fail(`OrderedDict() of a ${describe(src)}`);
        ctx.charge(items.length);
        for (const it of items) {
          const pair = it instanceof PyTuple ? it.items : Array.isArray(it) ? it : [];
          if (pair.length !== 2) throw ctx.fail('OrderedDict() items must be (key, value) pairs');
          d.set(pair[0]!, pair[1]!);
        }
      }
      return d;
    },
  });
  g.set('torch._utils._rebuild_tensor', { call: (a, ctx) => rebuildTensor(a, ctx, '_rebuild_tensor') });
  g.set('torch._utils._rebuild_tensor_v2', { call: (a, ctx) => rebuildTensor(a, ctx, '_rebuild_tensor_v2') });
  const parameter = (a: PyValue[], ctx: PickleContext) => {
    if (a.length < 1) throw ctx.fail('a Parameter without its data');
    return asTensor(a[0]!, 'a Parameter\'s data', ctx);
  };
  g.set('torch._utils._rebuild_parameter', { call: parameter });
  g.set('torch._utils._rebuild_parameter_with_state', { call: parameter });
  g.set('torch.nn.parameter.Parameter', { call: parameter, newobj: parameter });
  g.set('torch._tensor._rebuild_from_type_v2', {
    call: (a, ctx) => { // (func, new_type, args, state): func(*args) when new_type is Tensor/Parameter
      const [func, type, args] = a;
      if (!(func instanceof PyGlobal) || !func.impl.call) throw ctx.fail('_rebuild_from_type_v2 without a rebuild function');
      if (!(type instanceof PyGlobal) || !['torch.Tensor', 'torch.nn.parameter.Parameter'].includes(type.fullName)) {
        throw ctx.fail(`_rebuild_from_type_v2 of ${describe(type ?? null)} (only plain tensors and parameters are supported)`);
      }
      if (!(args instanceof PyTuple)) throw ctx.fail('_rebuild_from_type_v2 arguments are not a tuple');
      return func.impl.call(args.items, ctx);
    },
  });
  g.set('torch.Tensor', {});
  g.set('torch.Size', { call: (a, ctx) => new PyTuple(intTuple(a[0] ?? new PyTuple([]), 'torch.Size', ctx)) });
  g.set('torch.serialization._get_layout', { call: (a) => a[0] ?? null });
  g.set('torch._utils._rebuild_sparse_tensor', unsupported('sparse tensors'));
  g.set('torch._utils._rebuild_sparse_csr_tensor', unsupported('sparse tensors'));
  g.set('torch._utils._rebuild_meta_tensor_no_storage', unsupported('meta tensors'));
  for (const name of DTYPE_NAMES) g.set(`torch.${name}`, {}); // a dtype is only ever an argument
  for (const [name, dtype] of Object.entries(STORAGES)) {
    g.set(`torch.${name}`, {}), g.set(`torch.cuda.${name}`, {});
    STORAGE_TYPES.set(`torch.${name}`, dtype).set(`torch.cuda.${name}`, dtype);
  }
  // Python 3 pickles sets, and bytes at protocol 2, through these; they only build data.
  g.set('builtins.set', { call: (a, ctx) => setOf(a, ctx, false) });
  g.set('builtins.frozenset', { call: (a, ctx) => setOf(a, ctx, true) });
  g.set('_codecs.encode', {
    call: (a, ctx) => {
      const [s, enc] = a;
      if (typeof s !== 'string' || (enc !== 'latin1' && enc !== 'latin-1')) throw ctx.fail('_codecs.encode is only allowed as encode(str, "latin1")');
      return Uint8Array.from(Buffer.from(s, 'latin1'));
    },
  });
  return g;
}
const STORAGE_TYPES = new Map<string, TorchDtype | undefined>();
const GLOBALS = allowedGlobals();

function setOf(a: PyValue[], ctx: PickleContext, frozen: boolean): PyValue {
  const src = a[0] ?? [];
  const items = src instanceof PyTuple ? src.items : Array.isArray(src) ? src : null;
  if (!items) throw ctx.fail(`set() of a ${describe(src)}`);
  ctx.charge(items.length);
  const s = new PySet(frozen);
  for (const it of items) s.add(it);
  return s;
}

/** Storage type and numel from a persistent id ('storage', type, key, location, numel[, view_metadata]). */
function makePersistentLoad(legacy: boolean) {
  const storages = new Map<string, Storage>();
  const load = (pid: PyValue, ctx: PickleContext): PyValue => {
    if (!(pid instanceof PyTuple)) throw ctx.fail(`a persistent id that is a ${describe(pid)}, not a tuple`);
    const [tag, type, key, , numel, view] = pid.items;
    const tagText = tag instanceof Uint8Array ? Buffer.from(tag).toString('latin1') : tag;
    if (tagText !== 'storage') throw ctx.fail(`a persistent id of kind ${describe(tag ?? null)} (only 'storage' is allowed)`);
    if (pid.items.length !== (legacy ? 6 : 5)) throw ctx.fail(`a storage id with ${pid.items.length} fields`);
    if (!(type instanceof PyGlobal) || !STORAGE_TYPES.has(type.fullName)) throw ctx.fail(`a storage of type ${describe(type ?? null)}`);
    const dtype = STORAGE_TYPES.get(type.fullName);
    if (!dtype) throw ctx.fail(`tensors of ${type.fullName} are not supported (complex and quantized dtypes)`);
    if (typeof key !== 'string') throw ctx.fail('a storage key that is not a string');
    const n = int(numel!, 'storage size', ctx);
    if (n < 0) throw ctx.fail('negative storage size');
    let base = storages.get(key);
    if (!base) storages.set(key, base = new Storage(key, DTYPES[dtype], n));
    else if (base.info.dtype !== dtype || base.numel !== n) throw ctx.fail(`storage '${key}' is declared twice, differently`);
    if (!legacy || view === null) return base;
    // view_metadata = (view_key, offset, view_size), in elements of the root storage.
    if (!(view instanceof PyTuple) || view.items.length !== 3) throw ctx.fail('malformed storage view metadata');
    const vOff = int(view.items[1]!, 'storage view offset', ctx), vSize = int(view.items[2]!, 'storage view size', ctx);
    if (vOff < 0 || vSize < 0 || vOff + vSize > n) throw ctx.fail('a storage view outside its storage');
    return new StorageView(String(view.items[0]), base, vOff, vSize);
  };
  return { storages, load };
}

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

/** Reads a checkpoint into its Python object tree (tensors as TensorRef, not yet copied). */
function readObject(bytes: Uint8Array, fileName: string): { root: PyValue; storages: Map<string, Storage> } {
  if (looksLikeZip(bytes)) {
    const entries = new Map<string, Uint8Array>();
    for (const e of readZip(bytes, fileName, 'a valid PyTorch checkpoint (zip)')) {
      if (entries.has(e.name)) throw new DataError(`${fileName} is not a valid PyTorch checkpoint: member '${e.name}' appears twice.`);
      entries.set(e.name, e.data);
    }
    const pkl = [...entries.keys()].find((n) => n === 'data.pkl' || /^[^/]+\/data\.pkl$/.test(n));
    if (pkl === undefined) {
      const hint = [...entries.keys()].some((n) => n.endsWith('constants.pkl') || n.includes('/code/')) ? ' (it looks like a TorchScript archive; save a state_dict instead)' : '';
      throw new DataError(`${fileName} is a zip file without data.pkl, so not a PyTorch checkpoint${hint}.`);
    }
    const prefix = pkl.slice(0, -'data.pkl'.length);
    const order = entries.get(`${prefix}byteorder`);
    if (order && Buffer.from(order).toString('latin1').trim() !== 'little') {
      throw new DataError(`${fileName} was saved on a big-endian machine; re-save it on a little-endian one.`);
    }
    const p = makePersistentLoad(false);
    const { value } = unpickle(entries.get(pkl)!, 0, { fileName, globals: GLOBALS, persistentLoad: p.load, build: noopBuild });
    for (const s of p.storages.values()) {
      const data = entries.get(`${prefix}data/${s.key}`);
      if (!data) throw new DataError(`${fileName} is not a valid PyTorch checkpoint: storage '${s.key}' (member ${prefix}data/${s.key}) is missing.`);
      if (data.length < s.numel * s.info.size) {
        throw new DataError(`${fileName} is not a valid PyTorch checkpoint: storage '${s.key}' holds ${data.length} bytes, not the ${s.numel * s.info.size} its ${s.numel} ${s.info.dtype} elements need.`);
      }
      s.bytes = data;
    }
    return { root: value, storages: p.storages };
  }

  // Legacy: magic, protocol, sys_info, object, storage keys, storages.
  const plain = { fileName, globals: new Map<string, AllowedGlobal>() };
  let magic: PyValue, pos: number;
  try { ({ value: magic, end: pos } = unpickle(bytes, 0, plain)); } catch { magic = null; pos = 0; }
  if (magic !== LEGACY_MAGIC) {
    const tar = bytes.length > 262 && Buffer.from(bytes.subarray(257, 262)).toString('latin1') === 'ustar';
    throw new DataError(
      `${fileName} is not a PyTorch checkpoint: it is neither a zip archive (torch ≥ 1.6) nor a legacy pickle file` +
        (tar ? ' (it is a tar archive: the pre-1.0 format, which is not supported; re-save it with a newer torch)' : '') + '.',
    );
  }
  const proto = unpickle(bytes, pos, plain);
  if (proto.value !== LEGACY_PROTOCOL) throw new DataError(`${fileName} uses legacy checkpoint protocol ${String(proto.value)}, not ${LEGACY_PROTOCOL}; it is not supported.`);
  const info = unpickle(bytes, proto.end, plain);
  if (info.value instanceof PyDict && info.value.get('little_endian') === false) {
    throw new DataError(`${fileName} was saved on a big-endian machine; re-save it on a little-endian one.`);
  }
  const p = makePersistentLoad(true);
  const main = unpickle(bytes, info.end, { fileName, globals: GLOBALS, persistentLoad: p.load, build: noopBuild });
  const keysPickle = unpickle(bytes, main.end, plain);
  const keys = keysPickle.value;
  if (!Array.isArray(keys)) throw new DataError(`${fileName} is not a valid PyTorch checkpoint: the storage key list is a ${describe(keys)}.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  pos = keysPickle.end;
  for (const k of keys) {
    const s = typeof k === 'string' ? p.storages.get(k) : undefined;
    if (!s) throw new DataError(`${fileName} is not a valid PyTorch checkpoint: it stores data for '${String(k)}', which no tensor uses.`);
    if (s.bytes) throw new DataError(`${fileName} is not a valid PyTorch checkpoint: storage '${k}' is stored twice.`);
    if (pos + 8 > bytes.length) throw new DataError(`${fileName} is truncated: storage '${k}' is missing.`);
    const n = view.getBigInt64(pos, true);
    if (n !== BigInt(s.numel)) throw new DataError(`${fileName} is not a valid PyTorch checkpoint: storage '${k}' has ${n} elements in the file but ${s.numel} in its tensors.`);
    const len = s.numel * s.info.size;
    if (len > bytes.length - pos - 8) throw new DataError(`${fileName} is truncated: storage '${k}' needs ${len} bytes, ${bytes.length - pos - 8} are left.`);
    s.bytes = bytes.subarray(pos + 8, pos + 8 + len);
    pos += 8 + len;
  }
  for (const s of p.storages.values()) {
    if (!s.bytes) throw new DataError(`${fileName} is not a valid PyTorch checkpoint: storage '${s.key}' is used but not stored.`);
  }
  return { root: main.value, storages: p.storages };
}

/** Parameter.__setstate__ / legacy Tensor state: nothing a weights reader needs. */
function noopBuild(inst: PyValue, _state: PyValue, ctx: PickleContext): void {
  if (!(inst instanceof TensorRef)) throw ctx.fail(`BUILD on a ${describe(inst)}`);
}

/** Copies a (possibly strided) view out as a contiguous tensor. */
function materialize(t: TensorRef, fileName: string, budget: { bytes: number }): TorchTensor {
  const base = t.storage instanceof StorageView ? t.storage.base : t.storage;
  const shift = t.storage instanceof StorageView ? t.storage.offset : 0;
  const info = base.info;
  let n = 1;
  for (const d of t.size) n *= d;
  budget.bytes -= n * info.size;
  if (!Number.isSafeInteger(n) || budget.bytes < 0) {
    throw new DataError(`${fileName} asks for tensors larger than it could hold (size ${t.size.join('×')}); it is corrupt or crafted.`);
  }
  const src = base.elements(fileName);
  const out = info.make(new ArrayBuffer(n * info.size), 0, n);
  const rank = t.size.length;
  let contiguous = true;
  for (let i = rank - 1, want = 1; i >= 0; want *= t.size[i]!, i--) if (t.size[i]! !== 1 && t.stride[i] !== want) contiguous = false;
  const start = shift + t.offset;
  if (n === 0) { /* empty */ } else if (contiguous) (out as Uint8Array).set((src as Uint8Array).subarray(start, start + n));
  else {
    const idx = new Array<number>(rank).fill(0);
    let at = start;
    for (let k = 0; k < n; k++) {
      (out as Uint8Array)[k] = (src as Uint8Array)[at]!;
      for (let d = rank - 1; d >= 0; d--) { // odometer over the index, last axis fastest
        if (++idx[d]! < t.size[d]!) { at += t.stride[d]!; break; }
        at -= (t.size[d]! - 1) * t.stride[d]!;
        idx[d] = 0;
      }
    }
  }
  return { dtype: info.dtype, shape: [...t.size], data: out };
}

/** Tensor entries of a dict, by string key. */
function tensorsOf(d: PyDict): [string, TensorRef][] {
  const out: [string, TensorRef][] = [];
  for (const [k, v] of d.entries()) if (typeof k === 'string' && v instanceof TensorRef) out.push([k, v]);
  return out;
}

/**
 * Reads a PyTorch checkpoint (zip or legacy) and returns its state_dict: name → tensor.
 * The top-level dict's tensors; or, when it holds none, those of a nested 'state_dict' /
 * 'model_state_dict' / 'model' entry; or else every nested dict's tensors as 'outer.inner'.
 * Non-tensor entries (epoch counters, hyper-parameters) are skipped. Throws only DataError.
 */
export function readTorchCheckpoint(bytes: Uint8Array, fileName: string): Map<string, TorchTensor> {
  try {
    const { root } = readObject(bytes, fileName);
    if (!(root instanceof PyDict)) throw new DataError(`${fileName} holds a ${describe(root)}, not a state_dict; save model.state_dict().`);
    let picked = tensorsOf(root);
    if (picked.length === 0) {
      const nested = ['state_dict', 'model_state_dict', 'model'].map((k) => root.get(k)).find((v) => v instanceof PyDict && tensorsOf(v).length > 0);
      if (nested instanceof PyDict) picked = tensorsOf(nested);
      else {
        for (const [k, v] of root.entries()) {
          if (typeof k === 'string' && v instanceof PyDict) for (const [kk, t] of tensorsOf(v)) picked.push([`${k}.${kk}`, t]);
        }
      }
    }
    const budget = { bytes: 4 * bytes.length + 64 * 2 ** 20 };
    const out = new Map<string, TorchTensor>();
    for (const [k, t] of picked) out.set(k, materialize(t, fileName, budget));
    return out;
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`${fileName} is not a valid PyTorch checkpoint: ${(err as Error).message || String(err)}.`);
  }
}

/** Reads a checkpoint from disk (see readTorchCheckpoint). */
export function loadTorchCheckpoint(path: string): Map<string, TorchTensor> {
  let bytes: Buffer;
  try { bytes = readFileSync(path); } catch (e) {
    throw new DataError(`cannot read ${path}: ${(e as Error).message}.`);
  }
  return readTorchCheckpoint(bytes, path);
}

/** float16 / bfloat16 bits (or any numeric dtype) as float32 values; int64 via Number. */
export function tensorToFloat32(t: TorchTensor): Float32Array {
  const out = new Float32Array(t.data.length);
  if (t.dtype === 'bfloat16') {
    const u = new Uint32Array(out.buffer);
    for (let i = 0; i < out.length; i++) u[i] = (t.data as Uint16Array)[i]! << 16;
  } else if (t.dtype === 'float16') {
    for (let i = 0; i < out.length; i++) out[i] = halfToFloat((t.data as Uint16Array)[i]!);
  } else {
    for (let i = 0; i < out.length; i++) out[i] = Number(t.data[i]!);
  }
  return out;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}
