/**
 * Worker-thread side of the decode pool (decode-pool.ts). Protocol, plain objects:
 *   → worker: {id, file, settings}      ← main: {id, parts: Uint8Array[]} or {id, error: message}
 *   → worker: {close: true}
 * The parts' buffers are transferred, not copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeParts, type DecodeSettings } from './decode.js';

interface Job { id: number; file: string; settings: DecodeSettings; close?: boolean }

if (parentPort && (workerData as { ganboxDecodeWorker?: boolean } | null)?.ganboxDecodeWorker) {
  const port = parentPort;
  port.on('message', (msg: Job) => {
    if (msg.close) { port.close(); return; }
    try {
      const parts = decodeParts(msg.file, msg.settings);
      port.postMessage({ id: msg.id, parts }, parts.map((p) => p.buffer as ArrayBuffer));
    } catch (err) {
      port.postMessage({ id: msg.id, error: (err as Error)?.message ?? String(err) });
    }
  });
}
