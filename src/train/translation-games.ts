/**
 * The two translation games. Neither is the GAN game of trainer.ts (noise → image, one G and one
 * D), so each is its own object behind one small interface that TranslationTrainer
 * (translation.ts) drives: `step(a, b)` plays one round and reports each loss term.
 *
 * pix2pix (Isola et al. 2017, eq. 4): G* = arg min_G max_D L_cGAN(G, D) + λ L_L1(G), with
 *   L_cGAN = E[log D(x, y)] + E[log(1 − D(x, G(x)))],  L_L1 = E‖y − G(x)‖₁,  λ = 100.
 *   D sees the condition and the image on the channel axis; per-patch logits, binary cross-entropy
 *   in stable form (−log σ(l) = softplus(−l), −log(1 − σ(l)) = softplus(l)) averaged over patches,
 *   D's loss halved ("we divide the objective by 2 while optimizing D", §3.3). G minimises the
 *   non-saturating −log D(x, G(x)) plus λ·L1. D steps first, then G against the updated D, as the
 *   reference code does. G's dropout is its only noise.
 *
 * CycleGAN (Zhu et al. 2017, eqs. 1–3 with the least-squares loss of §4): G: A→B, F: B→A, D_B judges
 * B, D_A judges A.
 *   L_G = E(D_B(G(a)) − 1)² + E(D_A(F(b)) − 1)² + λ(E|F(G(a)) − a| + E|G(F(b)) − b|)
 *         + λ_id·λ(E|G(b) − b| + E|F(a) − a|)                 λ = 10, λ_id = 0.5 (identity, §5.2)
 *   L_D_B = ½[E(D_B(b) − 1)² + E D_B(b̃)²],  b̃ drawn from a history pool of 50 past G(a) (§4,
 *   Shrivastava et al. 2017); L_D_A likewise. G and F share one Adam, D_A and D_B another
 *   (reference code: itertools.chain); the G step comes first, then the D step on the pooled fakes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TranslationConfig } from '../defaults.js';
import { assert, ConfigError } from '../errors.js';
import { buildPatchDiscriminator, buildTranslator, setNoiseKey, trainableVariables } from '../models/index.js';
import type { NamedArray } from './checkpoint.js';
import { Optimizer } from './optimizers.js';
import { Rng, type RngState } from './rng.js';

export type Direction = 'AtoB' | 'BtoA';

export interface GameShapes { size: number; channelsA: 1 | 3; channelsB: 1 | 3 }

/** One round's numbers: loss_d and loss_g (totals) and every term. */
export type TermMetrics = Record<string, number>;

export interface TranslationGame {
  readonly name: 'pix2pix' | 'cyclegan';
  /** Every network by name (checkpoint order). */
  readonly networks: ReadonlyArray<readonly [string, tfl.LayersModel]>;
  /** Every optimiser by name with its variable list. */
  readonly optimizers: ReadonlyArray<readonly [string, Optimizer, tf.Variable[]]>;
  readonly directions: readonly Direction[];
  /** One round on a batch of A [B, S, S, C_A] and B [B, S, S, C_B]; `step` keys the dropout noise. */
  step(a: tf.Tensor4D, b: tf.Tensor4D, step: number): TermMetrics;
  /** The generator of a direction, in inference; `noiseKey` keys the dropout masks. */
  translate(x: tf.Tensor4D, direction: Direction, noiseKey: number): tf.Tensor4D;
  /** Extra state beyond weights and optimisers (history pools). */
  getExtra(tensors: Map<string, NamedArray>): Record<string, unknown>;
  setExtra(state: Record<string, unknown> | undefined, tensors: Map<string, NamedArray>): void;
  dispose(): void;
}

const bceReal = (l: tf.Tensor) => tf.mean(tf.softplus(tf.neg(l))) as tf.Scalar; // −log σ(l)
const bceFake = (l: tf.Tensor) => tf.mean(tf.softplus(l)) as tf.Scalar;         // −log(1 − σ(l))
const lsq = (x: tf.Tensor, target: number) => tf.mean(tf.square(tf.sub(x, target))) as tf.Scalar;
const l1 = (x: tf.Tensor, y: tf.Tensor) => tf.mean(tf.abs(tf.sub(x, y))) as tf.Scalar;
const run = (m: tfl.LayersModel, x: tf.Tensor) => m.apply(x, { training: true }) as tf.Tensor4D;
const num = (t: tf.Tensor) => t.dataSync()[0]!;

