/**
 * Sampling a trained generator: load the run's generator (tfjs format), draw seeded noise, and
 * return images in [-1, 1] or as uint8 — in batches, so memory stays bounded for any n. Two
 * engines give the same values (to float32 rounding, ~1e-7): tfjs (`sampleGenerator`, `samplePlan`:
 * the model's predict) and onnxruntime (`sampleWith`, `samplePlanWith`: the generator's ONNX graph,
 * onnx/generator.ts, with the conditional generators' y and c as further graph inputs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ConfigError } from '../errors.js';
import { loadLayersModel } from '../io/tfjs-format.js';
import { toByte } from '../io/png.js';
import { Rng } from '../train/rng.js';
import { GENERATOR_INPUT, generatorToOnnx } from '../onnx/generator.js';
import { OnnxSession, resolveEngine, type Engine } from '../onnx/runtime.js';
import { NO_CONDITIONING, type ModelConditioning } from '../models/conditioning.js';
import { classNamesFor, planSamples, type SamplePlan } from './conditions.js';

export interface LoadedGenerator {
  model: tfl.LayersModel;
  latentDim: number;
  /** Per-sample output shape: [H, W, C] for images, [D] for points. */
  outputShape: number[];
  /** Class labels and InfoGAN codes the generator takes (absent: none). */
  conditioning?: ModelConditioning;
  /** Names of the classes, when the data has them (cifar10). */
  classNames?: readonly string[];
}

/** The generator saved in a run folder (DIR/generator/model.json). */
export async function loadRunGenerator(runDir: string, opts: { raw?: boolean } = {}): Promise<LoadedGenerator> {
  // generator/ holds G's EMA for runs trained with --ema, and generator-raw/ the trained G itself.
  const raw = path.join(runDir, 'generator-raw', 'model.json');
  const file = opts.raw && fs.existsSync(raw) ? raw : path.join(runDir, 'generator', 'model.json');
  if (!fs.existsSync(file)) {
    throw new ConfigError(`--run ${runDir}: no generator found (expected ${file}); is it a ganbox run folder that has trained?`);
  }
  const model = await loadLayersModel(file);
  const inShape = model.inputs[0]!.shape;
  const outShape = model.outputs[0]!.shape;
  const g: LoadedGenerator = { model, latentDim: inShape[inShape.length - 1] as number, outputShape: outShape.slice(1) as number[] };
  if (model.inputs.length > 1) {
    // A conditional generator: its label/code sizes from the model, the split of the codes and the
    // mode from the run's config.json.
    const size = (name: string) => {
      const i = model.inputNames.indexOf(name);
      return i < 0 ? 0 : (model.inputs[i]!.shape[1] as number);
    };
    const configFile = path.join(runDir, 'config.json');
    let train: { conditional?: ModelConditioning['mode']; infoCategorical?: number; data?: string } = {};
    try {
      train = (JSON.parse(fs.readFileSync(configFile, 'utf8')) as { train?: typeof train }).train ?? {};
    } catch {
      throw new ConfigError(`--run ${runDir}: its generator takes labels or codes but ${configFile} is missing or unreadable; restore it from the run.`);
    }
    const codes = size('c');
    const categorical = Math.min(train.infoCategorical ?? 0, codes);
    g.conditioning = {
      mode: size('y') > 0 ? (train.conditional && train.conditional !== 'none' ? train.conditional : 'cgan') : 'none',
      classes: size('y'),
      codes: { categorical, continuous: codes - categorical },
    };
    const names = classNamesFor(train.data ?? '');
    if (names) g.classNames = names;
  }
  return g;
}

/** The plan's inputs for samples start…start+b, in the model's input order: name, [b, size] values. */
function planArrays(g: LoadedGenerator, plan: SamplePlan, start: number, b: number): { name: string; size: number; data: Float32Array }[] {
  const c = g.conditioning ?? NO_CONDITIONING;
  const d = g.latentDim;
  return g.model.inputNames.map((name) => {
    if (name === 'y') {
      const y = new Float32Array(b * c.classes); // one-hot rows
      for (let i = 0; i < b; i++) y[i * c.classes + plan.labels![start + i]!] = 1;
      return { name, size: c.classes, data: y };
    }
    if (name === 'c') {
      const k = c.codes.categorical + c.codes.continuous;
      return { name, size: k, data: plan.codes!.slice(start * k, (start + b) * k) };
    }
    return { name, size: d, data: plan.z.slice(start * d, (start + b) * d) };
  });
}

