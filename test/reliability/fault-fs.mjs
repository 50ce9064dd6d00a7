// Fault injection for the real CLI, loaded with NODE_OPTIONS="--import <this file>": it wraps the
// node:fs calls ganbox writes with (open, write, fsync, close, rename, append) and, for paths that
// contain GANBOX_FAULT.match, fails them with an errno (ENOSPC, EACCES, …) from the nth matching
// call on, or delays them (to hold a write open so a kill lands inside it). The code under test is
// unchanged: ganbox's own modules see these wrappers through node:fs's live ESM bindings.
//   GANBOX_FAULT='{"match":"/checkpoints/","ops":["write"],"code":"ENOSPC","nth":3}'
//   GANBOX_FAULT='{"match":".ckpt","ops":["write","rename"],"delayMs":25}'
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const spec = JSON.parse(process.env.GANBOX_FAULT ?? '{}');
const ERRNO = { ENOSPC: -28, EACCES: -13, EROFS: -30, EIO: -5, EDQUOT: -122 };
const fdPath = new Map();
let seen = 0;

function hit(op, file) {
  if (!spec.match || !(spec.ops ?? []).includes(op) || !String(file ?? '').includes(spec.match)) return;
  seen += 1;
  if (seen < (spec.nth ?? 1)) return;
  if (spec.delayMs) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, spec.delayMs);
    return;
  }
  const err = new Error(`${spec.code}: injected fault, ${op} '${file}'`);
  Object.assign(err, { code: spec.code, errno: ERRNO[spec.code] ?? -1, syscall: op, path: String(file) });
  if (spec.log) process.stderr.write(`[fault-fs] ${spec.code} on ${op} ${file}\n`);
  throw err;
}

const orig = { ...fs };
fs.openSync = (file, ...rest) => {
  hit('open', file);
  const fd = orig.openSync(file, ...rest);
  fdPath.set(fd, String(file));
  return fd;
};
fs.writeSync = (fd, ...rest) => { hit('write', fdPath.get(fd)); return orig.writeSync(fd, ...rest); };
fs.fsyncSync = (fd) => { hit('fsync', fdPath.get(fd)); return orig.fsyncSync(fd); };
fs.closeSync = (fd) => { const file = fdPath.get(fd); fdPath.delete(fd); hit('close', file); return orig.closeSync(fd); };
fs.renameSync = (from, to) => { hit('rename', to); return orig.renameSync(from, to); };
fs.appendFileSync = (file, ...rest) => { hit('append', file); return orig.appendFileSync(file, ...rest); };
syncBuiltinESMExports();
