/**
 * NumpyRandomState against sequences numpy's own RandomState wrote
 * (test/reference/make_numpy_random_fixtures.py): seeding, raw words, random_sample, permutation
 * for N from 1 to 250,000 (powers of two, 2^16 + 1, primes), choice(replace=False) and shuffle
 * along one stream. Long sequences are compared through the SHA-256 of every element; exact
 * equality throughout, since these are integers (and doubles from integers).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { NumpyRandomState } from '../../src/metrics/numpy-random-state.js';
import { REFERENCE_DIR } from './fixtures.js';

interface Seq { n: number; sha256: string; values?: number[]; head?: number[]; tail?: number[] }
interface State { key_head: number[]; key_623: number; key_sha256: string; pos: number }
interface Seeded { state: State; uint32: number[]; random_sample: number[] }
interface Fixture {
  versions: Record<string, string>;
  integer_seeds: Array<Seeded & { seed: number; permutations: Seq[] }>;
  array_seeds: Array<Seeded & { seed: number[]; permutation_1000: Seq }>;
  stream_2020: Array<{ call: string; n?: number; size?: number; input?: number[]; result: Seq | number[] }>;
  kid_draws_2020: { subsets: number; n1: number; n2: number; subset_size: number; all: Seq };
}
const fx: Fixture = JSON.parse(readFileSync(`${REFERENCE_DIR}numpy_random_fixtures.json`, 'utf8'));

/** SHA-256 of the values as little-endian uint32 words, as the script hashes `a.astype('<u4')`. */
function sha256(values: ArrayLike<number>): string {
  const buf = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) buf.writeUInt32LE(values[i]!, i * 4);
  return createHash('sha256').update(buf).digest('hex');
}

function assertSeq(got: ArrayLike<number>, want: Seq, what: string): void {
  assert.equal(got.length, want.n, `${what}: length`);
  const arr = Array.from(got);
  if (want.values) assert.deepEqual(arr, want.values, what);
  if (want.head) assert.deepEqual(arr.slice(0, want.head.length), want.head, `${what}: head`);
  if (want.tail) assert.deepEqual(arr.slice(-want.tail.length), want.tail, `${what}: tail`);
  assert.equal(sha256(got), want.sha256, `${what}: every element (SHA-256)`);
}

function assertSeeded(rs: () => NumpyRandomState, want: Seeded, what: string): void {
  const st = rs().state();
  assert.deepEqual(Array.from(st.key.subarray(0, 8)), want.state.key_head, `${what}: key head`);
  assert.equal(st.key[623], want.state.key_623, `${what}: key[623]`);
  assert.equal(sha256(st.key), want.state.key_sha256, `${what}: all 624 words`);
  assert.equal(st.pos, want.state.pos, `${what}: pos`);
  const r = rs();
  assert.deepEqual(Array.from({ length: want.uint32.length }, () => r.nextUint32()), want.uint32, `${what}: words`);
  assert.deepEqual(Array.from({ length: want.random_sample.length }, () => r.randomSample()), want.random_sample, `${what}: random_sample`);
}

test(`integer seeds: state, words and random_sample equal numpy ${fx.versions.numpy}'s`, () => {
  for (const s of fx.integer_seeds) assertSeeded(() => new NumpyRandomState(s.seed), s, `seed ${s.seed}`);
});

test('array seeds (init_by_array, keys shorter and longer than 624 words): state, words, permutation(1000)', () => {
  for (const s of fx.array_seeds) {
    const what = `seed [${s.seed.slice(0, 4).join(', ')}${s.seed.length > 4 ? ', …' : ''}] (${s.seed.length} words)`;
    assertSeeded(() => new NumpyRandomState(s.seed), s, what);
    assertSeq(new NumpyRandomState(s.seed).permutation(1000), s.permutation_1000, `${what} permutation(1000)`);
  }
  // An integer and a one-word list seed differently in numpy (mt19937_seed vs init_by_array).
  assert.notEqual(new NumpyRandomState(2020).nextUint32(), new NumpyRandomState([2020]).nextUint32());
});

