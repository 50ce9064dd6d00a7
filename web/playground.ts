/**
 * The 2-D GAN playground: train G and D in the browser with ganbox's own GanTrainer, losses,
 * models and toy data (src/browser.ts), and watch the game — real and fake points, D's decision
 * surface, the push each fake point gets from G's loss, and D*(x) beside D(x).
 */
import {
  GanTrainer, GanboxError, LOSS_NAMES, Rng, TRAIN_DEFAULTS, decisionSurface, gaussianKde, generatorField, lossDefaults,
  openToy, optimalDiscriminator, pointSet, scottBandwidth, tf, useBrowserBackend,
  type StepMetrics, type ToyDistribution, type TrainConfig,
} from '../src/browser.js';
import { COLORS, lossChart } from './charts.js';
import { paintArrows, paintHeatmap, paintPoints, toWorld, viewGrid, type View } from './plane.js';

const DATASETS = ['ring8', 'grid25', 'moons', 'draw'] as const;
type Dataset = (typeof DATASETS)[number];
const VIEWS: Record<Dataset, View> = {
  ring8: { cx: 0, cy: 0, half: 3 },
  grid25: { cx: 0, cy: 0, half: 5.5 },
  moons: { cx: 0.5, cy: 0.25, half: 2 },
  draw: { cx: 0, cy: 0, half: 3 },
};
/** Playground settings: small nets and larger steps than the CLI's DCGAN defaults, so the game moves in seconds. */
const START = { batch: 128, dSteps: 1, lrD: 1e-3, lrG: 1e-3, width: 64, depth: 2, loss: 'non-saturating' };
const GRID_N = 40; // heatmap cells per side
const FAKES = 384; // generated points drawn and used for the KDE of p_g
const ARROWS = 128; // of which this many carry an arrow
const REALS = 384;
const SIZE = 420; // canvas pixels

const app = document.getElementById('app')!;

// ---- controls -----------------------------------------------------------------------------------
const aside = document.createElement('aside');
app.appendChild(aside);
function field(label: string, el: HTMLInputElement | HTMLSelectElement): typeof el {
  const l = document.createElement('label');
  l.textContent = label;
  l.appendChild(el);
  aside.appendChild(l);
  return el;
}
function select(label: string, id: string, options: readonly string[], value: string): HTMLSelectElement {
  const s = document.createElement('select');
  s.id = id;
  for (const o of options) s.add(new Option(o, o, false, o === value));
  return field(label, s) as HTMLSelectElement;
}
function number(label: string, id: string, value: number, step: string): HTMLInputElement {
  const i = document.createElement('input');
  i.type = 'number';
  i.id = id;
  i.value = String(value);
  i.step = step;
  i.min = '0';
  return field(label, i) as HTMLInputElement;
}
const dataSel = select('data', 'data', DATASETS, 'ring8');
const lossSel = select('loss', 'loss', LOSS_NAMES, START.loss);
const kIn = number('k: D steps per G step', 'k', START.dSteps, '1');
const lrDIn = number('learning rate of D', 'lr-d', START.lrD, 'any');
const lrGIn = number('learning rate of G', 'lr-g', START.lrG, 'any');
const widthIn = number('hidden units per layer', 'width', START.width, '1');
const depthIn = number('hidden layers', 'depth', START.depth, '1');
const batchIn = number('batch', 'batch', START.batch, '1');
const buttons = document.createElement('div');
buttons.className = 'buttons';
aside.appendChild(buttons);
function button(text: string, id: string, primary = false): HTMLButtonElement {
  const b = document.createElement('button');
  b.textContent = text;
  b.id = id;
  if (primary) b.className = 'primary';
  buttons.appendChild(b);
  return b;
}
const playBtn = button('▶ play', 'play', true);
const resetBtn = button('reset', 'reset');
const stepDBtn = button('step D', 'step-d');
const stepGBtn = button('step G', 'step-g');
const stepBothBtn = button('step both', 'step-both');
const clearBtn = button('clear drawing', 'clear');
const stats = document.createElement('div');
stats.id = 'stats';
const errorBox = document.createElement('div');
errorBox.id = 'error';
aside.append(stats, errorBox);

