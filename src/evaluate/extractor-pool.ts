/**
 * Feature extraction over worker threads (node:worker_threads). Each worker opens the extractor
 * once; the images are cut into batches at fixed indices [k·B, (k+1)·B) and each batch goes to
 * whichever worker is free, its features written at its own rows. A batch's features therefore do
 * not depend on which worker, or how many workers, computed it: the result is the same for any
 * worker count (test/evaluate/extractor-pool.test.ts checks it bit for bit). `workers: 0` runs
 * in this thread, on the active tfjs backend.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { GanboxError, type GanboxErrorKind } from '../errors.js';
import { useBackend, type BackendName } from '../backend/index.js';
import type { FeatureExtractor } from '../features/types.js';
import { DEFAULT_EXTRACTOR_MODULE, checkExtractorSpec, type ExtractorSpec } from './extractor-spec.js';
import { extractBatch, type WorkerInit } from './extract-worker.js';
import type { ImageSet } from './image-sets.js';

export interface PoolOptions {
  /** Worker threads; 0 = extract in this thread. Default: the number of cores, at most 4. */
  workers?: number;
  /** tfjs backend of the workers (each with one kernel thread; default 'wasm'), or of this thread for 0 workers (default: the active one). */
  backend?: BackendName;
}

export interface ExtractOptions {
  /** Images per batch. Default 50 (pytorch-fid's). Fixed batches keep results independent of workers. */
  batchSize?: number;
  /** Called after each batch with images done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** What the extractor is, as reported by it (workers report it once opened). */
export interface ExtractorMeta {
  name: string;
  layers: string[];
  dims: Record<string, number>;
  settings: Record<string, string | number>;
}

export const DEFAULT_BATCH = 50;
export const defaultWorkerCount = () => Math.max(1, Math.min(os.availableParallelism(), 4));

type Reply =
  | { type: 'ready'; meta: ExtractorMeta }
  | { type: 'result'; id: number; features: Record<string, Float32Array> }
  | { type: 'error'; id?: number; error: { name: string; message: string; kind?: GanboxErrorKind; stack?: string } };

/** Rebuilds a worker's error: user errors stay one-sentence GanboxErrors, bugs keep their stack. */
function reviveError(e: { name: string; message: string; kind?: GanboxErrorKind; stack?: string }): Error {
  if (e.kind) {
    const err = new GanboxError(e.kind, e.message);
    err.name = e.name;
    return err;
  }
  const err = new Error(e.message);
  err.stack = e.stack;
  return err;
}

/** Starts the worker bootstrap: registers tsx first when running from TypeScript sources. */
function startWorker(init: WorkerInit): Worker {
  const entry = new URL('./extract-worker' + (import.meta.url.endsWith('.ts') ? '.ts' : '.js'), import.meta.url).href;
  const needsTsx = entry.endsWith('.ts') || init.spec.module.endsWith('.ts');
  const tsx = needsTsx ? import.meta.resolve('tsx/esm/api') : undefined;
  const boot = `const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((err) => { throw err; });`;
  return new Worker(boot, { eval: true, workerData: { ...init, entry, tsx } });
}

/** A pool of opened extractors: `extract` images → features per layer, `close` when done. */
export class ExtractorPool {
  private constructor(
    readonly meta: ExtractorMeta,
    private readonly workers: Worker[],
    private readonly local?: FeatureExtractor,
  ) {}

  get name(): string { return this.meta.name; }
  get layers(): readonly string[] { return this.meta.layers; }
  get settings(): Readonly<Record<string, string | number>> { return this.meta.settings; }
  get workerCount(): number { return this.workers.length; }

