/**
 * A restricted Python unpickler: it rebuilds data (None, bools, ints, floats, strings, bytes,
 * tuples, lists, dicts, sets) and calls nothing but the callables in an allow-list supplied by the
 * caller — pure JavaScript data constructors standing in for the Python ones — like
 * `torch.load(weights_only=True)` (torch/_weights_only_unpickler.py). It never imports or runs
 * anything a file names: an unknown GLOBAL is refused when it is read, before any REDUCE.
 *
 * Opcodes (pickletools names): PROTO FRAME STOP MARK POP POP_MARK; NONE NEWTRUE NEWFALSE BININT
 * BININT1 BININT2 LONG1 LONG4 BINFLOAT; BINUNICODE SHORT_BINUNICODE BINUNICODE8 BINSTRING
 * SHORT_BINSTRING BINBYTES SHORT_BINBYTES BINBYTES8; EMPTY_TUPLE TUPLE TUPLE1-3 EMPTY_LIST APPEND
 * APPENDS EMPTY_DICT SETITEM SETITEMS EMPTY_SET ADDITEMS FROZENSET; BINGET LONG_BINGET BINPUT
 * LONG_BINPUT MEMOIZE; GLOBAL STACK_GLOBAL REDUCE NEWOBJ BUILD (allow-listed targets only);
 * BINPERSID (handed to the caller). That is protocol 2 (what torch.save writes) plus the binary
 * opcodes of protocols 3–5. The text opcodes of protocols 0–1 (INT, STRING, INST, OBJ, PERSID, …),
 * DUP, EXT* and NEWOBJ_EX are refused, as torch's restricted unpickler refuses them.
 *
 * Robustness: every length field is checked against the remaining bytes before anything is
 * allocated; loops are bounded by the input (each opcode consumes at least one byte) and by a
 * work budget that also counts container copies; every malformed input is a DataError naming the
 * file.
 */
import { DataError } from '../errors.js';

/** A Python tuple (lists are plain arrays). */
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/** A dict or collections.OrderedDict, insertion-ordered; `attrs` is an OrderedDict's __dict__ (torch's `_metadata`). */
export class PyDict {
  private readonly map = new Map<string, [PyValue, PyValue]>();
  attrs: PyValue = null;
  constructor(readonly ordered: boolean) {}
  set(key: PyValue, value: PyValue): void { this.map.set(hashKey(key), [key, value]); }
  /** Lookup by a string key. */
  get(key: string): PyValue | undefined { return this.map.get(hashKey(key))?.[1]; }
  get size(): number { return this.map.size; }
  entries(): IterableIterator<[PyValue, PyValue]> { return this.map.values(); }
}

/** A set or frozenset. */
export class PySet {
  readonly items = new Map<string, PyValue>();
  constructor(public frozen: boolean) {}
  add(v: PyValue): void { this.items.set(hashKey(v), v); }
}

/** An allow-listed global (a class or function the file named). */
export class PyGlobal {
  constructor(readonly module: string, readonly name: string, readonly impl: AllowedGlobal) {}
  get fullName(): string { return `${this.module}.${this.name}`; }
}

/** Objects built by allow-listed callables (tensors, storages, dtypes); `pyType` names them in messages. */
export abstract class PyOpaque {
  abstract readonly pyType: string;
}

export type PyValue =
  | null | boolean | number | bigint | string | Uint8Array
  | PyValue[] | PyTuple | PyDict | PySet | PyGlobal | PyOpaque;

/** What an unpickling callback gets: the file name, a failure constructor and the work meter. */
export interface PickleContext {
  readonly fileName: string;
  fail(what: string): DataError;
  charge(units: number): void;
}

/** An allow-listed global: what REDUCE (`call`), NEWOBJ (`newobj`) and BUILD (`build`) may do with it. */
export interface AllowedGlobal {
  call?: (args: PyValue[], ctx: PickleContext) => PyValue;
  newobj?: (args: PyValue[], ctx: PickleContext) => PyValue;
}

export interface UnpickleOptions {
  fileName: string;
  /** 'module.name' → its implementation. Anything else is refused. `__builtin__` is read as `builtins`. */
  globals: ReadonlyMap<string, AllowedGlobal>;
  /** BINPERSID handler; without one, persistent ids are refused. */
  persistentLoad?: (pid: PyValue, ctx: PickleContext) => PyValue;
  /** BUILD on a non-dict object (e.g. a tensor's state); dicts take their state as `attrs`. Default: refuse. */
  build?: (inst: PyValue, state: PyValue, ctx: PickleContext) => void;
  /** Work units allowed (opcodes + copied elements); default 1e6 + 8 × the bytes. */
  workBudget?: number;
}

