/**
 * The digits page: a class-conditional DCGAN trained on the MNIST digits in the tab, with ganbox's
 * own GanTrainer (cgan, acgan or projection conditioning; src/browser.ts). The digits come packed
 * from the page's server (`digits.bin`, data/packed.ts), nothing from the network. A grid shows one
 * row per digit 0–9 with the same fixed noise down each column, redrawn every N steps.
 *
 * WebGL where the browser has it, else (or with `?backend=cpu`) the cpu backend. Training runs in
 * chunks of about 50 ms with `tf.nextFrame()` between them, so the tab stays responsive; every
 * tensor the page makes is freed, so the live tensor count stays level.
 */
import {
  CONDITIONAL_MODES, DataError, GanTrainer, GanboxError, PackedSource, Rng, tf, unpackImages, useBrowserBackend,
  type StepMetrics, type TrainConfig,
} from '../src/browser.js';
import { lossChart } from './charts.js';

/**
 * Page settings. The CLI's DCGAN (width 64, batch 64, lr 2e-4) needs thousands of steps, too many
 * for a tab on the cpu backend; a quarter of the width, batch 32 and a 5× learning rate (with
 * Adam's β1 0.5 of Radford et al. 2015) draw digits of the requested class within a few hundred
 * steps. The latent is 32-d: ten classes of 28×28 digits need less than the paper's 100.
 */
const START = { mode: 'cgan', batch: 32, width: 16, lr: 1e-3, latentDim: 32, every: 10 };
const MODES = CONDITIONAL_MODES.filter((m) => m !== 'none');
const COLS = 8; // columns of fixed noise
const ROWS = 10; // one per digit
const SCALE = 2; // screen pixels per image pixel
const LABEL_W = 22; // room for the row's digit on the left
const CHUNK_MS = 50; // training time between two frames

const app = document.getElementById('app')!;

// ---- controls -----------------------------------------------------------------------------------
const aside = document.createElement('aside');
app.appendChild(aside);
function field<T extends HTMLElement>(label: string, el: T): T {
  const l = document.createElement('label');
  l.textContent = label;
  l.appendChild(el);
  aside.appendChild(l);
  return el;
}
const modeSel = field('conditioning', document.createElement('select'));
modeSel.id = 'mode';
for (const m of MODES) modeSel.add(new Option(m, m, false, m === START.mode));
function number(label: string, id: string, value: number, step: string): HTMLInputElement {
  const i = document.createElement('input');
  i.type = 'number';
  i.id = id;
  i.value = String(value);
  i.step = step;
  i.min = '0';
  return field(label, i);
}
const batchIn = number('batch', 'batch', START.batch, '1');
const widthIn = number('width (DCGAN ngf = ndf)', 'width', START.width, '1');
const lrIn = number('learning rate of D and G', 'lr', START.lr, 'any');
const everyIn = number('redraw the grid every N steps', 'every', START.every, '1');
const buttons = document.createElement('div');
buttons.className = 'buttons';
aside.appendChild(buttons);
const playBtn = document.createElement('button');
playBtn.id = 'play';
playBtn.className = 'primary';
const resetBtn = document.createElement('button');
resetBtn.id = 'reset';
resetBtn.textContent = 'reset';
buttons.append(playBtn, resetBtn);
const stats = document.createElement('div');
stats.id = 'stats';
const errorBox = document.createElement('div');
errorBox.id = 'error';
aside.append(stats, errorBox);

// ---- the grid and the loss chart ----------------------------------------------------------------
const gridSec = document.createElement('section');
gridSec.innerHTML = '<h2>G(z, y): one row per digit y, the same z down each column</h2>';
const canvas = document.createElement('canvas');
canvas.id = 'grid';
canvas.width = LABEL_W + COLS * 28 * SCALE;
canvas.height = ROWS * 28 * SCALE;
const gridNote = document.createElement('p');
gridNote.className = 'note';
gridNote.textContent = 'The sampling generator in inference mode (BatchNorm with its running statistics) on fixed noise; ' +
  'a row should turn into its digit, a column keep one style across digits.';
gridSec.append(canvas, gridNote);
app.appendChild(gridSec);
const ctx = canvas.getContext('2d')!;
const chart = lossChart(app, 220);

