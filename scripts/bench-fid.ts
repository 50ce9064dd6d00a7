/**
 * Times ganbox's Fréchet distance on 2048-d statistics against pytorch-fid's (scipy.linalg.sqrtm),
 * on the same matrices, one after the other on this machine. Not a test.
 *
 *   node --import tsx scripts/bench-fid.ts [--python /usr/bin/python3] [--repeat 2]
 *
 * Python (numpy + scipy) builds two pairs of covariances from seeded Gaussian features —
 * 'N<D' (1000 samples each: rank 999, the near-singular case) and 'full' (10000 and 8000 samples) —
 * writes them as .npy to a temporary folder, and times calculate_frechet_distance as pytorch-fid
 * computes it. Then ganbox reads the same files and times frechetDistance (and its traceSqrtProduct).
 * The machine may be shared: each side reports its best of --repeat runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy } from '../src/io/npy.js';
import { frechetDistance } from '../src/metrics/frechet.js';

const args = process.argv.slice(2);
const flag = (name: string, def: string) => { const i = args.indexOf(name); return i >= 0 && args[i + 1] ? args[i + 1]! : def; };
const python = flag('--python', '/usr/bin/python3');
const repeat = Number(flag('--repeat', '2'));
const dir = mkdtempSync(join(tmpdir(), 'ganbox-bench-fid-'));

const PY = String.raw`
import json, sys, time
import numpy as np, scipy, scipy.linalg
out_dir, repeat = sys.argv[1], int(sys.argv[2])
def feats(rng, n, d=2048, rank=64):
    u = rng.standard_normal((d, rank)) / np.sqrt(rank)
    z = rng.standard_normal((n, rank)) * np.linspace(3, 0.3, rank)
    return np.maximum(z @ u.T + 0.3 * rng.standard_normal((n, d)) + 0.5, 0)
def fid(mu1, s1, mu2, s2, eps=1e-6):  # pytorch-fid's calculate_frechet_distance
    diff = mu1 - mu2
    covmean, _ = scipy.linalg.sqrtm(s1.dot(s2), disp=False)
    if not np.isfinite(covmean).all():
        offset = np.eye(s1.shape[0]) * eps
        covmean = scipy.linalg.sqrtm((s1 + offset).dot(s2 + offset))
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    return diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean)
res = {"numpy": np.__version__, "scipy": scipy.__version__, "cases": {}}
for name, n1, n2 in [("N<D", 1000, 1000), ("full", 10000, 8000)]:
    rng = np.random.default_rng(0)
    a, b = feats(rng, n1), feats(rng, n2)
    stats = []
    for tag, x in (("1", a), ("2", b)):
        mu, s = x.mean(0), np.cov(x, rowvar=False)
        np.save(f"{out_dir}/{name}_mu{tag}.npy", mu); np.save(f"{out_dir}/{name}_s{tag}.npy", s)
        stats += [mu, s]
    times = []
    for _ in range(repeat):
        t = time.perf_counter(); value = fid(*stats); times.append(time.perf_counter() - t)
    res["cases"][name] = {"fid": float(value), "seconds": min(times), "n1": n1, "n2": n2}
print(json.dumps(res))
`;

console.log(`python: ${python}; generating statistics in ${dir} …`);
const py = spawnSync(python, ['-c', PY, dir, String(repeat)], { encoding: 'utf8', maxBuffer: 1 << 20 });
if (py.status !== 0) {
  console.error(`the Python side failed (needs numpy and scipy: ${python}):\n${py.stderr}`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}
const ref = JSON.parse(py.stdout.trim().split('\n').pop()!) as {
  numpy: string; scipy: string; cases: Record<string, { fid: number; seconds: number; n1: number; n2: number }>;
};
console.log(`numpy ${ref.numpy}, scipy ${ref.scipy}; node ${process.version}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
const load = (name: string) => readNpy(readFileSync(join(dir, name)), name).data as Float64Array;
for (const [name, r] of Object.entries(ref.cases)) {
  const s1 = { mu: load(`${name}_mu1.npy`), sigma: load(`${name}_s1.npy`), n: r.n1 };
  const s2 = { mu: load(`${name}_mu2.npy`), sigma: load(`${name}_s2.npy`), n: r.n2 };
  let best = Infinity;
  let value = NaN, rank = 0;
  for (let k = 0; k < repeat; k++) {
    const t = performance.now();
    const f = frechetDistance(s1, s2);
    best = Math.min(best, (performance.now() - t) / 1000);
    value = f.value; rank = f.rank;
  }
  const rel = Math.abs(value - r.fid) / Math.abs(r.fid);
  console.log(
    `${name.padEnd(5)} 2048-d, N = ${r.n1}/${r.n2}: scipy sqrtm FID ${r.seconds.toFixed(2)} s | ganbox ${best.toFixed(2)} s ` +
      `(rank ${rank}) | ratio ${(r.seconds / best).toFixed(2)}× | FID ${value.toFixed(6)} vs ${r.fid.toFixed(6)} (rel ${rel.toExponential(2)})`,
  );
}
rmSync(dir, { recursive: true, force: true });
