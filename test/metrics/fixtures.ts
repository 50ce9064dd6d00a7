/** The reference values of test/reference/make_metrics_fixtures.py, typed. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REFERENCE_DIR = fileURLToPath(new URL('../reference/', import.meta.url));

export interface FidCase {
  name: string; d: number; n1: number; n2: number; seed1: number; seed2: number; shift1: number; shift2: number;
  fid: number; tr_covmean: number; trace1: number; trace2: number; mean_term: number; eps_branch: boolean;
  exact_fid: number; exact_tr_covmean: number; mu1_head: number[]; sigma1_head: number[]; sigma1_sum: number;
}

export interface Fixtures {
  versions: Record<string, string>;
  fid: FidCase[];
  inception_score: { seed: number; n: number; c: number; splits: number; mean: number; std: number };
  inception_score_shuffled: { order: number[]; mean: number; std: number };
  kid: { seed_x: number; seed_y: number; n_x: number; n_y: number; d: number; shift_x: number; shift_y: number;
    subsets: [number[], number[]][]; mean: number; std: number; values: number[]; float32: { mean: number; std: number } };
  prdc: { seed_real: number; seed_fake: number; n_real: number; n_fake: number; d: number; shift_real: number; shift_fake: number;
    k3: Record<'precision' | 'recall' | 'density' | 'coverage', number>; k5: Record<'precision' | 'recall' | 'density' | 'coverage', number> };
  hash_check: { uniform_seed5_first8: number[]; features_seed1_bits_sum: number; logits_seed21_bits_sum: number };
}

export const fixtures: Fixtures = JSON.parse(readFileSync(`${REFERENCE_DIR}metrics_fixtures.json`, 'utf8'));

export function relErr(got: number, want: number): number {
  return Math.abs(got - want) / Math.abs(want);
}

/** Σ of the float32 bit patterns as uint32 (order-independent, exact): the generator's checksum. */
export function bitsSum(x: Float32Array): number {
  const u = new Uint32Array(x.buffer, x.byteOffset, x.length);
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i]!;
  return s;
}
