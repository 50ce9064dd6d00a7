/**
 * Decoding a list of image files into byte stores, on worker threads (node:worker_threads), with
 * progress. Each file's bytes land at the row of its index, so the result does not depend on the
 * worker count or on which worker decoded which file (test/data/decode-pool.test.ts checks it).
 * `workers: 0` decodes in this thread.
 *
 * Memory: the stores are allocated once, n · parts · size² · C bytes, before decoding starts, in
 * SharedArrayBuffers the workers write their rows into (no per-image copies crossing threads,
 * whose garbage held ~150 MB more at the peak of 20,000 images); a worker holds one decoded
 * full-size picture at a time.
 *
 * A file that fails to read or decode: `onBadImage: 'fail'` (the default) rejects with a DataError
 * naming the file; 'skip' leaves it out (its row is dropped) and reports it in `skipped`.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { DataError } from '../errors.js';
import { decodeParts, partBytes, type DecodeSettings } from './decode.js';

export type OnBadImage = 'skip' | 'fail';

export interface DecodeOptions {
  /** Worker threads; 0 = this thread. Default: cores, at most 4. */
  workers?: number;
  onBadImage?: OnBadImage;
  onProgress?: (done: number, total: number) => void;
}

export interface Decoded {
  /** One store per part ([kept, size, size, C] each): 1 for 'whole', 2 (A, B) for 'split'. */
  parts: Uint8Array[];
  /** Indices (into the input list) of the files kept, ascending. */
  kept: number[];
  skipped: { file: string; reason: string }[];
}

export const defaultDecodeWorkers = () => Math.max(1, Math.min(os.availableParallelism(), 4));

function startWorker(): Worker {
  const entry = new URL('./decode-worker' + (import.meta.url.endsWith('.ts') ? '.ts' : '.js'), import.meta.url).href;
  const tsx = entry.endsWith('.ts') ? import.meta.resolve('tsx/esm/api') : undefined;
  const boot = `const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((err) => { throw err; });`;
  return new Worker(boot, { eval: true, workerData: { ganboxDecodeWorker: true, entry, tsx } });
}

/** Decodes `files` (see the module comment). */
export async function decodeFiles(files: readonly string[], settings: DecodeSettings, options: DecodeOptions = {}): Promise<Decoded> {
  const n = files.length;
  const nParts = settings.layout === 'split' ? 2 : 1;
  const bytes = partBytes(settings);
  const shared = workersFor(options, n) > 0;
  const stores = Array.from({ length: nParts }, () => new Uint8Array(shared ? new SharedArrayBuffer(n * bytes) : new ArrayBuffer(n * bytes))); // [n, size, size, C] each
  const ok = new Uint8Array(n);
  const failures: { index: number; reason: string }[] = [];
  let done = 0;
  const onBad = options.onBadImage ?? 'fail';
  const place = (i: number, parts: Uint8Array[]) => {
    parts.forEach((p, k) => stores[k]!.set(p, i * bytes));
    ok[i] = 1;
  };
  const progress = () => { done++; options.onProgress?.(done, n); };
  const workers = workersFor(options, n);

  if (workers <= 0) {
    for (let i = 0; i < n; i++) {
      try {
        place(i, decodeParts(files[i]!, settings));
      } catch (err) {
        if (onBad === 'fail') throw asDataError(files[i]!, (err as Error).message);
        failures.push({ index: i, reason: (err as Error).message });
      }
      progress();
    }
  } else {
    const pool = Array.from({ length: workers }, startWorker);
    let next = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        let active = 0;
        let stopped = false;
        const feed = (w: Worker) => {
          if (stopped) return;
          if (next >= n) { if (active === 0) resolve(); return; }
          const id = next++;
          active++;
          w.postMessage({ id, file: files[id], settings, bytes });
        };
        for (const w of pool) {
          w.postMessage({ stores });
          w.on('message', (msg: { id: number; error?: string }) => {
            active--;
            if (msg.error !== undefined) {
              if (onBad === 'fail') { stopped = true; reject(asDataError(files[msg.id]!, msg.error)); return; }
              failures.push({ index: msg.id, reason: msg.error });
            } else {
              ok[msg.id] = 1; // the worker wrote the row into the shared stores
            }
            progress();
            feed(w);
            if (next >= n && active === 0) resolve();
          });
          w.on('error', (err) => { stopped = true; reject(err); });
          feed(w);
        }
      });
    } finally {
      await Promise.all(pool.map((w) => w.terminate()));
    }
  }
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (ok[i]) kept.push(i);
  failures.sort((a, b) => a.index - b.index);
  const skipped = failures.map((f) => ({ file: files[f.index]!, reason: f.reason }));
  if (kept.length === n) return { parts: stores, kept, skipped };
  // Compact: move kept rows up (in place, ascending, so no row is overwritten before it is read).
  const parts = stores.map((s) => {
    kept.forEach((src, dst) => { if (src !== dst) s.copyWithin(dst * bytes, src * bytes, (src + 1) * bytes); });
    return s.subarray(0, kept.length * bytes);
  });
  return { parts, kept, skipped };
}

const workersFor = (o: DecodeOptions, n: number) => Math.min(o.workers ?? defaultDecodeWorkers(), n);

function asDataError(file: string, message: string): DataError {
  const why = message.includes(file) ? message : `${file}: ${message}`;
  return new DataError(`${why.replace(/\.$/, '')} (--on-bad-image skip leaves such files out).`);
}
