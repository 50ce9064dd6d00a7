import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DATA_SOURCE_NAMES, openDataSource } from '../../src/data/index.js';
import { ConfigError } from '../../src/errors.js';

test('openDataSource opens the built-in names', async () => {
  for (const name of ['ring8', 'grid25', 'moons'] as const) {
    const s = await openDataSource(name);
    assert.equal(s.spec, name);
    assert.equal(s.kind, 'points');
    assert.deepEqual(s.shape, [2]);
    assert.equal(s.finite, false);
  }
  const m = await openDataSource(' mnist ');
  assert.equal(m.spec, 'mnist');
  assert.ok(m.finite && m.length === 10000);
});

test('openDataSource: unknown names list the valid ones and suggest the nearest', async () => {
  assert.deepEqual([...DATA_SOURCE_NAMES], ['mnist', 'idx:PATH', 'images:DIR', 'cifar10:DIR', 'ring8', 'grid25', 'moons']);
  await assert.rejects(openDataSource('mnsit'), (e) => e instanceof ConfigError &&
    /unknown data source 'mnsit' \(--data\); valid: mnist, idx:PATH, images:DIR, cifar10:DIR, ring8, grid25, moons; did you mean 'mnist'\?/.test(e.message));
  await assert.rejects(openDataSource('imgs:/photos'), (e) => e instanceof ConfigError && /did you mean 'images:DIR'/.test(e.message));
  await assert.rejects(openDataSource('idx'), (e) => e instanceof ConfigError && /needs a path: idx:PATH/.test(e.message));
  await assert.rejects(openDataSource('cifar10:'), (e) => e instanceof ConfigError && /needs a path after 'cifar10:'/.test(e.message));
});
