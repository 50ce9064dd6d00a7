/** `ganbox export`: a run's generator as an ONNX file or a tfjs model folder (src/onnx/export.ts). */
import { Command, Option } from 'commander';
import { EXPORT_FORMATS, exportGenerator, type ExportFormat } from '../src/onnx/export.js';
import { useBackend } from '../src/backend/index.js';
import { io } from './io.js';

export function exportCommand(): Command {
  return new Command('export')
    .description("write a run's generator as ONNX (z → images, for onnxruntime) or as a tfjs model folder")
    .requiredOption('--run <dir>', 'run folder written by ganbox train')
    .addOption(new Option('--format <fmt>', 'onnx: one .onnx file, input z [N, latent] (conditional runs also y [N, classes] one-hot, InfoGAN c [N, codes]), output images [N, H, W, C] in [-1, 1]; tfjs: model.json + weights.bin').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .requiredOption('--out <path>', 'output file (onnx) or folder (tfjs)')
    .option('--force', 'overwrite what is at --out', false)
    .action(async (opts: { run: string; format: ExportFormat; out: string; force: boolean }) => {
      await useBackend('cpu'); // reading weights only: no kernels worth a faster backend
      const r = await exportGenerator(opts);
      const shape = `[N, ${r.outputShape.join(', ')}]`;
      io.out(opts.format === 'onnx'
        ? `wrote ${opts.out}: input ${r.inputs!.map((i) => `${i.name} [N, ${i.size}]`).join(', ')} → output ${r.output} ${shape}\n`
        : `wrote ${r.files.join(' and ')}: z [N, ${r.latentDim}] → ${shape}\n`);
    });
}
