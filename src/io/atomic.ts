/**
 * Writes that never leave a half-written file under the final name: write a temporary file in the
 * same folder, fsync it, rename it over the target, fsync the folder. A crash at any moment leaves
 * either the old file or the new one. Errors name the file and the cause.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IoError } from '../errors.js';

/** The cause of a failed file operation in a few words (errno codes in plain language). */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOSPC') return 'no space left on the device';
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return 'permission denied';
  if (e?.code === 'EROFS') return 'the file system is read-only';
  return e?.message ?? String(err);
}

/** A failed write, naming the file; `reason` is the cause in a few words, `tail` what still holds. */
export class WriteError extends IoError {
  constructor(readonly file: string, readonly reason: string, tail = 'the previous version, if any, is intact') {
    super(`could not write ${file}: ${reason}; ${tail}`);
  }
}

export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  writeChunksAtomic(file, [typeof data === 'string' ? Buffer.from(data) : data]);
}

/** writeFileAtomic of the chunks one after another, without joining them in memory first. */
export function writeChunksAtomic(file: string, chunks: readonly Uint8Array[]): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${Date.now()}`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'w');
    for (const c of chunks) {
      // writeSync may write less than asked (large chunks): loop until the chunk is out.
      for (let at = 0; at < c.byteLength;) at += fs.writeSync(fd, c, at, Math.min(c.byteLength - at, 1 << 30));
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) {
      try { fs.closeSync(fd); } catch { /* already failing */ }
    }
    try { fs.rmSync(tmp, { force: true }); } catch { /* best effort */ }
    throw new WriteError(file, describeFsError(err));
  }
  try {
    const dfd = fs.openSync(dir, 'r');
    fs.fsyncSync(dfd);
    fs.closeSync(dfd);
  } catch {
    // Some file systems refuse fsync on a folder; the rename itself is still atomic.
  }
}

export function ioErrorMessage(file: string, err: unknown, doing = 'read'): string {
  return `could not ${doing} ${file}: ${describeFsError(err)}`;
}
