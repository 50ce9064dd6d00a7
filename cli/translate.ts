/**
 * `ganbox translate --run DIR --in PATH --out DIR [--direction AtoB|BtoA]`: a pix2pix or CycleGAN
 * run's generator (newest checkpoint) applied to an image or a folder of images. Each input is
 * resized like the training data (short side → --size, centre crop), translated, and written as
 * OUT/<its relative path>.png. Dropout noise uses --seed (the same seed gives the same outputs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { ConfigError, DataError } from '../src/errors.js';
import { useBackend } from '../src/backend/index.js';
import { decodeParts } from '../src/data/decode.js';
import { listImageFiles } from '../src/data/image-folder.js';
import { writeFileAtomic } from '../src/io/atomic.js';
import { encodePng, toByte } from '../src/io/png.js';
import { loadTranslationRun } from '../src/train/translation-run.js';
import { SAMPLE_NOISE_KEY } from '../src/train/translation.js';
import { nonNegativeInt, positiveInt } from './options.js';

export function translateCommand(): Command {
  return new Command('translate')
    .description("translate images with a pix2pix or CycleGAN run's generator")
    .requiredOption('--run <dir>', 'run folder written by ganbox train --model pix2pix|cyclegan')
    .requiredOption('--in <path>', 'an image, or a folder of .png/.jpg images (recursively)')
    .requiredOption('--out <dir>', 'output folder (one PNG per input, same relative name)')
    .addOption(new Option('--direction <d>', 'AtoB, or BtoA (CycleGAN only)').choices(['AtoB', 'BtoA']).default('AtoB'))
    .option('--split', 'inputs are A|B side-by-side pictures (pix2pix datasets): translate the half of the input domain', false)
    .option('--seed <n>', 'seed of the dropout noise (U-Net generators)', nonNegativeInt, 0)
    .option('--batch <n>', 'images per forward pass', positiveInt, 8)
    .option('--force', 'write into --out even if it holds files', false)
    .addOption(new Option('--backend <name>', 'compute backend').choices(['wasm', 'cpu', 'tensorflow']).default('wasm'))
    .action(async (opts: { run: string; in: string; out: string; direction: 'AtoB' | 'BtoA'; split: boolean; seed: number; batch: number; force: boolean; backend: 'wasm' | 'cpu' | 'tensorflow' }) => {
      const st = fs.statSync(opts.in, { throwIfNoEntry: false });
      if (!st) throw new DataError(`--in ${opts.in} does not exist.`);
      const root = st.isDirectory() ? opts.in : path.dirname(opts.in);
      const files = st.isDirectory() ? listImageFiles(opts.in) : [opts.in];
      if (files.length === 0) throw new DataError(`--in ${opts.in} holds no .png, .jpg or .jpeg files.`);
      if (fs.existsSync(opts.out) && fs.readdirSync(opts.out).length > 0 && !opts.force) {
        throw new ConfigError(`--out ${opts.out} already holds files; pass --force to write into it.`);
      }
      await useBackend(opts.backend);
      const { trainer, step } = loadTranslationRun(opts.run);
      try {
        if (!(trainer.game.directions as readonly string[]).includes(opts.direction)) {
          throw new ConfigError(`a ${trainer.config.model} run translates ${trainer.game.directions.join(' and ')} only (--direction).`);
        }
        const s = trainer.config.size;
        const cin = opts.direction === 'AtoB' ? trainer.data.channelsA : trainer.data.channelsB;
        const cout = opts.direction === 'AtoB' ? trainer.data.channelsB : trainer.data.channelsA;
        const part = opts.split ? (opts.direction === 'AtoB' ? 0 : 1) : 0;
        fs.mkdirSync(opts.out, { recursive: true });
        for (let i = 0; i < files.length; i += opts.batch) {
          const chunk = files.slice(i, i + opts.batch);
          const x = new Float32Array(chunk.length * s * s * cin);
          chunk.forEach((f, k) => {
            const bytes = decodeParts(f, { size: s, channels: cin, layout: opts.split ? 'split' : 'whole' })[part]!;
            for (let j = 0; j < bytes.length; j++) x[k * bytes.length + j] = (bytes[j]! / 255) * 2 - 1;
          });
          const y = trainer.translate(x, chunk.length, opts.direction, SAMPLE_NOISE_KEY ^ opts.seed);
          chunk.forEach((f, k) => {
            const px = y.subarray(k * s * s * cout, (k + 1) * s * s * cout);
            const out = path.join(opts.out, path.relative(root, f).replace(/\.(png|jpe?g)$/i, '') + '.png');
            fs.mkdirSync(path.dirname(out), { recursive: true });
            writeFileAtomic(out, encodePng(Uint8Array.from(px, toByte), s, s, cout));
          });
        }
      } finally {
        trainer.dispose();
      }
      process.stdout.write(`translated ${files.length} image(s) ${opts.direction} with ${opts.run} (step ${step}) into ${opts.out}\n`);
    });
}
