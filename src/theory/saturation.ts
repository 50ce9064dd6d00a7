/**
 * Why the non-saturating loss exists (Goodfellow et al. 2014, "Generative Adversarial Nets", §3):
 * "Early in learning, when G is poor, D can reject samples with high confidence … In this case,
 * log(1 − D(G(z))) saturates. Rather than training G to minimize log(1 − D(G(z))) we can train G
 * to maximize log D(G(z)) … [which] provides much stronger gradients early in learning."
 *
 * With the fake logit f and D = σ(f), per sample (n samples, losses/minimax.ts, non-saturating.ts):
 *   minimax         L_G = mean log(1 − σ(f)):  |∂L_G/∂f| = σ(f)/n     = D(G(z))/n
 *   non-saturating  L_G = −mean log σ(f):      |∂L_G/∂f| = (1 − σ(f))/n = (1 − D(G(z)))/n
 * and every gradient G receives is this factor times ∂f/∂θ_G, so as D(G(z)) → 0 the minimax
 * gradient vanishes in proportion while the non-saturating one does not.
 *
 * The experiment is "early in training": an MLP G at its initialisation (models/mlp.ts), fixed,
 * and a D trained against it with the minimax loss. As D learns to reject G's samples, D(G(z))
 * falls; at checkpoints we measure, by autodiff through the library's loss functions, (a) the
 * per-sample gradient w.r.t. the logit (against the closed forms above) and (b) the norm of the
 * gradient w.r.t. all of G's weights, for both losses.
 */
import * as tf from '@tensorflow/tfjs-core';
import { minimax } from '../losses/minimax.js';
import { nonSaturating } from '../losses/non-saturating.js';
import type { GanLoss } from '../losses/types.js';
import { initWeights } from '../models/init.js';
import { mlpGenerator } from '../models/mlp.js';
import { discriminate, generate, trainableVariables, type Discriminator, type Generator } from '../models/types.js';
import type { ChartSpec } from '../plot/index.js';
import { Rng } from '../train/rng.js';
import { critic1d, trainCritic1d } from './critic-1d.js';
import { gaussian, type Density1D } from './densities.js';
import { adamConfig, checkTheoryOptions, type TheoryOptions } from './options.js';

export interface SaturationCheckpoint {
  d_steps: number;
  /** Mean D(G(z)) over the evaluation noise. */
  d_fake_mean: number;
  /** ‖∇_θG L_G‖₂ over all of G's weights. */
  grad_norm_minimax: number;
  grad_norm_non_saturating: number;
}

export interface SaturationResult {
  experiment: 'saturation';
  p_data: string;
  generator: string;
  checkpoints: SaturationCheckpoint[];
  /** Per sample: D(G(z)) and n·|∂L_G/∂logit| by autodiff (closed forms: D and 1 − D). */
  per_sample: { d_fake: number; minimax: number; non_saturating: number }[];
  /** max over samples of |measured − closed form| / closed form, both losses. */
  max_rel_error_closed_form: number;
  /** The last checkpoint's gradient-norm ratio non-saturating / minimax. */
  final_ratio: number;
  seed: number;
  steps: number;
}

export const P_DATA_SATURATION: Density1D = gaussian(3, 0.5);

export const SATURATION_DEFAULTS = {
  steps: 500, // D steps
  batch: 256,
  lr: 5e-3,
  width: 32, // D: 2 × 32
  depth: 2,
  evalSamples: 256,
} as const;

export type SaturationOptions = TheoryOptions;

/** Checkpoints: 0, then roughly log-spaced D steps up to `steps`. */
function checkpointSteps(steps: number): number[] {
  const s = new Set<number>([0, steps]);
  for (let v = 1; v < steps; v = Math.ceil(v * 1.6)) s.add(v);
  return [...s].sort((a, b) => a - b);
}

function globalNorm(grads: tf.NamedTensorMap): number {
  return tf.tidy(() => Math.sqrt(Object.values(grads).reduce((acc, g) => acc + tf.sum(tf.square(g)).dataSync()[0]!, 0)));
}

function measure(g: Generator, d: Discriminator, z: tf.Tensor2D, gVars: tf.Variable[]) {
  return tf.tidy(() => {
    const n = z.shape[0];
    const fake = generate(g, z, false); // [n, 1]
    const logit = discriminate(d, fake, false).logit; // [n, 1]
    const dFake = tf.sigmoid(logit).dataSync();
    const perLogit = (loss: GanLoss) => tf.mul(tf.abs(tf.grad((l: tf.Tensor) => loss.generator(l))(logit)), n).dataSync();
    const norm = (loss: GanLoss) => globalNorm(tf.variableGrads(() => loss.generator(discriminate(d, generate(g, z, false), false).logit), gVars).grads);
    return { dFake, mm: perLogit(minimax), ns: perLogit(nonSaturating), normMm: norm(minimax), normNs: norm(nonSaturating) };
  });
}

