/**
 * Input mutators for the fuzz (test/reliability/fuzz.test.ts, scripts/fuzz.ts): byte-level
 * mutations of a valid file — bit flips, truncations, size-field overwrites with huge values,
 * splices from other valid files, deletions, duplications — and random bytes; plus a JSON
 * mutator that swaps a random value of a valid document for one of the wrong type or size.
 */
export type Rand = () => number;

export { mulberry32 } from './helpers.js';

const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

/** Values a size or count field should never be trusted with. */
const HUGE = [0xffffffff, 0x7fffffff, 0x80000000, 0x40000000, 0x10000000, 0x01000000, 0xfffffffe, 0x7ffffff0, 0xffff, 0x8000];

export const MUTATIONS = ['truncate', 'bit-flip', 'byte-set', 'size-field', 'splice', 'delete', 'duplicate', 'random', 'append'] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** One mutation of `src` (never in place). `others` are valid files to splice from. */
export function mutateOnce(src: Uint8Array, r: Rand, others: readonly Uint8Array[], kind: Mutation = pick(r, MUTATIONS)): Uint8Array {
  const n = src.length;
  const at = () => (r() < 0.5 ? int(r, Math.min(n, 64) + 1) : int(r, n + 1)); // header fields are near the start
  switch (kind) {
    case 'truncate': return src.slice(0, int(r, n));
    case 'bit-flip': { const b = src.slice(); for (let i = 1 + int(r, 8); i > 0 && n; i--) b[int(r, n)]! ^= 1 << int(r, 8); return b; }
    case 'byte-set': { const b = src.slice(); for (let i = 1 + int(r, 4); i > 0 && n; i--) b[at()] = pick(r, [0, 0xff, 0x7f, 0x80, 1, int(r, 256)]); return b.subarray(0, n); }
    case 'size-field': {
      const b = Buffer.from(src);
      const width = pick(r, [2, 4, 4, 8]);
      const p = Math.min(at(), Math.max(0, n - width));
      if (n < width) return src.slice();
      const v = r() < 0.7 ? pick(r, HUGE) : r() < 0.5 ? n * (2 + int(r, 1000)) : int(r, 0x100000000);
      const le = r() < 0.5;
      if (width === 2) le ? b.writeUInt16LE(v & 0xffff, p) : b.writeUInt16BE(v & 0xffff, p);
      else if (width === 4) le ? b.writeUInt32LE(v >>> 0, p) : b.writeUInt32BE(v >>> 0, p);
      else le ? b.writeBigUInt64LE(BigInt(v) * BigInt(1 + int(r, 1 << 20)), p) : b.writeBigUInt64BE(BigInt(v), p);
      return new Uint8Array(b);
    }
    case 'splice': {
      const o = others.length ? pick(r, others) : src;
      const from = int(r, o.length + 1), len = int(r, Math.min(256, o.length - from) + 1), p = int(r, n + 1);
      const cut = r() < 0.5 ? 0 : int(r, Math.min(64, n - p) + 1); // insert, or overwrite
      return concat(src.subarray(0, p), o.subarray(from, from + len), src.subarray(p + cut));
    }
    case 'delete': { const p = int(r, n + 1); return concat(src.subarray(0, p), src.subarray(Math.min(n, p + 1 + int(r, 32)))); }
    case 'duplicate': { const p = int(r, n + 1), len = int(r, Math.min(128, n - p) + 1); return concat(src.subarray(0, p + len), src.subarray(p)); }
    case 'random': {
      const keep = r() < 0.5 ? Math.min(n, int(r, 17)) : 0; // often keep the magic, so the parser looks further
      return concat(src.subarray(0, keep), Uint8Array.from({ length: int(r, 512) }, () => int(r, 256)));
    }
    case 'append': return concat(src, Uint8Array.from({ length: 1 + int(r, 64) }, () => int(r, 256)));
  }
}

/** 1–3 stacked mutations. */
export function mutate(src: Uint8Array, r: Rand, others: readonly Uint8Array[] = []): Uint8Array {
  let b = mutateOnce(src, r, others);
  for (let k = int(r, 3); k > 0; k--) b = mutateOnce(b, r, others);
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

const WRONG_VALUES: unknown[] = [
  null, true, 'x', '', [], {}, -1, 0, 1.5, 1e308, -1e308, 2 ** 53, 2 ** 31, 4294967295, 1e9, [1e9, 1e9], [-1], ['a'], { a: 1 }, 'NaN',
];

/** A JSON document with one value (anywhere in the tree) replaced, deleted, or a key added. */
export function mutateJson(doc: unknown, r: Rand): unknown {
  const copy = structuredClone(doc);
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => { slots.push({ parent: v, key: i }); walk(x); });
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { slots.push({ parent: v as Record<string, unknown>, key: k }); walk(x); }
  };
  walk(copy);
  if (!slots.length) return pick(r, WRONG_VALUES);
  const { parent, key } = pick(r, slots);
  const what = r();
  const old = (parent as Record<string | number, unknown>)[key];
  if (what < 0.15 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
  else if (what < 0.25 && !Array.isArray(parent)) (parent as Record<string, unknown>)[`extra${int(r, 9)}`] = pick(r, WRONG_VALUES);
  else if (what < 0.5 && typeof old === 'number') (parent as Record<string | number, unknown>)[key] = old * pick(r, [1e6, 1e9, -1, 0, 65536, 1.5]);
  else (parent as Record<string | number, unknown>)[key] = structuredClone(pick(r, WRONG_VALUES));
  return copy;
}
