/** `ganbox report DIR`: write DIR/report.html, a self-contained page of the run (src/report/ does the work). */
import * as path from 'node:path';
import { Command } from 'commander';
import { useBackend } from '../src/backend/index.js';
import { writeReport } from '../src/report/write.js';

export function reportCommand(): Command {
  return new Command('report')
    .description('write a self-contained HTML report of a run folder (curves, samples over time, 2-D scatter, config)')
    .argument('<dir>', 'run folder written by ganbox train')
    .option('--out <file>', 'output file (default: <dir>/report.html)')
    .option('--force', 'replace --out even if it is not a report ganbox wrote', false)
    .action(async (dir: string, opts: { out?: string; force: boolean }) => {
      await useBackend('cpu'); // only 2-D runs sample their (tiny) generator for the scatter
      const r = await writeReport(dir, { out: opts.out, force: opts.force });
      const kb = Math.round(r.bytes / 1024);
      process.stdout.write(
        `report: ${path.relative(process.cwd(), r.file) || r.file}  (${r.metrics} metric lines, ${r.samples} sample pictures` +
          `${r.scatter ? ', 2-D scatter' : ''}; ${kb} kB, works offline)\n`,
      );
    });
}
