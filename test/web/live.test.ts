/**
 * `ganbox train --ui` in chromium: the live page loads without console errors and receives
 * updates (chart points, samples, step) while the run trains; after the page goes away training
 * carries on to the end, every metrics line is written, and the page stays served until SIGTERM.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchBrowser, openPage } from './browser.js';

const skip = browserSkipReason();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-live-'));
let browser: Browser | undefined;
after(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('the live page follows training; training survives the page leaving', { skip, timeout: 180_000 }, async () => {
  const run = path.join(tmp, 'run');
  const steps = 400;
  const child = spawn(process.execPath, [
    path.resolve('bin/ganbox.js'), 'train', '--data', 'ring8', '--steps', String(steps), '--batch', '32', '--width', '32',
    '--log-every', '5', '--sample-every', '50', '--checkpoint-every', '200', '--backend', 'cpu', '--out', run,
    '--ui', '--port', '0', '--quiet',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (re: RegExp, what: string) => new Promise<RegExpExecArray>((resolve, reject) => {
    const check = () => { const m = re.exec(stderr); if (m) resolve(m); };
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); check(); });
    void exited.then(() => reject(new Error(`ganbox exited before ${what}: ${stderr}`)));
    check();
  });
  try {
    const url = (await waitFor(/live page: (http:\/\/127\.0\.0\.1:\d+\/) /, 'the live page'))[1]!;
    browser = await launchBrowser();
    const { page, errors } = await openPage(browser, url);
    await page.waitForSelector('#report[data-ready="true"]');
    const points = () => page.locator('.chart').first().evaluate((c) => Number((c as HTMLElement).dataset['points']));
    const first = await points();
    await page.waitForFunction((n) => Number((document.querySelector('.chart') as HTMLElement).dataset['points']) > n + 2, first, { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelectorAll('#samples img').length >= 1, undefined, { timeout: 60_000 });
    const st = await page.locator('#status').evaluate((e) => ({ ...(e as HTMLElement).dataset }));
    assert.ok(st['state'] === 'training' || st['state'] === 'done', JSON.stringify(st));
    assert.ok(Number(st['step']) > 0);
    assert.match(await page.title(), /^live · run · ganbox$/);
    assert.deepEqual(errors, []);
    await page.close(); // the browser goes away mid-run

    await waitFor(/stays up to show the finished run/, 'the end of training');
    assert.match(stdout, /run folder: /);
    const lines = fs.readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, steps / 5, 'every metrics line was written after the page left');
    // the finished run is still served, and a new page shows all of it
    const again = await openPage(browser, url);
    await again.page.waitForSelector('#status[data-state="done"]', { timeout: 30_000 });
    assert.equal(await again.page.locator('.chart').first().getAttribute('data-points'), String(steps / 5));
    assert.equal(await again.page.locator('#samples img').count(), steps / 50);
    assert.deepEqual(again.errors, []);
    await again.page.close();
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
