import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grid25, moons, ring8, type GaussianMixture2D } from '../../src/data/toy2d.js';
import { Rng } from '../../src/train/rng.js';

/** Riemann sum of exp(logDensity) over [x0,x1]×[y0,y1] with spacing h (cell centres). */
function integrate(logDensity: (p: Float64Array) => Float64Array, x0: number, x1: number, y0: number, y1: number, h: number): number {
  const nx = Math.round((x1 - x0) / h), ny = Math.round((y1 - y0) / h);
  const pts = new Float64Array(2 * nx * ny);
  for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) {
    pts[2 * (i * ny + j)] = x0 + (i + 0.5) * h;
    pts[2 * (i * ny + j) + 1] = y0 + (j + 0.5) * h;
  }
  let s = 0;
  for (const v of logDensity(pts)) s += Math.exp(v);
  return s * h * h;
}

/** Samples grouped by nearest mode: per-component count, mean and std (pooled over x and y). */
function components(toy: GaussianMixture2D, n: number, seed: number) {
  const ex = toy.sample(n, new Rng(seed));
  const K = toy.modes.length;
  const count = new Array<number>(K).fill(0), sx = new Array<number>(K).fill(0), sy = new Array<number>(K).fill(0), ss = new Array<number>(K).fill(0);
  let maxDist = 0;
  for (let i = 0; i < n; i++) {
    const x = ex.x[2 * i]!, y = ex.x[2 * i + 1]!;
    let best = 0, bestD = Infinity;
    toy.modes.forEach(([mx, my], k) => { const d = Math.hypot(x - mx, y - my); if (d < bestD) { bestD = d; best = k; } });
    maxDist = Math.max(maxDist, bestD);
    count[best]!++; sx[best]! += x; sy[best]! += y;
  }
  const mean = toy.modes.map((_, k) => [sx[k]! / count[k]!, sy[k]! / count[k]!] as const);
  for (let i = 0; i < n; i++) {
    const x = ex.x[2 * i]!, y = ex.x[2 * i + 1]!;
    let best = 0, bestD = Infinity;
    toy.modes.forEach(([mx, my], k) => { const d = Math.hypot(x - mx, y - my); if (d < bestD) { bestD = d; best = k; } });
    ss[best]! += (x - mean[best]![0]) ** 2 + (y - mean[best]![1]) ** 2;
  }
  const std = ss.map((v, k) => Math.sqrt(v / (2 * count[k]! - 2)));
  return { count, mean, std, maxDist };
}

for (const [toy, perComp] of [[ring8(), 2500], [grid25(), 1000]] as const) {
  test(`${toy.spec}: component weights, means and stds match the spec`, () => {
    const K = toy.modes.length;
    const n = K * perComp;
    const { count, mean, std, maxDist } = components(toy, n, 1);
    const p = 1 / K;
    const sdCount = Math.sqrt(n * p * (1 - p));
    toy.modes.forEach(([mx, my], k) => {
      assert.ok(Math.abs(count[k]! - n * p) < 5 * sdCount, `count ${k}`); // 5 binomial SDs
      const se = toy.std / Math.sqrt(count[k]!); // standard error of a component mean
      assert.ok(Math.abs(mean[k]![0] - mx) < 5 * se && Math.abs(mean[k]![1] - my) < 5 * se, `mean ${k}`);
      // the std estimate from 2·count values has relative SE ≈ 1/√(4·count) ≤ 1.6%; allow 5 SE
      assert.ok(Math.abs(std[k]! / toy.std - 1) < 5 / Math.sqrt(4 * count[k]!), `std ${k}: ${std[k]}`);
    });
    // P(radius > 5σ) = e^{-12.5} ≈ 3.7e-6 per sample; with this seed and n ≤ 25,000 none occurs.
    assert.ok(maxDist < 5 * toy.std, `max distance to a mode ${maxDist}`);
  });

  test(`${toy.spec}: logDensity at a centre is log(w/(2πσ²)) and the density integrates to 1`, () => {
    const w = 1 / toy.modes.length;
    const closed = Math.log(w / (2 * Math.PI * toy.std ** 2));
    const at = toy.logDensity(toy.modes.flat());
    // the other components lie ≥ 1.5 units = 30σ away: exp(−450) contributes nothing in float64
    for (const v of at) assert.ok(Math.abs(v - closed) < 1e-12, `${v} vs ${closed}`);
    // Grid spacing σ/2: the midpoint rule's error on a Gaussian is ~exp(−2π²·4) ≈ 1e-34; the box
    // reaches ≥ 10σ past every centre, so the missing mass is < e^{−50}; what is left is float64
    // summation error (measured ~1e-14). 1e-9 is far inside the required 1e-3.
    const edge = toy.spec === 'ring8' ? 2.2 : 4.5;
    const total = integrate((p) => toy.logDensity(p), -edge, edge, -edge, edge, toy.std / 2);
    assert.ok(Math.abs(total - 1) < 1e-9, `integral ${total}`);
  });
}

