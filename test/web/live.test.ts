/**
 * `ganbox train --ui` in chromium: the live page loads without console errors and receives
 * updates (chart points, samples, step) while the run trains; after the page goes away training
 * carries on and writes every metrics line; a finished run stays served until SIGTERM and a new
 * page shows all of it.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchBrowser, openPage } from './browser.js';

const skip = browserSkipReason();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-live-'));
let browser: Browser | undefined;
const children: ChildProcess[] = [];
after(async () => {
  await browser?.close();
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** `ganbox train --ui` on a small ring8 run; `waitFor` resolves when stderr matches. */
function trainUi(run: string, steps: number) {
  const child = spawn(process.execPath, [
    path.resolve('bin/ganbox.js'), 'train', '--data', 'ring8', '--steps', String(steps), '--batch', '32', '--width', '32',
    '--log-every', '5', '--sample-every', '10', '--checkpoint-every', '1000', '--backend', 'cpu', '--out', run,
    '--ui', '--port', '0', '--quiet',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  let stdout = '';
  child.stdout!.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (re: RegExp, what: string) => new Promise<RegExpExecArray>((resolve, reject) => {
    const check = () => { const m = re.exec(stderr); if (m) { clearInterval(t); resolve(m); } };
    const t = setInterval(check, 50);
    void exited.then(() => { check(); clearInterval(t); reject(new Error(`ganbox exited before ${what}: ${stderr}`)); });
  });
  return { child, exited, waitFor, out: () => stdout };
}

const metricSteps = (run: string) =>
  fs.readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { step: number }).step);

test('the live page follows training, and training goes on after the page leaves', { skip, timeout: 180_000 }, async () => {
  const run = path.join(tmp, 'long');
  const t = trainUi(run, 1_000_000); // stopped below by a signal, whatever the machine's speed
  const url = (await t.waitFor(/live page: (http:\/\/127\.0\.0\.1:\d+\/) /, 'the live page'))[1]!;
  browser ??= await launchBrowser();
  const { page, errors } = await openPage(browser, url);
  await page.waitForSelector('#report[data-ready="true"]');
  const first = await page.locator('.chart').first().evaluate((c) => Number((c as HTMLElement).dataset['points']));
  await page.waitForFunction((n) => Number((document.querySelector('.chart') as HTMLElement).dataset['points']) >= n + 3, first, { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll('#samples img').length >= 2, undefined, { timeout: 60_000 });
  await page.waitForSelector('#status[data-state="training"]');
  assert.ok(Number(await page.locator('#status').getAttribute('data-step')) > 0);
  assert.match(await page.title(), /^live · long · ganbox$/);
  assert.deepEqual(errors, []);
  await page.close(); // the browser goes away mid-run

  const seen = metricSteps(run).length;
  const deadline = Date.now() + 60_000;
  while (metricSteps(run).length < seen + 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  t.child.kill('SIGINT');
  assert.equal(await t.exited, 130, 'a signal stops the run with a checkpoint, as without --ui');
  const steps = metricSteps(run);
  assert.ok(steps.length >= seen + 10, `training went on after the page left: ${seen} → ${steps.length} lines`);
  assert.deepEqual(steps, steps.map((_, i) => 5 * (i + 1)), 'every 5th step logged, none missing');
  assert.match(t.out(), /stopped at step \d+; resume with/);
});

test('a finished run stays served until SIGTERM, and a new page shows all of it', { skip, timeout: 120_000 }, async () => {
  const run = path.join(tmp, 'short');
  const t = trainUi(run, 40);
  const url = (await t.waitFor(/live page: (http:\/\/127\.0\.0\.1:\d+\/) stays up/, 'the end of training'))[1]!;
  assert.match(t.out(), /run folder: /);
  browser ??= await launchBrowser();
  const { page, errors } = await openPage(browser, url);
  await page.waitForSelector('#status[data-state="done"]', { timeout: 30_000 });
  assert.equal(await page.locator('#status').innerText(), 'finished at step 40');
  assert.equal(await page.locator('.chart').first().getAttribute('data-points'), '8');
  assert.equal(await page.locator('#samples img').count(), 4);
  assert.equal(await page.locator('#scatter canvas').getAttribute('data-fake'), '1000');
  assert.deepEqual(errors, []);
  await page.close();
  t.child.kill('SIGTERM');
  assert.equal(await t.exited, 0);
});
