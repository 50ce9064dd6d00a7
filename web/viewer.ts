/**
 * The sampling page: load a generator that `ganbox train` exported (generator/model.json +
 * weights.bin, tfjs LayersModel format) — from the server (`ganbox playground --run DIR`) or from
 * files picked on disk — and show a grid of samples and a latent interpolation,
 * z(t) = slerp(z0, z1, t) (Shoemake 1985; White 2016 for why slerp suits Gaussian latents).
 */
import { Rng, tf, tfl, useBrowserBackend } from '../src/browser.js';
import { COLORS } from './charts.js';
import { drawScatter } from './scatter.js';

const app = document.getElementById('app')!;
const aside = document.createElement('aside');
aside.innerHTML = `<label>generator files (model.json + weights.bin)<input type="file" id="files" multiple accept=".json,.bin"></label>
<div class="buttons"><button id="resample" class="primary">new samples</button><button id="reinterp">new path</button></div>
<div id="stats"></div><div id="error"></div>`;
app.appendChild(aside);
const samplesSec = document.createElement('section');
samplesSec.innerHTML = '<h2>Samples</h2><div id="samples"></div><p class="note">Fresh N(0, I) noise through the generator, in inference mode. Class-conditional generators: one row per class, the same noise down each column.</p>';
const interpSec = document.createElement('section');
interpSec.innerHTML = '<h2>Latent interpolation</h2><div id="interp"></div><p class="note">G(slerp(z0, z1, t)) for t from 0 to 1: a smooth path in z should give a smooth path in the output.</p>';
app.append(samplesSec, interpSec);
const samplesBox = document.getElementById('samples')!;
const interpBox = document.getElementById('interp')!;
const stats = document.getElementById('stats')!;
const errorBox = document.getElementById('error')!;

let model: tfl.LayersModel | undefined;
let latentDim = 0;
/** Conditional generators (models/conditioning.ts): label classes (input 'y') and code size (input 'c'). */
let classes = 0;
let codeSize = 0;
let outShape: number[] = [];
let seed = 1;

/** Spherical interpolation between two latent vectors. */
function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i]! * b[i]!; na += a[i]! ** 2; nb += b[i]! ** 2; }
  const omega = Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb))));
  const out = new Float32Array(a.length);
  if (omega < 1e-6) { for (let i = 0; i < a.length; i++) out[i] = a[i]! + t * (b[i]! - a[i]!); return out; }
  const s = Math.sin(omega);
  const wa = Math.sin((1 - t) * omega) / s, wb = Math.sin(t * omega) / s;
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i]! + wb * b[i]!;
  return out;
}

/**
 * G(z) for n rows; conditional generators also get labels (row i: `labels[i]`, default ⌊i/10⌋ mod K) and
 * codes (U(−1, 1) from a seeded stream: the page does not know which codes are categorical).
 */
function generate(z: Float32Array, n: number, labels?: Int32Array): Float32Array {
  return tf.tidy(() => {
    const ins = model!.inputNames.map((name) => {
      if (name === 'y') {
        const y = labels ?? Int32Array.from({ length: n }, (_, i) => Math.floor(i / 10) % classes); // one class per interpolation path of 10
        return tf.cast(tf.oneHot(tf.tensor1d(y, 'int32'), classes), 'float32');
      }
      if (name === 'c') return tf.tensor2d(new Rng(seed + 7).uniformArray(n * codeSize, -1, 1), [n, codeSize]);
      return tf.tensor2d(z, [n, latentDim]);
    });
    return (model!.predict(ins.length === 1 ? ins[0]! : ins) as tf.Tensor).dataSync() as Float32Array;
  });
}

/** One image in [-1, 1] (H×W×C) as a canvas, scaled up for small images. */
function imageCanvas(values: Float32Array, offset: number, [h, w, c]: number[]): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = w!;
  canvas.height = h!;
  const img = new ImageData(w!, h!);
  for (let p = 0; p < h! * w!; p++) {
    for (let k = 0; k < 3; k++) {
      const v = values[offset + p * c! + (c === 1 ? 0 : k)]!;
      img.data[4 * p + k] = Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
    }
    img.data[4 * p + 3] = 255;
  }
  canvas.getContext('2d')!.putImageData(img, 0, 0);
  const scale = Math.max(1, Math.floor(64 / w!));
  canvas.style.width = `${w! * scale}px`;
  canvas.style.imageRendering = 'pixelated';
  canvas.style.display = 'inline-block';
  canvas.style.margin = '1px';
  return canvas;
}

