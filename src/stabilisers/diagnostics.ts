/**
 * Collapse diagnostics: numbers logged beside the losses in metrics.jsonl that tell the usual
 * failures apart, and a one-line warning naming a detected failure and its remedies.
 *
 * Per step (from the trainer's last D and G steps): D's accuracy on real (logit > 0) and fake
 * (logit < 0) batches, the logit gap E[D(x)] − E[D(G(z))] (raw outputs), and the global gradient
 * norms ‖∇_θD L_D‖₂ and ‖∇_θG L_G‖₂.
 *
 * Per logged step, from the sampling generator (EMA with --ema) on a fixed noise batch, so the
 * numbers are comparable over the run and the same after --resume:
 *   diversity = mean pairwise ‖G(z_i) − G(z_j)‖₂ / the same over a fixed real batch (≈ 1 healthy,
 *               ≪ 1 collapsed; a simple cousin of the MS-SSIM diversity of Odena et al. 2017);
 *   2-D toys, the PacGAN protocol (Lin et al. 2018, §5; Srivastava et al. 2017, VEEGAN §5.1):
 *     modes_covered — modes with ≥ 1 high-quality sample (within 3σ of the mode's centre),
 *     hq_fraction — the fraction of high-quality samples,
 *     kl_modes — KL(q ‖ uniform) of the histogram q of high-quality samples over the modes:
 *                Σ_{m: q_m > 0} q_m log(q_m · K), K = the number of modes (0 = perfectly balanced).
 */
import { modeCoverage } from '../metrics/toy-modes.js';
import type { ToyDistribution } from '../data/source.js';

export interface StepDiagnostics {
  d_acc_real: number;
  d_acc_fake: number;
  logit_gap: number;
  grad_norm_d: number;
  grad_norm_g: number;
}

export interface SampleDiagnostics {
  diversity: number;
  modes_covered?: number;
  modes_total?: number;
  hq_fraction?: number;
  kl_modes?: number;
}

/** Mean pairwise Euclidean distance of n rows of length d (float64 sums). */
export function meanPairwiseDistance(x: ArrayLike<number>, n: number, d: number): number {
  if (n < 2) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let q = 0;
      for (let k = 0; k < d; k++) {
        const t = x[i * d + k]! - x[j * d + k]!;
        q += t * t;
      }
      s += Math.sqrt(q);
    }
  }
  return s / ((n * (n - 1)) / 2);
}

/** Modes covered, high-quality fraction and KL(histogram of HQ samples over modes ‖ uniform). */
export function modeDiagnostics(dist: Pick<ToyDistribution, 'modes' | 'std'>, samples: ArrayLike<number>) {
  const cov = modeCoverage(dist, samples);
  const k = cov.modeCount;
  const total = cov.perMode.reduce((a, b) => a + b, 0);
  const out: { modes_covered: number; modes_total: number; hq_fraction: number; kl_modes?: number } =
    { modes_covered: cov.modesCovered, modes_total: k, hq_fraction: cov.highQualityFraction };
  // No high-quality sample: the histogram is empty and the KL undefined (left out of the row).
  if (total > 0) {
    let kl = 0;
    for (const c of cov.perMode) if (c > 0) { const q = c / total; kl += q * Math.log(q * k); }
    out.kl_modes = kl;
  }
  return out;
}

export type FailureKind = 'mode-collapse' | 'd-wins' | 'exploding-gradients';

/** The failure one logged row shows, with the one-line warning naming it and its remedies. */
export function detectFailure(row: Partial<StepDiagnostics & SampleDiagnostics>): { kind: FailureKind; message: string } | undefined {
  if (row.modes_covered !== undefined && row.modes_total !== undefined && row.modes_covered < row.modes_total / 2) {
    return {
      kind: 'mode-collapse',
      message: `mode collapse: ${row.modes_covered} of ${row.modes_total} modes covered; try --preset coverage, --pack 2, --unroll 5 or --minibatch-disc`,
    };
  }
  if (row.modes_total === undefined && row.diversity !== undefined && row.diversity < 0.2) {
    return {
      kind: 'mode-collapse',
      message: `mode collapse: samples of the fixed noise batch are ${row.diversity.toFixed(2)}× as varied as real data; try --preset coverage, --mbstd, --minibatch-disc or --pack 2`,
    };
  }
  if ((row.grad_norm_d ?? 0) > 1e3) {
    return {
      kind: 'exploding-gradients',
      message: `exploding gradients: ‖∇D‖ = ${row.grad_norm_d!.toExponential(1)}; try --spectral-norm, --r1 10 or a lower --lr-d`,
    };
  }
  if ((row.d_acc_real ?? 0) >= 0.99 && (row.d_acc_fake ?? 0) >= 0.99 && (row.logit_gap ?? 0) > 10) {
    return {
      kind: 'd-wins',
      message: `D wins: it separates real from fake perfectly (logit gap ${row.logit_gap!.toFixed(1)}), G's gradients vanish; try --r1 10, --spectral-norm, --augment translation,cutout,color or --label-smoothing 0.1`,
    };
  }
  return undefined;
}