function adam(c: TranslationConfig): Optimizer {
  return new Optimizer({ name: 'adam', lr: c.lr, beta1: c.beta1, beta2: c.beta2, eps: 1e-8 });
}

/** Applies `grads` when the loss is finite; returns the loss. */
function update(opt: Optimizer, vars: tf.Variable[], value: tf.Scalar, grads: tf.NamedTensorMap): number {
  const v = num(value);
  if (Number.isFinite(v)) opt.apply(vars, vars.map((x) => grads[x.name]!));
  return v;
}

export class Pix2PixGame implements TranslationGame {
  readonly name = 'pix2pix' as const;
  readonly directions = ['AtoB'] as const;
  readonly networks: ReadonlyArray<readonly [string, tfl.LayersModel]>;
  readonly optimizers: ReadonlyArray<readonly [string, Optimizer, tf.Variable[]]>;
  private readonly g: tfl.LayersModel;
  private readonly d: tfl.LayersModel;
  private readonly gVars: tf.Variable[];
  private readonly dVars: tf.Variable[];
  private readonly optG: Optimizer;
  private readonly optD: Optimizer;

  constructor(private readonly c: TranslationConfig, shapes: GameShapes, rng: Rng) {
    const { size, channelsA, channelsB } = shapes;
    this.g = buildTranslator(c.generator || 'unet', {
      inputShape: [size, size, channelsA], outChannels: channelsB, width: c.width, blocks: c.blocks, downsample: c.downsample, noiseSeed: rng.nextUint32() % 100000,
    }, rng).model;
    this.d = buildPatchDiscriminator([size, size, channelsA + channelsB], c.dWidth, rng).model;
    this.gVars = trainableVariables(this.g);
    this.dVars = trainableVariables(this.d);
    this.optG = adam(c);
    this.optD = adam(c);
    this.networks = [['G', this.g], ['D', this.d]];
    this.optimizers = [['optG', this.optG, this.gVars], ['optD', this.optD, this.dVars]];
  }

  step(a: tf.Tensor4D, b: tf.Tensor4D, step: number): TermMetrics {
    setNoiseKey(this.g, step);
    const m: TermMetrics = {};
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const fake = run(this.g, a);                                                 // [B, S, S, C_B], once
        // D step on the fake as a constant (its gradient is taken for D's variables only).
        tf.tidy(() => {
          const dOut = tf.variableGrads(() => {
            const real = run(this.d, tf.concat([a, b], 3));                          // [B, P, P, 1]
            const faked = run(this.d, tf.concat([a, fake], 3));
            m.d_real = num(tf.mean(tf.sigmoid(real)));
            m.d_fake = num(tf.mean(tf.sigmoid(faked)));
            const lr = bceReal(real), lf = bceFake(faked);
            m.d_loss_real = num(lr);
            m.d_loss_fake = num(lf);
            return tf.mul(tf.add(lr, lf), 0.5) as tf.Scalar;
          }, this.dVars);
          m.loss_d = update(this.optD, this.dVars, dOut.value, dOut.grads);
        });
        const gan = bceReal(run(this.d, tf.concat([a, fake], 3)));                    // with the updated D
        const dist = l1(fake, b);
        m.g_gan = num(gan);
        m.g_l1 = num(dist);
        return tf.add(gan, tf.mul(dist, this.c.lambdaL1)) as tf.Scalar;
      }, this.gVars);
      m.loss_g = update(this.optG, this.gVars, value, grads);
    });
    return m;
  }

  translate(x: tf.Tensor4D, direction: Direction, noiseKey: number): tf.Tensor4D {
    if (direction !== 'AtoB') throw new ConfigError('a pix2pix run translates A to B only (--direction AtoB).');
    setNoiseKey(this.g, noiseKey);
    return tf.tidy(() => run(this.g, x));
  }

  getExtra(): Record<string, unknown> { return {}; }
  setExtra(): void {}
  dispose(): void {
    this.optG.dispose(); this.optD.dispose(); this.g.dispose(); this.d.dispose();
  }
}

