/** Address claims: concurrent labs get disjoint addresses; release removes only the lab's own claims. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addressesDir } from './paths.js';
import { claimAddresses, releaseAddresses } from './registry.js';

describe('lab address registry (test/lab/registry.ts)', () => {
  const a = `reg-a-${process.pid}`;
  const b = `reg-b-${process.pid}`;
  before(function () {
    if (process.getuid?.() !== 0) this.skip(); // /run/remedy-lab needs root; the lab suites fail loudly then
  });
  after(async () => {
    await releaseAddresses(a);
    await releaseAddresses(b);
  });

  it('gives two labs claiming at the same time disjoint addresses in 127.0.1.2-254', async () => {
    const [x, y] = await Promise.all([claimAddresses(a, 6), claimAddresses(b, 6)]);
    assert.equal(x.length, 6);
    assert.equal(y.length, 6);
    assert.equal(new Set([...x, ...y]).size, 12);
    for (const addr of [...x, ...y]) assert.match(addr, /^127\.0\.1\.(\d+)$/);
    for (const addr of x) assert.equal(readFileSync(join(addressesDir(), addr), 'utf8').trim(), a);
    await releaseAddresses(a);
    for (const addr of x) assert.equal(existsSync(join(addressesDir(), addr)), false);
    for (const addr of y) assert.equal(existsSync(join(addressesDir(), addr)), true, 'the other lab keeps its claims');
  });
});