/** The samples of a plan (planSamples), [n, ...outputShape] flattened, in [-1, 1]. */
export function samplePlan(g: LoadedGenerator, plan: SamplePlan, batch = 256): Float32Array {
  const per = g.outputShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(plan.n * per);
  for (let start = 0; start < plan.n; start += batch) {
    const b = Math.min(batch, plan.n - start);
    const values = tf.tidy(() => {
      const ins = planArrays(g, plan, start, b).map((x) => tf.tensor2d(x.data, [b, x.size]));
      return (g.model.predict(ins) as tf.Tensor).dataSync() as Float32Array;
    });
    out.set(values, start * per);
  }
  return out;
}

/**
 * `samplePlan` on the engine `opts.engine` picks: the same labels, codes and noise, the same
 * floats (onnxruntime runs the generator's ONNX graph, whose inputs carry the model's names z, y, c).
 */
export async function samplePlanWith(g: LoadedGenerator, plan: SamplePlan, opts: SampleOptions = {}): Promise<{ values: Float32Array; engine: Engine }> {
  const engine = await resolveEngine(opts.engine);
  const batch = opts.batch ?? 256;
  if (engine === 'tfjs') return { values: samplePlan(g, plan, batch), engine };
  const values = await onnxSample(g, plan.n, batch, opts.threads, (start, b) => planArrays(g, plan, start, b));
  return { values, engine };
}

/**
 * n samples of the generator's ONNX graph on onnxruntime, batch by batch; `feed(start, b)` gives each
 * batch's inputs by graph input name.
 */
async function onnxSample(
  g: LoadedGenerator, n: number, batch: number, threads: number | undefined,
  feed: (start: number, b: number) => { name: string; size: number; data: Float32Array }[],
): Promise<Float32Array> {
  const session = await OnnxSession.create(generatorToOnnx(g.model), threads);
  try {
    const per = g.outputShape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n * per);
    const output = session.outputNames[0]!;
    const single = g.model.inputs.length === 1;
    for (let start = 0; start < n; start += batch) {
      const b = Math.min(batch, n - start);
      const inputs = Object.fromEntries(feed(start, b).map((x) => [single ? GENERATOR_INPUT : x.name, { data: x.data, dims: [b, x.size] }]));
      const r = await session.run(inputs, [output]);
      out.set(r[output]!.data, start * per); // [b, ...outputShape]
    }
    return out;
  } finally {
    await session.dispose();
  }
}

/**
 * n samples in [-1, 1], [n, ...outputShape] flattened, from N(0, 1) noise seeded by `seed`. A
 * conditional generator gets labels 0, 1, …, K−1, 0, … and codes drawn as in training (planSamples).
 */
export function sampleGenerator(g: LoadedGenerator, n: number, seed: number, batch = 256): Float32Array {
  if (g.model.inputs.length > 1) return samplePlan(g, planSamples(g, { n, seed }), batch);
  const per = g.outputShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n * per);
  const rng = new Rng(seed);
  for (let start = 0; start < n; start += batch) {
    const b = Math.min(batch, n - start);
    const values = tf.tidy(() => {
      const z = tf.tensor2d(rng.normalArray(b * g.latentDim), [b, g.latentDim]);
      return (g.model.predict(z) as tf.Tensor).dataSync() as Float32Array;
    });
    out.set(values, start * per);
  }
  return out;
}

export interface SampleOptions {
  /** 'auto' (default): onnxruntime when onnxruntime-node loads, else tfjs (one line on stderr says why). */
  engine?: Engine | 'auto';
  /** onnxruntime's intra-op threads (default os.availableParallelism()). */
  threads?: number;
  /** Samples per forward pass (default 256; the noise is drawn per batch, so keep it to reproduce). */
  batch?: number;
}

/**
 * `sampleGenerator` on the engine `opts.engine` picks: the same noise (seeded Rng, drawn per batch
 * of `batch`), the same [n, ...outputShape] floats. Returns the engine used with the values.
 */
export async function sampleWith(g: LoadedGenerator, n: number, seed: number, opts: SampleOptions = {}): Promise<{ values: Float32Array; engine: Engine }> {
  if (g.model.inputs.length > 1) return samplePlanWith(g, planSamples(g, { n, seed }), opts);
  const engine = await resolveEngine(opts.engine);
  const batch = opts.batch ?? 256;
  if (engine === 'tfjs') return { values: sampleGenerator(g, n, seed, batch), engine };
  const rng = new Rng(seed);
  // [b, latentDim] per batch, drawn as sampleGenerator draws it
  const values = await onnxSample(g, n, batch, opts.threads, (_start, b) => [{ name: GENERATOR_INPUT, size: g.latentDim, data: rng.normalArray(b * g.latentDim) }]);
  return { values, engine };
}

/** [-1, 1] floats to uint8 pixels (io/png.ts toByte: round((v + 1) · 127.5), clamped). */
export function toUint8(values: Float32Array): Uint8Array {
  return Uint8Array.from(values, toByte);
}
