/**
 * `npm run build:web`: the browser pages as static files in dist/web/ — index.html (the
 * playground), viewer.html (the sampling page), digits.html with digits.bin (the packed MNIST
 * digits it trains on), their scripts, and report-view.js (the script
 * `ganbox report` inlines). Any static file server can host dist/web/; the sampling page then
 * loads a generator from files the user picks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { bundleOptions, packageRoot, PAGES } from '../src/report/bundle.js';
import { digitsHtml, playgroundHtml, viewerHtml } from '../src/report/pages.js';
import { packedMnist } from '../src/data/mnist.js';
import { uplotCss } from '../src/report/bundle.js';

const root = packageRoot();
const out = path.join(root, 'dist', 'web');
fs.mkdirSync(out, { recursive: true });
for (const page of PAGES) {
  await esbuild.build({ ...bundleOptions(root, page), outfile: path.join(out, `${page}.js`) });
}
fs.writeFileSync(path.join(out, 'index.html'), playgroundHtml(uplotCss()));
fs.writeFileSync(path.join(out, 'viewer.html'), viewerHtml());
fs.writeFileSync(path.join(out, 'digits.html'), digitsHtml(uplotCss()));
fs.writeFileSync(path.join(out, 'digits.bin'), packedMnist());
for (const f of fs.readdirSync(out)) process.stdout.write(`${path.relative(process.cwd(), path.join(out, f))}  ${Math.round(fs.statSync(path.join(out, f)).size / 1024)} kB\n`);