// ---- the two planes and the loss chart ------------------------------------------------------------
function panel(title: string, id: string, note: string): { ctx: CanvasRenderingContext2D; canvas: HTMLCanvasElement; section: HTMLElement } {
  const s = document.createElement('section');
  const h = document.createElement('h2');
  h.textContent = title;
  const canvas = document.createElement('canvas');
  canvas.id = id;
  canvas.width = canvas.height = SIZE;
  const p = document.createElement('p');
  p.className = 'note';
  p.textContent = note;
  s.append(h, canvas, p);
  app.appendChild(s);
  return { ctx: canvas.getContext('2d')!, canvas, section: s };
}
const legend = `<div class="legend"><span class="swatch" style="background:${COLORS.real}"></span>real
  <span class="swatch" style="background:${COLORS.fake}"></span>generated
  <span class="swatch" style="background:rgb(59,110,200)"></span>D says fake
  <span class="swatch" style="background:rgb(235,135,40)"></span>D says real</div>`;
const surface = panel('D(x), points, and the push on G', 'surface',
  "Background: D's output (σ(logit); raw critic values, rescaled, for Wasserstein, hinge, least squares, f-GAN). " +
  "Arrows: −∂L_G/∂x on generated points, the way G's loss pushes each one (longest arrow scaled to a fixed length).");
surface.section.insertAdjacentHTML('beforeend', legend);
const optimal = panel('D*(x) = p_data / (p_data + p_g)', 'optimal',
  "The optimal D of the original game for the current G (Goodfellow et al. 2014, Prop. 1). p_data is the toy's exact " +
  'density; p_g has no closed form and is estimated by a Gaussian KDE of the generated points (Scott bandwidth), so this D* is an estimate.');
const chart = lossChart(app, 200);

// ---- state ----------------------------------------------------------------------------------------
let trainer: GanTrainer | undefined;
let data: ToyDistribution | undefined;
let zShown: tf.Tensor2D | undefined;
let realShown: Float32Array = new Float32Array(0);
let drawn: [number, number][] = [];
let playing = false;
let last: Partial<StepMetrics> = {};
let updates = 0;
let backend = '';

function options(): Partial<TrainConfig> {
  const num = (el: HTMLInputElement, fallback: number) => (Number.isFinite(el.valueAsNumber) && el.valueAsNumber > 0 ? el.valueAsNumber : fallback);
  return {
    loss: lossSel.value, dSteps: Math.round(num(kIn, 1)), lrD: num(lrDIn, START.lrD), lrG: num(lrGIn, START.lrG),
    width: Math.round(num(widthIn, START.width)), depth: Math.round(num(depthIn, START.depth)),
    batch: Math.round(num(batchIn, START.batch)), arch: 'mlp', seed: 0,
  };
}

function showError(e: unknown): void {
  errorBox.textContent = e instanceof GanboxError ? e.message : `unexpected: ${(e as Error).message ?? String(e)}`;
  setPlaying(false);
}

function reset(): void {
  setPlaying(false);
  trainer?.dispose();
  zShown?.dispose();
  trainer = undefined;
  zShown = undefined;
  errorBox.textContent = '';
  chart.clear();
  last = {};
  updates = 0;
  const name = dataSel.value as Dataset;
  data = name === 'draw' ? (drawn.length ? pointSet(drawn) : undefined) : openToy(name);
  clearBtn.disabled = name !== 'draw';
  if (data) {
    try {
      trainer = new GanTrainer(data, options());
      zShown = trainer.noise(FAKES, new Rng(7));
      realShown = data.sample(REALS, new Rng(11)).x;
    } catch (e) {
      showError(e);
    }
  } else {
    realShown = new Float32Array(0);
    errorBox.textContent = 'click on the left plane to draw points, then train';
  }
  render();
}

function render(): void {
  try {
    draw();
  } catch (e) {
    showError(e);
  }
}

