/**
 * Shared pieces of the browser tests: Debian's chromium driven by playwright-core with the flags
 * this closed network needs (no background connections, no GPU), a console-error collector, and
 * a tiny static server on 127.0.0.1.
 *
 * Without /usr/bin/chromium the tests fail under CI (.ci/run installs it) and are skipped with a
 * message elsewhere.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** The flags with which Debian's chromium runs headless here, as root, offline. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

/** undefined when the browser tests can run; else the reason to skip. Throws under CI. */
export function browserSkipReason(): string | undefined {
  if (fs.existsSync(CHROMIUM)) return undefined;
  const msg = `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser tests`;
  if (process.env['CI']) throw new Error(`${msg}; .ci/run should have installed it`);
  process.stderr.write(`skipping browser tests: ${msg}\n`);
  return msg;
}

/** Chromium with a new empty profile (playwright makes a temporary one per launch). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A new page that records console errors and uncaught exceptions into `errors`. */
/** `requests` lists every URL the page asked for, the page itself first. */
export async function openPage(browser: Browser, url: string, size = { width: 1280, height: 900 }): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: size });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('request', (r) => { if (!r.url().startsWith('data:')) requests.push(r.url()); });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A page that closes its event stream (the live page, once training is over) aborts that request by design.
    if (r.failure()?.errorText === 'net::ERR_ABORTED' && r.resourceType() === 'eventsource') return;
    errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  await page.goto(url);
  return { page, errors, requests };
}

/** Serve `files` (URL path → body and type) on 127.0.0.1 at a free port. */
export async function serveFiles(files: Record<string, { body: string | Buffer; type: string }>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const f = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!f) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'content-type': f.type }).end(f.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
