/**
 * `ganbox playground`: the playground page (/, /index.html), the sampling page (/viewer.html) and
 * the digits page (/digits.html, with the packed MNIST digits at /digits.bin) on 127.0.0.1. With a run folder, the sampling page loads that run's generator from /run/….
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../errors.js';
import { pageScript, uplotCss } from './bundle.js';
import { content, serve, TYPES, type Handler, type Served } from './http.js';
import { digitsHtml, playgroundHtml, viewerHtml } from './pages.js';
import { packedMnist } from '../data/mnist.js';

export interface PlaygroundOptions {
  port?: number;
  /** A run folder whose generator the sampling page opens. */
  run?: string;
}

/** The routes for a run's generator: model.json and the weight files it names, nothing else. */
export function generatorRoutes(run: string): Map<string, Handler> {
  const dir = path.join(run, 'generator');
  const modelFile = path.join(dir, 'model.json');
  if (!fs.existsSync(modelFile)) {
    throw new ConfigError(`--run ${run}: no generator found (expected ${modelFile}); is it a ganbox run folder that has trained?`);
  }
  const routes = new Map<string, Handler>();
  routes.set('/run/generator/model.json', content(TYPES.json, () => fs.readFileSync(modelFile)));
  const manifest = JSON.parse(fs.readFileSync(modelFile, 'utf8')) as { weightsManifest?: { paths: string[] }[] };
  for (const group of manifest.weightsManifest ?? []) {
    for (const p of group.paths) {
      const file = path.join(dir, path.basename(p));
      routes.set(`/run/generator/${encodeURI(path.basename(p))}`, content(TYPES.bin, () => fs.readFileSync(file)));
    }
  }
  return routes;
}

export async function servePlayground(options: PlaygroundOptions = {}): Promise<Served> {
  const routes = new Map<string, Handler>();
  const index = content(TYPES.html, () => playgroundHtml(uplotCss()));
  routes.set('/', index);
  routes.set('/index.html', index);
  routes.set('/playground.js', content(TYPES.js, () => pageScript('playground')));
  routes.set('/viewer.html', content(TYPES.html, () => viewerHtml(options.run ? 'run/generator/model.json' : undefined)));
  routes.set('/viewer.js', content(TYPES.js, () => pageScript('viewer')));
  routes.set('/digits.html', content(TYPES.html, () => digitsHtml(uplotCss())));
  routes.set('/digits.js', content(TYPES.js, () => pageScript('digits')));
  routes.set('/digits.bin', content(TYPES.bin, () => { const p = packedMnist(); return Buffer.from(p.buffer, p.byteOffset, p.byteLength); }));
  if (options.run) for (const [k, v] of generatorRoutes(options.run)) routes.set(k, v);
  await Promise.all([pageScript('playground'), pageScript('viewer'), pageScript('digits')]); // bundle before announcing the URL
  return serve(routes, options.port ?? 0);
}
