/**
 * The report page (report.html and the live page of `ganbox train --ui`): charts of the losses,
 * V(D, G), D's outputs, throughput and evaluation metrics; sample grids over time with a slider;
 * the real vs generated scatter of 2-D runs; the run's configuration. Reads the run's data from
 * the inline JSON; on the live page it then follows the server's /events stream.
 */
import type { EvalRow, LiveEvents, MetricsRow, ReportData, SampleImage, ScatterData } from '../src/browser.js';
import { COLORS, LineChart } from './charts.js';
import { drawScatter } from './scatter.js';

const data = JSON.parse(document.getElementById('ganbox-data')!.textContent!) as ReportData;
const root = document.getElementById('report')!;
const status = document.getElementById('status')!;

function section(title: string, id: string, note?: string): HTMLElement {
  const s = document.createElement('section');
  s.id = id;
  const h = document.createElement('h2');
  h.textContent = title;
  s.appendChild(h);
  root.appendChild(s);
  if (note) {
    const p = document.createElement('p');
    p.className = 'note';
    p.textContent = note;
    s.appendChild(p);
  }
  return s;
}

// ---- training curves --------------------------------------------------------------------------
const lossSec = section('Losses and V(D, G)', 'losses');
const lossChart = new LineChart(lossSec, 'loss_D, loss_G, V(D, G)', [
  { label: 'loss_D', color: COLORS.d },
  { label: 'loss_G', color: COLORS.g },
  { label: 'V(D,G)', color: COLORS.value },
]);
const dSec = section("D's outputs", 'd-outputs', "Mean of D's report on real and fake batches: σ(logit) for the cross-entropy losses, the critic's value for Wasserstein, hinge and least squares.");
const dChart = new LineChart(dSec, 'D(x), D(G(z))', [
  { label: 'D(x)', color: COLORS.real },
  { label: 'D(G(z))', color: COLORS.fake },
]);
const speedSec = section('Throughput', 'throughput');
const speedChart = new LineChart(speedSec, 'images/s', [{ label: 'images/s', color: COLORS.other }], { height: 160 });

// ---- collapse diagnostics (stabilisers/diagnostics.ts), when the rows carry them ---------------
let collapse: { acc: LineChart; gap: LineChart; grads: LineChart; diversity: LineChart; modes?: LineChart } | undefined;
function addCollapse(r: MetricsRow): void {
  if (r.d_acc_real === undefined) return; // a run from before the diagnostics
  if (!collapse) {
    const sec = section('Collapse diagnostics', 'collapse',
      "D's accuracy on real and fake batches, the logit gap E[D(x)] − E[D(G(z))], gradient norms, and the diversity of a fixed noise batch's samples relative to real data (≈ 1 healthy, ≪ 1 collapsed). 2-D runs: modes covered (≥ 1 sample within 3σ), high-quality fraction and KL of the mode histogram to uniform.");
    collapse = {
      acc: new LineChart(sec, "D's accuracy", [{ label: 'real', color: COLORS.real }, { label: 'fake', color: COLORS.fake }], { height: 160 }),
      gap: new LineChart(sec, 'logit gap', [{ label: 'E[D(x)] − E[D(G(z))]', color: COLORS.value }], { height: 160 }),
      grads: new LineChart(sec, 'gradient norms (log10)', [{ label: '‖∇D‖', color: COLORS.d }, { label: '‖∇G‖', color: COLORS.g }], { height: 160 }),
      diversity: new LineChart(sec, 'diversity (fake / real)', [{ label: 'diversity', color: COLORS.other }], { height: 160 }),
    };
    if (r.modes_total !== undefined) {
      collapse.modes = new LineChart(sec, `modes (of ${r.modes_total})`, [
        { label: 'modes covered / total', color: COLORS.d },
        { label: 'high-quality fraction', color: COLORS.value },
        { label: 'KL to uniform', color: COLORS.g },
      ], { height: 180 });
    }
  }
  collapse.acc.push(r.step, [r.d_acc_real, r.d_acc_fake]);
  collapse.gap.push(r.step, [r.logit_gap]);
  collapse.grads.push(r.step, [Math.log10(r.grad_norm_d), Math.log10(r.grad_norm_g)]);
  if (r.diversity !== undefined) collapse.diversity.push(r.step, [r.diversity]);
  if (collapse.modes && r.modes_total) collapse.modes.push(r.step, [r.modes_covered! / r.modes_total, r.hq_fraction!, r.kl_modes ?? NaN]);
}

