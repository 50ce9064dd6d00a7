/**
 * Worker-thread side of the decode pool (decode-pool.ts). Protocol, plain objects:
 *   → worker: {stores}                  once: the shared byte stores, one per part
 *   → worker: {id, file, settings, bytes}   ← main: {id} (row id written into the stores) or {id, error}
 *   → worker: {close: true}
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeParts, type DecodeSettings } from './decode.js';

interface Job { id: number; file: string; settings: DecodeSettings; bytes: number; stores?: Uint8Array[]; close?: boolean }

if (parentPort && (workerData as { ganboxDecodeWorker?: boolean } | null)?.ganboxDecodeWorker) {
  const port = parentPort;
  let stores: Uint8Array[] = [];
  port.on('message', (msg: Job) => {
    if (msg.close) { port.close(); return; }
    if (msg.stores) { stores = msg.stores; return; }
    try {
      decodeParts(msg.file, msg.settings).forEach((p, k) => stores[k]!.set(p, msg.id * msg.bytes));
      port.postMessage({ id: msg.id });
    } catch (err) {
      port.postMessage({ id: msg.id, error: (err as Error)?.message ?? String(err) });
    }
  });
}
