/**
 * The digits page in chromium: it fetches the packed MNIST digits from the playground server (and
 * nothing from elsewhere), trains the conditional DCGAN with the library's GanTrainer on a small
 * batch and width, advances its step counter, reports finite losses, draws ten rows of non-constant
 * digits, keeps the live tensor count level while training, and trains with acgan and projection too;
 * the default backend, WebGL (SwiftShader in headless chromium), trains and draws as well.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { servePlayground } from '../../src/report/playground-server.js';
import type { Served } from '../../src/report/http.js';
import { browserSkipReason, launchBrowser, openPage } from './browser.js';

const skip = browserSkipReason();
let browser: Browser;
let server: Served;

before(async () => {
  if (skip) return;
  server = await servePlayground({ port: 0 });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const stat = async (page: Page) => page.locator('#stats').evaluate((e) => ({ ...(e as HTMLElement).dataset }));
const grid = async (page: Page) => page.locator('#grid').evaluate((e) => ({ ...(e as HTMLElement).dataset }));
const stepAtLeast = (page: Page, n: number) => page.waitForFunction(
  (n) => Number((document.querySelector('#stats') as HTMLElement).dataset['step']) >= n, n, { timeout: 40_000 });
/** Set a number field and let the page see it (a change event resets the trainer). */
const setField = (page: Page, id: string, value: string) => page.locator(`#${id}`).evaluate((el, v) => {
  (el as HTMLInputElement).value = v;
  el.dispatchEvent(new Event('change'));
}, value);
/**
 * Small and quick: batch 8, width 4, the grid redrawn every 2 steps; a large learning rate so that
 * G's BatchNorm running statistics, which the grid's inference mode uses, leave their start (grey) by step ~10.
 */
const smallAndQuick = async (page: Page) => {
  for (const [id, v] of [['batch', '8'], ['width', '4'], ['every', '2'], ['lr', '0.005']]) await setField(page, id!, v!);
};
const tensorsNow = (page: Page) => page.evaluate(() => (window as unknown as { ganboxDigits: { numTensors(): number } }).ganboxDigits.numTensors());

