/**
 * The evaluation commands end to end (fid, stats, features, is, kid, prdc, eval, train --eval-every):
 * --json keys, analytic facts, user errors. Image inputs go through the projection extractor of
 * test/helpers, injected with GANBOX_EXTRACTOR_MODULE; the cache lives in a temp folder. Most
 * commands run in this process through cli/main.ts's `main` (a spawned ganbox costs ~2 s here);
 * the user-error test spawns the real command, to see its exit code and stderr as a shell does.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeStatistics, encodeStatistics, featuresToStatistics } from '../../src/metrics/statistics.js';
import { readNpy } from '../../src/io/npy.js';
import { main } from '../../cli/main.js';
import { io } from '../../cli/io.js';
import { Rng } from '../../src/train/rng.js';
import { makeImages, relDiff, writeFeaturesNpy, writeImagesNpy, writePngFolder } from '../helpers/eval-fixtures.js';
import { logitsMatrix, lowrankFeatures } from '../reference/hash-features.js';

const BIN = path.resolve('bin/ganbox.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-metrics-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const env = {
  ...process.env,
  GANBOX_EXTRACTOR_MODULE: path.resolve('test/helpers/projection-extractor.ts'),
  GANBOX_CACHE: path.join(tmp, 'cache'),
};

interface Result { code: number | null; out: string; err: string }
function spawnGanbox(...args: string[]): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
/**
 * `ganbox ...args` in this process, with stdout and stderr captured. File names (.npy, .npz, .pth,
 * the imgs folder) are taken relative to the temp folder: the process keeps its working directory,
 * which wasm's pthread workers need to find tsx.
 */
async function ganbox(...argv: string[]): Promise<Result> {
  const args = argv.map((a) => (!a.startsWith('-') && (/\.(npy|npz|pth)$/.test(a) || a === 'imgs') ? path.join(tmp, a) : a));
  const out: string[] = [], err: string[] = [];
  const saved = { ...io }, exitCode = process.exitCode;
  io.out = (t) => void out.push(t);
  io.err = (t) => void err.push(t);
  process.exitCode = undefined; // main reads it; node:test may have set it for a failed test
  try {
    const code = await main(args);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    Object.assign(io, saved);
    process.exitCode = exitCode;
  }
}
before(() => {
  Object.assign(process.env, { GANBOX_EXTRACTOR_MODULE: env.GANBOX_EXTRACTOR_MODULE, GANBOX_CACHE: env.GANBOX_CACHE });
});
const json = (r: Result) => {
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as Record<string, unknown>;
};
function assertUserError(r: Result, pattern: RegExp) {
  assert.notEqual(r.code, 0);
  assert.match(r.err, pattern);
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
}

// Features: two Gaussian sets of 8-d rows; A1 ∪ A2 = A.
const rng = new Rng(11);
const D = 8;
const fa = rng.normalArray(300 * D), fb = rng.normalArray(200 * D, 0.2, 1.3);
writeFeaturesNpy(path.join(tmp, 'fa.npy'), fa, 300, D);
writeFeaturesNpy(path.join(tmp, 'fb.npy'), fb, 200, D);
fs.writeFileSync(path.join(tmp, 'fb-stats.npz'), encodeStatistics(featuresToStatistics(fb, 200, D)));
writeFeaturesNpy(path.join(tmp, 'fa1.npy'), fa.slice(0, 170 * D), 170, D);
writeFeaturesNpy(path.join(tmp, 'fa2.npy'), fa.slice(170 * D), 130, D);
// Images: 28×28 grey blobs as .npy and as a PNG folder.
const px = makeImages(60, 28, 28, 1, 3);
writeImagesNpy(path.join(tmp, 'imgs.npy'), px, 28, 28, 1);
writePngFolder(path.join(tmp, 'imgs'), px, 28, 28, 1);
const rgb = makeImages(20, 20, 20, 3, 4);
writeImagesNpy(path.join(tmp, 'rgb.npy'), rgb, 20, 20, 3);

