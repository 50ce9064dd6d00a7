/**
 * The README's picture of the digits page (docs/digits-page.png): the page trains its conditional
 * DCGAN (the page's defaults: cgan, batch 32, width 16) in Debian's headless chromium — the cpu
 * backend there — for `--steps` generator steps, then pauses and is photographed.
 *   node --import tsx scripts/screenshot-digits.ts [--steps 900] [--mode cgan] [--out docs]
 * Several minutes on a busy 2-core machine (~1 s per step).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { servePlayground } from '../src/report/playground-server.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/web/browser.js';

const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : fallback);
const steps = Number(arg('--steps', '900'));
const mode = arg('--mode', 'cgan');
const outDir = path.resolve(arg('--out', 'docs'));
if (!(Number.isInteger(steps) && steps > 0)) throw new Error(`--steps must be a positive integer, got ${arg('--steps', '')}`);
fs.mkdirSync(outDir, { recursive: true });

const server = await servePlayground({ port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 740 } });
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  await page.goto(`${server.url}digits.html?backend=cpu`); // headless chromium's WebGL is software (SwiftShader), slower than cpu
  await page.waitForSelector('#app[data-ready="true"]', { timeout: 120_000 });
  await page.selectOption('#mode', mode);
  await page.locator('#every').evaluate((el, v) => { (el as HTMLInputElement).value = v; el.dispatchEvent(new Event('change')); }, '20');
  const t0 = Date.now();
  await page.click('#play');
  const stepNow = () => page.locator('#stats').evaluate((e) => Number((e as HTMLElement).dataset['step']));
  for (let last = -1; ;) {
    const s = await stepNow();
    if (s >= steps) break;
    if (Math.floor(s / 50) !== Math.floor(last / 50)) process.stdout.write(`step ${s} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
    last = s;
    await page.waitForTimeout(2000);
  }
  await page.click('#play'); // pause
  await page.waitForTimeout(500);
  const gridStep = await page.locator('#grid').getAttribute('data-step');
  const file = path.join(outDir, 'digits-page.png');
  await page.screenshot({ path: file });
  process.stdout.write(`${path.relative(process.cwd(), file)}: step ${await stepNow()}, grid drawn at step ${gridStep}, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
} finally {
  await browser.close();
  await server.close();
}
