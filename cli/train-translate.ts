/**
 * `ganbox train --model pix2pix|cyclegan`: the translation games (src/train/translation-run.ts).
 * The flags of their own are added here; the shared ones (--data, --size, --steps, --batch, …) keep
 * their meaning, and those the user did not give take TRANSLATION_DEFAULTS' values, not the GAN's.
 */
import * as path from 'node:path';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { TRANSLATION_DEFAULTS as T, type TranslationConfig } from '../src/defaults.js';
import { useBackend } from '../src/backend/index.js';
import { readTranslationConfig, runTranslation } from '../src/train/translation-run.js';
import { nonNegativeInt, positiveFloat, positiveInt } from './options.js';

const unit = (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !(n >= 0 && n <= 1)) throw new Error('expected a number from 0 to 1.');
  return n;
};

export function addTranslationFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--model <name>', 'image-to-image translation instead of a GAN: pix2pix (paired data) or cyclegan (unpaired)').choices(['pix2pix', 'cyclegan']))
    .option('--load-size <n>', 'translation: side images are decoded to before the random --size crop (0 = size·286/256)', nonNegativeInt)
    .option('--no-flip', 'translation: no random horizontal flip')
    .addOption(new Option('--generator <name>', 'translation generator (default: pix2pix unet, cyclegan resnet)').choices(['unet', 'resnet']))
    .option('--d-width <n>', 'translation: PatchGAN first-layer filters (0 = 64)', nonNegativeInt)
    .option('--blocks <n>', 'translation: ResNet generator blocks (0 = 9 at ≥ 256 px, else 6)', nonNegativeInt)
    .option('--downsample <n>', 'translation: ResNet generator stride-2 steps (default by --size: 2 at ≥ 128 px, 1 at 64, 0 at 32)', nonNegativeInt)
    .option('--lr <x>', `translation: Adam learning rate of every network (${T.lr})`, positiveFloat)
    .option('--lambda-l1 <λ>', `pix2pix: weight of the L1 term (${T.lambdaL1})`, positiveFloat)
    .option('--lambda-cycle <λ>', `cyclegan: weight of the cycle terms (${T.lambdaCycle})`, positiveFloat)
    .option('--lambda-identity <f>', `cyclegan: identity weight as a fraction of --lambda-cycle (${T.lambdaIdentity}; 0 = off)`, unit)
    .option('--pool-size <n>', `cyclegan: history pool per discriminator (${T.poolSize}; 0 = off)`, nonNegativeInt)
    .option('--decay-start <f>', `translation: fraction of steps at constant rate before linear decay to 0 (${T.decayStart})`, unit)
    .option('--grid-size <n>', `translation: fixed images in each sample grid (${T.gridSize})`, positiveInt)
    .addOption(new Option('--on-bad-image <what>', 'translation folders: skip or fail on a file that does not decode').choices(['skip', 'fail']).default('fail'))
    .option('--workers <n>', 'translation folders: decode threads (0 = main thread; default: cores ≤ 4)', nonNegativeInt)
    .option('--cache-dir <dir>', 'translation folders: decode cache (default: $GANBOX_CACHE_DIR or ~/.cache/ganbox/decoded)')
    .option('--no-cache', 'translation folders: decode every time, no cache');
}

/** Flag → TranslationConfig key for flags that map one to one. */
const KEYS: Record<string, keyof TranslationConfig> = {
  model: 'model', data: 'data', size: 'size', loadSize: 'loadSize', channels: 'channels', generator: 'generator',
  width: 'width', dWidth: 'dWidth', blocks: 'blocks', downsample: 'downsample', steps: 'steps', batch: 'batch', lr: 'lr', beta1: 'beta1', beta2: 'beta2',
  lambdaL1: 'lambdaL1', lambdaCycle: 'lambdaCycle', lambdaIdentity: 'lambdaIdentity', poolSize: 'poolSize', decayStart: 'decayStart',
  seed: 'seed', logEvery: 'logEvery', sampleEvery: 'sampleEvery', checkpointEvery: 'checkpointEvery', keep: 'keep',
  gridSize: 'gridSize', backend: 'backend',
};