function showSamples(): void {
  const points = outShape.length === 1;
  // Class-conditional image generators: one row per class, the same noise down each column.
  const rows = classes > 0 && !points ? classes : 0;
  const n = points ? 1000 : rows ? rows * 8 : 64;
  let z = new Rng(seed).normalArray(n * latentDim);
  let labels: Int32Array | undefined;
  if (rows) {
    const base = z;
    z = new Float32Array(n * latentDim);
    for (let i = 0; i < n; i++) z.set(base.subarray((i % 8) * latentDim, (i % 8 + 1) * latentDim), i * latentDim);
    labels = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 8));
  }
  const x = generate(Float32Array.from(z), n, labels);
  samplesBox.replaceChildren();
  if (points) {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 420;
    let ext = 1;
    for (const v of x) if (Number.isFinite(v)) ext = Math.max(ext, Math.abs(v));
    drawScatter(canvas, [], x, ext * 1.1);
    samplesBox.appendChild(canvas);
  } else {
    const per = outShape.reduce((a, b) => a * b, 1);
    const grid = document.createElement('div');
    grid.style.width = `${8 * (Math.max(64, outShape[1]!) + 2)}px`;
    for (let i = 0; i < n; i++) grid.appendChild(imageCanvas(x, i * per, outShape));
    samplesBox.appendChild(grid);
  }
  samplesBox.dataset['count'] = String(n);
}

function showInterpolation(): void {
  const rng = new Rng(seed + 1000);
  const steps = 10;
  const pairs = outShape.length === 1 ? 12 : 4;
  interpBox.replaceChildren();
  if (outShape.length === 1) {
    const zs = new Float32Array(pairs * steps * latentDim);
    for (let p = 0; p < pairs; p++) {
      const a = Float32Array.from(rng.normalArray(latentDim)), b = Float32Array.from(rng.normalArray(latentDim));
      for (let s = 0; s < steps; s++) zs.set(slerp(a, b, s / (steps - 1)), (p * steps + s) * latentDim);
    }
    const x = generate(zs, pairs * steps);
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 420;
    let ext = 1;
    for (const v of x) if (Number.isFinite(v)) ext = Math.max(ext, Math.abs(v));
    ext *= 1.1;
    drawScatter(canvas, [], x, ext);
    const ctx = canvas.getContext('2d')!;
    ctx.strokeStyle = COLORS.d;
    for (let p = 0; p < pairs; p++) {
      ctx.beginPath();
      for (let s = 0; s < steps; s++) {
        const i = 2 * (p * steps + s);
        const px = ((x[i]! / ext + 1) / 2) * 420, py = ((1 - x[i + 1]! / ext) / 2) * 420;
        if (s === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
      }
      ctx.stroke();
    }
    interpBox.appendChild(canvas);
    interpBox.dataset['count'] = String(pairs * steps);
    return;
  }
  const per = outShape.reduce((a, b) => a * b, 1);
  let count = 0;
  for (let p = 0; p < pairs; p++) {
    const a = Float32Array.from(rng.normalArray(latentDim)), b = Float32Array.from(rng.normalArray(latentDim));
    const zs = new Float32Array(steps * latentDim);
    for (let s = 0; s < steps; s++) zs.set(slerp(a, b, s / (steps - 1)), s * latentDim);
    const x = generate(zs, steps);
    const row = document.createElement('div');
    for (let s = 0; s < steps; s++) row.appendChild(imageCanvas(x, s * per, outShape));
    interpBox.appendChild(row);
    count += steps;
  }
  interpBox.dataset['count'] = String(count);
}

async function load(source: string | tf.io.IOHandler, label: string): Promise<void> {
  errorBox.textContent = '';
  try {
    const m = await tfl.loadLayersModel(source);
    model?.dispose();
    model = m;
    const inShape = m.inputs[0]!.shape;
    latentDim = inShape[inShape.length - 1] as number;
    const sizeOf = (name: string) => { const i = m.inputNames.indexOf(name); return i < 0 ? 0 : (m.inputs[i]!.shape[1] as number); };
    classes = sizeOf('y');
    codeSize = sizeOf('c');
    outShape = m.outputs[0]!.shape.slice(1) as number[];
    stats.textContent = `${label}\nz: ${latentDim}  output: [${outShape.join(', ')}]\nparameters: ${m.countParams()}` +
      (classes ? `\nclasses: ${classes} (one row each)` : '') + (codeSize ? `\ncodes: ${codeSize}` : '');
    showSamples();
    showInterpolation();
    app.dataset['loaded'] = 'true';
  } catch (e) {
    errorBox.textContent = `could not load the generator from ${label}: ${(e as Error).message}`;
  }
}

document.getElementById('files')!.addEventListener('change', (ev) => {
  const files = Array.from((ev.target as HTMLInputElement).files ?? []);
  const json = files.find((f) => f.name.endsWith('.json'));
  if (!json) { errorBox.textContent = 'pick model.json together with its weights file(s)'; return; }
  void load(tf.io.browserFiles([json, ...files.filter((f) => f !== json)]), json.name);
});
document.getElementById('resample')!.addEventListener('click', () => { if (model) { seed += 1; showSamples(); } });
document.getElementById('reinterp')!.addEventListener('click', () => { if (model) { seed += 1; showInterpolation(); } });

void useBrowserBackend().then(async (backend) => {
  stats.textContent = `backend ${backend}\nno generator loaded: pick its files`;
  const url = app.dataset['model'];
  if (url) await load(url, url);
  app.dataset['ready'] = 'true';
});
