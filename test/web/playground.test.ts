/**
 * The playground and the sampling page in chromium: each loads without console errors; the
 * playground trains with the library's GanTrainer (step D, step G, step both, play) and its
 * losses change; every loss of the registry either trains or says why it cannot; drawing points
 * makes a data set; the sampling page shows samples and an interpolation of a Node run's generator.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { useBackend } from '../../src/backend/index.js';
import { LOSS_NAMES } from '../../src/losses/index.js';
import { runTraining } from '../../src/train/run.js';
import { servePlayground } from '../../src/report/playground-server.js';
import type { Served } from '../../src/report/http.js';
import { browserSkipReason, launchBrowser, openPage } from './browser.js';

const skip = browserSkipReason();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-play-'));
let browser: Browser;
let server: Served;

before(async () => {
  if (skip) return;
  await useBackend('cpu');
  const run = path.join(tmp, 'run');
  await runTraining({ data: 'moons', steps: 10, batch: 32, logEvery: 5, sampleEvery: 10, checkpointEvery: 10, backend: 'cpu' }, { out: run });
  server = await servePlayground({ run, port: 0 });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const stat = async (page: Page) => page.locator('#stats').evaluate((e) => ({ ...(e as HTMLElement).dataset }));

test('the playground trains in the browser: step D, step G, step both, play', { skip }, async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.waitForSelector('#app[data-ready="true"]', { timeout: 60_000 });
  const s0 = await stat(page);
  assert.match(s0['backend']!, /^(webgl|cpu)$/);
  assert.equal(s0['step'], '0');
  const surface = await page.locator('#surface').evaluate((c) => ({ ...(c as HTMLElement).dataset }));
  assert.deepEqual([surface['real'], surface['fake'], surface['arrows']], ['384', '384', '128']);
  assert.equal(await page.locator('#optimal').getAttribute('data-known'), 'true');

  await page.click('#step-d');
  const s1 = await stat(page);
  assert.equal(s1['step'], '0', 'a D step is not a generator step');
  assert.notEqual(s1['lossD'], '');
  await page.click('#step-g');
  const s2 = await stat(page);
  assert.equal(s2['step'], '1');
  const losses: string[] = [];
  for (let i = 0; i < 4; i++) {
    await page.click('#step-both');
    losses.push((await stat(page))['lossD']!);
  }
  assert.equal((await stat(page))['step'], '5');
  const tensors = (await stat(page))['tensors'];
  for (let i = 0; i < 3; i++) await page.click('#step-both');
  assert.equal((await stat(page))['tensors'], tensors, 'no tensor leaks per step and redraw');
  assert.ok(new Set(losses).size > 1, `loss_D changes from step to step: ${losses}`);
  assert.equal(await page.locator('.chart').getAttribute('data-points'), '8');

  await page.click('#play');
  await page.waitForFunction(() => Number((document.querySelector('#stats') as HTMLElement).dataset['step']) >= 18, undefined, { timeout: 30_000 });
  await page.click('#play');
  assert.deepEqual(errors, []);
  await page.close();
});

test('every loss of the registry trains a step in the browser or says why not', { skip }, async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.waitForSelector('#app[data-ready="true"]', { timeout: 60_000 });
  for (const loss of LOSS_NAMES) {
    await page.selectOption('#loss', loss);
    await page.click('#step-both');
    const s = await stat(page);
    const error = await page.locator('#error').innerText();
    if (loss === 'perceptual') {
      assert.match(error, /perceptual/, 'perceptual names what it lacks');
    } else {
      assert.equal(error, '', `${loss}: ${error}`);
      assert.equal(s['step'], '1', loss);
      assert.ok(Number.isFinite(Number(s['lossG'])), `${loss}: loss_G ${s['lossG']}`);
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('drawn points become the data', { skip }, async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.waitForSelector('#app[data-ready="true"]', { timeout: 60_000 });
  await page.selectOption('#data', 'draw');
  assert.equal(await page.locator('#surface').getAttribute('data-fake'), '0');
  for (const [x, y] of [[100, 100], [300, 120], [210, 320]]) await page.locator('#surface').click({ position: { x, y } });
  await page.click('#step-both');
  assert.equal((await stat(page))['step'], '1');
  assert.equal(await page.locator('#surface').getAttribute('data-real'), '384');
  assert.deepEqual(errors, []);
  await page.close();
});

test("the sampling page shows a Node run's generator: samples and an interpolation", { skip }, async () => {
  const { page, errors } = await openPage(browser, `${server.url}viewer.html`);
  await page.waitForSelector('#app[data-loaded="true"]', { timeout: 60_000 });
  assert.equal(await page.locator('#samples').getAttribute('data-count'), '1000');
  assert.equal(await page.locator('#samples canvas').getAttribute('data-fake'), '1000');
  assert.equal(await page.locator('#interp').getAttribute('data-count'), '120');
  assert.match(await page.locator('#stats').innerText(), /z: 8 {2}output: \[2\]/);
  assert.deepEqual(errors, []);
  await page.close();
});
