/**
 * The pages' JavaScript: web/<page>.ts bundled for the browser. A published package ships them
 * prebuilt in dist/web/ (`npm run build:web`, run by prepack); in a source checkout, where
 * dist/web/ may be missing or stale, they are bundled on demand with esbuild (a devDependency),
 * once per process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { IoError } from '../errors.js';

export const PAGES = ['report-view', 'playground', 'viewer', 'digits'] as const;
export type PageName = (typeof PAGES)[number];

/** The folder holding ganbox's package.json (src/report/ in a checkout, dist/src/report/ when built). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'ganbox') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new IoError('could not find the ganbox package folder above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** esbuild options shared by the on-demand bundles and `npm run build:web`. */
export function bundleOptions(root: string, page: PageName) {
  return {
    entryPoints: [path.join(root, 'web', `${page}.ts`)],
    bundle: true,
    format: 'iife' as const,
    platform: 'browser' as const,
    target: 'es2020',
    minify: true,
    legalComments: 'none' as const,
    logLevel: 'silent' as const,
    define: { 'process.env.NODE_ENV': '"production"' },
  };
}

const cache = new Map<PageName, Promise<string>>();

/** The bundled script of `page`, from dist/web/ when it is newer than the sources, else built now. */
export function pageScript(page: PageName): Promise<string> {
  let p = cache.get(page);
  if (!p) {
    p = loadOrBuild(page);
    cache.set(page, p);
    p.catch(() => cache.delete(page));
  }
  return p;
}

async function loadOrBuild(page: PageName): Promise<string> {
  const root = packageRoot();
  const built = path.join(root, 'dist', 'web', `${page}.js`);
  const source = path.join(root, 'web', `${page}.ts`);
  const srcTime = newestSource(root);
  if (fs.existsSync(built) && (!fs.existsSync(source) || fs.statSync(built).mtimeMs >= srcTime)) {
    return fs.readFileSync(built, 'utf8');
  }
  if (!fs.existsSync(source)) throw new IoError(`the page script ${built} is missing; reinstall ganbox`);
  let esbuild: typeof import('esbuild');
  try {
    esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  } catch {
    throw new IoError(`the page script ${built} is missing and esbuild is not installed; run \`npm run build:web\``);
  }
  const result = await esbuild.build({ ...bundleOptions(root, page), write: false });
  return result.outputFiles[0]!.text;
}

/** Newest modification time among web/ and src/ sources (so a stale dist/web/ is not served). */
function newestSource(root: string): number {
  let newest = 0;
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(path.join(root, 'web'));
  walk(path.join(root, 'src'));
  return newest;
}

/** uPlot's stylesheet, inlined into pages that draw charts. */
export function uplotCss(): string {
  const require = createRequire(import.meta.url);
  return fs.readFileSync(path.join(path.dirname(require.resolve('uplot')), 'uPlot.min.css'), 'utf8');
}
