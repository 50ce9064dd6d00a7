/**
 * Every parser ganbox has, as fuzz targets: a few valid inputs made here (or the .pth fixtures)
 * and the way the tool reads them — through the file system where the tool does. A target's
 * `run` parses one input; it may succeed or throw, and a throw must be a GanboxError whose
 * message names the file. `inner` targets mutate the content behind a checksum (checkpoint
 * header, zip members) and re-seal it, so the mutations reach the parser behind the check.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateSync, gzipSync, inflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import * as tfl from '@tensorflow/tfjs-layers';
import { openIdx } from '../../src/data/idx.js';
import { openCifar10 } from '../../src/data/cifar10.js';
import { openImageFolder } from '../../src/data/image-folder.js';
import { decodePng, encodePng } from '../../src/io/png.js';
import { decodeJpeg } from '../../src/io/jpeg.js';
import { encodeNpy, readNpy } from '../../src/io/npy.js';
import { encodeNpz, readNpz } from '../../src/io/npz.js';
import { crc32, encodeZip, readZip } from '../../src/io/zip.js';
import { readTorchCheckpoint } from '../../src/io/torch-pth.js';
import { loadLayersModel, saveLayersModel } from '../../src/io/tfjs-format.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/train/checkpoint.js';
import { parseRunConfig } from '../../src/train/run-config.js';
import { resolveConfig } from '../../src/train/trainer.js';
import { mutate, mutateJson, type Rand } from './fuzz-mutate.js';

export interface Target {
  name: string;
  /** One fuzz input from the target's valid seeds. */
  make(r: Rand): Uint8Array;
  /** The file name an error must mention. */
  file: string;
  /** Parse it as the tool would (writing it to `file` first where the tool reads a file). */
  run(input: Uint8Array): unknown;
}

const PTH_DIR = path.resolve('test/fixtures/pth');
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const u8 = (b: Uint8Array | string) => (typeof b === 'string' ? new Uint8Array(Buffer.from(b)) : new Uint8Array(b));

/** A stored (uncompressed) zip of `members`, CRCs computed: re-seals mutated members. */
export function storedZip(members: [string, Uint8Array][]): Uint8Array {
  return new Uint8Array(encodeZip(members));
}

function idxFile(magic: number, dims: number[], fill: (i: number) => number): Uint8Array {
  const n = dims.reduce((a, b) => a * b, 1);
  const b = Buffer.alloc(4 + 4 * dims.length + n);
  b.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  for (let i = 0; i < n; i++) b[4 + 4 * dims.length + i] = fill(i);
  return u8(b);
}

/** A PNG's chunks (after the 8-byte signature), and a PNG sealed from chunks with fresh CRCs. */
function pngChunks(b: Uint8Array): { type: string; data: Uint8Array }[] {
  const out: { type: string; data: Uint8Array }[] = [];
  const v = Buffer.from(b);
  for (let p = 8; p + 12 <= v.length;) {
    const len = v.readUInt32BE(p);
    out.push({ type: v.toString('latin1', p + 4, p + 8), data: u8(v.subarray(p + 8, p + 8 + len)) });
    p += 12 + len;
  }
  return out;
}
function sealPng(chunks: { type: string; data: Uint8Array }[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];
  for (const c of chunks) {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(c.data.length, 0);
    head.write(c.type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), c.data])), 0);
    parts.push(head, Buffer.from(c.data), crc);
  }
  return u8(Buffer.concat(parts));
}

