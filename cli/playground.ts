/** `ganbox playground`: serve the 2-D GAN playground, the sampling page and the digits page on 127.0.0.1. */
import { Command } from 'commander';
import { servePlayground } from '../src/report/playground-server.js';
import { nonNegativeInt } from './options.js';

export function playgroundCommand(): Command {
  return new Command('playground')
    .description('serve the 2-D GAN playground (train in the browser), the sampling page and the digits page (a conditional DCGAN on MNIST in the browser) on 127.0.0.1')
    .option('--port <n>', 'port (0 = any free port)', nonNegativeInt, 8080)
    .option('--run <dir>', "a run folder whose generator the sampling page (/viewer.html) loads")
    .action(async (opts: { port: number; run?: string }) => {
      const s = await servePlayground({ port: opts.port, run: opts.run });
      process.stdout.write(`playground: ${s.url}\nsampling:   ${s.url}viewer.html${opts.run ? ` (generator of ${opts.run})` : ''}\ndigits:     ${s.url}digits.html\nCtrl-C stops the server.\n`);
      await new Promise<void>((resolve) => {
        const stop = () => { void s.close().then(resolve); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
