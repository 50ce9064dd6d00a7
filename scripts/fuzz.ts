/**
 * The long fuzz run, outside the test suite (issue 6.4):
 *   npm run fuzz -- --cases 100000 --seed 1 [--target png,npy] [--out DIR]
 * Same targets, mutators and checks as test/reliability/fuzz.test.ts; prints the counts per
 * target every 5,000 cases and at the end, and writes each failing input to --out (default
 * fuzz-failures/) as <target>-<case>.bin with its message. Exits 1 if any case failed.
 * Case i of seed S is reproducible alone: `--from i --cases 1 --seed S` (with the same --target list).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { makeTargets } from '../test/reliability/fuzz-targets.js';
import { runFuzz, type FuzzReport } from '../test/reliability/fuzz-runner.js';

const { values: a } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    from: { type: 'string', default: '0' },
    target: { type: 'string' },
    out: { type: 'string', default: 'fuzz-failures' },
  },
});

async function main(): Promise<number> {
  await tf.setBackend('cpu');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ganbox-fuzz-'));
  let targets = await makeTargets(work);
  if (a.target) {
    const want = a.target.split(',');
    targets = targets.filter((t) => want.includes(t.name));
    if (!targets.length) throw new Error(`--target: none of ${want.join(', ')}`);
  }
  const cases = Number(a.cases), seed = Number(a.seed), from = Number(a.from);
  const t0 = performance.now();
  const print = (r: FuzzReport) => {
    const per = Object.entries(r.byTarget).map(([n, s]) => `${n} ${s.cases} (${s.parsed} parsed, ${s.refused} refused)`).join('; ');
    process.stdout.write(`${r.cases} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${r.failures.length} failures, ` +
      `slowest ${r.slowestMs.toFixed(0)} ms (${r.stalls} machine stalls re-timed), memory growth ≤ ${r.maxGrowthMB.toFixed(0)} MB | ${per}\n`);
  };
  let shown = 0;
  const report = await runFuzz({
    targets, cases, seed, from,
    onProgress: (r) => {
      if (r.cases % 5000 === 0) print(r);
      for (; shown < r.failures.length; shown++) {
        const f = r.failures[shown]!;
        process.stdout.write(`FAIL ${f.target} case ${f.index} (${f.kind}): ${f.message}\n`);
      }
    },
  });
  print(report);
  if (report.failures.length) {
    fs.mkdirSync(a.out!, { recursive: true });
    for (const f of report.failures) {
      fs.writeFileSync(path.join(a.out!, `${f.target}-${f.index}.bin`), f.input);
      fs.writeFileSync(path.join(a.out!, `${f.target}-${f.index}.txt`), `${f.kind}: ${f.message}\n`);
    }
    const kinds = new Map<string, number>();
    for (const f of report.failures) {
      const k = `${f.target} ${f.kind}: ${f.message.replace(/\d+/g, 'N').slice(0, 160)}`;
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    for (const [k, n] of kinds) process.stdout.write(`${n}× ${k}\n`);
    process.stdout.write(`failing inputs written to ${a.out}/\n`);
  }
  fs.rmSync(work, { recursive: true, force: true });
  return report.failures.length ? 1 : 0;
}

process.exitCode = await main();