  /** Opens the extractor in `workers` threads (or here, for 0). Its errors (e.g. missing weights) are thrown here. */
  static async open(specIn: ExtractorSpec, opts: PoolOptions = {}): Promise<ExtractorPool> {
    const spec = { ...checkExtractorSpec(specIn), module: specIn.module ?? DEFAULT_EXTRACTOR_MODULE };
    const count = opts.workers ?? defaultWorkerCount();
    if (count === 0) {
      if (opts.backend) await useBackend(opts.backend);
      const mod = (await import(spec.module)) as { openExtractor: (n: string, o?: object) => Promise<FeatureExtractor> };
      const ex = await mod.openExtractor(spec.name, spec.options ?? {});
      const meta = { name: ex.name, layers: [...ex.layers], dims: { ...ex.dims }, settings: { ...ex.settings } };
      return new ExtractorPool(meta, [], ex);
    }
    const init: WorkerInit = { ganboxExtractWorker: true, spec, backend: opts.backend ?? 'wasm' };
    const workers = Array.from({ length: count }, () => startWorker(init));
    try {
      const metas = await Promise.all(workers.map((w) => new Promise<ExtractorMeta>((resolve, reject) => {
        w.once('error', reject);
        w.once('exit', (code) => reject(new Error(`ganbox internal error: an extraction worker exited (code ${code}) before it was ready`)));
        w.once('message', (m: Reply) => (m.type === 'ready' ? resolve(m.meta) : reject(reviveError((m as Extract<Reply, { type: 'error' }>).error))));
      })));
      for (const w of workers) { w.removeAllListeners('error'); w.removeAllListeners('exit'); }
      return new ExtractorPool(metas[0]!, workers);
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
  }

  /** Features [n, dims[layer]] of every image of `images`, in index order, for each layer. */
  async extract(images: ImageSet, layers: readonly string[], opts: ExtractOptions = {}): Promise<Record<string, Float32Array>> {
    const batch = opts.batchSize ?? DEFAULT_BATCH;
    const [h, w, c] = images.shape;
    const out: Record<string, Float32Array> = {};
    for (const l of layers) out[l] = new Float32Array(images.n * this.meta.dims[l]!);
    let done = 0;
    const store = (start: number, features: Record<string, Float32Array>) => {
      for (const l of layers) out[l]!.set(features[l]!, start * this.meta.dims[l]!);
    };
    const batches = Math.ceil(images.n / batch);
    if (this.local) {
      for (let k = 0; k < batches; k++) {
        const start = k * batch, count = Math.min(batch, images.n - start);
        store(start, await extractBatch(this.local, images.read(start, count), [count, h, w, c], layers));
        opts.onProgress?.((done += count), images.n);
      }
      return out;
    }
    let next = 0;
    let failed = false; // after one batch fails, the other workers take no new batches
    const runOn = async (worker: Worker) => {
      while (!failed && next < batches) {
        const k = next++;
        const start = k * batch, count = Math.min(batch, images.n - start);
        const pixels = images.read(start, count);
        const reply = await new Promise<Reply>((resolve, reject) => {
          const done = () => { worker.off('message', onMessage); worker.off('error', onError); worker.off('exit', onExit); };
          const onMessage = (m: Reply) => { done(); resolve(m); };
          const onError = (e: Error) => { done(); reject(e); };
          const onExit = (code: number) => { done(); reject(new Error(`ganbox internal error: an extraction worker exited (code ${code}) during batch ${k}`)); };
          worker.on('message', onMessage).on('error', onError).on('exit', onExit);
          worker.postMessage({ type: 'batch', id: k, pixels, shape: [count, h, w, c], layers }, [pixels.buffer as ArrayBuffer]);
        });
        if (reply.type === 'error') throw reviveError(reply.error);
        if (reply.type !== 'result' || reply.id !== k) throw new Error(`ganbox internal error: extraction worker answered ${reply.type} for batch ${k}`);
        store(start, reply.features);
        opts.onProgress?.((done += count), images.n);
      }
    };
    await Promise.all(this.workers.map((w) => runOn(w).catch((err) => { failed = true; throw err; })));
    return out;
  }

  /** Stops the workers and frees the extractor's weights. */
  async close(): Promise<void> {
    this.local?.dispose();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
