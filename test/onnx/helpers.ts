/**
 * Shared by the ONNX tests: generators of every arch with every weight random (BatchNorm moving
 * statistics too, so inference-mode BN is exercised), saved as a run folder's generator/.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { buildModels, type Generator } from '../../src/models/index.js';
import type { ModelConditioning } from '../../src/models/conditioning.js';
import { saveLayersModel } from '../../src/io/tfjs-format.js';
import { Rng } from '../../src/train/rng.js';

/** The archs and sizes of src/models (small widths: the layer configs are what matter). */
export const GENERATOR_CASES: { label: string; arch: 'mlp' | 'dcgan' | 'infogan'; dataShape: number[]; width: number; conditioning?: ModelConditioning }[] = [
  { label: 'mlp points [2]', arch: 'mlp', dataShape: [2], width: 16 },
  { label: 'mlp images 28×28×1', arch: 'mlp', dataShape: [28, 28, 1], width: 16 },
  { label: 'dcgan 28×28×1', arch: 'dcgan', dataShape: [28, 28, 1], width: 8 },
  { label: 'dcgan 32×32×3', arch: 'dcgan', dataShape: [32, 32, 3], width: 8 },
  { label: 'dcgan 64×64×3', arch: 'dcgan', dataShape: [64, 64, 3], width: 4 },
];

const cond = (mode: ModelConditioning['mode'], classes: number, categorical = 0, continuous = 0): ModelConditioning =>
  ({ mode, classes, codes: { categorical, continuous } });

/** Conditional and InfoGAN generators (inputs z, y, c): every mode's G, on each arch. */
export const CONDITIONAL_CASES: typeof GENERATOR_CASES = [
  { label: 'mlp points, cgan 3 classes', arch: 'mlp', dataShape: [2], width: 16, conditioning: cond('cgan', 3) },
  { label: 'mlp points, projection 4 classes + 2 codes', arch: 'mlp', dataShape: [2], width: 16, conditioning: cond('projection', 4, 3, 2) },
  { label: 'dcgan 28×28×1, acgan 10 classes', arch: 'dcgan', dataShape: [28, 28, 1], width: 8, conditioning: cond('acgan', 10) },
  { label: 'dcgan 28×28×1, projection (class-conditional BatchNorm)', arch: 'dcgan', dataShape: [28, 28, 1], width: 8, conditioning: cond('projection', 10) },
  { label: 'dcgan 32×32×3, cgan + InfoGAN codes', arch: 'dcgan', dataShape: [32, 32, 3], width: 4, conditioning: cond('cgan', 10, 5, 1) },
  { label: 'infogan 28×28×1, InfoGAN 10 + 2 codes', arch: 'infogan', dataShape: [28, 28, 1], width: 8, conditioning: cond('none', 0, 10, 2) },
];

/** G of `c` with every weight drawn from a seeded Rng: kernels N(0, 0.15²), biases/β/μ N(0, 0.3²), γ and σ² in [0.5, 1.5). */
export function randomGenerator(c: (typeof GENERATOR_CASES)[number], seed = 7): Generator {
  const rng = new Rng(seed);
  const { generator, discriminator } = buildModels({ arch: c.arch, dataShape: c.dataShape, width: c.width, ...(c.conditioning ? { conditioning: c.conditioning } : {}) }, rng);
  discriminator.model.dispose();
  for (const w of generator.model.weights) {
    const n = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
    const short = w.originalName.split('/').pop()!;
    const values = /gamma|variance/.test(short)
      ? Float32Array.from({ length: n }, () => 0.5 + rng.uniform())
      : rng.normalArray(n, 0, short === 'kernel' ? 0.15 : 0.3);
    w.write(tf.tensor(values, w.shape as number[]));
  }
  return generator;
}

/** Saves `g` as RUN/generator (what `ganbox train` writes) and returns RUN. */
export async function saveRun(g: Generator, run: string): Promise<string> {
  await saveLayersModel(g.model, path.join(run, 'generator'));
  return run;
}

/** max |a − b| / max |b|. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths ${a.length} and ${b.length}`);
  let d = 0, m = 0;
  for (let i = 0; i < b.length; i++) { d = Math.max(d, Math.abs(a[i]! - b[i]!)); m = Math.max(m, Math.abs(b[i]!)); }
  return d / m;
}