/** A PNG mutated behind valid CRCs: header fields, the inflated scanlines, or the chunk list. */
function mutatePng(seed: Uint8Array, r: Rand): Uint8Array {
  const chunks = pngChunks(seed);
  const which = r();
  if (which < 0.4) {
    const h = Buffer.from(chunks[0]!.data);
    const field = Math.floor(r() * 8);
    if (field === 7) { h.writeUInt32BE(pick(r, [3000, 5000, 9000, 10_000, 20_000]), 0); h.writeUInt32BE(pick(r, [3000, 5000, 9999]), 4); }
    else if (field < 2) h.writeUInt32BE(pick(r, [0, 1, 0x7fffffff, 0xffffffff, 100_000, 20_000, 3, 65_535]), field * 4);
    else h[6 + field] = pick(r, [0, 1, 2, 3, 4, 6, 7, 8, 16, 255]);
    chunks[0] = { type: 'IHDR', data: u8(h) };
  } else if (which < 0.8) {
    const idat = chunks.filter((c) => c.type === 'IDAT');
    const raw = inflateSync(Buffer.concat(idat.map((c) => c.data)));
    const data = u8(deflateSync(mutate(u8(raw), r)));
    return sealPng([...chunks.filter((c) => c.type !== 'IDAT' && c.type !== 'IEND'), { type: 'IDAT', data }, { type: 'IEND', data: new Uint8Array(0) }]);
  } else {
    const k = Math.floor(r() * chunks.length);
    const extra = pick(r, [{ type: 'PLTE', data: Uint8Array.from({ length: 3 * Math.floor(r() * 300) }, (_, i) => i) }, { type: 'tRNS', data: new Uint8Array(Math.floor(r() * 8)) }, chunks[k]!]);
    if (r() < 0.5) chunks.splice(k, 1); else chunks.splice(k, 0, extra);
  }
  return sealPng(chunks);
}

/** A JPEG whose frame header (SOFn) declares another size: the field jpeg-js allocates from. */
function mutateJpegFrame(seed: Uint8Array, r: Rand): Uint8Array {
  const b = Buffer.from(seed);
  const sof = b.indexOf(Buffer.from([0xff, 0xc0]));
  if (sof < 0) return mutate(seed, r);
  const dim = () => pick(r, [0, 1, 9, 4000, 7000, 7071, 20_000, 65_535, Math.floor(r() * 65_536)]);
  if (r() < 0.7) { b.writeUInt16BE(dim(), sof + 5); b.writeUInt16BE(dim(), sof + 7); }
  else b[sof + 9] = pick(r, [0, 1, 2, 4, 255]); // component count
  return r() < 0.3 ? mutate(u8(b), r) : u8(b);
}

/** Byte-mutated seeds (others spliced in), or `structural(r)` when given, about a third of the time. */
function byteTarget(name: string, file: string, seeds: Uint8Array[], run: Target['run'], structural?: (r: Rand) => Uint8Array): Target {
  return {
    name,
    file,
    make: (r) => (structural && r() < 0.35 ? structural(r) : mutate(pick(r, seeds), r, seeds)),
    run,
  };
}

