import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { renderChart, renderSvg } from '../../src/plot/index.js';

const BIN = path.resolve('bin/ganbox.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-theory-'));

function ganbox(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function assertPng(file: string) {
  const bytes = fs.readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const png = PNG.sync.read(bytes); // checks every chunk's CRC and inflates the image
  assert.ok(png.width >= 600 && png.height >= 400, `${png.width}×${png.height}`);
  // Not blank: a chart has dark (text, lines) and white pixels.
  let dark = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! < 80 && png.data[i + 1]! < 80 && png.data[i + 2]! < 80) dark++;
  assert.ok(dark > 1000, `${dark} dark pixels`);
}

test('ganbox theory <name> --json prints the JSON it writes, next to a valid PNG', () => {
  const r = ganbox('theory', 'wasserstein', '--steps', '20', '--eval-samples', '1000', '--threads', '1', '--json', '--out', 'w');
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out) as Record<string, unknown>;
  assert.deepEqual(json, JSON.parse(fs.readFileSync(path.join(tmp, 'w', 'wasserstein.json'), 'utf8')));
  assert.equal(json.experiment, 'wasserstein');
  assert.equal(typeof json.w1_estimate, 'number');
  assert.ok(Math.abs((json.w1_exact as number) - 1.5024049646) < 1e-6, `w1_exact ${json.w1_exact}`);
  assertPng(path.join(tmp, 'w', 'wasserstein.png'));

  const s = ganbox('theory', 'saturation', '--steps', '10', '--threads', '1');
  assert.equal(s.code, 0, s.err);
  assert.match(s.out, /wrote theory\/saturation\/saturation\.png and theory\/saturation\/saturation\.json/);
  assertPng(path.join(tmp, 'theory', 'saturation', 'saturation.png'));
});

test('ganbox theory: bad input is one sentence naming the flag', () => {
  for (const [args, pattern] of [
    [['theory', 'optimal-discriminatr'], /invalid for argument 'name'.*optimal-discriminator/],
    [['theory', 'wasserstein', '--constraint', 'lipschitz'], /--constraint.*lipschitz.*gp, clip|lipschitz.*invalid.*gp, clip/],
    [['theory', 'saddle-point', '--means', '0,x'], /--means/],
  ] as const) {
    const r = ganbox(...args);
    assert.notEqual(r.code, 0);
    assert.match(r.err, pattern);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
  assert.match(ganbox('theory', '--help').out, /optimal-discriminator[\s\S]*max_abs_error[\s\S]*value_estimate[\s\S]*w1_estimate/);
});

test('renderChart: a Vega-Lite spec becomes an SVG with its text and a PNG at 2× scale', async () => {
  const spec = {
    title: 'a chart', width: 300, height: 200, data: { values: [{ x: 0, y: 1 }, { x: 1, y: 3 }] },
    mark: 'line', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
  } as const;
  const svg = await renderSvg(spec);
  assert.match(svg, /^<svg[^>]*width="(\d+)"/);
  assert.match(svg, />a chart</);
  const width = Number(/^<svg[^>]*width="(\d+)"/.exec(svg)![1]);
  const png = PNG.sync.read(await renderChart(spec));
  assert.equal(png.width, 2 * width);
});
