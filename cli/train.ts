/** `ganbox train`: train a GAN and write a run folder (src/train/run.ts does the work). */
import * as path from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { TRAIN_DEFAULTS as D, type TrainConfig } from '../src/defaults.js';
import { DATA_SOURCE_NAMES } from '../src/data/index.js';
import { LOSS_NAMES, getLoss } from '../src/losses/index.js';
import { OPTIMIZER_NAMES } from '../src/train/optimizers.js';
import { useBackend } from '../src/backend/index.js';
import { runTraining, type Progress } from '../src/train/run.js';
import { nonNegativeInt, positiveFloat, positiveInt, unitInterval } from './options.js';
import { addTrainEvalFlags, trainEvaluator } from './train-eval.js';
import { trainUi } from './train-ui.js';
import { addStabiliserFlags, STABILISER_FLAG_KEYS } from './stabiliser-flags.js';
import { addTranslationFlags, trainTranslation } from './train-translate.js';
import { isTranslationRun } from '../src/train/translation-run.js';
import { addConditionalFlags, CONDITIONAL_FLAG_KEYS } from './train-conditional.js';

/** Flag → TrainConfig key, for the options that map one to one. */
const FLAG_KEYS: Record<string, keyof TrainConfig> = {
  data: 'data', size: 'size', channels: 'channels', arch: 'arch', loss: 'loss', steps: 'steps', batch: 'batch',
  latentDim: 'latentDim', dSteps: 'dSteps', width: 'width', depth: 'depth', optG: 'optG', optD: 'optD',
  lrG: 'lrG', lrD: 'lrD', beta1: 'beta1', beta2: 'beta2', eps: 'eps', seed: 'seed', logEvery: 'logEvery',
  sampleEvery: 'sampleEvery', checkpointEvery: 'checkpointEvery', keep: 'keep', backend: 'backend',
  labelSmoothing: 'labelSmoothing', featureLayer: 'featureLayer', clipValue: 'clipValue', gpWeight: 'gpWeight',
  perceptualModel: 'perceptualModel', perceptualLayer: 'perceptualLayer',
  ...STABILISER_FLAG_KEYS,
  ...CONDITIONAL_FLAG_KEYS,
};

