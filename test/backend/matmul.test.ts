import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../src/backend/index.js';

// The wasm matrix-product kernels are wrapped so transposed products take the fast layout
// (src/backend/kernels/matmul-transpose-wasm.ts); they must still equal the cpu backend's.
await useBackend('cpu');
await useBackend('wasm');

const cases: [number[], number[], boolean, boolean][] = [
  [[5, 3], [5, 4], true, false], // A^T·B, the weight gradient of a Dense layer
  [[5, 3], [4, 3], false, true], // A·B^T, the input gradient
  [[3, 5], [4, 3], true, true],
  [[2, 3, 5], [2, 3, 4], true, false], // batched
  [[1, 7], [7, 1], false, false],
];

function values(shape: number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 13.7 + i * 1.3) * 3);
}

async function on(backend: string, f: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => f().dataSync() as Float32Array);
}

test('wasm matMul with transposeA/transposeB equals cpu (plain and fused with bias + relu)', async () => {
  for (const [sa, sb, ta, tb] of cases) {
    const run = () => tf.matMul(tf.tensor(values(sa, 1), sa), tf.tensor(values(sb, 2), sb), ta, tb);
    const fused = () => {
      const out = run().shape.at(-1)!;
      return tf.fused.matMul({
        a: tf.tensor(values(sa, 1), sa), b: tf.tensor(values(sb, 2), sb), transposeA: ta, transposeB: tb,
        bias: tf.tensor1d(values([out], 3)), activation: 'relu',
      });
    };
    // Compat: stock wasm _FusedMatMul adds the bias wrongly for batched (rank-3) inputs even
    // without transposes (max error 3 here); Dense layers are rank 2, so only those are compared.
    for (const f of sa.length === 2 ? [run, fused] : [run]) {
      const ref = await on('cpu', f);
      const got = await on('wasm', f);
      const scale = Math.max(...ref.map(Math.abs));
      // float32 sums of ≤ 7 products of values ≤ 3: differences are rounding, far below 1e-5.
      ref.forEach((r, i) => assert.ok(Math.abs(r - got[i]!) <= 1e-5 * scale, `${sa}x${sb} ${ta}/${tb}: ${got[i]} vs ${r}`));
    }
  }
});

test('the wrapped kernels free their temporary transposes', async () => {
  await tf.setBackend('wasm');
  const a = tf.ones([8, 4]);
  const b = tf.ones([8, 3]);
  tf.matMul(a, b, true, false).dispose();
  const before = tf.memory();
  for (let i = 0; i < 10; i++) tf.matMul(a, b, true, false).dispose();
  const after = tf.memory();
  assert.equal(after.numTensors, before.numTensors);
  assert.equal(after.numBytes, before.numBytes);
  a.dispose();
  b.dispose();
});