// ---- state ----------------------------------------------------------------------------------------
let data: PackedSource | undefined;
let trainer: GanTrainer | undefined;
let zGrid: tf.Tensor2D | undefined; // [ROWS·COLS, latentDim]: column c's noise in every row
let yGrid: tf.Tensor2D | undefined; // [ROWS·COLS, 10]: one-hot digit of each row
let playing = false;
let last: Partial<StepMetrics> = {};
let backend = '';
let draws = 0;
let trainMs = 0; // time spent in training steps since the last reset
let trainedImages = 0; // real images D saw in that time
let lastDrawnStep = -1;

function options(): Partial<TrainConfig> {
  const num = (el: HTMLInputElement, fallback: number) => (Number.isFinite(el.valueAsNumber) && el.valueAsNumber > 0 ? el.valueAsNumber : fallback);
  return {
    arch: 'dcgan', conditional: modeSel.value as TrainConfig['conditional'], batch: Math.round(num(batchIn, START.batch)),
    width: Math.round(num(widthIn, START.width)), lrD: num(lrIn, START.lr), lrG: num(lrIn, START.lr),
    latentDim: START.latentDim, seed: 0,
  };
}

function showError(e: unknown): void {
  errorBox.textContent = e instanceof GanboxError ? e.message : `unexpected: ${(e as Error).message ?? String(e)}`;
  setPlaying(false);
}

async function reset(): Promise<void> {
  setPlaying(false);
  trainer?.dispose();
  tf.dispose([zGrid, yGrid].filter((t): t is tf.Tensor2D => t !== undefined));
  trainer = undefined;
  zGrid = yGrid = undefined;
  errorBox.textContent = '';
  chart.clear();
  last = {};
  trainMs = trainedImages = 0;
  lastDrawnStep = -1;
  if (!data) { showStats(); return; }
  try {
    trainer = new GanTrainer(data, options());
    const latent = trainer.config.latentDim;
    const cols = new Rng(7).normalArray(COLS * latent);
    const z = new Float32Array(ROWS * COLS * latent);
    for (let r = 0; r < ROWS; r++) z.set(cols, r * COLS * latent);
    zGrid = tf.tensor2d(z, [ROWS * COLS, latent]);
    const digit = Int32Array.from({ length: ROWS * COLS }, (_, i) => Math.floor(i / COLS));
    yGrid = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(digit, 'int32'), ROWS), 'float32') as tf.Tensor2D);
  } catch (e) {
    showError(e);
  }
  showStats();
  await drawGrid();
  showStats();
}

/** The grid from the sampling generator: row r is digit r, column c the fixed noise c. */
async function drawGrid(): Promise<void> {
  if (!trainer || !zGrid || !yGrid) {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    return;
  }
  const x = trainer.sample(zGrid, { y: yGrid }); // [ROWS·COLS, 28, 28, 1] in [-1, 1]
  let v: Float32Array;
  try {
    v = (await x.data()) as Float32Array;
  } finally {
    x.dispose();
  }
  const img = ctx.createImageData(COLS * 28 * SCALE, ROWS * 28 * SCALE);
  const w = img.width;
  for (let i = 0; i < ROWS * COLS; i++) {
    const r = Math.floor(i / COLS), c = i % COLS;
    for (let p = 0; p < 784; p++) {
      const g = Math.max(0, Math.min(255, Math.round((v[i * 784 + p]! + 1) * 127.5)));
      const py = r * 28 + Math.floor(p / 28), px = c * 28 + (p % 28);
      for (let dy = 0; dy < SCALE; dy++) {
        for (let dx = 0; dx < SCALE; dx++) {
          const o = 4 * ((py * SCALE + dy) * w + px * SCALE + dx);
          img.data[o] = img.data[o + 1] = img.data[o + 2] = g;
          img.data[o + 3] = 255;
        }
      }
    }
  }
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, LABEL_W, canvas.height);
  ctx.putImageData(img, LABEL_W, 0);
  ctx.fillStyle = '#1d1f23';
  ctx.font = '14px ui-monospace, Menlo, monospace';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (let r = 0; r < ROWS; r++) ctx.fillText(String(r), LABEL_W / 2, (r + 0.5) * 28 * SCALE);
  draws += 1;
  lastDrawnStep = trainer.step;
  canvas.dataset['rows'] = String(ROWS);
  canvas.dataset['cols'] = String(COLS);
  canvas.dataset['draws'] = String(draws);
  canvas.dataset['step'] = String(trainer.step);
}