test('fid on features: a number; --json has the stable key and the settings; symmetric; identical sets give 0', async () => {
  const r = (await ganbox('fid', 'fa.npy', 'fb.npy'));
  assert.equal(r.code, 0, r.err);
  const v = Number(r.out.trim());
  assert.ok(v > 0);
  const j = json((await ganbox('fid', 'fb.npy', 'fa.npy', '--json')));
  assert.deepEqual(Object.keys(j), ['frechet_inception_distance', 'extractor', 'layer', 'resize', 'n']);
  assert.deepEqual(j.n, [200, 300]);
  assert.equal(j.extractor, null);
  assert.ok(relDiff(j.frechet_inception_distance as number, v) < 1e-9, `${j.frechet_inception_distance} vs ${v}`);
  // Independent value: the statistics computed here, FID through the pytorch-fid formula's parts.
  const s1 = featuresToStatistics(fa, 300, D), s2 = featuresToStatistics(fb, 200, D);
  let meanTerm = 0;
  for (let i = 0; i < D; i++) meanTerm += (s1.mu[i]! - s2.mu[i]!) ** 2;
  assert.ok(v > meanTerm, 'FID ≥ ||Δmu||² (the trace term is ≥ 0)');
  const same = Number((await ganbox('fid', 'fa.npy', 'fa.npy')).out.trim());
  assert.ok(Math.abs(same) < 1e-10, `FID(A, A) = ${same}`);
});

test('stats of two halves, merged, equal the stats of the union to 1e-10 relative', async () => {
  for (const [i, o] of [['fa1.npy', 's1.npz'], ['fa2.npy', 's2.npz'], ['fa.npy', 'all.npz']]) assert.equal((await ganbox('stats', i!, '--out', o!)).code, 0);
  const m = json((await ganbox('stats', '--merge', 's1.npz', 's2.npz', '--out', 'merged.npz', '--json')));
  assert.deepEqual([m.n, m.d], [300, D]);
  const merged = decodeStatistics(fs.readFileSync(path.join(tmp, 'merged.npz')));
  const union = decodeStatistics(fs.readFileSync(path.join(tmp, 'all.npz')));
  assert.equal(merged.n, 300);
  const maxRel = (a: Float64Array, b: Float64Array) => {
    let scale = 0, diff = 0;
    for (let i = 0; i < a.length; i++) { scale = Math.max(scale, Math.abs(b[i]!)); diff = Math.max(diff, Math.abs(a[i]! - b[i]!)); }
    return diff / scale;
  };
  assert.ok(maxRel(merged.mu, union.mu) < 1e-10);
  assert.ok(maxRel(merged.sigma, union.sigma) < 1e-10);
  // FID between .npz statistics reads them as they are.
  assert.equal(Number((await ganbox('fid', 'merged.npz', 'all.npz')).out.trim()) < 1e-10, true);
  assertUserError((await ganbox('stats', '--merge', 's1.npz', 'nope.npz', '--out', 'x.npz')), /nope\.npz \(--merge\) could not be read/);
  assertUserError((await ganbox('stats', '--out', 'x.npz')), /either INPUT or --merge/);
  assertUserError((await ganbox('stats', 'fa.npy', '--out', 'all.npz')), /all\.npz already exists; pass --force/);
});

test('is, kid, prdc --json keys; images through the injected extractor (folder == .npy); features --layer', async () => {
  const is = json((await ganbox('is', 'fb.npy', '--json', '--splits', '5')));
  assert.deepEqual(Object.keys(is.inception_score as object), ['mean', 'std']);
  const kid = json((await ganbox('kid', 'fa.npy', 'fb.npy', '--json', '--subsets', '20', '--subset-size', '100')));
  assert.deepEqual(Object.keys(kid.kernel_inception_distance as object), ['mean', 'std']);
  const small = json((await ganbox('kid', 'fa.npy', 'fb.npy', '--json', '--subsets', '5')));
  assert.equal(small.subset_size, 200, 'the subset size used: shrunk to the smaller set (200 < 1000)');
  const prdc = json((await ganbox('prdc', 'fa.npy', 'fb.npy', '--json')));
  for (const k of ['precision', 'recall', 'density', 'coverage']) assert.equal(typeof prdc[k], 'number', k);
  assert.deepEqual([prdc.nearest_k_pr, prdc.nearest_k_dc, prdc.n], [3, 5, [300, 200]]);

  // 28×28 grey images: the default extractor is mnist (here the projection stands in for it).
  const img = json((await ganbox('fid', 'imgs', 'imgs.npy', '--json', '--workers', '2', '--backend', 'cpu')));
  assert.deepEqual([img.extractor, img.layer, img.resize, img.n], ['mnist', 'pool3', 'bilinear', [60, 60]]);
  assert.ok(Math.abs(img.frechet_inception_distance as number) < 1e-9);
  const f = json((await ganbox('features', 'imgs', '--layer', 'logits', '--out', 'logits.npy', '--json', '--workers', '1', '--backend', 'cpu')));
  assert.deepEqual([f.n, f.d, f.layer], [60, 10, 'logits']);
  const arr = readNpy(fs.readFileSync(path.join(tmp, 'logits.npy')));
  assert.deepEqual([arr.dtype, arr.shape], ['<f4', [60, 10]]);
  const isImg = json((await ganbox('is', 'imgs.npy', '--json', '--workers', '0', '--backend', 'cpu')));
  assert.equal(isImg.layer, 'logits-unbiased');
});