test('moons: sample moments match the closed forms', () => {
  const n = 40000;
  const ex = moons().sample(n, new Rng(3));
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += ex.x[2 * i]!; my += ex.x[2 * i + 1]!; }
  mx /= n; my /= n;
  let vx = 0, vy = 0;
  for (let i = 0; i < n; i++) { vx += (ex.x[2 * i]! - mx) ** 2; vy += (ex.x[2 * i + 1]! - my) ** 2; }
  vx /= n - 1; vy /= n - 1;
  // E = (½, ¼); Var x = 1 − ¼ + σ² = 0.76; Var y = 5/8 − 1/π − 1/16 + σ² ≈ 0.2542 (arc averages
  // of cos², (1−cos)², sin², (½−sin)² over t ~ U[0, π]).
  const varX = 0.76, varY = 0.625 - 1 / Math.PI - 0.0625 + 0.01;
  assert.ok(Math.abs(mx - 0.5) < 5 * Math.sqrt(varX / n), `mean x ${mx}`); // 5 standard errors
  assert.ok(Math.abs(my - 0.25) < 5 * Math.sqrt(varY / n), `mean y ${my}`);
  assert.ok(Math.abs(vx / varX - 1) < 0.05 && Math.abs(vy / varY - 1) < 0.05, `var ${vx} ${vy}`); // ~4 SE of a variance at n = 40k
  const m = moons();
  assert.equal(m.modes.length, 16);
  for (const [x, y] of m.modes.slice(0, 8)) assert.ok(Math.abs(Math.hypot(x, y) - 1) < 1e-12 && y > 0); // on the outer arc
  for (const [x, y] of m.modes.slice(8)) assert.ok(Math.abs(Math.hypot(x - 1, y - 0.5) - 1) < 1e-12 && y < 0.5); // on the inner arc
});

/** Independent reference: Simpson with 65,536 intervals per arc over t, summed in log space. */
function moonsReference(x: number, y: number): number {
  const M = 65536, h = Math.PI / M, s2 = 0.01;
  let mx = -Infinity;
  const terms = new Float64Array(2 * (M + 1));
  for (let arc = 0; arc < 2; arc++) for (let i = 0; i <= M; i++) {
    const t = i * h;
    const ax = arc === 0 ? Math.cos(t) : 1 - Math.cos(t), ay = arc === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    const v = Math.log(((i === 0 || i === M ? 1 : i % 2 ? 4 : 2) * h) / 3 / (2 * Math.PI)) - ((x - ax) ** 2 + (y - ay) ** 2) / (2 * s2);
    terms[arc * (M + 1) + i] = v;
    if (v > mx) mx = v;
  }
  let s = 0;
  for (const v of terms) s += Math.exp(v - mx);
  return mx + Math.log(s) - Math.log(2 * Math.PI * s2);
}

test('moons: logDensity matches a brute-force quadrature, near and far, and is point-symmetric', () => {
  const m = moons();
  const near: number[] = [], far: number[] = [];
  for (let x = -1.6; x <= 2.6; x += 0.3) for (let y = -1.1; y <= 1.6; y += 0.3) near.push(x, y);
  far.push(10, 10, -11, 0, 1, -8, -3, -0.01, 4, 0.49);
  const ln = m.logDensity(near), lf = m.logDensity(far);
  // Reference's own Simpson error is ~1e-11 here; ours is measured < 1e-10.
  for (let i = 0; i < ln.length; i++) assert.ok(Math.abs(ln[i]! - moonsReference(near[2 * i]!, near[2 * i + 1]!)) < 1e-9, `near ${i}`);
  // Far away (log p down to −7700) the integrand is a sharp exponential at an arc end; both
  // methods agree to ~2e-8 absolute, i.e. ~1e-12 relative in log p.
  for (let i = 0; i < lf.length; i++) assert.ok(Math.abs(lf[i]! - moonsReference(far[2 * i]!, far[2 * i + 1]!)) < 1e-6, `far ${i}`);
  // make_moons is symmetric under x → (1, ½) − x
  const mirrored = near.map((v, i) => (i % 2 === 0 ? 1 - v : 0.5 - v));
  const lm = m.logDensity(mirrored);
  for (let i = 0; i < ln.length; i++) assert.ok(Math.abs(ln[i]! - lm[i]!) < 1e-9);
});

test('moons: the density integrates to 1', () => {
  // Box reaches 7σ past the arcs (missing mass < 1e-10); spacing σ/5 on a density smooth at scale
  // σ (measured error 7e-12); quadrature error < 1e-9 relative. Tolerance 1e-8 covers both.
  const total = integrate((p) => moons().logDensity(p), -1.7, 2.7, -1.2, 1.7, 0.02);
  assert.ok(Math.abs(total - 1) < 1e-8, `integral ${total}`);
});

test('toys: sampling is a function of the Rng state only', () => {
  for (const toy of [ring8(), grid25(), moons()]) {
    const a = new Rng(42), b = new Rng(42);
    a.uniform(); b.uniform();
    const sa = toy.sample(100, Rng.fromState(a.getState()));
    assert.deepEqual(sa.x, toy.sample(100, b).x);
    assert.notDeepEqual(sa.x, toy.sample(100, new Rng(43)).x);
    assert.equal(sa.labels, undefined);
  }
});
