/**
 * Screenshots of every page for the README (docs/*.png), taken in Debian's chromium with
 * playwright-core: a ring8 run trained here (its live page mid-run, then its report), the
 * playground after some seconds of training on moons, and the sampling page of the run.
 *   node --import tsx scripts/screenshots.ts [--out docs]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { useBackend } from '../src/backend/index.js';
import { runTraining } from '../src/train/run.js';
import { serveLive, type LiveServer } from '../src/report/live-server.js';
import { servePlayground } from '../src/report/playground-server.js';
import { writeReport } from '../src/report/write.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/web/browser.js';

const outDir = path.resolve(process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1]! : 'docs');
fs.mkdirSync(outDir, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-shots-'));
const run = path.join(tmp, 'ring8-demo');
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
const newPage = async (width = 1280, height = 900): Promise<Page> => {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  return page;
};
const shot = async (page: Page, name: string, fullPage = false) => {
  const file = path.join(outDir, name);
  await page.screenshot({ path: file, fullPage });
  process.stdout.write(`${path.relative(process.cwd(), file)}\n`);
};

try {
  await useBackend('wasm');
  // 1. a ring8 run (the README's library settings), its live page photographed mid-run
  let live: LiveServer | undefined;
  let livePhoto: Promise<void> | undefined;
  await runTraining(
    { data: 'ring8', steps: 2000, batch: 512, lrG: 2e-3, lrD: 2e-3, logEvery: 10, sampleEvery: 200, checkpointEvery: 500, seed: 0, backend: 'wasm' },
    {
      out: run,
      onStart: async (dir) => {
        live = await serveLive(dir, 0);
        livePhoto = (async () => {
          const page = await newPage();
          await page.goto(live!.url);
          await page.waitForFunction(() => Number((document.querySelector('#status') as HTMLElement).dataset['step']) >= 1000, undefined, { timeout: 600_000 });
          await page.waitForTimeout(800);
          await shot(page, 'live.png');
          await page.close();
        })();
      },
      onProgress: (p) => live?.status({ state: 'training', step: p.step, total: p.total }),
    },
  );
  await livePhoto;
  await live?.close();

  // 2. its report
  const report = await writeReport(run);
  const rp = await newPage(1280, 900);
  await rp.goto(`file://${report.file}`);
  await rp.waitForSelector('#report[data-ready="true"]');
  await shot(rp, 'report.png', true);
  await rp.close();

  // 3. the playground, training on moons for a while; 4. the sampling page of the run
  const server = await servePlayground({ port: 0, run });
  const pg = await newPage(1400, 980);
  await pg.goto(server.url);
  await pg.waitForSelector('#app[data-ready="true"]');
  await pg.selectOption('#data', 'moons');
  await pg.click('#play');
  await pg.waitForFunction(() => Number((document.querySelector('#stats') as HTMLElement).dataset['step']) >= 600, undefined, { timeout: 300_000 });
  await pg.click('#play');
  await shot(pg, 'playground.png');
  await pg.close();
  const vp = await newPage(1280, 640);
  await vp.goto(`${server.url}viewer.html`);
  await vp.waitForSelector('#app[data-loaded="true"]');
  await shot(vp, 'viewer.png');
  await vp.close();
  await server.close();
} finally {
  await browser.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