const MAX_DICT_KEY_DEPTH = 16;
const MAX_GLOBAL_LINE = 1024;
const MAX_LONG_BYTES = 256;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A canonical string for a hashable Python value (dict keys, set items). */
function hashKey(v: PyValue, depth = 0): string {
  if (depth > MAX_DICT_KEY_DEPTH) throw new RangeError('dict key nested too deeply');
  if (v === null) return 'N';
  switch (typeof v) {
    case 'boolean': return v ? 'i1' : 'i0'; // Python: True == 1
    case 'number': return Number.isInteger(v) ? `i${v}` : `f${v}`;
    case 'bigint': return `i${v}`;
    case 'string': return `s${v}`;
  }
  if (v instanceof Uint8Array) return `b${Buffer.from(v).toString('hex')}`;
  if (v instanceof PyTuple) return `t(${v.items.map((x) => hashKey(x, depth + 1)).join(',')})`;
  if (v instanceof PyGlobal) return `g${v.fullName}`;
  throw new TypeError(`unhashable ${describe(v)} used as a dict key or set item`);
}

/** A short name for a value's Python type, for messages. */
export function describe(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'str';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyDict) return v.ordered ? 'OrderedDict' : 'dict';
  if (v instanceof PySet) return v.frozen ? 'frozenset' : 'set';
  if (v instanceof PyGlobal) return v.fullName;
  return v.pyType;
}

/** The message for a global outside the allow-list (torch: "Unsupported class …"). */
export function refusal(fullName: string, fileName: string): DataError {
  return new DataError(
    `refusing to load ${fullName} from ${fileName}: only tensors and containers are allowed ` +
      `(a weights file never needs it, and loading it could run code); if you trust the file, ` +
      `re-save it in Python with torch.save(model.state_dict(), path).`,
  );
}

/**
 * Unpickles one pickle starting at `start`; returns the value and the offset just past STOP.
 * Throws only DataError (malformed input, a refused global or opcode, the work budget exceeded).
 */
