/**
 * The report page as one self-contained HTML string: styles (uPlot's and ours), the run's data as
 * inline JSON and the bundled view script (web/report-view.ts) — no request leaves the file, so
 * report.html works offline and can be mailed around. The live page (`train --ui`) is the same
 * page with `live: true`, which makes the script follow the server's /events stream.
 */
import { pageScript, uplotCss } from './bundle.js';
import type { ReportData } from './types.js';

/** The marker by which `ganbox report` recognises a file it wrote (and may overwrite). */
export const REPORT_MARKER = '<meta name="generator" content="ganbox report">';

/** Escape for a text node or attribute value. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that is safe inside <script>: no "</script", no "<!--" (U+003C escaped). */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A script body safe to inline: a literal "</script" inside a string cannot end the element. */
function inlineScript(js: string): string {
  return js.replace(/<\/script/gi, '<\\/script');
}

export const REPORT_CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d1f23;background:#f6f7f9}
header{background:#1d1f23;color:#fff;padding:12px 24px;display:flex;gap:16px;align-items:baseline;flex-wrap:wrap}
header h1{font-size:18px;margin:0}header .sub{color:#b8bcc6}
#status{margin-left:auto;font-size:13px;color:#9fe0a8}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(580px,1fr));gap:16px;padding:16px 24px}
section{background:#fff;border:1px solid #e1e4e8;border-radius:6px;padding:12px 14px}
section h2{font-size:15px;margin:0 0 8px}
.note{color:#666;font-size:12px;margin:4px 0 0}
#samples img{max-width:100%;image-rendering:pixelated;display:none}#samples img.on{display:block}
#samples input{width:100%}
table{border-collapse:collapse;font-size:12px;width:100%}td{border-bottom:1px solid #eee;padding:2px 6px}td:first-child{color:#555;width:40%}
canvas.scatter{border:1px solid #eee;max-width:100%}
.legend-dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin:0 4px 0 10px}
`;

/** The whole report page for `data`. */
export async function reportHtml(data: ReportData): Promise<string> {
  const script = await pageScript('report-view');
  const title = `${data.live ? 'live · ' : ''}${data.name} · ganbox`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
${REPORT_MARKER}
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${uplotCss()}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(data.name)}</h1><span class="sub">ganbox run report</span><span id="status"></span></header>
<main id="report"></main>
<script type="application/json" id="ganbox-data">${inlineJson(data)}</script>
<script>${inlineScript(script)}</script>
</body>
</html>
`;
}