/** Builds every target; files go under `dir`. Needs a tfjs backend set (for the tfjs-format target). */
export async function makeTargets(dir: string): Promise<Target[]> {
  fs.mkdirSync(dir, { recursive: true });
  const sub = (name: string) => { const d = path.join(dir, name); fs.mkdirSync(d, { recursive: true }); return d; };
  const write = (file: string, b: Uint8Array) => { fs.writeFileSync(file, b); return file; };

  // IDX (raw and gzipped), images and labels.
  const images = idxFile(0x803, [3, 4, 5], (i) => (i * 37) & 0xff);
  const labels = idxFile(0x801, [3], (i) => i);
  const idxDir = sub('idx');
  const imagesPath = path.join(idxDir, 'train-images-idx3-ubyte');
  const goodImages = path.join(sub('idx-good'), 'images-idx3-ubyte');
  write(goodImages, images);
  const idxRun = (input: Uint8Array) => openIdx(write(imagesPath, input));
  const labelsPath = path.join(sub('idx-labels'), 'labels-idx1-ubyte');

  // CIFAR-10: two records.
  const record = (label: number) => Uint8Array.from({ length: 3073 }, (_, i) => (i === 0 ? label : (i * 7) & 0xff));
  const cifar = new Uint8Array([...record(3), ...record(7)]);
  const cifarPath = path.join(sub('cifar'), 'data_batch_1.bin');

  // PNG (grey, RGB) and JPEG (baseline 4:2:0, two qualities).
  const grey = encodePng(Uint8Array.from({ length: 35 }, (_, i) => i * 7), 7, 5, 1);
  const rgb = encodePng(Uint8Array.from({ length: 36 }, (_, i) => i * 5), 4, 3, 3);
  const jpg8 = jpeg.encode({ width: 8, height: 8, data: Buffer.from(Uint8Array.from({ length: 256 }, (_, i) => (i * 13) & 0xff)) }, 90).data;
  const jpg16 = jpeg.encode({ width: 16, height: 12, data: Buffer.from(Uint8Array.from({ length: 768 }, (_, i) => (i * 7) & 0xff)) }, 50).data;
  const pngs = [u8(grey), u8(rgb)], jpegs = [u8(jpg8), u8(jpg16)];
  const imgFile = path.join(sub('images'), 'img.png');

  // .npy / .npz.
  const npys = [
    encodeNpy({ dtype: '<f4', shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) }),
    encodeNpy({ dtype: '|u1', shape: [5], data: new Uint8Array([1, 2, 3, 4, 5]) }),
    encodeNpy({ dtype: '<i8', shape: [2, 1], data: new BigInt64Array([1n, -2n]) }),
  ].map(u8);
  const arrays = { mu: { dtype: '<f8' as const, shape: [3], data: new Float64Array([1, 2, 3]) }, sigma: { dtype: '<f8' as const, shape: [3, 3], data: new Float64Array(9).fill(0.5) } };
  const npzs = [u8(encodeNpz(arrays)), u8(encodeNpz(arrays, { compress: true }))];

  // PyTorch checkpoints: the fixtures (the malicious ones too: they must still be refused).
  const pths = fs.readdirSync(PTH_DIR).filter((f) => f.endsWith('.pth')).sort().map((f) => u8(fs.readFileSync(path.join(PTH_DIR, f))));
  const zipPths = pths.filter((b) => b[0] === 0x50).map((b) => readZip(b, 'fixture').map((e) => [e.name, u8(e.data)] as [string, Uint8Array]));

  // config.json of a ring8 run.
  const config = { train: resolveConfig({ data: 'ring8' }, 'points'), backend: 'wasm', data: { spec: 'ring8', kind: 'points', shape: [2], length: null } };
  const configText = JSON.stringify(config, null, 2) + '\n';

  // A checkpoint: header JSON + payload behind a SHA-256.
  const ckData = {
    step: 4,
    state: { noiseRng: { s: [1, 2, 3, 4], spare: null }, optG: { name: 'adam', t: 4, variables: 1, slotsPerVariable: 2 } },
    tensors: new Map([['G/0', { shape: [2, 3], values: new Float32Array([1, 2, 3, 4, 5, 6]) }], ['D/0', { shape: [3], values: new Float32Array([7, 8, 9]) }]]),
  };
  const ckpt = u8(encodeCheckpoint(ckData));
  const ckHeader = JSON.parse(Buffer.from(ckpt.subarray(16, 16 + Buffer.from(ckpt).readUInt32LE(12))).toString('utf8'));
  const ckPayload = ckpt.subarray(16 + Buffer.from(ckpt).readUInt32LE(12), ckpt.length - 32);
  const sealCheckpoint = (header: Uint8Array, payload: Uint8Array, declared = header.length) => {
    const prefix = Buffer.alloc(16);
    Buffer.from('GANBOXCK').copy(prefix);
    prefix.writeUInt32LE(1, 8);
    prefix.writeUInt32LE(declared >>> 0, 12);
    const body = Buffer.concat([prefix, header, payload]);
    return u8(Buffer.concat([body, createHash('sha256').update(body).digest()]));
  };

  // The tfjs model format: a tiny generator saved by ganbox.
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 8, activation: 'relu' }), tfl.layers.dense({ units: 2 })] });
  const tfjsGood = sub('tfjs-good');
  await saveLayersModel(model, tfjsGood);
  model.dispose();
  const modelJson = fs.readFileSync(path.join(tfjsGood, 'model.json'), 'utf8');
  const weightsBin = u8(fs.readFileSync(path.join(tfjsGood, 'weights.bin')));
  const tfjsDir = sub('tfjs');

  return [
    byteTarget('idx-images', imagesPath, [images], idxRun),
    byteTarget('idx-labels', labelsPath, [labels], (input) => openIdx(`${goodImages},${write(labelsPath, input)}`)),
    byteTarget('idx-gzip', imagesPath, [u8(gzipSync(images))], idxRun),
    byteTarget('cifar10', cifarPath, [cifar], (input) => openCifar10(write(cifarPath, input))),
    byteTarget('png', 'fuzz.png', pngs, (input) => decodePng(input, 'fuzz.png'), (r) => mutatePng(pick(r, pngs), r)),
    byteTarget('jpeg', 'fuzz.jpg', jpegs, (input) => decodeJpeg(input, 'fuzz.jpg'), (r) => mutateJpegFrame(pick(r, jpegs), r)),
    byteTarget('image-folder', imgFile, [...pngs, ...jpegs], (input) => openImageFolder(path.dirname(write(imgFile, input)), { size: 8 }),
      (r) => (r() < 0.5 ? mutatePng(pick(r, pngs), r) : mutateJpegFrame(pick(r, jpegs), r))),
    byteTarget('npy', 'fuzz.npy', npys, (input) => readNpy(input, 'fuzz.npy')),
    byteTarget('npz', 'fuzz.npz', npzs, (input) => readNpz(input, 'fuzz.npz'), (r) => {
      // A member mutated behind a valid CRC, so readNpy sees it.
      const members = readZip(pick(r, npzs), 'seed').map((e) => [e.name, u8(e.data)] as [string, Uint8Array]);
      const k = Math.floor(r() * members.length);
      members[k]![1] = mutate(members[k]![1], r, npys);
      return storedZip(members);
    }),
    byteTarget('pth', 'fuzz.pth', pths, (input) => readTorchCheckpoint(input, 'fuzz.pth'), (r) => {
      // The pickle (or a storage) behind valid CRCs, so the unpickler and tensor rebuild see it.
      const members = pick(r, zipPths).map(([n, d]) => [n, d] as [string, Uint8Array]);
      const k = r() < 0.7 ? members.findIndex(([n]) => n.endsWith('data.pkl')) : Math.floor(r() * members.length);
      members[k]![1] = mutate(members[k]![1], r);
      return storedZip(members);
    }),
    byteTarget('config-json', 'run/config.json', [u8(configText)], (input) => parseRunConfig(Buffer.from(input).toString('utf8'), 'run/config.json'),
      (r) => u8(JSON.stringify(mutateJson(config, r)))),
    byteTarget('checkpoint', 'step-000004.ckpt', [ckpt], (input) => decodeCheckpoint(Buffer.from(input), 'step-000004.ckpt'), (r) => {
      // Behind a valid checksum: a mutated header (as JSON or as bytes), or a mutated payload.
      const header = u8(JSON.stringify(mutateJson(ckHeader, r)));
      const which = r();
      if (which < 0.5) return sealCheckpoint(header, ckPayload);
      if (which < 0.8) return sealCheckpoint(mutate(u8(JSON.stringify(ckHeader)), r), ckPayload);
      const h = u8(JSON.stringify(ckHeader));
      return sealCheckpoint(h, mutate(ckPayload, r), r() < 0.5 ? h.length : Math.floor(r() * 2 ** 32));
    }),
    {
      name: 'tfjs-model',
      file: path.join(tfjsDir, 'model.json'),
      make: (r) => {
        // [4-byte length of model.json][model.json][weights.bin]: one input for the two files.
        const which = r();
        const json = which < 0.4 ? u8(JSON.stringify(mutateJson(JSON.parse(modelJson), r))) : which < 0.7 ? mutate(u8(modelJson), r) : u8(modelJson);
        const weights = which >= 0.7 ? mutate(weightsBin, r) : weightsBin;
        const out = new Uint8Array(4 + json.length + weights.length);
        new DataView(out.buffer).setUint32(0, json.length);
        out.set(json, 4);
        out.set(weights, 4 + json.length);
        return out;
      },
      run: (input) => {
        const n = new DataView(input.buffer, input.byteOffset).getUint32(0);
        const file = write(path.join(tfjsDir, 'model.json'), input.subarray(4, 4 + Math.min(n, input.length)));
        write(path.join(tfjsDir, 'weights.bin'), input.subarray(4 + n));
        return loadLayersModel(file).then((m) => m.dispose());
      },
    },
  ];
}