test('permutation(N) from a fresh RandomState(seed) equals numpy for 6 seeds × N = 1 … 250,000 (2^16, 2^16 + 1, primes)', () => {
  let count = 0;
  for (const s of fx.integer_seeds) {
    for (const p of s.permutations) {
      assertSeq(new NumpyRandomState(s.seed).permutation(p.n), p, `seed ${s.seed} permutation(${p.n})`);
      count++;
    }
  }
  assert.equal(count, 6 * 13);
});

test('one RandomState(2020) stream: choice(replace=False) ×6, permutation, shuffle of a list and of an array, random_sample', () => {
  const rs = new NumpyRandomState(2020);
  for (const c of fx.stream_2020) {
    const what = `${c.call}(${c.n ?? ''}${c.size !== undefined ? `, ${c.size}` : ''})`;
    switch (c.call) {
      case 'choice': assertSeq(rs.choice(c.n!, c.size!), c.result as Seq, what); break;
      case 'permutation': assertSeq(rs.permutation(c.n!), c.result as Seq, what); break;
      case 'shuffle_list': { const x = c.input!.slice(); rs.shuffle(x); assertSeq(x, c.result as Seq, what); break; }
      case 'shuffle_array': { const x = Int32Array.from(c.input!); rs.shuffle(x); assertSeq(x, c.result as Seq, what); break; }
      case 'random_sample': assert.deepEqual(Array.from({ length: c.n! }, () => rs.randomSample()), c.result, what); break;
      default: assert.fail(`unknown call ${c.call}`);
    }
  }
});

test("torch-fidelity's KID draws (RandomState(2020), 100 × two choice(1500, 1000)) equal numpy's, all 200,000 indices", () => {
  const k = fx.kid_draws_2020;
  const rs = new NumpyRandomState(2020);
  const all = new Uint32Array(k.subsets * 2 * k.subset_size);
  for (let s = 0; s < k.subsets; s++) {
    all.set(rs.choice(k.n1, k.subset_size), (2 * s) * k.subset_size);
    all.set(rs.choice(k.n2, k.subset_size), (2 * s + 1) * k.subset_size);
  }
  assertSeq(all, k.all, 'kid draws');
});

test('interval(max) for max ≥ 2^31, beyond any N the fixture can hold: words masked to all ones, values above max drawn again', () => {
  // numpy's random_interval rule applied by hand to a twin generator's raw words.
  for (const max of [2 ** 31 - 1, 2 ** 31, 2 ** 31 + 12345, 0xfffffffe, 0xffffffff]) {
    const rs = new NumpyRandomState(99), words = new NumpyRandomState(99);
    const mask = max >= 2 ** 31 ? 0xffffffff : 2 ** 31 - 1;
    for (let k = 0; k < 50; k++) {
      let want: number;
      do want = words.nextUint32() % (mask + 1); while (want > max);
      assert.equal(rs.interval(max), want, `max ${max}, draw ${k}`);
    }
  }
  assert.throws(() => new NumpyRandomState(0).interval(2 ** 32), /max must be an integer in \[0, 2\^32 - 1\]/);
});

test('bad seeds and sizes are RangeErrors naming numpy\'s range', () => {
  assert.throws(() => new NumpyRandomState(-1), /seed must be an integer in \[0, 2\^32 - 1\]/);
  assert.throws(() => new NumpyRandomState(2 ** 32), /seed must be an integer/);
  assert.throws(() => new NumpyRandomState(1.5), /seed must be an integer/);
  assert.throws(() => new NumpyRandomState([]), /non-empty/);
  assert.throws(() => new NumpyRandomState([1, -2]), /seed\[1\] must be an integer/);
  assert.throws(() => new NumpyRandomState(0).choice(5, 6), /cannot take 6 samples from 5/);
  assert.equal(new NumpyRandomState(0).interval(0), 0);
  assert.deepEqual(Array.from(new NumpyRandomState(0).permutation(0)), []);
});
