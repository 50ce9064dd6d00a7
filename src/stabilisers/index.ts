/**
 * The stabiliser registry and the stack the trainer talks to. The trainer holds one
 * `StabiliserStack`, built from the resolved config, and calls its hooks at fixed points
 * (types.ts); the stack calls each configured stabiliser's hook in registry order. With no
 * stabiliser configured every hook is the identity, so a plain run is unchanged bit for bit.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../defaults.js';
import { discriminate, type CondInputs, type Discriminator, type DOutput, type Generator } from '../models/types.js';
import type { NamedArray } from '../train/checkpoint.js';
import { Rng, type RngState } from '../train/rng.js';
import { checkStabiliserConfig } from './config.js';
import { diffAugmentFactory } from './diff-augment.js';
import { emaFactory } from './ema.js';
import { historicalAveragingFactory } from './historical-averaging.js';
import { packFactory } from './pack.js';
import { minibatchDiscriminationFactory, minibatchStdFactory } from './minibatch.js';
import { r1Factory, r2Factory } from './r1.js';
import { spectralNormFactory } from './spectral-norm.js';
import { unrolledFactory } from './unrolled.js';
import type {
  DiscriminatorPenaltyContext, GeneratorBindContext, GeneratorPenaltyContext, Stabiliser, StabiliserFactory, StabiliserSetup,
} from './types.js';

export * from './types.js';
export * from './config.js';

/**
 * Registry order is application order: D's inputs are augmented before they are packed
 * (augmentation is per image, as in Zhao et al. 2020; packing then stacks augmented images).
 */
export const STABILISERS: readonly StabiliserFactory[] = [
  spectralNormFactory,
  diffAugmentFactory,
  packFactory,
  minibatchStdFactory,
  minibatchDiscriminationFactory,
  r1Factory,
  r2Factory,
  historicalAveragingFactory,
  unrolledFactory,
  emaFactory,
];