function showStats(): void {
  const fmt = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(4));
  const rate = trainMs > 0 ? (1000 * trainedImages) / trainMs : 0;
  const step = trainer?.step ?? 0;
  const lines = [
    `backend  ${backend}`, `data     ${data ? `${data.length} digits` : 'loading…'}`, `step     ${step}`,
    `loss_D   ${fmt(last.loss_d)}`, `loss_G   ${fmt(last.loss_g)}`, `D(x)     ${fmt(last.d_real)}`, `D(G(z))  ${fmt(last.d_fake)}`,
  ];
  if (last.aux_real_acc !== undefined) lines.push(`aux acc  ${fmt(last.aux_real_acc)} real, ${fmt(last.aux_fake_acc)} fake`);
  lines.push(`images/s ${rate ? rate.toFixed(1) : '—'}`, `tensors  ${tf.memory().numTensors}`, `grid at  step ${Math.max(0, lastDrawnStep)}`);
  stats.textContent = lines.join('\n');
  const d = stats.dataset;
  d['backend'] = backend;
  d['step'] = String(step);
  d['lossD'] = String(last.loss_d ?? '');
  d['lossG'] = String(last.loss_g ?? '');
  d['imagesPerSecond'] = String(rate);
  d['tensors'] = String(tf.memory().numTensors);
}

function setPlaying(on: boolean): void {
  const start = on && trainer !== undefined && !playing;
  playing = on && trainer !== undefined;
  playBtn.textContent = playing ? '❚❚ pause' : '▶ start';
  if (start) void loop();
}

/** Train in chunks of ~50 ms; redraw the grid every N steps and on pause; yield a frame between chunks. */
async function loop(): Promise<void> {
  while (playing && trainer) {
    const t = trainer;
    const every = Math.max(1, Math.round(Number.isFinite(everyIn.valueAsNumber) ? everyIn.valueAsNumber : START.every));
    try {
      const t0 = performance.now();
      do {
        last = t.trainStep();
        chart.push(t.step, [last.loss_d!, last.loss_g!]);
        trainedImages += t.config.batch * t.config.dSteps;
      } while (playing && t.step % every !== 0 && performance.now() - t0 < CHUNK_MS);
      trainMs += performance.now() - t0;
      if (t.step % every === 0) await drawGrid();
    } catch (e) {
      showError(e);
      return;
    }
    chart.redraw();
    showStats();
    await tf.nextFrame();
  }
  // paused: show the grid of the step training stopped at
  const t = trainer;
  if (t && !playing && lastDrawnStep !== t.step) {
    await drawGrid();
    if (t === trainer) showStats();
  }
}

// ---- wiring -----------------------------------------------------------------------------------------
playBtn.addEventListener('click', () => setPlaying(!playing));
const resetNow = () => { reset().catch(showError); };
resetBtn.addEventListener('click', resetNow);
for (const el of [modeSel, batchIn, widthIn, lrIn]) el.addEventListener('change', resetNow);
setPlaying(false);

/** What the browser tests read besides the data attributes. */
(window as unknown as { ganboxDigits: object }).ganboxDigits = {
  numTensors: () => tf.memory().numTensors,
  /** The grid's image pixels (no row labels) as grey levels, row-major. */
  gridPixels: () => Array.from(ctx.getImageData(LABEL_W, 0, canvas.width - LABEL_W, canvas.height).data.filter((_, i) => i % 4 === 0)),
};

async function start(): Promise<void> {
  showStats();
  // ?backend=cpu skips WebGL: headless chromium offers WebGL on SwiftShader, a software renderer
  // (batch 32, width 16 on 2 busy cores: 15 images/s there, 43 on cpu)
  backend = await useBrowserBackend(new URLSearchParams(location.search).get('backend') === 'cpu' ? 'cpu' : 'webgl');
  const url = app.dataset['digits'] ?? 'digits.bin';
  const res = await fetch(url);
  if (!res.ok) throw new DataError(`could not load the digits from ${url} (HTTP ${res.status}); serve this page with \`ganbox playground\`.`);
  data = new PackedSource(unpackImages(new Uint8Array(await res.arrayBuffer()), url), 'mnist (packed)');
  await reset();
  app.dataset['ready'] = 'true';
}
void start().catch(showError);