/**
 * The image history pool (Shrivastava et al. 2017, as CycleGAN's ImagePool): until full, each new
 * fake is stored and returned; afterwards, with probability ½ a random stored image is returned
 * and replaced by the new one, else the new one is returned. Draws from a seeded Rng (saved).
 */
export class HistoryPool {
  images: Float32Array[] = [];
  constructor(readonly capacity: number, public rng: Rng) {}

  /** `fakes` [n, ...shape] flattened → the batch D sees, same layout. */
  query(fakes: Float32Array, n: number): Float32Array {
    if (this.capacity === 0) return fakes;
    const per = fakes.length / n;
    const out = new Float32Array(fakes.length);
    for (let k = 0; k < n; k++) {
      const img = fakes.slice(k * per, (k + 1) * per);
      if (this.images.length < this.capacity) {
        this.images.push(img);
        out.set(img, k * per);
      } else if (this.rng.uniform() > 0.5) {
        const j = this.rng.int(this.capacity);
        out.set(this.images[j]!, k * per);
        this.images[j] = img;
      } else {
        out.set(img, k * per);
      }
    }
    return out;
  }
}

export class CycleGanGame implements TranslationGame {
  readonly name = 'cyclegan' as const;
  readonly directions = ['AtoB', 'BtoA'] as const;
  readonly networks: ReadonlyArray<readonly [string, tfl.LayersModel]>;
  readonly optimizers: ReadonlyArray<readonly [string, Optimizer, tf.Variable[]]>;
  private readonly gAB: tfl.LayersModel;
  private readonly gBA: tfl.LayersModel;
  private readonly dA: tfl.LayersModel;
  private readonly dB: tfl.LayersModel;
  private readonly gVars: tf.Variable[];
  private readonly dVars: tf.Variable[];
  private readonly optG: Optimizer;
  private readonly optD: Optimizer;
  private readonly identity: boolean;
  readonly poolA: HistoryPool;
  readonly poolB: HistoryPool;

  constructor(private readonly c: TranslationConfig, shapes: GameShapes, rng: Rng) {
    const { size, channelsA, channelsB } = shapes;
    const arch = c.generator || 'resnet';
    const seed = () => rng.nextUint32() % 100000;
    this.gAB = buildTranslator(arch, { inputShape: [size, size, channelsA], outChannels: channelsB, width: c.width, blocks: c.blocks, downsample: c.downsample, noiseSeed: seed() }, rng).model;
    this.gBA = buildTranslator(arch, { inputShape: [size, size, channelsB], outChannels: channelsA, width: c.width, blocks: c.blocks, downsample: c.downsample, noiseSeed: seed() }, rng).model;
    this.dA = buildPatchDiscriminator([size, size, channelsA], c.dWidth, rng).model;
    this.dB = buildPatchDiscriminator([size, size, channelsB], c.dWidth, rng).model;
    this.gVars = [...trainableVariables(this.gAB), ...trainableVariables(this.gBA)];
    this.dVars = [...trainableVariables(this.dA), ...trainableVariables(this.dB)];
    this.optG = adam(c);
    this.optD = adam(c);
    // The identity term maps a B image through G: A→B, so it needs C_A = C_B.
    this.identity = c.lambdaIdentity > 0 && channelsA === channelsB;
    this.poolA = new HistoryPool(c.poolSize, rng.fork(11));
    this.poolB = new HistoryPool(c.poolSize, rng.fork(12));
    this.networks = [['G_AB', this.gAB], ['G_BA', this.gBA], ['D_A', this.dA], ['D_B', this.dB]];
    this.optimizers = [['optG', this.optG, this.gVars], ['optD', this.optD, this.dVars]];
  }