/** FNV-1a of a name: each stabiliser's random stream depends on its name only. */
function nameLabel(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export class StabiliserStack {
  readonly items: readonly Stabiliser[];
  private readonly rngs = new Map<string, Rng>();
  private dSteps = 0;
  private gSteps = 0;

  constructor(config: TrainConfig, dataKind: 'images' | 'points') {
    checkStabiliserConfig(config, config.batch, dataKind);
    this.items = STABILISERS.map((f) => f.create(config, dataKind)).filter((s): s is Stabiliser => s !== undefined);
  }

  get names(): string[] {
    return this.items.map((s) => s.name);
  }

  /** D's per-example input shape. */
  discriminatorShape(shape: readonly number[]): number[] {
    return this.items.reduce((s, x) => (x.discriminatorShape ? x.discriminatorShape(s) : s), [...shape]);
  }

  /**
   * `root` is the trainer's root Rng: each stabiliser forks its own stream from it by name.
   * `setup.dVars` is the trainer's own list: the stabilisers' extra D variables are appended to it
   * (in registry order, so later stabilisers, e.g. historical averaging, see them).
   */
  attach(setup: Omit<StabiliserSetup, 'rng' | 'dVars'> & { dVars: tf.Variable[] }, root: Rng): void {
    const base = root.fork(6);
    for (const s of this.items) {
      const rng = base.fork(nameLabel(s.name));
      this.rngs.set(s.name, rng);
      s.attach?.({ ...setup, rng });
      if (s.discriminatorVariables) setup.dVars.push(...s.discriminatorVariables());
    }
  }

  /** D(x) in training mode, with the stabilisers' output terms (minibatch features). */
  discriminate(d: Discriminator, x: tf.Tensor, cond?: CondInputs): DOutput {
    return this.items.reduce((o, s) => (s.discriminatorOutput ? s.discriminatorOutput(o) : o), discriminate(d, x, true, cond));
  }

  beforeDiscriminatorStep(): void {
    for (const s of this.items) if (s.beforeDiscriminatorStep) tf.tidy(() => s.beforeDiscriminatorStep!());
  }

  /** Runs `f` with D bound as the stabilisers want it read (inside the caller's tape). */
  withDiscriminator<T>(f: () => T): T {
    const restores: (() => void)[] = [];
    try {
      for (const s of this.items) if (s.bindDiscriminator) restores.push(s.bindDiscriminator());
      return f();
    } finally {
      for (const r of restores.reverse()) r();
    }
  }

  /** True when a stabiliser needs the real batch for G's step (unrolled D). */
  get wantsRealForGenerator(): boolean {
    return this.items.some((s) => s.bindForGenerator);
  }

  /** Binds D for G's loss (unrolled D); returns the undo. */
  bindForGenerator(ctx: GeneratorBindContext): () => void {
    const undo = this.items.filter((s) => s.bindForGenerator).map((s) => s.bindForGenerator!(ctx));
    return () => { for (const u of undo.reverse()) u(); };
  }

  transformD(x: tf.Tensor, which: 'real' | 'fake'): tf.Tensor {
    return this.items.reduce((t, s) => (s.transformD ? s.transformD(t, which) : t), x);
  }

  /** Σ of the stabilisers' penalties on D's loss, or undefined when none applies this step. */
  discriminatorPenalty(ctx: Omit<DiscriminatorPenaltyContext, 'dStep'>): tf.Scalar | undefined {
    return sum(this.items.map((s) => s.discriminatorPenalty?.({ ...ctx, dStep: this.dSteps })));
  }

  generatorPenalty(ctx: Omit<GeneratorPenaltyContext, 'gStep'>): tf.Scalar | undefined {
    return sum(this.items.map((s) => s.generatorPenalty?.({ ...ctx, gStep: this.gSteps })));
  }

  afterDiscriminatorStep(dVars: readonly tf.Variable[]): void {
    this.dSteps += 1;
    for (const s of this.items) if (s.afterDiscriminatorStep) tf.tidy(() => s.afterDiscriminatorStep!(dVars));
  }

  afterGeneratorStep(gVars: readonly tf.Variable[]): void {
    this.gSteps += 1;
    for (const s of this.items) if (s.afterGeneratorStep) tf.tidy(() => s.afterGeneratorStep!(gVars));
  }

  /** The generator for samples, evaluation and export: the last stabiliser's that offers one (EMA). */
  samplingGenerator(trained: Generator): Generator {
    let g = trained;
    for (const s of this.items) g = s.samplingGenerator?.() ?? g;
    return g;
  }

  /** JSON state and tensors (names prefixed `S/<stabiliser>/`) for a checkpoint. */
  getState(): { json: Record<string, unknown>; tensors: Map<string, NamedArray> } {
    const json: Record<string, unknown> = { dSteps: this.dSteps, gSteps: this.gSteps, names: this.names };
    const tensors = new Map<string, NamedArray>();
    for (const s of this.items) {
      const st = s.getState?.();
      json[s.name] = { rng: this.rngs.get(s.name)?.getState(), ...(st?.json ?? {}) };
      for (const [k, v] of st?.tensors ?? []) tensors.set(`S/${s.name}/${k}`, v);
    }
    return { json, tensors };
  }

  setState(json: Record<string, unknown> | undefined, tensors: Map<string, NamedArray>): void {
    const saved = (json?.names as string[] | undefined) ?? [];
    if (saved.join() !== this.names.join()) {
      throw new Error(`checkpoint has stabilisers [${saved.join(', ')}], the config [${this.names.join(', ')}]`);
    }
    if (!json) return;
    this.dSteps = json.dSteps as number;
    this.gSteps = json.gSteps as number;
    for (const s of this.items) {
      const own = (json[s.name] ?? {}) as { rng?: RngState } & Record<string, unknown>;
      if (own.rng) this.rngs.get(s.name)!.setState(own.rng);
      const prefix = `S/${s.name}/`;
      const mine = new Map([...tensors].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
      s.setState?.({ json: own, tensors: mine });
    }
  }

  dispose(): void {
    for (const s of this.items) s.dispose?.();
  }
}

function sum(terms: (tf.Scalar | undefined)[]): tf.Scalar | undefined {
  const present = terms.filter((t): t is tf.Scalar => t !== undefined);
  if (present.length === 0) return undefined;
  return present.reduce((a, b) => tf.add(a, b) as tf.Scalar);
}
