/**
 * The HTML shells of the browser pages (playground, sampling viewer, digits). The servers and
 * `npm run build:web` write the same shells; the scripts are the bundles of web/<page>.ts.
 */
import { escapeHtml } from './html.js';

const BASE_CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d1f23;background:#f6f7f9}
header{background:#1d1f23;color:#fff;padding:10px 20px;display:flex;gap:14px;align-items:baseline;flex-wrap:wrap}
header h1{font-size:18px;margin:0}header a{color:#9ec5ff}header .sub{color:#b8bcc6}
.layout{display:flex;gap:16px;padding:14px 20px;align-items:flex-start;flex-wrap:wrap}
aside{background:#fff;border:1px solid #e1e4e8;border-radius:6px;padding:10px 12px;width:230px;flex:none}
aside label{display:block;font-size:12px;color:#555;margin-top:8px}
aside select,aside input{width:100%;box-sizing:border-box;font:inherit}
aside .buttons{display:grid;grid-template-columns:1fr 1fr;gap:6px;margin-top:12px}
button{font:inherit;padding:5px 8px;border:1px solid #bbb;border-radius:4px;background:#fafafa;cursor:pointer}
button.primary{background:#1d63d8;color:#fff;border-color:#1d63d8}
section{background:#fff;border:1px solid #e1e4e8;border-radius:6px;padding:10px 12px}
section h2{font-size:14px;margin:0 0 6px}
.note{color:#666;font-size:12px;margin:6px 0 0;max-width:440px}
#stats{font:12px/1.5 ui-monospace,Menlo,monospace;white-space:pre;margin-top:10px}
#error{color:#c92a2a;font-size:12px;margin-top:8px}
canvas{display:block}
.legend{font-size:12px;color:#444}.swatch{display:inline-block;width:10px;height:10px;margin:0 3px 0 8px;vertical-align:-1px}
`;

function page(title: string, nav: string, body: string, script: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${BASE_CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1>${nav}</header>
${body}
<script src="${script}"></script>
</body>
</html>
`;
}

const NAV = '<span class="sub">ganbox</span> <a href="index.html">playground</a> <a href="viewer.html">sampling</a> <a href="digits.html">digits</a>';

/** The playground: web/playground.ts fills #app. */
export function playgroundHtml(uplotCss: string): string {
  return page('GAN playground', NAV, `<style>${uplotCss}</style><div id="app" class="layout"></div>`, 'playground.js');
}

/** The sampling page: web/viewer.ts fills #app; `modelUrl` is loaded at start when given. */
export function viewerHtml(modelUrl?: string): string {
  const attr = modelUrl ? ` data-model="${escapeHtml(modelUrl)}"` : '';
  return page('Sample a generator', NAV, `<div id="app" class="layout"${attr}></div>`, 'viewer.js');
}

/** The digits page: web/digits.ts fills #app and fetches the packed digits from `dataUrl`. */
export function digitsHtml(uplotCss: string, dataUrl = 'digits.bin'): string {
  return page('Conditional DCGAN on MNIST', NAV, `<style>${uplotCss}</style><div id="app" class="layout" data-digits="${escapeHtml(dataUrl)}"></div>`, 'digits.js');
}