export function saturation(options: SaturationOptions = {}): SaturationResult {
  const o = checkTheoryOptions(options, SATURATION_DEFAULTS);
  const g = mlpGenerator({ latentDim: 1, outputDim: 1, width: 32, depth: 2 });
  initWeights(g.model, new Rng(o.seed * 1031 + 1), { kernelStd: 'lecun' });
  const d = critic1d({ width: o.width, depth: o.depth }, o.seed * 1031 + 2);
  const gVars = trainableVariables(g.model);
  const z = tf.tensor2d(new Rng(o.seed * 1031 + 3).normalArray(SATURATION_DEFAULTS.evalSamples), [SATURATION_DEFAULTS.evalSamples, 1]);
  // G's samples, drawn afresh each D step: G(z), z ~ N(0, 1).
  const fixedG = {
    draw: (rng: Rng, n: number) => tf.tidy(() => generate(g, tf.tensor2d(rng.normalArray(n), [n, 1]), false).dataSync() as Float32Array),
  };
  const checkpoints: SaturationCheckpoint[] = [];
  const perSample: SaturationResult['per_sample'] = [];
  let maxRel = 0;
  let done = 0;
  try {
    for (const k of checkpointSteps(o.steps)) {
      if (k > done) {
        trainCritic1d(d, {
          real: { density: P_DATA_SATURATION }, fake: fixedG, loss: minimax, steps: k - done,
          batch: o.batch, optimizer: adamConfig(o.lr), seed: o.seed * 1031 + 10 + k,
        });
        done = k;
      }
      const m = measure(g, d, z, gVars);
      let sum = 0;
      for (let i = 0; i < m.dFake.length; i++) {
        const dv = m.dFake[i]!;
        sum += dv;
        maxRel = Math.max(maxRel, Math.abs(m.mm[i]! - dv) / dv, Math.abs(m.ns[i]! - (1 - dv)) / (1 - dv));
        if (i % 16 === 0) perSample.push({ d_fake: dv, minimax: m.mm[i]!, non_saturating: m.ns[i]! });
      }
      checkpoints.push({ d_steps: k, d_fake_mean: sum / m.dFake.length, grad_norm_minimax: m.normMm, grad_norm_non_saturating: m.normNs });
    }
  } finally {
    z.dispose();
    g.model.dispose();
    d.model.dispose();
  }
  const last = checkpoints[checkpoints.length - 1]!;
  return {
    experiment: 'saturation',
    p_data: P_DATA_SATURATION.label,
    generator: 'MLP 2 × 32, z ∈ R¹, at its initialisation (fixed)',
    checkpoints,
    per_sample: perSample,
    max_rel_error_closed_form: maxRel,
    final_ratio: last.grad_norm_non_saturating / last.grad_norm_minimax,
    seed: o.seed,
    steps: o.steps,
  };
}

/** Left: per-sample |∂L_G/∂logit| vs D(G(z)) with the closed forms; right: ‖∇_θG L_G‖ during D's training. */
export function saturationChart(r: SaturationResult): ChartSpec {
  const lo = Math.max(1e-6, Math.min(...r.per_sample.map((p) => p.d_fake)) / 2);
  const grid = Array.from({ length: 81 }, (_, i) => lo * Math.pow(1 / lo, i / 80)).map((v) => Math.min(v, 0.999));
  const MM = 'minimax: E log(1 − D(G(z)))', NS = 'non-saturating: −E log D(G(z))';
  const color = { field: 'loss', type: 'nominal', title: null, scale: { domain: [MM, NS], range: ['#d62728', '#1f77b4'] }, legend: { orient: 'top', labelLimit: 400 } } as const;
  const xLog = { field: 'd', type: 'quantitative', title: 'D(G(z))', scale: { type: 'log' } } as const;
  const last = r.checkpoints[r.checkpoints.length - 1]!;
  return {
    title: {
      text: 'Saturation: the gradient G receives (Goodfellow et al. 2014, §3)',
      subtitle: [
        'G fixed at its initialisation; D trained against it (minimax loss) makes D(G(z)) fall, as early in training.',
        `After ${last.d_steps} D steps: mean D(G(z)) = ${last.d_fake_mean.toExponential(2)}, ‖∇θG‖ minimax ${last.grad_norm_minimax.toExponential(2)}` +
          ` vs non-saturating ${last.grad_norm_non_saturating.toExponential(2)} (${r.final_ratio.toFixed(0)}×)`,
      ],
    },
    hconcat: [
      {
        width: 330, height: 300,
        title: { text: 'per sample: n·|∂L_G/∂logit|  (lines: D and 1 − D)', fontSize: 12 },
        layer: [
          {
            data: { values: grid.flatMap((v) => [{ d: v, g: v, loss: MM }, { d: v, g: 1 - v, loss: NS }]) },
            mark: { type: 'line', strokeWidth: 1.5 },
            encoding: { x: xLog, y: { field: 'g', type: 'quantitative', title: 'gradient magnitude', scale: { type: 'log' } }, color },
          },
          {
            data: { values: r.per_sample.flatMap((p) => [{ d: p.d_fake, g: p.minimax, loss: MM }, { d: p.d_fake, g: p.non_saturating, loss: NS }]) },
            mark: { type: 'point', size: 25 },
            encoding: { x: xLog, y: { field: 'g', type: 'quantitative' }, color },
          },
        ],
      },
      {
        width: 330, height: 300,
        title: { text: '‖∇ of L_G w.r.t. all of G\'s weights‖ vs mean D(G(z))', fontSize: 12 },
        data: { values: r.checkpoints.flatMap((c) => [{ d: c.d_fake_mean, g: c.grad_norm_minimax, loss: MM, k: c.d_steps }, { d: c.d_fake_mean, g: c.grad_norm_non_saturating, loss: NS, k: c.d_steps }]) },
        mark: { type: 'line', point: true },
        encoding: {
          x: { ...xLog, title: 'mean D(G(z)) (falls as D trains)' },
          y: { field: 'g', type: 'quantitative', title: '‖∇θG L_G‖₂', scale: { type: 'log' } },
          color, order: { field: 'k', type: 'quantitative' },
        },
      },
    ],
  } as ChartSpec;
}