test("is and kid on .npy logits/features give torch-fidelity's values (numpy order) by default, --split-order input the unshuffled IS; --json names the order", async () => {
  // The cases of test/reference/make_torch_fidelity_fixtures.py: IS on 20 rows, KID on 1,500 vs 1,500.
  const tf = JSON.parse(fs.readFileSync(path.resolve('test/reference/torch_fidelity_fixtures.json'), 'utf8'));
  const c = tf.inception_score[0];
  assert.equal(c.n, 20);
  writeFeaturesNpy(path.join(tmp, 'logits20.npy'), logitsMatrix(c.logits_seed, c.n, c.c), c.n, c.c);
  const is = json(await ganbox('is', 'logits20.npy', '--json'));
  assert.deepEqual(Object.keys(is), ['inception_score', 'extractor', 'layer', 'resize', 'n', 'splits', 'split_order', 'seed']);
  assert.deepEqual([is.split_order, is.seed, is.splits, is.n], ['numpy', 2020, 10, 20]);
  const v = is.inception_score as { mean: number; std: number };
  assert.ok(relDiff(v.mean, c.numpy.mean) < 1e-12 && relDiff(v.std, c.numpy.std) < 1e-9, `${v.mean} ± ${v.std} vs ${c.numpy.mean} ± ${c.numpy.std}`);
  const asGiven = json(await ganbox('is', 'logits20.npy', '--json', '--split-order', 'input'));
  assert.deepEqual([asGiven.split_order, asGiven.seed], ['input', null]);
  const vi = asGiven.inception_score as { mean: number; std: number };
  assert.ok(relDiff(vi.mean, c.input.mean) < 1e-12 && relDiff(vi.std, c.input.std) < 1e-9);
  const seeded = json(await ganbox('is', 'logits20.npy', '--json', '--seed', '7'));
  assert.equal(seeded.seed, 7);
  assert.notEqual((seeded.inception_score as { mean: number }).mean, v.mean);

  const k = tf.kid;
  writeFeaturesNpy(path.join(tmp, 'kx.npy'), lowrankFeatures(k.seed_x, k.n_x, k.d, { shift: k.shift_x }), k.n_x, k.d);
  writeFeaturesNpy(path.join(tmp, 'ky.npy'), lowrankFeatures(k.seed_y, k.n_y, k.d, { shift: k.shift_y }), k.n_y, k.d);
  const kid = json(await ganbox('kid', 'kx.npy', 'ky.npy', '--json'));
  assert.deepEqual([kid.subsets, kid.subset_size, kid.subset_draws, kid.seed], [100, 1000, 'numpy', 2020]);
  const kv = kid.kernel_inception_distance as { mean: number; std: number };
  assert.ok(relDiff(kv.mean, k.mean) < 1e-10 && relDiff(kv.std, k.std) < 1e-9, `${kv.mean} ± ${kv.std} vs ${k.mean} ± ${k.std}`);

  assertUserError(await ganbox('is', 'logits20.npy', '--split-order', 'input', '--seed', '3'), /--seed only applies to --split-order numpy/);
  assertUserError(await ganbox('is', 'logits20.npy', '--split-order', 'sorted'), /--split-order.*sorted.*numpy, input/);
  assertUserError(await ganbox('kid', 'kx.npy', 'ky.npy', '--seed', '4294967296'), /--seed.*\[0, 4294967295\]/);
});

test('user errors: one line, non-zero exit, no stack trace', async () => {
  // The real command, as a shell sees it:
  assertUserError(spawnGanbox('fid', 'missing.npy', 'fa.npy'), /missing\.npy \(A\) does not exist/);
  assertUserError(spawnGanbox('features', 'imgs.npy', '--layer', 'pool4', '--out', 'x.npy', '--workers', '1', '--backend', 'cpu'), /unknown layer .*'pool4' \(--layer\); valid: pool3, logits, logits-unbiased; did you mean 'pool3'\?/);
  // Not 28×28 grey: inception by default, which needs the standard weights file.
  assertUserError(spawnGanbox('fid', 'rgb.npy', 'rgb.npy'), /inception extractor needs --weights FILE.*pt_inception-2015-12-05-6726825d\.pth.*github\.com\/mseitzer\/pytorch-fid/);
  // The same path in this process:
  assertUserError((await ganbox('fid', 'imgs.npy', 'rgb.npy', '--extractor', 'inception', '--weights', 'nope.pth')), /--weights .*nope\.pth does not exist/);
  assertUserError((await ganbox('fid', 'fa.npy', 'fb.npy', '--extractor', 'incepshun')), /--extractor/);
  assertUserError((await ganbox('kid', 'fb-stats.npz', 'fa.npy')), /fb-stats\.npz holds statistics/);
  assertUserError((await ganbox('fid', 'fa.npy', 'imgs.npy', '--workers', '0', '--backend', 'cpu')), /8-d statistics and .*imgs\.npy 16-d/);
});

