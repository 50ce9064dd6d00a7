/**
 * NumPy `.npy` reading and writing (format 1.0, 2.0 and, for reading, 3.0), C order only.
 *
 * Layout: "\x93NUMPY", major, minor, header length (uint16 LE for 1.0, uint32 LE for 2.0/3.0),
 * then a Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`
 * padded with spaces and ended by '\n' so that the data starts at a multiple of 64 bytes
 * (numpy's ARRAY_ALIGN), then the raw little-endian elements.
 *
 * Reading checks every size field against the buffer before allocating: the declared shape must
 * account for exactly the bytes present. Big-endian ('>') files are byte-swapped on read.
 */
import { writeFileSync } from 'node:fs';
import { DataError, ShapeError } from '../errors.js';

export type NpyDtype = '|u1' | '|i1' | '|b1' | '<u2' | '<i2' | '<u4' | '<i4' | '<f4' | '<f8' | '<i8' | '<u8';

export type NpyData =
  | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array
  | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData; // prod(shape) elements, C order
}

interface DtypeInfo {
  size: number;
  make: (buf: ArrayBuffer) => NpyData;
  check: (d: NpyData) => boolean;
}

const DTYPES: Record<NpyDtype, DtypeInfo> = {
  '|u1': { size: 1, make: (b) => new Uint8Array(b), check: (d) => d instanceof Uint8Array },
  '|b1': { size: 1, make: (b) => new Uint8Array(b), check: (d) => d instanceof Uint8Array },
  '|i1': { size: 1, make: (b) => new Int8Array(b), check: (d) => d instanceof Int8Array },
  '<u2': { size: 2, make: (b) => new Uint16Array(b), check: (d) => d instanceof Uint16Array },
  '<i2': { size: 2, make: (b) => new Int16Array(b), check: (d) => d instanceof Int16Array },
  '<u4': { size: 4, make: (b) => new Uint32Array(b), check: (d) => d instanceof Uint32Array },
  '<i4': { size: 4, make: (b) => new Int32Array(b), check: (d) => d instanceof Int32Array },
  '<f4': { size: 4, make: (b) => new Float32Array(b), check: (d) => d instanceof Float32Array },
  '<f8': { size: 8, make: (b) => new Float64Array(b), check: (d) => d instanceof Float64Array },
  '<i8': { size: 8, make: (b) => new BigInt64Array(b), check: (d) => d instanceof BigInt64Array },
  '<u8': { size: 8, make: (b) => new BigUint64Array(b), check: (d) => d instanceof BigUint64Array },
};

export const NPY_DTYPES = Object.keys(DTYPES) as NpyDtype[];

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ALIGN = 64;

