/**
 * `npm run bench:translate -- [--run DIR ...] [--n 1000] [--backend onnxruntime] [--threads N]`: scores translation runs
 * on the digit tasks (src/evaluate/translation-digits.ts) and prints one line per direction and a
 * JSON summary. Without --run it trains the two reference runs first, small (32×32):
 *   pix2pix  mnist-edges     U-Net/PatchGAN width 16, batch 8, 1,500 steps
 *   cyclegan mnist-inverted  ResNet (3 blocks, no stride-2 step at 32 px)/PatchGAN width 16, batch 1, 3,000 steps
 * Bars (issue 13): pix2pix ≥ 90 % label agreement and L1 well below the input's; CycleGAN ≥ 90 %
 * in both directions (measured: bench/translation-results.md).
 * Also `--cache DIR_A,DIR_B [--load-size L]`: times a cold and a warm open of unpaired:DIR_A,DIR_B
 * (the decode cache's speed-up; the bar is ≥ 10×); with `--cache-dir DIR` it opens once with that
 * cache and prints the time and the process's peak RSS (run it twice: cold, then warm).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useBackend } from '../src/backend/index.js';
import { openTranslationData } from '../src/data/paired.js';
import type { DigitTask } from '../src/data/digit-tasks.js';
import { loadMnistClassifierSync } from '../src/features/mnist-classifier.js';
import { scoreDigitTask } from '../src/evaluate/translation-digits.js';
import { loadTranslationRun, runTranslation } from '../src/train/translation-run.js';

const args = process.argv.slice(2);
const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const all = (name: string) => args.flatMap((a, i) => (a === name ? [args[i + 1]!] : []));

async function cacheBench(spec: string): Promise<void> {
  const loadSize = Number(flag('--load-size') ?? 286);
  const keep = flag('--cache-dir');
  if (keep) {
    // One open per process, so /usr/bin/time -v gives each start's own peak RSS: run it twice.
    const t = performance.now();
    const d = await openTranslationData(`unpaired:${spec}`, { loadSize, cache: keep });
    console.log(`open (${d.cache}): ${((performance.now() - t) / 1000).toFixed(2)} s for ${d.a.length + d.b.length} images at ${loadSize} px, ` +
      `${(d.memoryBytes / 1024 ** 2).toFixed(1)} MiB decoded; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
    return;
  }
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-cache-bench-'));
  // Wall time, and CPU time of this process and its decode workers (the fairer number on a busy machine).
  const time = async () => {
    const t = performance.now();
    const u = process.cpuUsage();
    const d = await openTranslationData(`unpaired:${spec}`, { loadSize, cache });
    const c = process.cpuUsage(u);
    return { s: (performance.now() - t) / 1000, cpu: (c.user + c.system) / 1e6, d };
  };
  const cold = await time();
  const warm = await time();
  console.log(`decode cache: cold ${cold.s.toFixed(2)} s (${cold.d.cache}), warm ${warm.s.toFixed(2)} s (${warm.d.cache}), ` +
    `speed-up ${(cold.s / warm.s).toFixed(1)}× wall; CPU ${cold.cpu.toFixed(2)} s vs ${warm.cpu.toFixed(2)} s, ${(cold.cpu / warm.cpu).toFixed(1)}×; for ${cold.d.a.length + cold.d.b.length} images at ${loadSize} px, ${(cold.d.memoryBytes / 1024 ** 2).toFixed(1)} MB`);
  fs.rmSync(cache, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const cacheSpec = flag('--cache');
  if (cacheSpec) return cacheBench(cacheSpec);
  const threads = flag('--threads');
  await useBackend((flag('--backend') as 'onnxruntime' | 'wasm' | 'cpu') ?? 'onnxruntime', { threads: threads ? Number(threads) : undefined });
  const n = Number(flag('--n') ?? 1000);
  let runs = all('--run');
  if (runs.length === 0) {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-bench-translate-'));
    const common = { size: 32, loadSize: 32, flip: false, width: 16, dWidth: 16, logEvery: 50, sampleEvery: 500, checkpointEvery: 500 };
    await runTranslation({ ...common, model: 'pix2pix', data: 'mnist-edges', batch: 8, steps: 1500 }, { out: path.join(base, 'pix2pix') });
    await runTranslation({ ...common, model: 'cyclegan', data: 'mnist-inverted', batch: 1, steps: 3000, blocks: 3 }, { out: path.join(base, 'cyclegan') });
    runs = [path.join(base, 'pix2pix'), path.join(base, 'cyclegan')];
  }
  const classifier = loadMnistClassifierSync();
  const summary: unknown[] = [];
  for (const dir of runs) {
    const { trainer, step } = loadTranslationRun(dir);
    const task = trainer.config.data as DigitTask;
    for (const s of scoreDigitTask(trainer, task, classifier, n)) {
      const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
      console.log(`${trainer.config.model} ${task} ${s.direction} (step ${step}, n ${s.n}): label agreement ${pct(s.labelAgreement)} ` +
        `(classifier on targets ${pct(s.targetAccuracy)}); L1 to target ${s.l1Output.toFixed(4)} vs input ${s.l1Input.toFixed(4)}` +
        (s.l1Cycle !== undefined ? `; reconstruction L1 ${s.l1Cycle.toFixed(4)}` : ''));
      summary.push({ run: dir, model: trainer.config.model, task, step, ...s });
    }
    trainer.dispose();
  }
  classifier.dispose();
  console.log(JSON.stringify(summary));
}

await main();
