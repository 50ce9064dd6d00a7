/**
 * Progress bars for long feature extractions (cli-progress), on stderr, one per input. Quiet when
 * stderr is not a terminal or the output is --json, so pipes and scripts get clean streams.
 */
import cliProgress from 'cli-progress';

export type ProgressFn = (source: string, done: number, total: number) => void;

export function extractionProgress(enabled: boolean): ProgressFn | undefined {
  if (!enabled) return undefined;
  let bar: cliProgress.SingleBar | undefined;
  let current = '';
  return (source, done, total) => {
    if (!bar || source !== current) {
      bar?.stop();
      current = source;
      bar = new cliProgress.SingleBar({
        format: `features of {source} |{bar}| {value}/{total} images | {rate} img/s | ETA {eta_formatted}`,
        hideCursor: true,
        stream: process.stderr,
        etaBuffer: 20,
      });
      bar.start(total, 0, { source: source.length > 40 ? '…' + source.slice(-39) : source, rate: '-' });
      (bar as unknown as { t0: number }).t0 = performance.now();
    }
    const t0 = (bar as unknown as { t0: number }).t0;
    const rate = done / Math.max((performance.now() - t0) / 1000, 1e-9);
    bar.update(done, { rate: done > 0 ? rate.toFixed(1) : '-' });
    if (done >= total) { bar.stop(); bar = undefined; }
  };
}

/** Whether commands may draw bars: a terminal on stderr, and neither --json nor --quiet. */
export const progressWanted = (opts: { json?: boolean; quiet?: boolean }) => Boolean(process.stderr.isTTY && !opts.json && !opts.quiet);
