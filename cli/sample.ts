/** `ganbox sample`: draw from a run's generator into a PNG grid or a .npy array. */
import * as fs from 'node:fs';
import { Command, Option } from 'commander';
import { ConfigError } from '../src/errors.js';
import { useBackend } from '../src/backend/index.js';
import { loadRunGenerator, sampleWith, samplePlanWith, toUint8 } from '../src/sampling/sampler.js';
import { resolveEngine } from '../src/onnx/runtime.js';
import { parseCodes, planSamples, type SampleRequest } from '../src/sampling/conditions.js';
import { encodePng, imageGrid } from '../src/io/png.js';
import { encodeNpy } from '../src/io/npy.js';
import { scatterPlot } from '../src/io/scatter.js';
import { writeFileAtomic } from '../src/io/atomic.js';
import { nonNegativeInt, positiveInt } from './options.js';

export function sampleCommand(): Command {
  return new Command('sample')
    .description("draw samples from a run's generator")
    .requiredOption('--run <dir>', 'run folder written by ganbox train')
    .option('--n <n>', 'number of samples', positiveInt, 64)
    .requiredOption('--out <file>', 'output file (.png grid, or .npy with --format npy)')
    .addOption(new Option('--format <fmt>', 'png: a grid picture; npy: uint8 NHWC images (float32 [n, 2] for 2-D runs)').choices(['png', 'npy']))
    .option('--seed <n>', 'noise seed', nonNegativeInt, 0)
    .option('--cols <n>', 'grid columns (default: about √n)', positiveInt)
    .option('--force', 'overwrite --out if it exists', false)
    .option('--raw', "runs trained with --ema: sample the trained G instead of its moving average", false)
    .option('--class <k>', 'conditional runs: every sample of this class (index, or name for cifar10)')
    .option('--classes <all>', "conditional runs: 'all' draws a grid with one row per class (--cols per row, default 8)")
    .option('--code <list>', 'InfoGAN runs: fix codes, e.g. c0=3,c1=0.5 (c0 is the categorical code when the run has one)')
    .option('--sweep <code>', 'InfoGAN runs: sweep one continuous code along each row (--cols steps); row r takes categorical code r mod K unless --code c0=k')
    .option('--sweep-range <a,b>', 'range of --sweep', '-1,1')
    .addOption(new Option('--backend <name>', 'tfjs backend (with --engine tfjs)').choices(['onnxruntime', 'wasm', 'cpu', 'tensorflow']).default('wasm'))
    .addOption(new Option('--engine <name>', 'inference engine: auto = onnxruntime when onnxruntime-node loads, else tfjs').choices(['auto', 'onnxruntime', 'tfjs']).default('auto'))
    .option('--threads <n>', 'onnxruntime threads (default: all cores)', positiveInt)
    .action(async (opts: {
      run: string; n: number; out: string; format?: 'png' | 'npy'; seed: number; cols?: number; force: boolean; raw: boolean;
      backend: 'onnxruntime' | 'wasm' | 'cpu' | 'tensorflow'; engine: 'auto' | 'onnxruntime' | 'tfjs'; threads?: number;
      class?: string; classes?: string; code?: string; sweep?: string; sweepRange: string;
    }) => {
      const format = opts.format ?? (opts.out.toLowerCase().endsWith('.npy') ? 'npy' : 'png');
      if (fs.existsSync(opts.out) && !opts.force) {
        throw new ConfigError(`--out ${opts.out} already exists; pass --force to overwrite it`);
      }
      if (opts.classes !== undefined && opts.classes !== 'all') {
        throw new ConfigError(`--classes ${opts.classes}: the only value is 'all' (one row per class); for one class use --class`);
      }
      const asked = opts.class !== undefined || Boolean(opts.classes || opts.code || opts.sweep);
      const engine = await resolveEngine(opts.engine);
      await useBackend(engine === 'tfjs' ? opts.backend : 'cpu'); // onnxruntime: tfjs only reads the weights
      const g = await loadRunGenerator(opts.run, { raw: opts.raw });
      let values: Float32Array;
      let labels: Int32Array | undefined;
      let cols = opts.cols;
      try {
        if (g.model.inputs.length > 1 || asked) {
          const [from, to] = opts.sweepRange.split(',').map(Number);
          const request: SampleRequest = {
            n: opts.n, seed: opts.seed, cols: opts.cols,
            ...(opts.class !== undefined ? { class: opts.class } : {}),
            ...(opts.classes ? { classesAll: true } : {}),
            ...(opts.code ? { codes: parseCodes(opts.code) } : {}),
            ...(opts.sweep ? { sweep: { code: opts.sweep, from, to } } : {}),
          };
          const plan = planSamples(g, request);
          values = (await samplePlanWith(g, plan, { engine, threads: opts.threads })).values;
          labels = plan.labels;
          cols = plan.cols ?? cols;
          opts.n = plan.n;
        } else {
          values = (await sampleWith(g, opts.n, opts.seed, { engine, threads: opts.threads })).values;
        }
      } finally {
        g.model.dispose();
      }
      const points = g.outputShape.length === 1;
      let bytes: Uint8Array;
      if (format === 'npy') {
        bytes = points
          ? encodeNpy({ dtype: '<f4', shape: [opts.n, g.outputShape[0]!], data: values })
          : encodeNpy({ dtype: '|u1', shape: [opts.n, ...g.outputShape], data: toUint8(values) });
      } else if (points) {
        const r = scatterPlot([{ points: values, color: [220, 40, 40] }]);
        bytes = encodePng(r.data, r.width, r.height, 3);
      } else {
        const [h, w, c] = g.outputShape as [number, number, number];
        const grid = imageGrid(values, opts.n, h, w, c, { cols });
        bytes = encodePng(grid.data, grid.width, grid.height, grid.channels as 1 | 3);
      }
      writeFileAtomic(opts.out, bytes);
      process.stdout.write(`wrote ${opts.n} samples to ${opts.out}\n`);
      if (format === 'npy' && labels) {
        const labelsOut = opts.out.replace(/(\.npy)?$/i, '-labels.npy');
        writeFileAtomic(labelsOut, encodeNpy({ dtype: '<i4', shape: [labels.length], data: labels }));
        process.stdout.write(`wrote their classes to ${labelsOut}\n`);
      }
    });
}
