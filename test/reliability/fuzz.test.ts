/**
 * Seeded fuzz of every parser (issue 6.4): IDX (raw, gzip, labels), CIFAR-10 batches, PNG, JPEG,
 * images:DIR, .npy, .npz (zip), .pth (zip and legacy pickle), a run's config.json, checkpoints
 * and the tfjs model format, with mutated valid inputs (bit flips, truncations, size fields set
 * to huge values, splices, …), random bytes, and mutations behind checksums (CRC, SHA-256).
 * Every failure must be a GanboxError naming the file — never another exception, a hang or an
 * allocation sized by an unchecked field. The longer run is `npm run fuzz -- --cases N --seed S`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import jpeg from 'jpeg-js';
import { GanboxError } from '../../src/errors.js';
import { decodePng, encodePng } from '../../src/io/png.js';
import { decodeJpeg } from '../../src/io/jpeg.js';
import { encodeNpy, readNpy } from '../../src/io/npy.js';
import { crc32 } from '../../src/io/zip.js';
import { loadLayersModel } from '../../src/io/tfjs-format.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/train/checkpoint.js';
import { parseRunConfig } from '../../src/train/run-config.js';
import { resolveConfig } from '../../src/train/trainer.js';
import { makeTargets } from './fuzz-targets.js';
import { runFuzz } from './fuzz-runner.js';

await tf.setBackend('cpu');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-fuzz-'));
const targets = await makeTargets(tmp);
const CASES = 5200; // 400 per target

test(`seeded fuzz, ${CASES} cases over ${targets.length} parsers: only GanboxErrors naming the file, each fast and bounded in memory`, async () => {
  const t0 = performance.now();
  const report = await runFuzz({ targets, cases: CASES, seed: 20261125, maxMs: 2000, maxGrowthBytes: 256 * 2 ** 20 });
  const lines = report.failures.slice(0, 10).map((f) => `${f.target} #${f.index} ${f.kind}: ${f.message}`);
  assert.deepEqual(lines, [], `${report.failures.length} failures (replay: npm run fuzz -- --seed 20261125 --from INDEX --cases 1)`);
  assert.equal(report.cases, CASES);
  for (const [name, s] of Object.entries(report.byTarget)) {
    assert.ok(s.refused > s.cases / 4, `${name}: only ${s.refused} of ${s.cases} mutations were refused; are they reaching the parser?`);
  }
  console.log(`# fuzz: ${report.cases} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s, slowest ${report.slowestMs.toFixed(0)} ms, ` +
    `largest memory growth ${report.maxGrowthMB.toFixed(0)} MB; ` + Object.entries(report.byTarget).map(([n, s]) => `${n} ${s.parsed}/${s.refused}`).join(', '));
});

/** Must throw a GanboxError naming `file`, quickly, without growing memory. */
function refused(fn: () => unknown, file: string, pattern: RegExp) {
  const rss = process.memoryUsage().rss, t0 = performance.now();
  assert.throws(fn, (e) => e instanceof GanboxError && e.message.includes(file) && pattern.test(e.message));
  assert.ok(performance.now() - t0 < 5000, `${file}: ${(performance.now() - t0).toFixed(0)} ms`); // a hang guard, generous for a loaded CI machine
  assert.ok(process.memoryUsage().rss - rss < 64 * 2 ** 20, `${file}: memory grew`);
}

test('size fields are checked against the file size before anything is allocated', async () => {
  // PNG: a 70-byte file whose header claims 10000×9999 pixels (pngjs allocated 670 MB for it).
  const png = Buffer.from(encodePng(new Uint8Array(16), 4, 4, 1));
  png.writeUInt32BE(10000, 16); png.writeUInt32BE(9999, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  refused(() => decodePng(png, 'big.png'), 'big.png', /declares 10000×9999 pixels but holds only \d+ bytes/);
  // JPEG: a 611-byte file whose frame claims 7000×7000 (jpeg-js grew memory by 900 MB before its own limit).
  const jpg = Buffer.from(jpeg.encode({ width: 8, height: 8, data: Buffer.alloc(256, 128) }, 90).data);
  const sof = jpg.indexOf(Buffer.from([0xff, 0xc0]));
  jpg.writeUInt16BE(7000, sof + 5); jpg.writeUInt16BE(7000, sof + 7);
  refused(() => decodeJpeg(jpg, 'big.jpg'), 'big.jpg', /declares 7000×7000 pixels but holds only \d+ bytes/);
  // .npy: a shape of 2^40 elements.
  const npy = Buffer.from(encodeNpy({ dtype: '<f4', shape: [4], data: new Float32Array(4) }));
  const npyHuge = Buffer.from(npy.toString('latin1').replace("'shape': (4,), ", "'shape': (1099511627776,)"), 'latin1');
  refused(() => readNpy(npyHuge, 'huge.npy'), 'huge.npy', /declares shape/);
  // Checkpoint with a valid checksum whose header claims a tensor of 2^31 elements.
  const ck = encodeCheckpoint({ step: 1, state: {}, tensors: new Map([['G/0', { shape: [2], values: new Float32Array(2) }]]) });
  const hdrLen = ck.readUInt32LE(12);
  const hdr = ck.subarray(16, 16 + hdrLen).toString().replace('"shape":[2],"offset":0,"length":2', '"shape":[2147483648],"offset":0,"length":2147483648');
  const body = Buffer.concat([ck.subarray(0, 12), Buffer.alloc(4), Buffer.from(hdr), ck.subarray(16 + hdrLen, ck.length - 32)]);
  body.writeUInt32LE(Buffer.byteLength(hdr), 12);
  const sealed = Buffer.concat([body, (await import('node:crypto')).createHash('sha256').update(body).digest()]);
  refused(() => decodeCheckpoint(sealed, 'huge.ckpt'), 'huge.ckpt', /tensor G\/0 lies outside the payload/);
  // config.json asking for an MLP of width 16384 × depth 256.
  const config = { train: { ...resolveConfig({ data: 'ring8' }, 'points'), width: 16384, depth: 256 } };
  refused(() => parseRunConfig(JSON.stringify(config), 'run/config.json'), 'run/config.json', /far larger than ganbox trains/);
  // tfjs model.json whose topology asks for a 4×80,000,000 Dense kernel (a manifest of 58 weights).
  const dir = path.join(tmp, 'tfjs-good');
  const bad = path.join(tmp, 'tfjs-huge');
  fs.mkdirSync(bad, { recursive: true });
  fs.copyFileSync(path.join(dir, 'weights.bin'), path.join(bad, 'weights.bin'));
  fs.writeFileSync(path.join(bad, 'model.json'), fs.readFileSync(path.join(dir, 'model.json'), 'utf8').replace('"units":8', '"units":80000000'));
  const rss = process.memoryUsage().rss;
  await assert.rejects(loadLayersModel(path.join(bad, 'model.json')), (e) =>
    e instanceof GanboxError && e.message.includes(path.join(bad, 'model.json')) && /asks for more weights than its manifest holds/.test(e.message));
  assert.ok(process.memoryUsage().rss - rss < 64 * 2 ** 20, 'tfjs model: memory grew');
});
