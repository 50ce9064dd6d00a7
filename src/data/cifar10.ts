/**
 * `cifar10:DIR` — the CIFAR-10 binary version (cifar-10-binary.tar.gz, Krizhevsky 2009).
 *
 * Each record is 3073 bytes: 1 label byte (0–9), then 3072 pixel bytes in CHW order (1024 red,
 * 1024 green, 1024 blue, each 32×32 row-major). We store HWC bytes ([n, 32, 32, 3]).
 *
 * DIR is the folder holding data_batch_1.bin … data_batch_5.bin (or its parent, holding
 * cifar-10-batches-bin/). The training batches that exist are read, in order; test_batch.bin is
 * not mixed in. To read the test set (or any single batch), give the file: cifar10:DIR/test_batch.bin.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError } from '../errors.js';
import { ByteImageSource } from './byte-source.js';

const SIDE = 32;
const PLANE = SIDE * SIDE; // 1024
const RECORD = 1 + 3 * PLANE; // 3073

/** The batch files that `cifar10:DIR` reads, in order. */
function batchFiles(path: string): string[] {
  if (!existsSync(path)) throw new DataError(`${path} does not exist; cifar10:DIR needs the folder of CIFAR-10 .bin batches.`);
  if (statSync(path).isFile()) return [path];
  const nested = join(path, 'cifar-10-batches-bin');
  const dir = existsSync(join(path, 'data_batch_1.bin')) || !existsSync(nested) ? path : nested;
  const files = [1, 2, 3, 4, 5].map((i) => join(dir, `data_batch_${i}.bin`)).filter((f) => existsSync(f));
  if (files.length === 0) {
    throw new DataError(
      `${dir} holds no data_batch_1.bin … data_batch_5.bin; point cifar10: at the extracted cifar-10-batches-bin folder, or at one .bin file.`,
    );
  }
  return files;
}

function checkSize(length: number, fileName: string): number {
  if (length === 0 || length % RECORD !== 0) {
    throw new DataError(`${fileName} has ${length} bytes, not a whole number of 3073-byte CIFAR-10 records.`);
  }
  return length / RECORD;
}

/** Converts CIFAR records (label + CHW planes) to HWC pixels and labels, written at record `at`. */
function decodeInto(bytes: Uint8Array, fileName: string, pixels: Uint8Array, labels: Uint8Array, at: number): void {
  const n = checkSize(bytes.length, fileName);
  for (let r = 0; r < n; r++) {
    const base = r * RECORD;
    const label = bytes[base]!;
    if (label > 9) throw new DataError(`${fileName} record ${r} has label ${label}; CIFAR-10 labels are 0–9.`);
    labels[at + r] = label;
    const out = (at + r) * 3 * PLANE;
    for (let p = 0; p < PLANE; p++) {
      pixels[out + 3 * p] = bytes[base + 1 + p]!; // red plane
      pixels[out + 3 * p + 1] = bytes[base + 1 + PLANE + p]!; // green plane
      pixels[out + 3 * p + 2] = bytes[base + 1 + 2 * PLANE + p]!; // blue plane
    }
  }
}

/** Opens `cifar10:DIR` (the part after 'cifar10:'). Memory: 3 KB per image (50,000 = 154 MB). */
export function openCifar10(pathArg: string): ByteImageSource {
  const path = resolve(pathArg);
  const files = batchFiles(path);
  const counts = files.map((f) => checkSize(statSync(f).size, f)); // sizes first: allocate once
  const total = counts.reduce((a, b) => a + b, 0);
  const pixels = new Uint8Array(total * 3 * PLANE); // [total, 32, 32, 3]
  const labels = new Uint8Array(total); // [total]
  let at = 0;
  files.forEach((f, i) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(f);
    } catch (e) {
      throw new DataError(`${f} could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
    }
    if (bytes.length !== counts[i]! * RECORD) throw new DataError(`${f} changed size while being read.`);
    decodeInto(bytes, f, pixels, labels, at);
    at += counts[i]!;
  });
  return new ByteImageSource(`cifar10:${path}`, [SIDE, SIDE, 3], pixels, labels, 10);
}
