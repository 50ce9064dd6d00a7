/**
 * `ganbox export`'s library side: a run folder's generator written as
 *   - 'onnx': one .onnx file (onnx/generator.ts: z [N, latentDim] → images [N, H, W, C] in [−1, 1],
 *     or points [N, D]; conditional and InfoGAN generators also take y and c), for onnxruntime
 *     and any other ONNX runtime;
 *   - 'tfjs': the generator folder as training writes it (model.json + weights.bin), which a
 *     browser loads with tf.loadLayersModel.
 * Nothing that exists at the destination is replaced unless `force` is set.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { saveLayersModel } from '../io/tfjs-format.js';
import { loadRunGenerator } from '../sampling/sampler.js';
import { generatorInputs, generatorOutputName, generatorToOnnx } from './generator.js';

export const EXPORT_FORMATS = ['onnx', 'tfjs'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  /** Run folder written by `ganbox train` (--run). */
  run: string;
  /** --format. */
  format: ExportFormat;
  /** --out: a file for 'onnx', a folder for 'tfjs'. */
  out: string;
  /** --force: replace what is at `out`. */
  force?: boolean;
}

export interface ExportResult {
  /** What was written. */
  files: string[];
  latentDim: number;
  outputShape: number[];
  /** Graph input/output names ('onnx'): z → images | points. */
  input?: string;
  output?: string;
  /** Every graph input with its width ('onnx'): z, then y and c for conditional generators. */
  inputs?: { name: string; size: number }[];
}

/** Writes the run's generator in `format` at `out`; see the file comment. */
export async function exportGenerator(opts: ExportOptions): Promise<ExportResult> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) {
    throw new ConfigError(`--format ${opts.format} is not an export format; valid: ${EXPORT_FORMATS.join(', ')}`);
  }
  const out = opts.out;
  const targets = opts.format === 'onnx' ? [out] : [path.join(out, 'model.json'), path.join(out, 'weights.bin')];
  if (opts.format === 'tfjs' && fs.existsSync(out) && !fs.statSync(out).isDirectory()) {
    throw new ConfigError(`--out ${out} is a file; --format tfjs writes a folder (model.json + weights.bin)`);
  }
  if (opts.format === 'onnx' && fs.existsSync(out) && fs.statSync(out).isDirectory()) {
    throw new ConfigError(`--out ${out} is a folder; --format onnx writes one file (e.g. ${path.join(out, 'generator.onnx')})`);
  }
  const taken = targets.find((f) => fs.existsSync(f));
  if (taken && !opts.force) throw new ConfigError(`--out: ${taken} already exists; pass --force to overwrite it`);
  if (opts.format === 'tfjs' && path.resolve(out) === path.resolve(opts.run, 'generator')) {
    throw new ConfigError(`--out ${out} is the run's own generator folder; choose another folder`);
  }
  const g = await loadRunGenerator(opts.run);
  try {
    fs.mkdirSync(opts.format === 'onnx' ? path.dirname(path.resolve(out)) : out, { recursive: true });
    if (opts.format === 'onnx') {
      writeFileAtomic(out, generatorToOnnx(g.model));
      return { files: [out], latentDim: g.latentDim, outputShape: g.outputShape, input: 'z', inputs: generatorInputs(g.model), output: generatorOutputName(g.outputShape) };
    }
    await saveLayersModel(g.model, out);
    return { files: targets, latentDim: g.latentDim, outputShape: g.outputShape };
  } finally {
    g.model.dispose();
  }
}