// Conditional runs: the auxiliary classifier's accuracy (acgan), InfoGAN's bound and code accuracy.
let condChart: LineChart | undefined;
function addConditionalRow(r: MetricsRow): void {
  if (r['aux_real_acc'] === undefined && r['mi_lower_bound'] === undefined) return;
  if (!condChart) {
    const sec = section('Conditioning', 'conditioning', "acgan: accuracy of D's auxiliary classifier on real and fake batches. InfoGAN: the mutual-information lower bound L_I (nats) and Q's accuracy on the categorical code.");
    condChart = new LineChart(sec, 'aux accuracy, L_I, code accuracy', [
      { label: 'aux acc (real)', color: COLORS.real },
      { label: 'aux acc (fake)', color: COLORS.fake },
      { label: 'L_I (nats)', color: COLORS.value },
      { label: 'Q code acc', color: COLORS.other },
    ], { height: 180 });
  }
  condChart.push(r.step, [r['aux_real_acc'] ?? NaN, r['aux_fake_acc'] ?? NaN, r['mi_lower_bound'] ?? NaN, r['info_cat_acc'] ?? NaN]);
}

function addMetrics(rows: MetricsRow[]): void {
  for (const r of rows) {
    lossChart.push(r.step, [r.loss_d, r.loss_g, r.value]);
    dChart.push(r.step, [r.d_real, r.d_fake]);
    speedChart.push(r.step, [r.images_per_s]);
    addCollapse(r);
    addConditionalRow(r);
  }
  lossChart.redraw();
  dChart.redraw();
  speedChart.redraw();
  if (collapse) for (const c of Object.values(collapse)) c?.redraw();
  condChart?.redraw();
}

// ---- evaluation metrics (FID, IS), shown once a run has them ------------------------------------
let evalCharts: { fid: LineChart; is: LineChart } | undefined;
function addEvals(rows: EvalRow[]): void {
  if (rows.length === 0) return;
  if (!evalCharts) {
    const sec = section('Evaluation', 'evaluation', 'FID: lower is better. Inception score: higher is better (mean ± std over splits).');
    evalCharts = {
      fid: new LineChart(sec, 'Fréchet inception distance', [{ label: 'FID', color: COLORS.d }], { height: 180 }),
      is: new LineChart(sec, 'Inception score', [
        { label: 'IS mean', color: COLORS.g },
        { label: 'mean − std', color: '#f4a582' },
        { label: 'mean + std', color: '#f4a582' },
      ], { height: 180 }),
    };
  }
  for (const e of rows) {
    if (e.fid !== undefined) evalCharts.fid.push(e.step, [e.fid]);
    if (e.is_mean !== undefined) {
      const sd = e.is_std ?? NaN;
      evalCharts.is.push(e.step, [e.is_mean, e.is_mean - sd, e.is_mean + sd]);
    }
  }
  evalCharts.fid.redraw();
  evalCharts.is.redraw();
  addConditionalEvals(rows);
}

// ---- conditional metrics (accuracy under the MNIST classifier, intra-class FID) ----------------
let condEvalCharts: { acc: LineChart; fid: LineChart } | undefined;
function addConditionalEvals(rows: EvalRow[]): void {
  const rel = rows.filter((e) => e.class_accuracy !== undefined || e.info_code_accuracy !== undefined || e.intra_class_fid !== undefined);
  if (rel.length === 0) return;
  if (!condEvalCharts) {
    const sec = section('Conditional evaluation', 'conditional-evaluation', 'Accuracy: fraction of samples the shipped MNIST classifier assigns to the requested class (InfoGAN: to the digit matched to the code, Hungarian). Intra-class FID on the classifier\'s features: lower is better.');
    condEvalCharts = {
      acc: new LineChart(sec, 'accuracy under the MNIST classifier', [
        { label: 'class accuracy', color: COLORS.g },
        { label: 'InfoGAN code accuracy', color: COLORS.other },
      ], { height: 180 }),
      fid: new LineChart(sec, 'intra-class FID (mean over classes)', [{ label: 'intra-class FID', color: COLORS.d }], { height: 180 }),
    };
  }
  for (const e of rel) {
    condEvalCharts.acc.push(e.step, [e.class_accuracy ?? NaN, e.info_code_accuracy ?? NaN]);
    if (e.intra_class_fid !== undefined) condEvalCharts.fid.push(e.step, [e.intra_class_fid]);
  }
  condEvalCharts.acc.redraw();
  condEvalCharts.fid.redraw();
}

