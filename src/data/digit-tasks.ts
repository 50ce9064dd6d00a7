/**
 * Translation tasks with a known answer, made from the 10,000 digits of the `mnist` package, at
 * 32×32 (the 28×28 digits padded by 2 px of background, so the U-Net's halvings divide evenly):
 *
 *   mnist-edges        paired:   A = the digit's edge map, B = the digit (pix2pix's edges → photo)
 *   mnist-inverted     unpaired: A = digits, B = other digits dilated (3×3 max) and inverted
 *
 * Edge map: a pixel is on (+1) when the digit is on there (value > 0, i.e. intensity > ½) and one
 * of its 4 neighbours is off or outside; everything else is −1.
 * Training uses the digits the shipped classifier trained on (mnistClassifierSplit().train); for
 * `mnist-inverted` A takes the even positions of that list and B the odd ones, so no digit is in
 * both domains. `digitTaskEval` gives held-out digits (the classifier's held-out split) with their
 * labels and both renderings, for the label-agreement and L1 measurements.
 */
import { mnistClassifierSplit } from '../features/mnist-classifier.js';
import { ByteImageSource } from './byte-source.js';
import { loadMnist } from './mnist.js';
import { PairSource, type TranslationData } from './paired.js';

export const DIGIT_TASKS = ['mnist-edges', 'mnist-inverted'] as const;
export type DigitTask = (typeof DIGIT_TASKS)[number];
export const DIGIT_SIDE = 32;
const PAD = 2;

/** The padded digit [32, 32] in [-1, 1] (background −1). */
function padded(x: Float32Array, i: number): Float32Array {
  const out = new Float32Array(DIGIT_SIDE * DIGIT_SIDE).fill(-1);
  for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) out[(r + PAD) * DIGIT_SIDE + c + PAD] = x[i * 784 + r * 28 + c]!;
  return out;
}

export function edgeMap(d: Float32Array, side = DIGIT_SIDE): Float32Array {
  const out = new Float32Array(d.length).fill(-1);
  const on = (r: number, c: number) => r >= 0 && c >= 0 && r < side && c < side && d[r * side + c]! > 0;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      if (on(r, c) && (!on(r - 1, c) || !on(r + 1, c) || !on(r, c - 1) || !on(r, c + 1))) out[r * side + c] = 1;
    }
  }
  return out;
}

/** 3×3 max filter (thickening), then v → −v (inversion). */
export function invertThick(d: Float32Array, side = DIGIT_SIDE): Float32Array {
  const out = new Float32Array(d.length);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      let m = -1;
      for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) {
        const rr = r + dr, cc = c + dc;
        if (rr >= 0 && cc >= 0 && rr < side && cc < side) m = Math.max(m, d[rr * side + cc]!);
      }
      out[r * side + c] = -m;
    }
  }
  return out;
}

const toByte = (v: number) => Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));

function store(images: Float32Array[]): Uint8Array {
  const out = new Uint8Array(images.length * DIGIT_SIDE * DIGIT_SIDE);
  images.forEach((im, k) => { for (let j = 0; j < im.length; j++) out[k * im.length + j] = toByte(im[j]!); });
  return out;
}

const render = (task: DigitTask, side: 'A' | 'B', d: Float32Array) =>
  task === 'mnist-edges' ? (side === 'A' ? edgeMap(d) : d) : side === 'A' ? d : invertThick(d);

/** Opens a digit task as translation data (training digits). */
export function openDigitTask(task: DigitTask): TranslationData {
  const { x } = loadMnist();
  const train = Array.from(mnistClassifierSplit().train);
  const shape = [DIGIT_SIDE, DIGIT_SIDE, 1];
  let a: ByteImageSource, b: ByteImageSource;
  if (task === 'mnist-edges') {
    const digits = train.map((i) => padded(x, i));
    a = new ByteImageSource(`${task}#A`, shape, store(digits.map((d) => render(task, 'A', d))));
    b = new ByteImageSource(`${task}#B`, shape, store(digits));
  } else {
    a = new ByteImageSource(`${task}#A`, shape, store(train.filter((_, k) => k % 2 === 0).map((i) => padded(x, i))));
    b = new ByteImageSource(`${task}#B`, shape, store(train.filter((_, k) => k % 2 === 1).map((i) => render(task, 'B', padded(x, i)))));
  }
  const paired = task === 'mnist-edges';
  return {
    spec: task, paired, pairs: paired ? new PairSource(task, a, b) : undefined, a, b, channelsA: 1, channelsB: 1,
    loadSize: DIGIT_SIDE, cache: 'off', skipped: [], memoryBytes: 0,
  };
}

/** Held-out digits: A and B renderings [n, 32, 32, 1] in [-1, 1] (byte-quantised as in training) and labels. */
export function digitTaskEval(task: DigitTask, n = 2000): { a: Float32Array; b: Float32Array; labels: Int32Array } {
  const { x, labels } = loadMnist();
  const held = Array.from(mnistClassifierSplit().heldOut).slice(0, n);
  const q = (v: Float32Array) => v.map((u) => toByte(u) / 127.5 - 1);
  const px = DIGIT_SIDE * DIGIT_SIDE;
  const a = new Float32Array(held.length * px), b = new Float32Array(held.length * px);
  held.forEach((i, k) => {
    const d = padded(x, i);
    a.set(q(render(task, 'A', d)), k * px);
    b.set(q(render(task, 'B', d)), k * px);
  });
  return { a, b, labels: Int32Array.from(held, (i) => labels[i]!) };
}
