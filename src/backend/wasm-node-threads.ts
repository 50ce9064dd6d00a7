/**
 * Multi-threaded XNNPACK for tfjs-backend-wasm 4.22 in Node.
 *
 * The package ships a threaded-SIMD build, but refuses to use it in Node (its flag
 * `WASM_HAS_MULTITHREAD_SUPPORT` answers false when `IS_NODE`, tfjs issue #3830). Forcing the flag
 * alone fails in three places, each fixed here for the duration of the backend's initialisation:
 *
 * 1. The emscripten glue starts each pthread with `new Worker(locateFile('…worker.js'))`, and tfjs's
 *    `locateFile` turns the worker source into a `blob:` URL, which Node's `worker_threads.Worker`
 *    cannot load. We write the worker source to a real file and, while the backend initialises,
 *    answer `URL.createObjectURL` for that one JavaScript blob with the file's path.
 * 2. Inside the worker, the main script arrives as a `Blob` (`mainScriptUrlOrBlob`) that the worker
 *    would load through another `blob:` URL. Our copy of the worker source loads the package's own
 *    `wasm-out/tfjs-backend-wasm-threaded-simd.js` from its path instead (same factory, same code).
 * 3. The C side caps the pool at `emscripten_num_logical_cores() / 2` (it assumes hyper-threading),
 *    which in Node is `os.cpus().length / 2`: 1 on a 2-core machine. While the module initialises,
 *    `os.cpus()` reports `2 × threads` entries so the cap becomes the requested thread count.
 *
 * Afterwards the pool's running workers are `unref()`ed, or they would keep Node alive forever.
 * Each patch is undone in `finally`. If any step fails the caller falls back to one thread.
 */
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

/** The exact source text in tfjs 4.22's worker that loads the main script from a Blob. */
const BLOB_BRANCH =
  'if(typeof e.data.urlOrBlob=="string"){importScripts(e.data.urlOrBlob)}else{var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)}';

/** Writes (once per content) the patched pthread worker script and returns its path. */
function writeWorkerScript(): string {
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  const wasmOut = path.join(wasmDir, '..', 'wasm-out');
  const glue = path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
  const { wasmWorkerContents } = require(path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  if (!wasmWorkerContents.includes(BLOB_BRANCH) || !fs.existsSync(glue)) {
    throw new Error('unexpected tfjs-backend-wasm worker source (not 4.22?)');
  }
  // tfjs escapes '\n' the same way before making its Blob: the source holds "\n" inside strings.
  const source = wasmWorkerContents.replace(BLOB_BRANCH, `importScripts(${JSON.stringify(glue)});`).replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `ganbox-tfjs-wasm-worker-${hash}.cjs`);
  if (!fs.existsSync(file)) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, source);
    fs.renameSync(tmp, file); // atomic: parallel processes never see a half-written worker
  }
  return file;
}

interface EmscriptenPThread {
  runningWorkers: Array<{ unref?: () => void }>;
}

/**
 * Initialises the 'wasm' backend with its threaded-SIMD build and `threads` XNNPACK threads.
 * `setThreadsCount(threads)` must already have been called. Returns whether `tf.setBackend`
 * succeeded; throws if the worker script cannot be prepared.
 */
export async function initWasmWithNodeThreads(threads: number): Promise<boolean> {
  const workerFile = writeWorkerScript();
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  const osMutable = require('node:os') as { cpus: typeof os.cpus };
  URL.createObjectURL = (obj: Blob) =>
    obj instanceof Blob && obj.type === 'application/javascript' ? workerFile : createObjectURL(obj);
  osMutable.cpus = () => {
    const one = cpus()[0]!;
    return Array.from({ length: 2 * threads }, () => one);
  };
  try {
    const ok = await tf.setBackend('wasm');
    if (ok) {
      const pthread = (tf.findBackend('wasm') as unknown as { wasm?: { PThread?: EmscriptenPThread } }).wasm?.PThread;
      for (const w of pthread?.runningWorkers ?? []) w.unref?.();
    }
    return ok;
  } finally {
    URL.createObjectURL = createObjectURL;
    osMutable.cpus = cpus;
  }
}
