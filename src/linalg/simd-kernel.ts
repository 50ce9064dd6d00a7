/**
 * The GEMM micro-kernel in WebAssembly SIMD (f64x2), assembled here from its opcodes so no build
 * step or binary file is needed. JavaScript has no SIMD, and V8's scalar code peaks near
 * 3 GFLOP/s on the 4×4 kernel of gemm.ts; two lanes per instruction roughly double that.
 *
 * Export `tiles(ap, bp, cp, kb, count)`: for t in 0..count−1, the 4×4 tile
 *   C_t = A_t · B,  A_t = 4×kb row panel at byte ap + 32·kb·t (packed as gemm.ts packs: element
 *   (i, p) at [p·4 + i]), B = kb×4 column panel at byte bp (element (p, j) at [p·4 + j]),
 * is written row-major (16 doubles) at byte cp + 128·t. The caller adds the tiles into C.
 * Per p the kernel does 2 + 4 loads, 8 multiplies and 8 adds on two-lane vectors (32 flops);
 * 8 accumulators + 3 operands fit the 16 x64 vector registers V8 uses, so nothing spills.
 *
 * Export `gemv(a, lda, x, y, rows, cols)`: y[r] = Σ_j A[r, j]·x[j] for r < rows, j < cols, with
 * A's rows lda bytes apart (any 8-byte alignment): four two-lane accumulators, then a scalar tail.
 * Export `symv(a, lda, x, y, m)`: y = A x for a symmetric m×m A of which only the lower triangle
 * (row r, columns 0..r) is read: each row gives a dot product for y[r] and an axpy into y[0..r),
 * so the matrix streams through memory once at half the size of `gemv`'s. Used by the
 * tridiagonalisation's A22·v products, which otherwise dominate eigvalsh.
 *
 * Export `rot(pi, pj, n, c, s)`: the plane rotation of two length-n rows (byte addresses),
 * (x_i, x_j) ← (c·x_i − s·x_j, s·x_i + c·x_j), for the QL iteration's eigenvector updates.
 *
 * Layout of the module's memory (imported, so JS can pack straight into it): see gemm.ts.
 * Opcodes: WebAssembly Core Spec 2.0, §5.4 (SIMD: prefix 0xFD).
 */

// --- a minimal encoder ---------------------------------------------------------------------
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}
function str(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

const I32 = 0x7f, F64 = 0x7c, V128 = 0x7b;
const op = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b,
  get: 0x20, set: 0x21, tee: 0x22,
  i32const: 0x41, i32add: 0x6a, i32mul: 0x6c, i32geu: 0x4f, i32shl: 0x74, i32and: 0x71,
  f64load: 0x2b, f64store: 0x39, f64add: 0xa0, f64sub: 0xa1, f64mul: 0xa2, f64const: 0x44,
};
const simd = (code: number, ...imm: number[]) => [0xfd, ...uleb(code), ...imm];
const memarg = (alignLog2: number, offset: number) => [alignLog2, ...uleb(offset)];
const v128load = (offset: number) => simd(0x00, ...memarg(4, offset));
const v128store = (offset: number) => simd(0x0b, ...memarg(4, offset));
const load64splat = (offset: number) => simd(0x0a, ...memarg(3, offset));
const v128zero = simd(0x0c, ...new Array<number>(16).fill(0));
const f64x2add = simd(0xf0);
const f64x2mul = simd(0xf2);
const lane = (i: number) => simd(0x21, i); // f64x2.extract_lane

// Locals: params 0 ap, 1 bp, 2 cp, 3 kb, 4 count; 5 t, 6 a, 7 b, 8 end; 9..16 c0..c7; 17 b01, 18 b23, 19 av.
const [AP, BP, CP, KB, COUNT, T, A, B, END] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const C = (i: number) => 9 + i;
const B01 = 17, B23 = 18, AV = 19;
const get = (l: number) => [op.get, l];
const set = (l: number) => [op.set, l];

