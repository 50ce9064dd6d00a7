/**
 * Reading a run's config.json on --resume. The file is ganbox's own, but it sits in a folder a
 * user can edit, copy or half-restore, so it is checked like any input: valid JSON, a `train`
 * object with settings of TrainConfig only, each of the right type and range, and no size that
 * would make the model builder allocate more than a training run ever needs. A setting missing
 * (a folder from an older ganbox) takes its default when the trainer resolves the config, as
 * before; only `data` is required. Every problem is one DataError naming the file and the setting.
 */
import * as fs from 'node:fs';
import { TRAIN_DEFAULTS, type TrainConfig } from '../defaults.js';
import { DataError } from '../errors.js';
import { ioErrorMessage } from '../io/atomic.js';
import { LOSS_NAMES } from '../losses/index.js';
import { OPTIMIZER_NAMES } from './optimizers.js';
import { STABILISER_RULES } from '../stabilisers/config.js';

type Check = (v: unknown) => boolean;
const int = (lo: number, hi: number): Check => (v) => Number.isSafeInteger(v) && (v as number) >= lo && (v as number) <= hi;
const real = (lo: number, hi: number, open = false): Check => (v) =>
  typeof v === 'number' && Number.isFinite(v) && (open ? v > lo : v >= lo) && v <= hi;
const oneOf = (values: readonly unknown[]): Check => (v) => values.includes(v);
const str: Check = (v) => typeof v === 'string' && v.length > 0 && v.length < 4096;

/** Each setting's check and the words for the message. Bounds: far beyond any sensible run. */
const RULES: Record<keyof TrainConfig, [Check, string]> = {
  data: [str, 'a data source spec'],
  size: [int(1, 4096), 'an integer from 1 to 4096'],
  channels: [oneOf([0, 1, 3]), '0, 1 or 3'],
  arch: [oneOf(['auto', 'dcgan', 'infogan', 'mlp']), "'auto', 'dcgan', 'infogan' or 'mlp'"],
  loss: [oneOf(LOSS_NAMES), `one of ${LOSS_NAMES.join(', ')}`],
  labelSmoothing: [real(0, 1), 'a number from 0 to 1'],
  featureLayer: [(v) => typeof v === 'string' && v.length < 256, 'a layer name or index'],
  clipValue: [real(0, 1e6, true), 'a positive number'],
  gpWeight: [real(0, 1e6, true), 'a positive number'],
  steps: [int(1, 1e12), 'a positive integer'],
  batch: [int(1, 1 << 16), 'an integer from 1 to 65536'],
  latentDim: [int(0, 1 << 16), 'an integer from 0 to 65536'],
  dSteps: [int(1, 1000), 'an integer from 1 to 1000'],
  width: [int(0, 1 << 14), 'an integer from 0 to 16384'],
  depth: [int(1, 256), 'an integer from 1 to 256'],
  optG: [oneOf(OPTIMIZER_NAMES), OPTIMIZER_NAMES.join(', ')],
  optD: [oneOf(OPTIMIZER_NAMES), OPTIMIZER_NAMES.join(', ')],
  lrG: [real(0, 1e3, true), 'a positive number'],
  lrD: [real(0, 1e3, true), 'a positive number'],
  beta1: [real(0, 1), 'a number from 0 to 1'],
  beta2: [real(0, 1), 'a number from 0 to 1'],
  eps: [real(0, 1, true), 'a positive number up to 1'],
  seed: [int(0, Number.MAX_SAFE_INTEGER), 'a non-negative integer'],
  logEvery: [int(1, 1e12), 'a positive integer'],
  sampleEvery: [int(1, 1e12), 'a positive integer'],
  checkpointEvery: [int(1, 1e12), 'a positive integer'],
  keep: [int(1, 1e6), 'a positive integer'],
  gridSize: [int(1, 4096), 'an integer from 1 to 4096'],
  backend: [oneOf(['onnxruntime', 'wasm', 'cpu', 'tensorflow']), "'onnxruntime', 'wasm', 'cpu' or 'tensorflow'"],
  perceptualModel: [str, "'mnist' or a tfjs model.json"],
  perceptualLayer: [(v) => typeof v === 'string' && v.length < 256, 'a layer name or index'],
  ...STABILISER_RULES,
  conditional: [oneOf(['none', 'cgan', 'acgan', 'projection']), "'none', 'cgan', 'acgan' or 'projection'"],
  auxWeight: [real(0, 1e6), 'a non-negative number'],
  auxFakeWeight: [real(0, 1e6), 'a non-negative number'],
  infoCategorical: [int(0, 4096), 'an integer from 0 to 4096'],
  infoContinuous: [int(0, 4096), 'an integer from 0 to 4096'],
  infoLambdaCat: [real(0, 1e6), 'a non-negative number'],
  infoLambdaCont: [real(0, 1e6), 'a non-negative number'],
};

/** Largest model a config may ask for, in weights (an MLP's depth·width², a DCGAN's ~16·width²·8). */
const MAX_WEIGHTS = 2 ** 28;

/** Parses and checks config.json text; `file` names it in errors. */
export function parseRunConfig(text: string, file: string): TrainConfig {
  const bad = (why: string) => new DataError(`${file} is not a usable ganbox run config: ${why}; restore it or start a new run with --out.`);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (err) {
    throw bad(`it is not valid JSON (${(err as Error).message})`);
  }
  const train = (root as { train?: unknown } | null)?.train;
  if (typeof train !== 'object' || train === null || Array.isArray(train)) throw bad("it has no 'train' object");
  const t = train as Record<string, unknown>;
  for (const key of Object.keys(t)) if (!(key in RULES)) throw bad(`unknown setting '${key}'`);
  if (!('data' in t)) throw bad("setting 'data' is missing");
  for (const [key, [ok, want]] of Object.entries(RULES)) {
    if (key in t && !ok(t[key])) throw bad(`setting '${key}' is ${JSON.stringify(t[key])?.slice(0, 40)}, not ${want}`);
  }
  const c = t as Partial<TrainConfig>;
  const width = c.width || 128, depth = c.depth ?? TRAIN_DEFAULTS.depth, latent = c.latentDim || 100;
  if (width ** 2 * Math.max(depth, 128) + latent * width * 16 > MAX_WEIGHTS) {
    throw bad(`width ${width}, depth ${depth} and latent size ${latent} ask for a model far larger than ganbox trains`);
  }
  // Missing settings stay missing: resolveConfig fills them (the loss's defaults, then TRAIN_DEFAULTS).
  return c as TrainConfig;
}

/** Reads DIR/config.json (see parseRunConfig). */
export function readRunConfig(file: string): TrainConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataError(ioErrorMessage(file, err));
  }
  return parseRunConfig(text, file);
}