  step(a: tf.Tensor4D, b: tf.Tensor4D, step: number): TermMetrics {
    setNoiseKey(this.gAB, step);
    setNoiseKey(this.gBA, step);
    const c = this.c;
    const m: TermMetrics = {};
    const n = a.shape[0];
    let fakeB!: Float32Array, fakeA!: Float32Array;
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const fB = run(this.gAB, a);                               // G(a)     [B, S, S, C_B]
        const fA = run(this.gBA, b);                               // F(b)     [B, S, S, C_A]
        fakeB = fB.dataSync().slice() as Float32Array;
        fakeA = fA.dataSync().slice() as Float32Array;
        const ganB = lsq(run(this.dB, fB), 1);
        const ganA = lsq(run(this.dA, fA), 1);
        const cycA = l1(run(this.gBA, fB), a);                     // |F(G(a)) − a|
        const cycB = l1(run(this.gAB, fA), b);                     // |G(F(b)) − b|
        m.g_gan_ab = num(ganB); m.g_gan_ba = num(ganA); m.g_cycle_a = num(cycA); m.g_cycle_b = num(cycB);
        let total = tf.add(tf.add(ganA, ganB), tf.mul(tf.add(cycA, cycB), c.lambdaCycle));
        if (this.identity) {
          const idB = l1(run(this.gAB, b), b);                     // |G(b) − b|
          const idA = l1(run(this.gBA, a), a);                     // |F(a) − a|
          m.g_identity_a = num(idA); m.g_identity_b = num(idB);
          total = tf.add(total, tf.mul(tf.add(idA, idB), c.lambdaCycle * c.lambdaIdentity));
        }
        return total as tf.Scalar;
      }, this.gVars);
      m.loss_g = update(this.optG, this.gVars, value, grads);
    });
    const shapeA = a.shape.slice() as [number, number, number, number];
    const shapeB = b.shape.slice() as [number, number, number, number];
    const pooledB = this.poolB.query(fakeB, n);
    const pooledA = this.poolA.query(fakeA, n);
    tf.tidy(() => {
      const fB = tf.tensor4d(pooledB, shapeB), fA = tf.tensor4d(pooledA, shapeA);
      const { value, grads } = tf.variableGrads(() => {
        const realB = run(this.dB, b), fakeBOut = run(this.dB, fB);
        const realA = run(this.dA, a), fakeAOut = run(this.dA, fA);
        const lB = tf.mul(tf.add(lsq(realB, 1), lsq(fakeBOut, 0)), 0.5);
        const lA = tf.mul(tf.add(lsq(realA, 1), lsq(fakeAOut, 0)), 0.5);
        m.d_b = num(lB); m.d_a = num(lA);
        m.d_real = (num(tf.mean(realA)) + num(tf.mean(realB))) / 2; // mean raw output over both Ds
        m.d_fake = (num(tf.mean(fakeAOut)) + num(tf.mean(fakeBOut))) / 2;
        return tf.add(lA, lB) as tf.Scalar;
      }, this.dVars);
      m.loss_d = update(this.optD, this.dVars, value, grads);
    });
    return m;
  }

  translate(x: tf.Tensor4D, direction: Direction, noiseKey: number): tf.Tensor4D {
    const g = direction === 'AtoB' ? this.gAB : this.gBA;
    setNoiseKey(g, noiseKey);
    return tf.tidy(() => run(g, x));
  }

  getExtra(tensors: Map<string, NamedArray>): Record<string, unknown> {
    const put = (name: string, pool: HistoryPool) =>
      pool.images.forEach((img, k) => tensors.set(`${name}/${k}`, { shape: [img.length], values: img }));
    put('pool_A', this.poolA);
    put('pool_B', this.poolB);
    return {
      poolA: { count: this.poolA.images.length, rng: this.poolA.rng.getState() },
      poolB: { count: this.poolB.images.length, rng: this.poolB.rng.getState() },
    };
  }

  setExtra(state: Record<string, unknown> | undefined, tensors: Map<string, NamedArray>): void {
    const s = state as { poolA: { count: number; rng: RngState }; poolB: { count: number; rng: RngState } } | undefined;
    assert(s?.poolA && s.poolB, 'a CycleGAN checkpoint holds both history pools');
    const get = (name: string, pool: HistoryPool, p: { count: number; rng: RngState }) => {
      pool.images = Array.from({ length: p.count }, (_, k) => {
        const t = tensors.get(`${name}/${k}`);
        assert(t, `checkpoint has no ${name}/${k}`);
        return new Float32Array(t.values);
      });
      pool.rng = Rng.fromState(p.rng);
    };
    get('pool_A', this.poolA, s.poolA);
    get('pool_B', this.poolB, s.poolB);
  }

  dispose(): void {
    this.optG.dispose(); this.optD.dispose();
    for (const m of [this.gAB, this.gBA, this.dA, this.dB]) m.dispose();
  }
}
