/**
 * Zip archive reading and writing (shared by .npz and PyTorch .pth files), implemented on node:zlib (raw
 * deflate) with a table-driven CRC-32, after PKWARE's APPNOTE.TXT 6.3.x:
 *   [local header 30 B + name + extra][data] … [central directory entries 46 B + name + extra + comment]
 *   [zip64 end record + locator, when present][end of central directory 22 B + comment]
 * Reading trusts the central directory (numpy's writer, via Python's zipfile with force_zip64,
 * puts 0xFFFFFFFF sizes plus a zip64 extra field in local headers; PyTorch's miniz writer pads
 * local extra fields to align data at 64 bytes) and checks every offset and size against the
 * buffer before using it; a deflated member is inflated with its declared size as the output
 * limit (no allocation is driven by an unchecked size, no zip bomb), and its length and CRC-32
 * must then match. Every problem is a DataError naming the file.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DataError } from '../errors.js';

export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zip and zlib use; `prev` continues a running CRC. */
export function crc32(bytes: Uint8Array, prev = 0): number {
  let c = (prev ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
  name: string;
  /** The uncompressed member; for stored members a view into the archive bytes (no copy). */
  data: Uint8Array;
}

/** True when `bytes` starts with a zip local-header signature ("PK\3\4"). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Reads every member of a zip archive, CRC-checked. `kind` names the format in messages
 * ("a valid .npz (zip) file", …).
 */
export function readZip(bytes: Uint8Array, fileName: string, kind = 'a valid zip file'): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = bytes.length;
  const fail = (what: string) => new DataError(`${fileName} is not ${kind}: ${what}.`);
  const need = (at: number, len: number, what: string) => {
    if (!Number.isSafeInteger(at) || !Number.isSafeInteger(len) || at < 0 || len < 0 || at + len > size) {
      throw fail(`${what} at byte ${at} (+${len}) lies outside the ${size}-byte file (truncated?)`);
    }
  };

  // End of central directory: the last signature within 22 + 65535 bytes of the end.
  let eocd = -1;
  for (let p = size - 22; p >= Math.max(0, size - 22 - 65535); p--) {
    if (view.getUint32(p, true) === SIG_EOCD) { eocd = p; break; }
  }
  if (eocd < 0) throw fail('no end-of-central-directory record (truncated, or not a zip)');
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    need(loc, 20, 'zip64 locator');
    if (view.getUint32(loc, true) !== SIG_ZIP64_LOCATOR) throw fail('zip64 sizes without a zip64 locator');
    const rec = Number(view.getBigUint64(loc + 8, true));
    need(rec, 56, 'zip64 end record');
    if (view.getUint32(rec, true) !== SIG_ZIP64_EOCD) throw fail('bad zip64 end record signature');
    count = Number(view.getBigUint64(rec + 32, true));
    cdSize = Number(view.getBigUint64(rec + 40, true));
    cdOffset = Number(view.getBigUint64(rec + 48, true));
  }
  need(cdOffset, cdSize, 'central directory');
  if (count > cdSize / 46) throw fail(`${count} entries cannot fit a ${cdSize}-byte central directory`);

  const out: ZipEntry[] = [];
  let p = cdOffset;
  for (let e = 0; e < count; e++) {
    need(p, 46, 'central directory entry');
    if (view.getUint32(p, true) !== SIG_CENTRAL) throw fail(`bad central directory signature at byte ${p}`);
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let compSize = view.getUint32(p + 20, true);
    let rawSize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let localOffset = view.getUint32(p + 42, true);
    need(p + 46, nameLen + extraLen + commentLen, 'central directory name/extra');
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + p + 46, nameLen).toString(flags & 0x800 ? 'utf8' : 'latin1');
    // Zip64 extended information (header 0x0001): the 0xFFFFFFFF fields, in order.
    for (let x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen;) {
      const id = view.getUint16(x, true), len = view.getUint16(x + 2, true);
      need(x + 4, len, 'extra field');
      if (id === 0x0001) {
        let q = x + 4;
        const take = () => { if (q + 8 > x + 4 + len) throw fail(`short zip64 field for '${name}'`); const v = Number(view.getBigUint64(q, true)); q += 8; return v; };
        if (rawSize === 0xffffffff) rawSize = take();
        if (compSize === 0xffffffff) compSize = take();
        if (localOffset === 0xffffffff) localOffset = take();
      }
      x += 4 + len;
    }
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 0x1) throw fail(`member '${name}' is encrypted`);
    if (method !== 0 && method !== 8) throw fail(`member '${name}' uses compression method ${method} (only stored and deflate are supported)`);

    need(localOffset, 30, `local header of '${name}'`);
    if (view.getUint32(localOffset, true) !== SIG_LOCAL) throw fail(`bad local header signature for '${name}'`);
    const lNameLen = view.getUint16(localOffset + 26, true);
    const lExtraLen = view.getUint16(localOffset + 28, true);
    need(localOffset + 30, lNameLen + lExtraLen, `local header of '${name}'`);
    const dataStart = localOffset + 30 + lNameLen + lExtraLen;
    need(dataStart, compSize, `data of '${name}'`);
    if (method === 0 && compSize !== rawSize) throw fail(`stored member '${name}' declares ${compSize} bytes stored but ${rawSize} uncompressed`);
    const stored = bytes.subarray(dataStart, dataStart + compSize);
    let raw: Uint8Array;
    if (method === 0) raw = stored;
    else {
      try {
        raw = inflateRawSync(stored, { maxOutputLength: Math.max(1, rawSize) });
      } catch (err) {
        throw fail(`member '${name}' does not inflate to its declared ${rawSize} bytes (${(err as Error).message})`);
      }
      if (raw.length !== rawSize) throw fail(`member '${name}' inflates to ${raw.length} bytes, not the declared ${rawSize}`);
    }
    const actual = crc32(raw);
    if (actual !== crc) {
      throw fail(`CRC-32 mismatch in member '${name}' (stored ${crc.toString(16)}, computed ${actual.toString(16)}): the file is corrupt`);
    }
    out.push({ name, data: raw });
  }
  return out;
}

/**
 * A plain zip (no zip64) of `members` in order: each stored, or raw-deflated with `compress`;
 * UTF-8 names, date 1980-01-01, CRC-32 of the uncompressed bytes. `what` names the archive in the
 * error for a member that would need zip64 (over 4 GiB).
 */
export function encodeZip(members: readonly (readonly [string, Uint8Array])[], opts: { compress?: boolean; what?: string } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const method = opts.compress ? 8 : 0;
  for (const [nameText, raw] of members) {
    const name = Buffer.from(nameText, 'utf8');
    const data = opts.compress ? deflateRawSync(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const crc = crc32(raw);
    if (offset + 30 + name.length + data.length > 0xfffffffe || raw.length > 0xfffffffe) {
      throw new DataError(`${opts.what ?? 'zip'}: member '${nameText}' does not fit a zip without zip64 (over 4 GiB); save fewer or smaller arrays.`);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(SIG_LOCAL, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // flags: UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(SIG_CENTRAL, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(SIG_EOCD, 0);
  eocd.writeUInt16LE(members.length, 8);
  eocd.writeUInt16LE(members.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}
