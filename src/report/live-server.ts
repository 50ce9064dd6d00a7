/**
 * The live page of `ganbox train --ui`: the report page served on 127.0.0.1, kept current with
 * server-sent events. The server follows the run folder itself — metrics.jsonl, samples/, the
 * exported generator — so it needs nothing from the training loop but time between steps, and
 * a browser that comes, goes or never connects changes nothing for training.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as http from 'node:http';
import { reportHtml } from './html.js';
import { content, serve, TYPES, type Handler, type Served } from './http.js';
import { listSamples, readMetrics, readRunConfig, readScatter, sampleImage } from './run-data.js';
import type { EvalRow, LiveEvents, MetricsRow, SampleImage, ScatterData } from './types.js';

/** How often the run folder is looked at. */
export const POLL_MS = 400;

export interface LiveServer extends Served {
  /** Report progress (the page's status line); cheap, throttled by the poll. */
  status(s: LiveEvents['status']): void;
  /** Look at the run folder now and send what is new (also runs every POLL_MS). */
  poll(): Promise<void>;
  /** Number of pages connected now. */
  clients(): number;
}

export async function serveLive(dir: string, port = 0): Promise<LiveServer> {
  const config = readRunConfig(dir);
  const metrics: MetricsRow[] = [];
  const evals: EvalRow[] = [];
  const samples: SampleImage[] = [];
  let scatter: ScatterData | undefined;
  let offset = 0;
  let generatorTime = 0;
  let status: LiveEvents['status'] = { state: 'training', step: 0 };
  let statusSent = '';
  const clients = new Set<http.ServerResponse>();

  const send = <K extends keyof LiveEvents>(res: http.ServerResponse, event: K, data: LiveEvents[K]) => {
    if (!res.destroyed && !res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const broadcast = <K extends keyof LiveEvents>(event: K, data: LiveEvents[K]) => {
    for (const c of clients) send(c, event, data);
  };

  let polling: Promise<void> | undefined;
  const poll = () => (polling ??= pollOnce().finally(() => { polling = undefined; }));
  async function pollOnce(): Promise<void> {
    const m = readMetrics(dir, offset);
    if (m.next < offset) { metrics.length = 0; evals.length = 0; } // the file was rewritten
    offset = m.next;
    if (m.metrics.length) { metrics.push(...m.metrics); broadcast('metrics', m.metrics); }
    if (m.evals.length) { evals.push(...m.evals); broadcast('evals', m.evals); }
    const known = new Set(samples.map((s) => s.step));
    for (const s of listSamples(dir)) {
      if (known.has(s.step)) continue;
      const img = sampleImage(s.step, s.file);
      samples.push(img);
      broadcast('sample', img);
    }
    const gen = path.join(dir, 'generator', 'model.json');
    const t = fs.existsSync(gen) ? fs.statSync(gen).mtimeMs : 0;
    if (t && t !== generatorTime) {
      generatorTime = t;
      try {
        scatter = await readScatter(dir, config);
        if (scatter) broadcast('scatter', scatter);
      } catch {
        generatorTime = 0; // caught mid-write: try again on the next poll
      }
    }
    const st = JSON.stringify(status);
    if (st !== statusSent) { statusSent = st; broadcast('status', status); }
  }

  const events: Handler = (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    // What the page was rendered with (?m=&e=&s=) — send everything after it.
    const q = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    const from = (k: string) => Math.max(0, Number(q.get(k) ?? 0) || 0);
    if (metrics.length > from('m')) send(res, 'metrics', metrics.slice(from('m')));
    if (evals.length > from('e')) send(res, 'evals', evals.slice(from('e')));
    for (const s of samples.slice(from('s'))) send(res, 'sample', s);
    if (scatter) send(res, 'scatter', scatter);
    send(res, 'status', status);
    clients.add(res);
    const drop = () => clients.delete(res);
    req.on('close', drop);
    res.on('error', drop);
  };

  await poll();
  const routes = new Map<string, Handler>([
    ['/', content(TYPES.html, () => reportHtml({
      name: path.basename(path.resolve(dir)), config, metrics, evals, samples, scatter, live: true,
    }))],
    ['/events', events],
  ]);
  const served = await serve(routes, port);
  const timer = setInterval(() => { void poll(); }, POLL_MS);
  timer.unref();
  return {
    ...served,
    status(s) { status = s; },
    poll,
    clients: () => clients.size,
    async close() {
      clearInterval(timer);
      await poll();
      for (const c of clients) c.end();
      clients.clear();
      await served.close();
    },
  };
}