function draw(): void {
  const view = VIEWS[dataSel.value as Dataset];
  const grid = viewGrid(view, GRID_N);
  for (const p of [surface, optimal]) {
    p.ctx.fillStyle = '#fff';
    p.ctx.fillRect(0, 0, SIZE, SIZE);
  }
  let fake: Float32Array = new Float32Array(0);
  let arrows = 0;
  let push = 0;
  if (trainer && data && zShown) {
    const s = decisionSurface(trainer, grid);
    const bounded = !trainer.loss.report;
    let lo = 0, hi = 1;
    if (!bounded) {
      lo = Infinity; hi = -Infinity;
      for (const v of s.values) { if (v < lo) lo = v; if (v > hi) hi = v; }
    }
    paintHeatmap(surface.ctx, s.values, GRID_N, [lo, hi]);
    // feature matching's L_G compares D's features on real and fake points: give it real ones
    const real = trainer.loss.usesFeatures ? tf.tensor2d(realShown.subarray(0, 2 * 128), [128, 2]) : undefined;
    const f = generatorField(trainer, zShown, real);
    real?.dispose();
    fake = f.points;
    const logPData = data.logDensity(s.centres);
    const logPG = gaussianKde(fake, s.centres, scottBandwidth(fake));
    paintHeatmap(optimal.ctx, optimalDiscriminator(logPData, logPG), GRID_N, [0, 1]);
    paintPoints(surface.ctx, view, realShown, COLORS.real);
    paintPoints(surface.ctx, view, fake, COLORS.fake);
    const few = 2 * ARROWS;
    push = paintArrows(surface.ctx, view, fake.subarray(0, few), f.push.subarray(0, few));
    arrows = ARROWS;
    paintPoints(optimal.ctx, view, realShown, COLORS.real, 1.6);
    paintPoints(optimal.ctx, view, fake, COLORS.fake, 1.6);
    optimal.canvas.dataset['known'] = 'true';
  } else {
    paintPoints(surface.ctx, view, drawn.flat(), COLORS.real, 4);
  }
  surface.canvas.dataset['real'] = String(realShown.length / 2);
  surface.canvas.dataset['fake'] = String(fake.length / 2);
  surface.canvas.dataset['arrows'] = String(arrows);
  const fmt = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(4));
  stats.textContent =
    `backend  ${backend}\nstep     ${trainer?.step ?? 0}\nloss_D   ${fmt(last.loss_d)}\nloss_G   ${fmt(last.loss_g)}\n` +
    `D(x)     ${fmt(last.d_real)}\nD(G(z))  ${fmt(last.d_fake)}\n|push|max ${push ? push.toExponential(2) : '—'}\n` +
    `tensors  ${tf.memory().numTensors}`;
  stats.dataset['step'] = String(trainer?.step ?? 0);
  stats.dataset['updates'] = String(updates);
  stats.dataset['lossD'] = String(last.loss_d ?? '');
  stats.dataset['lossG'] = String(last.loss_g ?? '');
  stats.dataset['backend'] = backend;
  stats.dataset['tensors'] = String(tf.memory().numTensors);
}

function step(kind: 'd' | 'g' | 'both'): void {
  if (!trainer) return;
  try {
    if (kind === 'd') {
      last = { ...last, ...trainer.stepDiscriminator() };
    } else if (kind === 'g') {
      last = { ...last, ...trainer.stepGenerator() };
    } else {
      last = trainer.trainStep();
    }
    updates += 1;
    if (kind !== 'd' && last.loss_d !== undefined) chart.push(trainer.step, [last.loss_d, last.loss_g!]);
  } catch (e) {
    showError(e);
  }
}

function setPlaying(on: boolean): void {
  playing = on && trainer !== undefined;
  playBtn.textContent = playing ? '❚❚ pause' : '▶ play';
  if (playing) requestAnimationFrame(frame);
}

/** Train for about 40 ms, then draw. */
function frame(): void {
  if (!playing) return;
  const t0 = performance.now();
  do step('both'); while (playing && performance.now() - t0 < 40);
  chart.redraw();
  render();
  requestAnimationFrame(frame);
}

// ---- wiring -----------------------------------------------------------------------------------------
for (const b of [[stepDBtn, 'd'], [stepGBtn, 'g'], [stepBothBtn, 'both']] as const) {
  b[0].addEventListener('click', () => { step(b[1]); chart.redraw(); render(); });
}
playBtn.addEventListener('click', () => setPlaying(!playing));
resetBtn.addEventListener('click', reset);
clearBtn.addEventListener('click', () => { drawn = []; reset(); });
lossSel.addEventListener('change', () => {
  // A loss brings its paper's settings (e.g. WGAN: 5 critic steps, small rates): show them.
  const d = lossDefaults(lossSel.value);
  if (d.dSteps) kIn.value = String(d.dSteps);
  if (d.lrD) lrDIn.value = String(d.lrD);
  if (d.lrG) lrGIn.value = String(d.lrG);
  if (!d.dSteps) kIn.value = String(TRAIN_DEFAULTS.dSteps);
  if (!d.lrD) lrDIn.value = String(START.lrD);
  if (!d.lrG) lrGIn.value = String(START.lrG);
  reset();
});
for (const el of [dataSel, kIn, lrDIn, lrGIn, widthIn, depthIn, batchIn]) el.addEventListener('change', reset);
surface.canvas.addEventListener('click', (ev) => {
  if (dataSel.value !== 'draw') return;
  const r = surface.canvas.getBoundingClientRect();
  const [x, y] = toWorld(VIEWS.draw, SIZE, ((ev.clientX - r.left) / r.width) * SIZE, ((ev.clientY - r.top) / r.height) * SIZE);
  drawn.push([x, y]);
  reset();
});

void useBrowserBackend().then((name) => {
  backend = name;
  reset();
  app.dataset['ready'] = 'true';
}, showError);