export function unpickle(bytes: Uint8Array, start: number, opts: UnpickleOptions): { value: PyValue; end: number } {
  const { fileName } = opts;
  let pos = start;
  let work = 0;
  const budget = opts.workBudget ?? 1e6 + 8 * bytes.length;
  const fail = (what: string) => new DataError(`${fileName} is not a valid PyTorch checkpoint: ${what} (pickle byte ${pos}).`);
  const ctx: PickleContext = {
    fileName,
    fail,
    charge(units: number) {
      work += units;
      if (work > budget) throw fail(`the pickle needs more than ${budget} steps to unpack, far more than its size warrants`);
    },
  };
  try {
    return run();
  } catch (err) {
    if (err instanceof DataError) throw err;
    // RangeError (stack/array limits), TypeError (unhashable key, bad UTF-8): malformed input.
    throw fail((err as Error).message || String(err));
  }

  function run(): { value: PyValue; end: number } {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let stack: PyValue[] = [];
    const metastack: PyValue[][] = [];
    const memo = new Map<number, PyValue>();

    const need = (n: number, what: string) => {
      if (!Number.isSafeInteger(n) || n < 0 || n > bytes.length - pos) {
        throw fail(`${what} of ${n} bytes runs past the end of the ${bytes.length}-byte file (truncated or corrupt)`);
      }
    };
    const take = (n: number, what: string): Uint8Array => { need(n, what); const b = bytes.subarray(pos, pos + n); pos += n; return b; };
    const u8 = () => { need(1, 'argument'); return bytes[pos++]!; };
    const u16 = () => { need(2, 'argument'); const v = view.getUint16(pos, true); pos += 2; return v; };
    const u32 = () => { need(4, 'argument'); const v = view.getUint32(pos, true); pos += 4; return v; };
    const i32 = () => { need(4, 'argument'); const v = view.getInt32(pos, true); pos += 4; return v; };
    const u64 = () => { need(8, 'argument'); const v = view.getBigUint64(pos, true); pos += 8; return v > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(v); };
    const pop = (): PyValue => { if (stack.length === 0) throw fail('stack underflow'); return stack.pop()!; };
    const top = (): PyValue => { if (stack.length === 0) throw fail('stack underflow'); return stack[stack.length - 1]!; };
    const popMark = (): PyValue[] => {
      const items = stack;
      const outer = metastack.pop();
      if (outer === undefined) throw fail('a container opcode without its MARK');
      stack = outer;
      ctx.charge(items.length);
      return items;
    };
    const text = (b: Uint8Array): string => {
      try { return UTF8.decode(b); } catch { throw fail('a string that is not valid UTF-8'); }
    };
    const line = (): string => {
      const limit = Math.min(bytes.length, pos + MAX_GLOBAL_LINE);
      let end = pos;
      while (end < limit && bytes[end] !== 0x0a) end++;
      if (end >= limit) throw fail('GLOBAL name without its newline');
      const s = text(bytes.subarray(pos, end));
      pos = end + 1;
      return s;
    };
    const long = (b: Uint8Array): number | bigint => {
      if (b.length === 0) return 0;
      let v = 0n;
      for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
      if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    };
    const resolve = (module: string, name: string): PyGlobal => {
      const mod = module === '__builtin__' ? 'builtins' : module; // Python's fix_imports mapping
      const full = `${mod}.${name}`;
      const impl = opts.globals.get(full);
      if (!impl) throw refusal(full, fileName);
      return new PyGlobal(mod, name, impl);
    };
    const argsOf = (v: PyValue, op: string): PyValue[] => {
      if (!(v instanceof PyTuple)) throw fail(`${op} arguments must be a tuple, not ${describe(v)}`);
      ctx.charge(v.items.length);
      return v.items;
    };
    const asDict = (v: PyValue, op: string): PyDict => {
      if (!(v instanceof PyDict)) throw fail(`${op} on a ${describe(v)} (only dicts take items)`);
      return v;
    };

    for (;;) {
      ctx.charge(1);
      if (pos >= bytes.length) throw fail('the pickle ends without STOP (truncated)');
      const op = bytes[pos++]!;
      switch (op) {
        case 0x80: { const v = u8(); if (v > 5) throw fail(`unknown pickle protocol ${v}`); break; } // PROTO
        case 0x95: { const n = u64(); need(n, 'FRAME'); break; } // FRAME: a length hint only
        case 0x2e: return { value: pop(), end: pos }; // STOP
        case 0x28: metastack.push(stack); stack = []; break; // MARK
        case 0x30: pop(); break; // POP
        case 0x31: popMark(); break; // POP_MARK
        case 0x4e: stack.push(null); break; // NONE
        case 0x88: stack.push(true); break; // NEWTRUE
        case 0x89: stack.push(false); break; // NEWFALSE
        case 0x4a: stack.push(i32()); break; // BININT
        case 0x4b: stack.push(u8()); break; // BININT1
        case 0x4d: stack.push(u16()); break; // BININT2
        case 0x8a: stack.push(long(take(u8(), 'LONG1'))); break; // LONG1
        case 0x8b: { // LONG4
          const n = i32();
          if (n < 0 || n > MAX_LONG_BYTES) throw fail(`LONG4 of ${n} bytes (a weights file never holds such an integer)`);
          stack.push(long(take(n, 'LONG4')));
          break;
        }
        case 0x47: { need(8, 'BINFLOAT'); stack.push(view.getFloat64(pos, false)); pos += 8; break; } // BINFLOAT (big-endian)
        case 0x58: stack.push(text(take(u32(), 'BINUNICODE'))); break;
        case 0x8c: stack.push(text(take(u8(), 'SHORT_BINUNICODE'))); break;
        case 0x8d: stack.push(text(take(u64(), 'BINUNICODE8'))); break;
        // Python 2 str: torch.load decodes it (encoding='utf-8' by default).
        case 0x55: stack.push(text(take(u8(), 'SHORT_BINSTRING'))); break;
        case 0x54: stack.push(text(take(i32(), 'BINSTRING'))); break;
        case 0x43: stack.push(take(u8(), 'SHORT_BINBYTES').slice()); break;
        case 0x42: stack.push(take(u32(), 'BINBYTES').slice()); break;
        case 0x8e: stack.push(take(u64(), 'BINBYTES8').slice()); break;
        case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
        case 0x74: { const items = popMark(); stack.push(new PyTuple(items)); break; } // TUPLE (pop first: it swaps `stack`)
        case 0x85: { const a = pop(); stack.push(new PyTuple([a])); break; } // TUPLE1
        case 0x86: { const b = pop(), a = pop(); stack.push(new PyTuple([a, b])); break; } // TUPLE2
        case 0x87: { const c = pop(), b = pop(), a = pop(); stack.push(new PyTuple([a, b, c])); break; } // TUPLE3
        case 0x5d: stack.push([]); break; // EMPTY_LIST
        case 0x61: { // APPEND
          const item = pop(), list = top();
          if (!Array.isArray(list)) throw fail(`APPEND to a ${describe(list)} (only lists can be appended to)`);
          list.push(item);
          break;
        }
        case 0x65: { // APPENDS
          const items = popMark(), list = top();
          if (!Array.isArray(list)) throw fail(`APPENDS to a ${describe(list)} (only lists can be extended)`);
          for (const it of items) list.push(it);
          break;
        }
        case 0x7d: stack.push(new PyDict(false)); break; // EMPTY_DICT
        case 0x73: { const v = pop(), k = pop(); asDict(top(), 'SETITEM').set(k, v); break; } // SETITEM
        case 0x75: { // SETITEMS
          const items = popMark(), d = asDict(top(), 'SETITEMS');
          if (items.length % 2) throw fail('SETITEMS with an odd number of items');
          for (let i = 0; i < items.length; i += 2) d.set(items[i]!, items[i + 1]!);
          break;
        }
        case 0x8f: stack.push(new PySet(false)); break; // EMPTY_SET
        case 0x90: { // ADDITEMS
          const items = popMark(), s = top();
          if (!(s instanceof PySet) || s.frozen) throw fail(`ADDITEMS to a ${describe(s)}`);
          for (const it of items) s.add(it);
          break;
        }
        case 0x91: { const items = popMark(), s = new PySet(true); for (const it of items) s.add(it); stack.push(s); break; } // FROZENSET
        case 0x68: case 0x6a: { // BINGET, LONG_BINGET
          const i = op === 0x68 ? u8() : u32();
          if (!memo.has(i)) throw fail(`memo entry ${i} is read before it is written`);
          stack.push(memo.get(i)!);
          break;
        }
        case 0x71: memo.set(u8(), top()); break; // BINPUT
        case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
        case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
        case 0x63: { const module = line(); const name = line(); stack.push(resolve(module, name)); break; } // GLOBAL
        case 0x93: { // STACK_GLOBAL
          const name = pop(), module = pop();
          if (typeof module !== 'string' || typeof name !== 'string') throw fail('STACK_GLOBAL needs two strings');
          stack.push(resolve(module, name));
          break;
        }
        case 0x52: { // REDUCE: func(*args), func allow-listed
          const args = pop(), func = top();
          if (!(func instanceof PyGlobal) || !func.impl.call) throw fail(`REDUCE calls a ${describe(func)}, which is not an allowed callable`);
          stack[stack.length - 1] = func.impl.call(argsOf(args, 'REDUCE'), ctx);
          break;
        }
        case 0x81: { // NEWOBJ: cls.__new__(cls, *args), cls allow-listed
          const args = pop(), cls = top();
          if (!(cls instanceof PyGlobal) || !cls.impl.newobj) throw fail(`NEWOBJ instantiates ${describe(cls)}, which is not an allowed class`);
          stack[stack.length - 1] = cls.impl.newobj(argsOf(args, 'NEWOBJ'), ctx);
          break;
        }
        case 0x62: { // BUILD: inst.__setstate__(state)
          const state = pop(), inst = top();
          if (inst instanceof PyDict && inst.ordered) inst.attrs = state; // OrderedDict.__dict__ (torch's _metadata)
          else if (opts.build && inst instanceof PyOpaque) opts.build(inst, state, ctx);
          else throw fail(`BUILD on a ${describe(inst)} (only tensors and OrderedDicts take a state)`);
          break;
        }
        case 0x51: { // BINPERSID
          const pid = pop();
          if (!opts.persistentLoad) throw fail('a persistent id where none is expected');
          stack.push(opts.persistentLoad(pid, ctx));
          break;
        }
        default: {
          const ch = op >= 0x20 && op < 0x7f ? ` '${String.fromCharCode(op)}'` : '';
          throw fail(`pickle opcode 0x${op.toString(16).padStart(2, '0')}${ch} is not one a weights file uses (only the opcodes torch.load(weights_only=True) accepts are read)`);
        }
      }
    }
  }
}
