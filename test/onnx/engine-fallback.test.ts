/**
 * Where onnxruntime-node does not load, inference falls back to tfjs with one line on stderr
 * saying why, and an explicit `--engine onnxruntime` is a one-sentence error naming the flag. A
 * child process whose module resolution refuses 'onnxruntime-node' (a Node resolve hook) stands
 * in for a platform without its binary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

test('no onnxruntime-node: tfjs, one line on stderr saying why; engine onnxruntime asked for is a ConfigError naming --engine', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-engine-'));
  try {
    fs.writeFileSync(path.join(dir, 'hooks.mjs'), `export async function resolve(spec, ctx, next) {
  if (spec === 'onnxruntime-node') throw new Error('simulated: no onnxruntime binary for this platform');
  return next(spec, ctx);
}\n`);
    fs.writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)});\n`);
    const runtime = pathToFileURL(path.resolve('src/onnx/runtime.ts')).href;
    fs.writeFileSync(path.join(dir, 'child.mts'), `const { resolveEngine } = await import(${JSON.stringify(runtime)});
const a = await resolveEngine(undefined), b = await resolveEngine('auto'), c = await resolveEngine('tfjs');
let err = '';
try { await resolveEngine('onnxruntime'); } catch (e) { err = e.name + ': ' + e.message; }
console.log(JSON.stringify({ a, b, c, err }));\n`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', pathToFileURL(path.join(dir, 'register.mjs')).href, path.join(dir, 'child.mts')],
      { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { a: string; b: string; c: string; err: string };
    assert.deepEqual([out.a, out.b, out.c], ['tfjs', 'tfjs', 'tfjs']);
    assert.match(out.err, /^ConfigError: --engine onnxruntime: onnxruntime-node does not load here \(.*simulated.*\); use --engine tfjs$/);
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('ganbox:'));
    assert.equal(lines.length, 1, `one line, once per process: ${r.stderr}`);
    assert.match(lines[0]!, /^ganbox: onnxruntime-node does not load \(.*simulated: no onnxruntime binary.*\); running inference on tfjs$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