test('the digits page trains a conditional DCGAN in the tab: steps, finite losses, ten rows, level tensors', { skip }, async () => {
  // cpu: headless chromium's WebGL is SwiftShader, a software renderer 2–3× slower than the cpu backend here
  const { page, errors, requests } = await openPage(browser, `${server.url}digits.html?backend=cpu`);
  await page.waitForSelector('#app[data-ready="true"]', { timeout: 40_000 });
  assert.ok(requests.every((u) => u.startsWith(server.url)), `only the local server: ${requests.join(', ')}`);
  assert.ok(requests.includes(`${server.url}digits.bin`));
  const s0 = await stat(page);
  assert.equal(s0['backend'], 'cpu');
  assert.equal(s0['step'], '0');
  assert.match(await page.locator('#stats').innerText(), /10000 digits/);

  await smallAndQuick(page);
  await page.click('#play');
  await stepAtLeast(page, 4);
  const s1 = await stat(page);
  const t1 = Number(s1['tensors']);
  await stepAtLeast(page, Number(s1['step']) + 6);
  const s2 = await stat(page);
  assert.equal(Number(s2['tensors']), t1, `live tensors level while training: ${t1} at step ${s1['step']}, ${s2['tensors']} at step ${s2['step']}`);
  await page.click('#play'); // pause; the page then draws the grid of the last step
  await page.waitForFunction(() => (document.querySelector('#grid') as HTMLElement).dataset['step'] ===
    (document.querySelector('#stats') as HTMLElement).dataset['step'], undefined, { timeout: 10_000 });
  const paused = await tensorsNow(page);
  assert.equal(paused, t1, 'and when paused');
  const s3 = await stat(page);
  for (const k of ['lossD', 'lossG', 'imagesPerSecond']) assert.ok(Number.isFinite(Number(s3[k])) && s3[k] !== '', `${k} ${s3[k]}`);
  assert.ok(Number(s3['imagesPerSecond']) > 0);

  const g = await grid(page);
  assert.deepEqual([g['rows'], g['cols']], ['10', '8']);
  assert.ok(Number(g['draws']) >= 3, `grid redrawn while training (${g['draws']} draws)`);
  assert.equal(g['step'], s3['step'], 'the grid shows the step training paused at');
  const pixels = await page.evaluate(() => (window as unknown as { ganboxDigits: { gridPixels(): number[] } }).ganboxDigits.gridPixels());
  const rowPixels = pixels.length / 10;
  for (let r = 0; r < 10; r++) {
    const row = pixels.slice(r * rowPixels, (r + 1) * rowPixels);
    const mean = row.reduce((a, b) => a + b, 0) / row.length;
    const sd = Math.sqrt(row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length);
    assert.ok(sd > 2, `row ${r} is drawn and not constant (sd ${sd.toFixed(2)})`);
  }

  // the other conditionings: a fresh trainer each; acgan reports its auxiliary classifier's accuracy
  for (const mode of ['acgan', 'projection']) {
    await page.selectOption('#mode', mode);
    assert.equal((await stat(page))['step'], '0', mode);
    await page.click('#play');
    await stepAtLeast(page, 2);
    await page.click('#play');
    const text = await page.locator('#stats').innerText();
    assert.equal(/aux acc +[\d.]+ real, [\d.]+ fake/.test(text), mode === 'acgan', `${mode}: ${text}`);
    assert.ok(Number.isFinite(Number((await stat(page))['lossG'])), mode);
    assert.equal(await page.locator('#error').innerText(), '', mode);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('on WebGL (headless chromium\'s SwiftShader) the page trains too: finite losses, level tensors, drawn rows', { skip }, async () => {
  const { page, errors } = await openPage(browser, `${server.url}digits.html`);
  await page.waitForSelector('#app[data-ready="true"]', { timeout: 40_000 });
  assert.equal((await stat(page))['backend'], 'webgl');
  await smallAndQuick(page);
  await page.click('#play');
  await stepAtLeast(page, 3);
  const t1 = Number((await stat(page))['tensors']);
  const s1 = Number((await stat(page))['step']);
  await stepAtLeast(page, s1 + 4);
  assert.equal(Number((await stat(page))['tensors']), t1, 'live tensors level while training on webgl');
  await page.click('#play');
  await page.waitForFunction(() => (document.querySelector('#grid') as HTMLElement).dataset['step'] ===
    (document.querySelector('#stats') as HTMLElement).dataset['step'], undefined, { timeout: 20_000 });
  const s = await stat(page);
  for (const k of ['lossD', 'lossG']) assert.ok(Number.isFinite(Number(s[k])) && s[k] !== '', `${k} ${s[k]}`);
  const pixels = await page.evaluate(() => (window as unknown as { ganboxDigits: { gridPixels(): number[] } }).ganboxDigits.gridPixels());
  const mean = pixels.reduce((a, b) => a + b, 0) / pixels.length;
  assert.ok(pixels.some((p) => Math.abs(p - mean) > 8), 'the grid is drawn and not constant');
  assert.equal(await page.locator('#error').innerText(), '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('digits.bin is the packed digits; without it the page says how to serve it', { skip }, async () => {
  const res = await fetch(`${server.url}digits.bin`);
  assert.equal(res.status, 200);
  assert.equal((await res.arrayBuffer()).byteLength, 16 + 10000 + 10000 * 784);
  const page = await browser.newPage();
  await page.route('**/digits.bin', (r) => r.fulfill({ status: 404, body: 'not found' }));
  await page.goto(`${server.url}digits.html`);
  await page.waitForFunction(() => document.getElementById('error')?.textContent !== '', undefined, { timeout: 40_000 });
  assert.match(await page.locator('#error').innerText(), /^could not load the digits from digits\.bin \(HTTP 404\); serve this page with `ganbox playground`\.$/);
  await page.close();
});