function body(): number[] {
  const code: number[] = [];
  const emit = (...xs: (number | number[])[]) => { for (const x of xs) Array.isArray(x) ? code.push(...x) : code.push(x); };
  emit(op.block, 0x40, op.loop, 0x40); // tile loop
  emit(get(T), get(COUNT), op.i32geu, op.brIf, 1);
  for (let i = 0; i < 8; i++) emit(v128zero, set(C(i)));
  // a = ap + t·kb·32; b = bp; end = bp + kb·32
  emit(get(AP), get(T), get(KB), op.i32mul, op.i32const, 5, op.i32shl, op.i32add, set(A));
  emit(get(BP), set(B));
  emit(get(BP), get(KB), op.i32const, 5, op.i32shl, op.i32add, set(END));
  emit(op.block, 0x40, op.loop, 0x40); // k loop
  emit(get(B), get(END), op.i32geu, op.brIf, 1);
  emit(get(B), v128load(0), set(B01), get(B), v128load(16), set(B23));
  for (let i = 0; i < 4; i++) {
    emit(get(A), load64splat(8 * i), set(AV));
    emit(get(C(2 * i)), get(AV), get(B01), f64x2mul, f64x2add, set(C(2 * i)));
    emit(get(C(2 * i + 1)), get(AV), get(B23), f64x2mul, f64x2add, set(C(2 * i + 1)));
  }
  emit(get(A), op.i32const, 32, op.i32add, set(A));
  emit(get(B), op.i32const, 32, op.i32add, set(B));
  emit(op.br, 0, op.end, op.end); // end k loop
  // store the tile at cp + t·128
  emit(get(CP), get(T), op.i32const, 7, op.i32shl, op.i32add, set(A));
  for (let i = 0; i < 8; i++) emit(get(A), get(C(i)), v128store(16 * i));
  emit(get(T), op.i32const, 1, op.i32add, set(T));
  emit(op.br, 0, op.end, op.end); // end tile loop
  emit(op.end); // end function
  const locals = [...uleb(2), ...uleb(4), I32, ...uleb(11), V128];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

// gemv locals: params 0 a, 1 lda, 2 x, 3 y, 4 rows, 5 cols; 6 r, 7 p, 8 q, 9 end4, 10 endAll;
// 11..14 acc0..acc3 (v128); 15 s (f64).
function gemvBody(): number[] {
  const [Ap, LDA, X, Y, ROWS, COLS, R, P, Q, END4, ENDALL] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const ACC = (i: number) => 11 + i;
  const S = 15;
  const code: number[] = [];
  const emit = (...xs: (number | number[])[]) => { for (const x of xs) Array.isArray(x) ? code.push(...x) : code.push(x); };
  emit(op.block, 0x40, op.loop, 0x40); // row loop
  emit(get(R), get(ROWS), op.i32geu, op.brIf, 1);
  for (let i = 0; i < 4; i++) emit(v128zero, set(ACC(i)));
  emit(get(Ap), get(R), get(LDA), op.i32mul, op.i32add, set(P));
  emit(get(X), set(Q));
  emit(get(X), get(COLS), op.i32const, ...[0x78], op.i32and, op.i32const, 3, op.i32shl, op.i32add, set(END4)); // cols & ~7 (i32.const −8)
  emit(get(X), get(COLS), op.i32const, 3, op.i32shl, op.i32add, set(ENDALL));
  emit(op.block, 0x40, op.loop, 0x40); // 8 columns per step
  emit(get(Q), get(END4), op.i32geu, op.brIf, 1);
  for (let i = 0; i < 4; i++) {
    emit(get(ACC(i)), get(P), simd(0x00, ...memarg(0, 16 * i)), get(Q), simd(0x00, ...memarg(0, 16 * i)), f64x2mul, f64x2add, set(ACC(i)));
  }
  emit(get(P), op.i32const, ...[0xc0, 0x00], op.i32add, set(P)); // +64
  emit(get(Q), op.i32const, ...[0xc0, 0x00], op.i32add, set(Q));
  emit(op.br, 0, op.end, op.end);
  // s = Σ lanes of (acc0 + acc1) + (acc2 + acc3)
  emit(get(ACC(0)), get(ACC(1)), f64x2add, get(ACC(2)), get(ACC(3)), f64x2add, f64x2add, set(ACC(0)));
  emit(get(ACC(0)), lane(0), get(ACC(0)), lane(1), op.f64add, set(S));
  emit(op.block, 0x40, op.loop, 0x40); // scalar tail
  emit(get(Q), get(ENDALL), op.i32geu, op.brIf, 1);
  emit(get(S), get(P), op.f64load, ...memarg(3, 0), get(Q), op.f64load, ...memarg(3, 0), op.f64mul, op.f64add, set(S));
  emit(get(P), op.i32const, 8, op.i32add, set(P));
  emit(get(Q), op.i32const, 8, op.i32add, set(Q));
  emit(op.br, 0, op.end, op.end);
  emit(get(Y), get(R), op.i32const, 3, op.i32shl, op.i32add, get(S), op.f64store, ...memarg(3, 0));
  emit(get(R), op.i32const, 1, op.i32add, set(R));
  emit(op.br, 0, op.end, op.end);
  emit(op.end);
  const locals = [...uleb(3), ...uleb(5), I32, ...uleb(4), V128, ...uleb(1), F64];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

// symv locals: params 0 a, 1 lda, 2 x, 3 y, 4 m; i32 5 r, 6 p, 7 q, 8 yq, 9 end4, 10 endr;
// v128 11 acc0, 12 acc1, 13 xs, 14 a0, 15 a1; f64 16 s, 17 xr, 18 av.
function symvBody(): number[] {
  const [Ap, LDA, X, Y, M, R, P, Q, YQ, END4, ENDR] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [ACC0, ACC1, XS, A0, A1, S, XR, AV] = [11, 12, 13, 14, 15, 16, 17, 18];
  const code: number[] = [];
  const emit = (...xs: (number | number[])[]) => { for (const x of xs) Array.isArray(x) ? code.push(...x) : code.push(x); };
  const f64load = (off: number) => [op.f64load, ...memarg(3, off)];
  const f64store = (off: number) => [op.f64store, ...memarg(3, off)];
  const vload = (off: number) => simd(0x00, ...memarg(0, off));
  const vstore = (off: number) => simd(0x0b, ...memarg(0, off));
  // y[0..m) = 0
  emit(get(Y), set(YQ), get(Y), get(M), op.i32const, 3, op.i32shl, op.i32add, set(ENDR));
  emit(op.block, 0x40, op.loop, 0x40, get(YQ), get(ENDR), op.i32geu, op.brIf, 1);
  emit(get(YQ), op.f64const, ...new Array<number>(8).fill(0), f64store(0));
  emit(get(YQ), op.i32const, 8, op.i32add, set(YQ), op.br, 0, op.end, op.end);
  emit(op.block, 0x40, op.loop, 0x40); // row loop
  emit(get(R), get(M), op.i32geu, op.brIf, 1);
  emit(get(X), get(R), op.i32const, 3, op.i32shl, op.i32add, f64load(0), set(XR));
  emit(get(XR), simd(0x14), set(XS)); // f64x2.splat
  emit(v128zero, set(ACC0), v128zero, set(ACC1));
  emit(get(Ap), get(R), get(LDA), op.i32mul, op.i32add, set(P));
  emit(get(X), set(Q), get(Y), set(YQ));
  emit(get(X), get(R), op.i32const, ...[0x7c], op.i32and, op.i32const, 3, op.i32shl, op.i32add, set(END4)); // r & ~3
  emit(get(X), get(R), op.i32const, 3, op.i32shl, op.i32add, set(ENDR));
  emit(op.block, 0x40, op.loop, 0x40); // 4 columns per step
  emit(get(Q), get(END4), op.i32geu, op.brIf, 1);
  emit(get(P), vload(0), set(A0), get(P), vload(16), set(A1));
  emit(get(ACC0), get(A0), get(Q), vload(0), f64x2mul, f64x2add, set(ACC0));
  emit(get(ACC1), get(A1), get(Q), vload(16), f64x2mul, f64x2add, set(ACC1));
  emit(get(YQ), get(YQ), vload(0), get(A0), get(XS), f64x2mul, f64x2add, vstore(0));
  emit(get(YQ), get(YQ), vload(16), get(A1), get(XS), f64x2mul, f64x2add, vstore(16));
  for (const l of [P, Q, YQ]) emit(get(l), op.i32const, 32, op.i32add, set(l));
  emit(op.br, 0, op.end, op.end);
  emit(get(ACC0), get(ACC1), f64x2add, set(ACC0));
  emit(get(ACC0), lane(0), get(ACC0), lane(1), op.f64add, set(S));
  emit(op.block, 0x40, op.loop, 0x40); // scalar tail, columns up to r − 1
  emit(get(Q), get(ENDR), op.i32geu, op.brIf, 1);
  emit(get(P), f64load(0), set(AV));
  emit(get(S), get(AV), get(Q), f64load(0), op.f64mul, op.f64add, set(S));
  emit(get(YQ), get(YQ), f64load(0), get(AV), get(XR), op.f64mul, op.f64add, f64store(0));
  for (const l of [P, Q, YQ]) emit(get(l), op.i32const, 8, op.i32add, set(l));
  emit(op.br, 0, op.end, op.end);
  // the diagonal (P now points at A[r, r], YQ at y[r]): y[r] += s + A[r, r]·x[r]
  emit(get(YQ), get(YQ), f64load(0), get(S), op.f64add, get(P), f64load(0), get(XR), op.f64mul, op.f64add, f64store(0));
  emit(get(R), op.i32const, 1, op.i32add, set(R));
  emit(op.br, 0, op.end, op.end);
  emit(op.end);
  const locals = [...uleb(3), ...uleb(6), I32, ...uleb(5), V128, ...uleb(3), F64];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

// rot locals: params 0 pi, 1 pj, 2 n, 3 c (f64), 4 s (f64); i32 5 end2, 6 end; v128 7 cv, 8 sv, 9 xi, 10 xj; f64 11 yi, 12 yj.
function rotBody(): number[] {
  const [PI, PJ, N, Cc, Ss, END2, END] = [0, 1, 2, 3, 4, 5, 6];
  const [CV, SV, XI, XJ, YI, YJ] = [7, 8, 9, 10, 11, 12];
  const code: number[] = [];
  const emit = (...xs: (number | number[])[]) => { for (const x of xs) Array.isArray(x) ? code.push(...x) : code.push(x); };
  const vload = simd(0x00, ...memarg(0, 0));
  const vstore = simd(0x0b, ...memarg(0, 0));
  const f64x2sub = simd(0xf1);
  emit(get(Cc), simd(0x14), set(CV), get(Ss), simd(0x14), set(SV));
  emit(get(PI), get(N), op.i32const, ...[0x7e], op.i32and, op.i32const, 3, op.i32shl, op.i32add, set(END2)); // n & ~1
  emit(get(PI), get(N), op.i32const, 3, op.i32shl, op.i32add, set(END));
  emit(op.block, 0x40, op.loop, 0x40);
  emit(get(PI), get(END2), op.i32geu, op.brIf, 1);
  emit(get(PI), vload, set(XI), get(PJ), vload, set(XJ));
  emit(get(PI), get(CV), get(XI), f64x2mul, get(SV), get(XJ), f64x2mul, f64x2sub, vstore);
  emit(get(PJ), get(SV), get(XI), f64x2mul, get(CV), get(XJ), f64x2mul, f64x2add, vstore);
  emit(get(PI), op.i32const, 16, op.i32add, set(PI), get(PJ), op.i32const, 16, op.i32add, set(PJ));
  emit(op.br, 0, op.end, op.end);
  emit(op.block, 0x40, op.loop, 0x40); // odd n: the last element
  emit(get(PI), get(END), op.i32geu, op.brIf, 1);
  emit(get(PI), op.f64load, ...memarg(3, 0), set(YI), get(PJ), op.f64load, ...memarg(3, 0), set(YJ));
  emit(get(PI), get(Cc), get(YI), op.f64mul, get(Ss), get(YJ), op.f64mul, op.f64sub, op.f64store, ...memarg(3, 0));
  emit(get(PJ), get(Ss), get(YI), op.f64mul, get(Cc), get(YJ), op.f64mul, op.f64add, op.f64store, ...memarg(3, 0));
  emit(get(PI), op.i32const, 8, op.i32add, set(PI), get(PJ), op.i32const, 8, op.i32add, set(PJ));
  emit(op.br, 0, op.end, op.end);
  emit(op.end);
  const locals = [...uleb(3), ...uleb(2), I32, ...uleb(4), V128, ...uleb(2), F64];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function moduleBytes(pages: number): Uint8Array<ArrayBuffer> {
  const type = section(1, [3, 0x60, 5, I32, I32, I32, I32, I32, 0, 0x60, 6, I32, I32, I32, I32, I32, I32, 0,
    0x60, 5, I32, I32, I32, F64, F64, 0]);
  const imports = section(2, [1, ...str('env'), ...str('mem'), 0x02, 0x00, ...uleb(pages)]);
  const funcs = section(3, [4, 0, 1, 0, 2]);
  const exports = section(7, [4, ...str('tiles'), 0x00, 0, ...str('gemv'), 0x00, 1, ...str('symv'), 0x00, 2, ...str('rot'), 0x00, 3]);
  const code = section(10, [4, ...body(), ...gemvBody(), ...symvBody(), ...rotBody()]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...imports, ...funcs, ...exports, ...code]);
}

export interface SimdKernel {
  memory: WebAssembly.Memory;
  f64: Float64Array; // a view of all of memory
  tiles: (ap: number, bp: number, cp: number, kb: number, count: number) => void;
  gemv: (a: number, lda: number, x: number, y: number, rows: number, cols: number) => void;
  symv: (a: number, lda: number, x: number, y: number, m: number) => void;
  rot: (pi: number, pj: number, n: number, c: number, s: number) => void;
}

/** Instantiates the kernel over `bytes` of memory, or returns undefined where WebAssembly SIMD is unavailable. */
let compiled: WebAssembly.Module | null | undefined; // null: WebAssembly SIMD unavailable

export function createSimdKernel(bytes: number): SimdKernel | undefined {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'undefined' ? null : new WebAssembly.Module(moduleBytes(1));
    } catch {
      compiled = null; // the runtime rejects SIMD opcodes: use the JavaScript paths
    }
  }
  if (compiled === null) return undefined;
  try {
    const pages = Math.max(1, Math.ceil(bytes / 65536));
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const inst = new WebAssembly.Instance(compiled, { env: { mem: memory } });
    const tiles = inst.exports.tiles as SimdKernel['tiles'];
    const gemv = inst.exports.gemv as SimdKernel['gemv'];
    const symv = inst.exports.symv as SimdKernel['symv'];
    const rot = inst.exports.rot as SimdKernel['rot'];
    return { memory, f64: new Float64Array(memory.buffer), tiles, gemv, symv, rot };
  } catch {
    return undefined; // e.g. the memory could not be reserved: fall back for this call
  }
}