const fmt = (v: number | undefined, d = 3) => (v !== undefined && Number.isFinite(v) ? v.toFixed(d) : '-');

export async function trainTranslation(cmd: Command, opts: Record<string, unknown>): Promise<void> {
  const given: Partial<TranslationConfig> = {};
  for (const [flag, key] of Object.entries(KEYS)) {
    if (cmd.getOptionValueSource(flag) !== 'cli') continue;
    let v = opts[flag];
    if (flag === 'channels') v = Number(v);
    (given as Record<string, unknown>)[key] = v;
  }
  if (cmd.getOptionValueSource('flip') === 'cli') given.flip = Boolean(opts.flip);
  if (!given.data && !opts.resume) given.data = given.model === 'cyclegan' ? 'mnist-inverted' : 'mnist-edges';
  // A resumed run keeps its backend unless --backend says otherwise (bit-for-bit needs the same one).
  const backendName = typeof opts.resume === 'string' && cmd.getOptionValueSource('backend') !== 'cli'
    ? readTranslationConfig(opts.resume).backend
    : ((opts.backend as TranslationConfig['backend']) ?? T.backend);
  const backend = await useBackend(backendName, { threads: opts.threads as number | undefined });
  const controller = new AbortController();
  let signalCode = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signalCode) process.exit(sig === 'SIGINT' ? 130 : 143);
    signalCode = sig === 'SIGINT' ? 130 : 143;
    process.stderr.write(`\n${sig}: finishing this step and writing a checkpoint…\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const tty = Boolean(process.stderr.isTTY && !opts.quiet);
  let decodeBar: cliProgress.SingleBar | undefined;
  let decodeLabel = '';
  try {
    const result = await runTranslation(given, {
      out: opts.out as string | undefined,
      force: Boolean(opts.force),
      resume: opts.resume as string | undefined,
      backend: backend.name,
      signal: controller.signal,
      decode: {
        workers: opts.workers as number | undefined,
        onBadImage: opts.onBadImage as 'skip' | 'fail',
        cache: opts.cache === false ? false : (opts.cacheDir as string | undefined),
        onProgress: tty ? (label, done, total) => {
          if (!decodeBar || label !== decodeLabel) {
            decodeBar?.stop();
            decodeLabel = label;
            decodeBar = new cliProgress.SingleBar({ format: `decoding ${label} |{bar}| {value}/{total} images | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true });
            decodeBar.start(total, 0);
          }
          decodeBar.update(done);
          if (done >= total) { decodeBar.stop(); decodeBar = undefined; }
        } : undefined,
      },
      onInfo: (msg) => process.stderr.write(msg + '\n'),
      onProgress: (p) => {
        if (opts.quiet || !(p.logged || tty)) return;
        const m = p.metrics;
        const line = `step ${p.step}/${p.total} | loss_D ${fmt(m.loss_d)} | loss_G ${fmt(m.loss_g)} | ${m.g_l1 !== undefined ? `L1 ${fmt(m.g_l1)}` : `cycle ${fmt((m.g_cycle_a ?? 0) + (m.g_cycle_b ?? 0))}`} | ${fmt(p.imagesPerSec, 2)} img/s`;
        process.stderr.write(tty ? `\r${line}   ` : line + '\n');
      },
    });
    if (tty) process.stderr.write('\n');
    const rel = path.relative(process.cwd(), result.dir) || '.';
    process.stdout.write(`run folder: ${rel}  (backend ${backend.name}, ${backend.threads} thread${backend.threads === 1 ? '' : 's'})\n`);
    if (result.samplePath) process.stdout.write(`samples:    ${path.relative(process.cwd(), result.samplePath)}\n`);
    process.stdout.write(`translate:  npx ganbox translate --run ${rel} --in IMAGES --out OUT_DIR\n`);
    if (result.interrupted) {
      process.stdout.write(`stopped at step ${result.step}; resume with: npx ganbox train --resume ${rel}\n`);
      process.exitCode = signalCode || 130;
    }
  } finally {
    decodeBar?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
