/**
 * `ganbox train --ui`: the live page beside a training run. Started once the run folder exists,
 * told the progress, and after training kept up (the page shows the finished run) until Ctrl-C.
 */
import type { Progress } from '../src/train/run.js';
import { serveLive, type LiveServer } from '../src/report/live-server.js';

export interface TrainUi {
  onStart(dir: string): Promise<void>;
  progress(p: Progress): void;
  /**
   * Training ended: tell the page. A finished run stays served until SIGINT/SIGTERM; a run
   * stopped by a signal or failed (`error`) closes the server at once.
   */
  finish(step: number, how: 'done' | 'stopped' | { error: unknown }): Promise<void>;
}

export function trainUi(port: number): TrainUi {
  let live: LiveServer | undefined;
  let total: number | undefined;
  return {
    async onStart(dir) {
      live = await serveLive(dir, port);
      process.stderr.write(`live page: ${live.url}  (updates while training)\n`);
    },
    progress(p) {
      total = p.total;
      live?.status({ state: 'training', step: p.step, total: p.total });
    },
    async finish(step, how) {
      if (!live) return;
      if (how !== 'done') {
        const message = how === 'stopped' ? 'stopped by a signal' : (how.error as Error).message;
        live.status({ state: 'failed', step, total, message });
        await live.close();
        return;
      }
      live.status({ state: 'done', step, total });
      await live.poll();
      process.stderr.write(`live page: ${live.url} stays up to show the finished run; Ctrl-C to quit\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await live.close();
    },
  };
}