// All supported platforms (x64, arm64, wasm) are little-endian; typed arrays use native order.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Encodes an array as .npy bytes (format 1.0, or 2.0 when the header exceeds 65535 bytes). */
export function encodeNpy(array: NpyArray): Buffer {
  const { dtype, shape, data } = array;
  const info = DTYPES[dtype];
  if (!info) throw new ShapeError(`encodeNpy: unsupported dtype '${dtype}'; supported: ${NPY_DTYPES.join(', ')}.`);
  if (!info.check(data)) throw new ShapeError(`encodeNpy: data is a ${data.constructor.name}, which does not match dtype '${dtype}'.`);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new ShapeError(`encodeNpy: bad shape [${shape.join(', ')}].`);
  if (shapeSize(shape) !== data.length) {
    throw new ShapeError(`encodeNpy: shape [${shape.join(', ')}] needs ${shapeSize(shape)} elements, data has ${data.length}.`);
  }
  if (!LITTLE_ENDIAN && info.size > 1) throw new Error('ganbox internal error: big-endian hosts are not supported');
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  let major = 1;
  let prefix = 10; // magic(6) + version(2) + uint16 length
  if (prefix + dict.length + 1 > 65535) { major = 2; prefix = 12; }
  const total = Math.ceil((prefix + dict.length + 1) / ALIGN) * ALIGN;
  const headerLen = total - prefix;
  const out = Buffer.alloc(total + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  if (major === 1) out.writeUInt16LE(headerLen, 8);
  else out.writeUInt32LE(headerLen, 8);
  out.write(dict.padEnd(headerLen - 1, ' ') + '\n', prefix, 'latin1');
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}

/** Writes an array to `path` as .npy. */
export function writeNpy(path: string, array: NpyArray): void {
  writeFileSync(path, encodeNpy(array));
}

/** Parses the header dict; returns the raw descr, fortran flag and shape. */
function parseHeader(text: string, fileName: string): { descr: string; fortran: boolean; shape: number[] } {
  const bad = (what: string) => new DataError(`${fileName} has a malformed .npy header (${what}): ${JSON.stringify(text.trim())}.`);
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  if (descr === undefined) throw bad('no descr');
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  if (fortran === undefined) throw bad('no fortran_order');
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (shapeText === undefined) throw bad('no shape');
  const parts = shapeText.split(',').map((s) => s.trim().replace(/L$/, '')).filter((s) => s.length > 0);
  if (!parts.every((s) => /^\d+$/.test(s))) throw bad('shape is not a tuple of non-negative integers');
  return { descr, fortran: fortran === 'True', shape: parts.map(Number) };
}

/** Reads .npy bytes. Every malformed or truncated input is a DataError naming `fileName`. */
export function readNpy(bytes: Uint8Array, fileName = '.npy data'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DataError(`${fileName} is not a .npy file (it does not start with \\x93NUMPY).`);
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let prefix: number;
  let headerLen: number;
  if (major === 1) { prefix = 10; headerLen = view.getUint16(8, true); }
  else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new DataError(`${fileName} is truncated inside its .npy header.`);
    prefix = 12;
    headerLen = view.getUint32(8, true);
  } else {
    throw new DataError(`${fileName} uses .npy format version ${major}.${bytes[7]}, which is not supported (1.0–3.0 are).`);
  }
  const dataStart = prefix + headerLen;
  if (dataStart > bytes.length) {
    throw new DataError(`${fileName} is truncated: its .npy header claims ${headerLen} bytes but the file has ${bytes.length}.`);
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + prefix, headerLen).toString(major === 3 ? 'utf8' : 'latin1');
  const { descr, fortran, shape } = parseHeader(text, fileName);
  if (fortran) {
    throw new DataError(`${fileName} is stored in Fortran order; save it in C order (numpy.ascontiguousarray) and retry.`);
  }
  const order = descr[0];
  const dtype = (descr.length === 3 && (order === '<' || order === '>' || order === '=' || order === '|')
    ? (descr[2] === '1' ? '|' : '<') + descr.slice(1) : descr) as NpyDtype;
  const info = DTYPES[dtype];
  if (!info) throw new DataError(`${fileName} has dtype '${descr}', which is not supported; supported: ${NPY_DTYPES.join(', ')}.`);
  const count = shapeSize(shape);
  const nBytes = count * info.size;
  const available = bytes.length - dataStart;
  if (!Number.isSafeInteger(nBytes) || nBytes !== available) {
    throw new DataError(
      `${fileName} declares shape (${shape.join(', ')}) of '${descr}' = ${nBytes} data bytes, but the file holds ${available}` +
        (nBytes > available ? ' (truncated).' : '.'),
    );
  }
  // Copy into a fresh, aligned ArrayBuffer: `bytes` may sit at any offset of a pooled Buffer.
  // (Buffer#slice would return a view, so copy explicitly.)
  const copy = new Uint8Array(nBytes);
  copy.set(bytes.subarray(dataStart, dataStart + nBytes));
  if (order === '>' && info.size > 1) {
    for (let i = 0; i < nBytes; i += info.size) copy.subarray(i, i + info.size).reverse();
  }
  return { dtype, shape, data: info.make(copy.buffer) };
}