test('eval on a 2-step run: table, --json line with the stable keys appended to metrics.jsonl, cached reference', async () => {
  const run = path.join(tmp, 'run');
  const t = (await ganbox('train', '--steps', '2', '--batch', '8', '--log-every', '1', '--out', run, '--quiet'));
  assert.equal(t.code, 0, t.err);
  const common = ['--run', run, '--n', '120', '--ref-n', '400', '--kid-subset-size', '50', '--kid-subsets', '10', '--workers', '1'];
  const table = (await ganbox('eval', ...common));
  assert.equal(table.code, 0, table.err);
  assert.match(table.out, /^step 2: 120 samples vs 400 reference images, mnist extractor/);
  for (const k of ['frechet_inception_distance', 'inception_score', 'kernel_inception_distance', 'precision', 'recall', 'density', 'coverage']) {
    assert.match(table.out, new RegExp(`^${k} +[-\\d.]`, 'm'), k);
  }
  const j = json((await ganbox('eval', ...common, '--metrics', 'fid,is', '--json')));
  assert.deepEqual(Object.keys(j), ['step', 'frechet_inception_distance', 'inception_score', 'extractor', 'layer', 'resize', 'n', 'n_ref', 'eval_seconds']);
  const lines = fs.readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.step), [1, 2, 2, 2]);
  assert.equal(lines[3].frechet_inception_distance, j.frechet_inception_distance);
  assert.equal(lines[2].frechet_inception_distance, j.frechet_inception_distance, 'same noise, same reference: same FID');
  assert.match(fs.readdirSync(env.GANBOX_CACHE).join(' '), /statistics-.*features-|features-.*statistics-/);
  assertUserError((await ganbox('eval', '--run', run, '--metrics', 'fid,iss')), /unknown metric 'iss' \(--metrics\).*did you mean 'is'/);
  assertUserError((await ganbox('eval', '--run', path.join(tmp, 'norun'))), /norun/);
});

test('train --eval-every appends evaluation lines during training, from step 0; its errors come before training', async () => {
  const run = path.join(tmp, 'run-eval');
  const t = (await ganbox('train', '--steps', '2', '--batch', '8', '--log-every', '1', '--out', run, '--quiet', '--eval-every', '1', '--eval-n', '40', '--eval-metrics', 'fid,prdc'));
  assert.equal(t.code, 0, t.err);
  const lines = fs.readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const evals = lines.filter((l) => 'frechet_inception_distance' in l);
  assert.deepEqual(evals.map((l) => l.step), [0, 1, 2], 'step 0 (the baseline), then every step');
  for (const e of evals) assert.deepEqual([typeof e.precision, e.n, e.extractor], ['number', 40, 'mnist']);
  // --resume without --eval-every evaluates as the run did (eval.json), at the new last step too.
  const r = await ganbox('train', '--resume', run, '--steps', '3', '--quiet');
  assert.equal(r.code, 0, r.err);
  const resumed = fs.readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    .filter((l) => 'frechet_inception_distance' in l);
  assert.deepEqual(resumed.map((l) => [l.step, l.n, typeof l.precision]), [[0, 40, 'number'], [1, 40, 'number'], [2, 40, 'number'], [3, 40, 'number']]);
  fs.writeFileSync(path.join(run, 'eval.json'), '{"every": 0}');
  assertUserError(await ganbox('train', '--resume', run, '--steps', '4', '--quiet'), /eval\.json lacks every, metrics or n/);
  const bad = await ganbox('train', '--data', 'ring8', '--steps', '5', '--out', path.join(tmp, 'ring-eval'), '--quiet', '--eval-every', '2');
  assertUserError(bad, /2-D points; image metrics/);
  assert.equal(fs.existsSync(path.join(tmp, 'ring-eval', 'checkpoints', 'step-000001.ckpt')), false, 'no step was trained');
});
