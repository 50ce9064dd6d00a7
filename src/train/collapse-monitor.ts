/**
 * The sample-based collapse diagnostics of a run (stabilisers/diagnostics.ts) at each logged step:
 * the sampling generator (EMA with --ema) on a fixed noise batch from its own random stream, so
 * the numbers are comparable across the run and identical after --resume; and the one-line
 * warning, once per kind of failure.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DataSource, ToyDistribution } from '../data/source.js';
import { detectFailure, meanPairwiseDistance, modeDiagnostics, type FailureKind, type SampleDiagnostics, type StepDiagnostics } from '../stabilisers/diagnostics.js';
import { Rng } from './rng.js';
import type { GanTrainer } from './trainer.js';

/** 2,500 points: the PacGAN protocol's sample size; 64 images: one grid, cheap for a DCGAN. */
const POINTS = 2500;
const IMAGES = 64;
/**
 * No warning before this step: a freshly initialised G maps all noise to nearly the same output,
 * so early rows always look "collapsed" (a 2-step run measured 0.02× the real diversity).
 */
const WARN_AFTER_STEP = 200;

export class CollapseMonitor {
  private readonly z: tf.Tensor2D;
  private readonly realDiversity: number;
  private readonly toy: ToyDistribution | undefined;
  private readonly warned = new Set<FailureKind>();
  private readonly size: number;

  constructor(private readonly trainer: GanTrainer, data: DataSource, seed: number) {
    const n = data.kind === 'points' ? POINTS : IMAGES;
    this.size = data.shape.reduce((a, b) => a * b, 1);
    const rng = new Rng(seed).fork(7); // apart from training's streams (forks 1–6)
    this.z = trainer.noise(n, rng);
    const m = Math.min(IMAGES, data.finite ? data.length : IMAGES);
    const real = data.finite ? data.take(Array.from({ length: m }, (_, i) => i)) : data.sample(m, rng);
    this.realDiversity = meanPairwiseDistance(real.x, m, this.size);
    // moons has no mode list: only ring8 and grid25 get the mode counts.
    this.toy = 'modes' in data && (data as ToyDistribution).modes.length > 0 ? (data as ToyDistribution) : undefined;
  }

  measure(): SampleDiagnostics {
    const fake = this.trainer.sample(this.z);
    const values = fake.dataSync() as Float32Array;
    fake.dispose();
    const m = Math.min(IMAGES, this.z.shape[0]);
    const out: SampleDiagnostics = { diversity: meanPairwiseDistance(values, m, this.size) / Math.max(this.realDiversity, 1e-12) };
    if (this.toy) Object.assign(out, modeDiagnostics(this.toy, values));
    return out;
  }

  /** The warning for a logged row's failure, the first time that kind shows; else undefined. */
  warning(row: Partial<StepDiagnostics & SampleDiagnostics>): string | undefined {
    if (((row as { step?: number }).step ?? Infinity) < WARN_AFTER_STEP) return undefined;
    const f = detectFailure(row);
    if (!f || this.warned.has(f.kind)) return undefined;
    this.warned.add(f.kind);
    return `warning: ${f.message}`;
  }

  dispose(): void {
    this.z.dispose();
  }
}
