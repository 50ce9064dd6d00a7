/**
 * numpy's legacy generator, `numpy.random.RandomState`, reproduced bit for bit for the draws the
 * reference metric code makes: torch-fidelity shuffles IS rows with
 * `RandomState(2020).permutation(N)` and draws KID subsets with
 * `RandomState(2020).choice(N, 1000, replace=False)`. Written from numpy's sources
 * (numpy/random/mtrand.pyx, _mt19937.pyx, src/mt19937/mt19937.{c,h},
 * src/distributions/distributions.c); tested against sequences numpy 1.24 wrote
 * (test/reference/numpy_random_state.py). The legacy stream is frozen by numpy's compatibility
 * policy, so numpy 2.x draws the same.
 *
 * Generator: MT19937 (Matsumoto & Nishimura 1998, "Mersenne Twister: a 623-dimensionally
 * equidistributed uniform pseudo-random number generator"), 624 words of state, standard tempering.
 * Only what the metrics use is here: seeding, raw 32-bit words, random_sample, shuffle,
 * permutation and choice without replacement; no distributions, no `p=` weights.
 */

const N = 624; // RK_STATE_LEN
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const UINT32_MAX = 0xffffffff;

/** A mutable sequence shuffled in place: an array or a typed array. */
export interface MutableSequence<T> {
  length: number;
  [index: number]: T;
}

export class NumpyRandomState {
  private readonly key = new Uint32Array(N);
  private pos = N;

  /**
   * `RandomState(seed)`. An integer seed in [0, 2³² − 1] seeds as numpy's mt19937_seed (Knuth's
   * multiplier 1812433253, the reference init_genrand); an array of such integers as numpy's
   * mt19937_init_by_array (the reference init_by_array, then key[0] = 2³¹).
   * Compat: numpy squeezes a one-element *ndarray* seed to an integer; a list [s] goes to
   *   init_by_array. Here a number is always the integer path and an array always init_by_array,
   *   as numpy treats an int and a list.
   */
  constructor(seed: number | ArrayLike<number>) {
    if (typeof seed === 'number') {
      checkWord(seed, 'seed');
      this.seedInteger(seed);
    } else {
      if (seed.length === 0) throw new RangeError('NumpyRandomState: an array seed must be non-empty (numpy: "Seed must be non-empty").');
      for (let i = 0; i < seed.length; i++) checkWord(seed[i]!, `seed[${i}]`);
      this.seedArray(seed);
    }
  }

  private seedInteger(seed: number): void {
    let s = seed >>> 0;
    for (let i = 0; i < N; i++) {
      this.key[i] = s;
      s = (Math.imul(1812433253, (s ^ (s >>> 30)) >>> 0) + i + 1) >>> 0;
    }
    this.pos = N;
  }

  private seedArray(initKey: ArrayLike<number>): void {
    const mt = this.key;
    this.seedInteger(19650218);
    let i = 1, j = 0;
    for (let k = Math.max(N, initKey.length); k > 0; k--) {
      mt[i] = ((mt[i]! ^ Math.imul((mt[i - 1]! ^ (mt[i - 1]! >>> 30)) >>> 0, 1664525)) >>> 0) + initKey[j]! + j;
      i++; j++;
      if (i >= N) { mt[0] = mt[N - 1]!; i = 1; }
      if (j >= initKey.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      mt[i] = ((mt[i]! ^ Math.imul((mt[i - 1]! ^ (mt[i - 1]! >>> 30)) >>> 0, 1566083941)) >>> 0) - i;
      i++;
      if (i >= N) { mt[0] = mt[N - 1]!; i = 1; }
    }
    mt[0] = 0x80000000; // MSB set: a non-zero state
    this.pos = N;
  }

  /** The 624 state words and the position, as `get_state()[1]` and `[2]` (for tests). */
  state(): { key: Uint32Array; pos: number } {
    return { key: this.key.slice(), pos: this.pos };
  }

  /** Regenerates all 624 words (mt19937_gen). */
  private twist(): void {
    const k = this.key;
    for (let i = 0; i < N; i++) {
      const y = (k[i]! & UPPER_MASK) | (k[(i + 1) % N]! & LOWER_MASK);
      k[i] = k[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.pos = 0;
  }

  /** The next tempered 32-bit word (mt19937_next32), an integer in [0, 2³²). */
  nextUint32(): number {
    if (this.pos === N) this.twist();
    let y = this.key[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `random_sample()`: uniform in [0, 1) from 27 + 26 bits of two words (mt19937_next_double). */
  randomSample(): number {
    const a = this.nextUint32() >>> 5, b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * A uniform integer in [0, max] (random_interval): draw a word, keep the bits of the smallest
   * all-ones mask ≥ max, reject values above max and draw again. Compat: exactly numpy's
   * rejection, so the number of words used — and every later draw — is numpy's.
   */
  interval(max: number): number {
    if (max === 0) return 0; // no word drawn
    if (!Number.isInteger(max) || max < 0 || max > UINT32_MAX) {
      // numpy switches to 64-bit words above 2³² − 1; no JavaScript array is that long.
      throw new RangeError(`NumpyRandomState.interval: max must be an integer in [0, 2^32 - 1], got ${max}.`);
    }
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0; while (value > max);
    return value;
  }

  /**
   * `shuffle(x)` on a 1-d sequence, in place: for i = n−1 down to 1, swap x[i] with
   * x[interval(i)]. Compat: numpy's legacy order (from the end, bounds i inclusive, no draw for
   * i = 0), the same on its typed fast path and its generic path.
   */
  shuffle<T>(x: MutableSequence<T>): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = x[i]!;
      x[i] = x[j]!;
      x[j] = t;
    }
  }

  /** `permutation(n)`: `arange(n)` shuffled. */
  permutation(n: number): Uint32Array {
    if (!Number.isInteger(n) || n < 0 || n > UINT32_MAX) throw new RangeError(`NumpyRandomState.permutation: n must be an integer in [0, 2^32 - 1], got ${n}.`);
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    this.shuffle(p);
    return p;
  }

  /**
   * `choice(n, size, replace=False)`: `size` distinct integers of [0, n).
   * Compat: legacy RandomState computes it as `permutation(n)[:size]` — a full shuffle of n,
   *   whatever size is — so the stream advances by the whole permutation's draws (the new
   *   Generator.choice does not, and draws differently).
   */
  choice(n: number, size: number): Uint32Array {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`NumpyRandomState.choice: size must be an integer ≥ 0, got ${size}.`);
    if (size > n) throw new RangeError(`NumpyRandomState.choice: cannot take ${size} samples from ${n} without replacement.`);
    return this.permutation(n).slice(0, size);
  }
}

function checkWord(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > UINT32_MAX) {
    throw new RangeError(`NumpyRandomState: ${what} must be an integer in [0, 2^32 - 1] (numpy's seed range), got ${v}.`);
  }
}