const fmt = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : String(v));
function duration(sec: number): string {
  if (!Number.isFinite(sec)) return '?';
  const s = Math.round(sec);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
function progressLine(p: Progress): string {
  const m = p.metrics;
  return `step ${p.step}/${p.total} | loss_D ${fmt(m.loss_d)} | loss_G ${fmt(m.loss_g)} | D(x) ${fmt(m.d_real)} | D(G(z)) ${fmt(m.d_fake)} | ${fmt(p.imagesPerSec, 1)} img/s | ETA ${duration(p.etaSec)}`;
}

export function trainCommand(): Command {
  const cmd = new Command('train')
    .description('train a GAN (default: the DCGAN on the 10,000 embedded MNIST digits) and write a run folder')
    .option('--data <spec>', `data source: ${DATA_SOURCE_NAMES.join(' | ')}`, D.data)
    .option('--arch <name>', 'model: auto (mlp for 2-D points, dcgan for images) | dcgan | infogan (Chen et al.\'s MNIST net: DCGAN with FC 1024 layers) | mlp', D.arch)
    .addOption(new Option('--loss <name>', `loss: ${LOSS_NAMES.join(' | ')}`).default(D.loss))
    .option('--steps <n>', 'generator steps to train to (conditional and InfoGAN runs: 5000)', positiveInt, D.steps)
    .option('--batch <n>', 'batch size', positiveInt, D.batch)
    .option('--latent-dim <n>', 'latent size (0 = architecture default: dcgan 100, infogan 62, mlp 8)', nonNegativeInt, D.latentDim)
    .option('--d-steps <k>', 'discriminator steps per generator step (wasserstein-*: 5)', positiveInt, D.dSteps)
    .addOption(new Option('--opt-g <name>', 'generator optimiser (wasserstein-clip: rmsprop)').choices(OPTIMIZER_NAMES).default(D.optG))
    .addOption(new Option('--opt-d <name>', 'discriminator optimiser (wasserstein-clip: rmsprop)').choices(OPTIMIZER_NAMES).default(D.optD))
    .option('--lr-g <x>', 'generator learning rate (wasserstein-clip: 5e-5, wasserstein-gp: 1e-4)', positiveFloat, D.lrG)
    .option('--lr-d <x>', 'discriminator learning rate (wasserstein-clip: 5e-5, wasserstein-gp: 1e-4)', positiveFloat, D.lrD)
    .option('--beta1 <x>', "Adam β1 (SGD momentum with --opt sgd)", unitInterval, D.beta1)
    .option('--beta2 <x>', "Adam β2 (RMSProp's ρ; wasserstein-clip: 0.99, wasserstein-gp: 0.9)", unitInterval, D.beta2)
    .option('--eps <x>', 'optimiser ε', positiveFloat, D.eps)
    .option('--label-smoothing <a>', 'one-sided label smoothing: real target 1 - a (0 = off)', unitInterval, D.labelSmoothing)
    .option('--feature-layer <name>', "feature-matching: D's layer, by name or index (-1 = last hidden)", D.featureLayer)
    .option('--perceptual-model <file>', "perceptual: the fixed network, 'mnist' (shipped digit classifier) or a tfjs model.json", D.perceptualModel)
    .option('--perceptual-layer <name>', "perceptual: its layer, by name or index (default: mnist 'features', else the penultimate)", D.perceptualLayer)
    .option('--clip-value <c>', "wasserstein-clip: clip D's weights to [-c, c]", positiveFloat, D.clipValue)
    .option('--gp-weight <λ>', 'wasserstein-gp: gradient-penalty weight', positiveFloat, D.gpWeight)
    .option('--width <n>', 'MLP width / DCGAN base channels (0 = architecture default)', nonNegativeInt, D.width)
    .option('--depth <n>', 'MLP hidden layers', positiveInt, D.depth)
    .option('--size <n>', 'image side for images:DIR (resize + centre crop)', positiveInt, D.size)
    .addOption(new Option('--channels <n>', 'channels for images:DIR (0 = as the first image)').choices(['0', '1', '3']).default(String(D.channels)))
    .option('--seed <n>', 'random seed: same seed, same backend, same run bit for bit', nonNegativeInt, D.seed)
    .option('--log-every <n>', 'steps between metrics.jsonl lines', positiveInt, D.logEvery)
    .option('--sample-every <n>', 'steps between sample grids', positiveInt, D.sampleEvery)
    .option('--checkpoint-every <n>', 'steps between checkpoints', positiveInt, D.checkpointEvery)
    .option('--keep <n>', 'checkpoints to keep', positiveInt, D.keep)
    .option('--out <dir>', 'run folder (default: runs/<time>-<data>-<arch>)')
    .option('--force', 'overwrite an existing run folder given by --out', false)
    .option('--resume <dir>', 'continue the run in <dir> from its newest good checkpoint (--steps may raise the budget)')
    .addOption(new Option('--backend <name>', 'compute backend').choices(['onnxruntime', 'wasm', 'cpu', 'tensorflow']).default(D.backend))
    .option('--threads <n>', 'wasm threads (default: number of cores)', positiveInt)
    .option('--quiet', 'no progress line', false)
    .option('--ui', 'serve a live page of the run on 127.0.0.1 while training (kept up afterwards until Ctrl-C)', false)
    .option('--port <n>', 'port of the --ui page (0 = any free port)', nonNegativeInt, 8081);
  addStabiliserFlags(cmd);
  addTranslationFlags(addTrainEvalFlags(addConditionalFlags(cmd)))
    .action(async (opts: Record<string, unknown>) => {
      // pix2pix / CycleGAN: another game, another runner (cli/train-translate.ts).
      if (opts.model || (typeof opts.resume === 'string' && isTranslationRun(opts.resume))) return trainTranslation(cmd, opts);
      const given: Partial<TrainConfig> = {};
      // Only the flags the user gave: the rest comes from the loss's paper defaults, then
      // TRAIN_DEFAULTS (resolveConfig), or on --resume from the run's config.json.
      for (const [flag, key] of Object.entries(FLAG_KEYS)) {
        if (cmd.getOptionValueSource(flag) !== 'cli') continue;
        let v = opts[flag];
        if (flag === 'channels') v = Number(v);
        (given as Record<string, unknown>)[key] = v;
      }
      getLoss(given.loss ?? D.loss, given); // fail fast on an unknown loss name or a bad loss option
      const backend = await useBackend((opts.backend as TrainConfig['backend']) ?? D.backend, {
        threads: opts.threads as number | undefined,
      });
      const controller = new AbortController();
      let signalCode = 0;
      const onSignal = (sig: NodeJS.Signals) => {
        if (signalCode) process.exit(sig === 'SIGINT' ? 130 : 143); // second signal: stop now
        signalCode = sig === 'SIGINT' ? 130 : 143;
        process.stderr.write(`\n${sig}: finishing this step and writing a checkpoint…\n`);
        controller.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);

      const tty = process.stderr.isTTY && !opts.quiet;
      const bar = tty ? new cliProgress.SingleBar({ format: '{line}', hideCursor: true, clearOnComplete: false, stream: process.stderr }) : undefined;
      let started = false;
      const evaluation = trainEvaluator(opts, (msg) => process.stderr.write(msg + '\n'));
      const ui = opts.ui ? trainUi(opts.port as number) : undefined;
      let lastStep = 0;
      const result = await runTraining(given, {
        out: opts.out as string | undefined,
        force: Boolean(opts.force),
        resume: opts.resume as string | undefined,
        backend: backend.name,
        signal: controller.signal,
        evaluate: evaluation.evaluate,
        onInfo: (msg) => process.stderr.write(msg + '\n'),
        onStart: ui?.onStart,
        onProgress: (p) => {
          lastStep = p.step;
          ui?.progress(p);
          if (bar) {
            if (!started) { bar.start(p.total, p.step, { line: progressLine(p) }); started = true; }
            bar.update(p.step, { line: progressLine(p) });
          } else if (!opts.quiet && p.logged) { // the run's --log-every, also on --resume
            process.stderr.write(progressLine(p) + '\n');
          }
        },
      }).catch(async (err: unknown) => {
        await ui?.finish(lastStep, { error: err });
        throw err;
      }).finally(async () => {
        await evaluation.close();
        bar?.stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      });
      const rel = path.relative(process.cwd(), result.dir) || '.';
      const out = process.stdout;
      out.write(`run folder: ${rel}  (backend ${backend.name}, ${backend.threads} thread${backend.threads === 1 ? '' : 's'})\n`);
      if (result.samplePath) out.write(`samples:    ${path.relative(process.cwd(), result.samplePath)}\n`);
      out.write(`sample:     npx ganbox sample --run ${rel} --n 64 --out grid.png\n`);
      if (result.interrupted) {
        out.write(`stopped at step ${result.step}; resume with: npx ganbox train --resume ${rel}\n`);
        process.exitCode = signalCode || 130;
      } else {
        out.write(`continue:   npx ganbox train --resume ${rel} --steps ${result.step * 2}\n`);
      }
      await ui?.finish(result.step, result.interrupted ? 'stopped' : 'done');
    });
  return cmd;
}
