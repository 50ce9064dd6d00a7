/**
 * `ganbox report`: write a run's report.html. A file at the output path is replaced only when
 * ganbox wrote it (it carries REPORT_MARKER) or with `force`; anything else the user made there is
 * left alone and reported.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IoError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { REPORT_MARKER, reportHtml } from './html.js';
import { readRunData } from './run-data.js';

export interface WriteReportOptions {
  /** Output file; default DIR/report.html. */
  out?: string;
  /** Replace a file at `out` even if ganbox did not write it. */
  force?: boolean;
}

export interface WriteReportResult {
  file: string;
  bytes: number;
  samples: number;
  metrics: number;
  scatter: boolean;
}

/** True when `file` exists and was not written by `ganbox report`. */
function isForeign(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(1024);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return !head.subarray(0, n).toString('utf8').includes(REPORT_MARKER);
  } finally {
    fs.closeSync(fd);
  }
}

/** Write the report of the run in `dir`; needs an active tfjs backend for 2-D runs' scatter. */
export async function writeReport(dir: string, options: WriteReportOptions = {}): Promise<WriteReportResult> {
  const file = path.resolve(options.out ?? path.join(dir, 'report.html'));
  if (!options.force && isForeign(file)) {
    throw new IoError(`${file} exists and was not written by ganbox report; pass --force to replace it or --out another file`);
  }
  const data = await readRunData(dir);
  const html = await reportHtml(data);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, html);
  return { file, bytes: Buffer.byteLength(html), samples: data.samples.length, metrics: data.metrics.length, scatter: Boolean(data.scatter) };
}
