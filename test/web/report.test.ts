/**
 * ganbox report in a real browser: a tiny 2-D run made here, its report.html opened in chromium;
 * the page loads without console errors and shows one chart point per metrics.jsonl line, one
 * picture per sample file, the 2-D scatter's points, FID/IS curves when the run has them, and the
 * config. Also: the overwrite policy of report.html.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { useBackend } from '../../src/backend/index.js';
import { runTraining } from '../../src/train/run.js';
import { writeReport } from '../../src/report/write.js';
import { SCATTER_POINTS } from '../../src/report/run-data.js';
import { encodePng } from '../../src/io/png.js';
import { browserSkipReason, launchBrowser, openPage, serveFiles } from './browser.js';

const skip = browserSkipReason();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-report-'));
const run = path.join(tmp, 'run');
let browser: Browser;

before(async () => {
  await useBackend('cpu');
  await runTraining(
    { data: 'ring8', steps: 40, batch: 32, logEvery: 5, sampleEvery: 10, checkpointEvery: 40, backend: 'cpu' },
    { out: run },
  );
  if (!skip) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('report.html shows every metric line, sample picture and 2-D point of the run, offline', { skip }, async () => {
  const r = await writeReport(run);
  assert.equal(r.file, path.resolve(run, 'report.html'));
  assert.equal(r.metrics, 8); // steps 5, 10, …, 40
  assert.equal(r.samples, 4); // steps 10, 20, 30, 40
  const html = fs.readFileSync(r.file, 'utf8');
  const server = await serveFiles({ '/report.html': { body: html, type: 'text/html' } });
  try {
    const { page, errors, requests } = await openPage(browser, `${server.url}/report.html`);
    await page.waitForSelector('#report[data-ready="true"]');
    const points = await page.$$eval('.chart', (cs) => cs.map((c) => [(c as HTMLElement).dataset['title'], Number((c as HTMLElement).dataset['points'])]));
    // The training curves, then the collapse diagnostics (issue 14), each with all 8 logged rows.
    assert.deepEqual(points, [
      ['loss_D, loss_G, V(D, G)', 8], ['D(x), D(G(z))', 8], ['images/s', 8],
      ["D's accuracy", 8], ['logit gap', 8], ['gradient norms (log10)', 8], ['diversity (fake / real)', 8], ['modes (of 8)', 8],
    ]);
    assert.equal(await page.locator('#samples img').count(), 4);
    assert.deepEqual(await page.$$eval('#samples img', (is) => is.map((i) => (i as HTMLImageElement).naturalWidth > 0)), [true, true, true, true]);
    // the slider shows one picture at a time
    await page.locator('#samples input').fill('1');
    assert.equal(await page.locator('#samples img.on').getAttribute('data-step'), '20');
    const scatter = await page.locator('#scatter canvas').evaluate((c) => [(c as HTMLElement).dataset['real'], (c as HTMLElement).dataset['fake']]);
    assert.deepEqual(scatter, [String(SCATTER_POINTS), String(SCATTER_POINTS)]);
    assert.match(await page.locator('#config').innerText(), /train\.loss\s+non-saturating/);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [`${server.url}/report.html`], 'self-contained: the page asks for nothing else');
    await page.close();
  } finally {
    await server.close();
  }
});

test('FID and IS lines in metrics.jsonl become evaluation curves', { skip }, async () => {
  const metrics = path.join(run, 'metrics.jsonl');
  const lines = fs.readFileSync(metrics, 'utf8');
  fs.appendFileSync(metrics, [20, 40].map((step, i) =>
    JSON.stringify({ step, frechet_inception_distance: 50 - 10 * i, inception_score: { mean: 2 + i, std: 0.1 } }) + '\n').join(''));
  try {
    const out = path.join(tmp, 'with-eval.html');
    await writeReport(run, { out });
    const server = await serveFiles({ '/r.html': { body: fs.readFileSync(out), type: 'text/html' } });
    try {
      const { page, errors } = await openPage(browser, `${server.url}/r.html`);
      await page.waitForSelector('#report[data-ready="true"]');
      const points = await page.$$eval('#evaluation .chart', (cs) => cs.map((c) => Number((c as HTMLElement).dataset['points'])));
      assert.deepEqual(points, [2, 2]);
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await server.close();
    }
  } finally {
    fs.writeFileSync(metrics, lines);
  }
});

test('report.html replaces only a report ganbox wrote, unless --force', async () => {
  const mine = path.join(tmp, 'mine.html');
  fs.writeFileSync(mine, '<html>my notes</html>');
  await assert.rejects(writeReport(run, { out: mine }), /mine\.html exists and was not written by ganbox report; pass --force/);
  assert.equal(fs.readFileSync(mine, 'utf8'), '<html>my notes</html>');
  await writeReport(run, { out: mine, force: true });
  const again = await writeReport(run, { out: mine }); // now it is ours: replaced without --force
  assert.equal(again.file, mine);
});

test('ganbox report on the command line: writes the file; a folder that is no run is one sentence', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [path.resolve('bin/ganbox.js'), ...args], { encoding: 'utf8', timeout: 120_000 });
  const ok = cli('report', run, '--out', path.join(tmp, 'cli.html'));
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /report: .*cli\.html {2}\(8 metric lines, 4 sample pictures, 2-D scatter; \d+ kB, works offline\)/);
  const bad = cli('report', path.join(tmp, 'nope'));
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /^error: .*nope is not a ganbox run folder: .*config\.json is missing\n$/);
  const help = cli('--help');
  assert.match(help.stdout, /report \[options\] <dir>/);
  assert.match(help.stdout, /playground \[options\]/);
  assert.match(cli('train', '--help').stdout.replace(/\s+/g, ' '), /--ui serve a live page/);
});

test('an image run: its sample grids over time, no scatter section; the page makes no request', { skip }, async () => {
  // A run folder as ganbox train writes it for images, made by hand (no training needed to render it).
  const dir = path.join(tmp, 'images-run');
  fs.mkdirSync(path.join(dir, 'samples'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ train: { data: 'mnist', arch: 'dcgan', loss: 'hinge' } }));
  const rows = [10, 20, 30].map((step) => JSON.stringify({ step, loss_d: 1, loss_g: 2, value: -1, d_real: 0.6, d_fake: 0.4, images_per_s: 100, time: step }));
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), rows.join('\n') + '\n{"step": 40, "loss_d"'); // a torn last line is ignored
  for (const step of [500, 1000]) {
    const px = new Uint8Array(28 * 28).map((_, i) => (i * step) % 256);
    fs.writeFileSync(path.join(dir, 'samples', `step-${String(step).padStart(6, '0')}.png`), encodePng(px, 28, 28, 1));
  }
  fs.writeFileSync(path.join(dir, 'samples', 'notes.png'), 'not a sample');
  const r = await writeReport(dir);
  assert.deepEqual([r.metrics, r.samples, r.scatter], [3, 2, false]);
  const server = await serveFiles({ '/r.html': { body: fs.readFileSync(r.file), type: 'text/html' } });
  try {
    const { page, errors, requests } = await openPage(browser, `${server.url}/r.html`);
    await page.waitForSelector('#report[data-ready="true"]');
    assert.deepEqual(await page.$$eval('#samples img', (is) => is.map((i) => [(i as HTMLImageElement).dataset['step'], (i as HTMLImageElement).naturalWidth])), [['500', 28], ['1000', 28]]);
    assert.equal(await page.locator('#scatter').count(), 0);
    assert.equal(await page.locator('#evaluation').count(), 0);
    assert.equal(await page.locator('.chart').first().getAttribute('data-points'), '3');
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [`${server.url}/r.html`]);
    await page.close();
  } finally {
    await server.close();
  }
});
