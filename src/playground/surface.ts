/**
 * What the playground draws from a GanTrainer: D's output over a grid of the plane (its decision
 * surface) and the gradient field the generator receives at its own samples. Both use the
 * trainer's own loss and networks, in inference mode, and change no weight.
 */
import * as tf from '@tensorflow/tfjs-core';
import { discriminate, generate } from '../models/types.js';
import type { GanTrainer } from '../train/trainer.js';

/** A square view of the plane, cut into n × n cells. */
export interface Grid {
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
  n: number;
}

export interface Surface {
  grid: Grid;
  /** D's report (σ(logit), or the critic value for the unbounded losses) per cell, row 0 at the top: [n, n]. */
  values: Float32Array;
  /** The centres of the cells, in the same order: [n·n, 2] flattened. */
  centres: Float32Array;
}

export interface Field {
  /** G(z): [n, 2] flattened. */
  points: Float32Array;
  /** −∂L_G/∂x per point, where L_G is the loss of that one sample: the way G's step pushes it; [n, 2]. */
  push: Float32Array;
}

/** The centres of `grid`'s cells, row 0 at the top (y = ymax), [n·n, 2] flattened. */
export function gridCentres(grid: Grid): Float32Array {
  const { n } = grid;
  const out = new Float32Array(n * n * 2);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      out[2 * (r * n + c)] = grid.xmin + ((c + 0.5) / n) * (grid.xmax - grid.xmin);
      out[2 * (r * n + c) + 1] = grid.ymax - ((r + 0.5) / n) * (grid.ymax - grid.ymin);
    }
  }
  return out;
}

/** D over the grid: the loss's `report` of D's logit (σ for the cross-entropy losses). */
export function decisionSurface(trainer: GanTrainer, grid: Grid): Surface {
  const centres = gridCentres(grid);
  const report = trainer.loss.report ?? tf.sigmoid;
  const values = tf.tidy(() => {
    const x = tf.tensor2d(centres, [grid.n * grid.n, 2]); // [n², 2]
    return report(discriminate(trainer.discriminator, x, false).logit).dataSync() as Float32Array; // [n², 1]
  });
  return { grid, values: Float32Array.from(values), centres };
}

/**
 * The fake points G(z) and the push −∂L_G/∂x on each. The loss averages over the batch, so its
 * gradient at one point is (1/n)·(that point's own gradient); it is multiplied back by n.
 * `real` ([m, 2]) is needed only by feature matching, whose L_G compares D's features on real and
 * fake batches.
 */
export function generatorField(trainer: GanTrainer, z: tf.Tensor2D, real?: tf.Tensor2D): Field {
  const loss = trainer.loss;
  const d = trainer.discriminator;
  return tf.tidy(() => {
    const fake = generate(trainer.generator, z, false); // [n, 2]
    const n = fake.shape[0]!;
    const lossAt = (x: tf.Tensor) => {
      const out = discriminate(d, x, false);
      if (!loss.usesFeatures || !real) return loss.generator(out.logit);
      return loss.generator(out.logit, { real: discriminate(d, real, false).features, fake: out.features });
    };
    const g = tf.grad(lossAt)(fake); // [n, 2]
    return {
      points: Float32Array.from(fake.dataSync() as Float32Array),
      push: Float32Array.from(tf.mul(g, -n).dataSync() as Float32Array),
    };
  });
}