// ---- samples over time --------------------------------------------------------------------------
const sampleSec = section('Samples over time', 'samples', 'One fixed noise batch through training (2-D runs: real grey, generated red).');
const slider = document.createElement('input');
slider.type = 'range';
slider.min = '0';
slider.value = '0';
const sampleLabel = document.createElement('div');
sampleSec.append(slider, sampleLabel);
const images: HTMLImageElement[] = [];
function showSample(i: number): void {
  images.forEach((img, j) => img.classList.toggle('on', j === i));
  const img = images[i];
  sampleLabel.textContent = img ? `step ${img.dataset['step']} (${i + 1} of ${images.length})` : 'no samples yet';
}
slider.addEventListener('input', () => showSample(Number(slider.value)));
function addSample(s: SampleImage): void {
  const existing = images.findIndex((img) => img.dataset['step'] === String(s.step));
  const img = existing >= 0 ? images[existing]! : document.createElement('img');
  img.src = s.src;
  img.alt = `samples at step ${s.step}`;
  img.dataset['step'] = String(s.step);
  if (existing < 0) {
    images.push(img);
    sampleSec.appendChild(img);
  }
  const atEnd = Number(slider.value) >= Number(slider.max) - 0;
  slider.max = String(Math.max(0, images.length - 1));
  if (atEnd || existing < 0) slider.value = slider.max; // follow the newest unless the user looks back
  showSample(Number(slider.value));
}

// ---- 2-D runs: real vs generated ----------------------------------------------------------------
let scatterCanvas: HTMLCanvasElement | undefined;
function setScatter(s: ScatterData): void {
  if (!scatterCanvas) {
    const sec = section('Real vs generated points', 'scatter');
    const legend = document.createElement('div');
    legend.innerHTML = `<span class="legend-dot" style="background:${COLORS.real}"></span>real<span class="legend-dot" style="background:${COLORS.fake}"></span>generated (the saved generator)`;
    scatterCanvas = document.createElement('canvas');
    scatterCanvas.className = 'scatter';
    scatterCanvas.width = scatterCanvas.height = 480;
    sec.append(legend, scatterCanvas);
  }
  drawScatter(scatterCanvas, s.real, s.fake, s.extent);
}

// ---- configuration ------------------------------------------------------------------------------
function showConfig(config: Record<string, unknown>): void {
  const sec = section('Configuration', 'config');
  const table = document.createElement('table');
  const flat: [string, unknown][] = [];
  const walk = (prefix: string, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
    else flat.push([prefix, v]);
  };
  walk('', config);
  for (const [k, v] of flat) {
    const tr = table.insertRow();
    tr.insertCell().textContent = k;
    tr.insertCell().textContent = Array.isArray(v) ? `[${v.join(', ')}]` : String(v);
  }
  sec.appendChild(table);
}

addMetrics(data.metrics);
addEvals(data.evals);
for (const s of data.samples) addSample(s);
showSample(images.length - 1);
if (data.scatter) setScatter(data.scatter);
showConfig(data.config);
root.dataset['ready'] = 'true';

// ---- live page: follow the training process --------------------------------------------------------
if (data.live) {
  // Ask only for what came after the data this page was rendered with.
  const events = new EventSource(`events?m=${data.metrics.length}&e=${data.evals.length}&s=${data.samples.length}`);
  const on = <K extends keyof LiveEvents>(name: K, f: (v: LiveEvents[K]) => void) =>
    events.addEventListener(name, (e) => f(JSON.parse((e as MessageEvent<string>).data) as LiveEvents[K]));
  on('metrics', addMetrics);
  on('evals', addEvals);
  on('sample', addSample);
  on('scatter', setScatter);
  on('status', (s) => {
    status.textContent = s.state === 'training' ? `live · step ${s.step}${s.total ? ` of ${s.total}` : ''}` : s.state === 'done' ? `finished at step ${s.step}` : `stopped: ${s.message ?? 'error'}`;
    status.dataset['state'] = s.state;
    status.dataset['step'] = String(s.step);
    if (s.state !== 'training') events.close();
  });
  events.addEventListener('error', () => {
    if (events.readyState === EventSource.CLOSED) status.textContent = 'disconnected from the training process';
  });
}
