import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { appendKnownHost, formatKnownHostsLine, lookupKnownHosts, parseKnownHosts } from '../../src/transport/known-hosts.js';
import { KnownHostsCache, KnownHostsIndex } from '../../src/transport/known-hosts-index.js';

const ED = (n: number): Buffer => {
  const type = Buffer.from('ssh-ed25519');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(type.length);
  return Buffer.concat([len, type, Buffer.alloc(36, n)]);
};

/** Host fields as a fleet's known_hosts has them: names, addresses, [host]:port, wildcards, negations, hashed. */
const name = fc.constantFrom('web1', 'WEB1', 'web2', 'db.example.com', '10.0.0.1', '[web1]:2222', '[10.0.0.1]:22');
const pattern = fc.oneof(name, fc.constantFrom('web*', '*.example.com', '!web2', 'w?b1', '*', '!*'));
const line = fc.record({
  marker: fc.constantFrom('', '@revoked ', '@cert-authority '),
  hosts: fc.oneof(
    fc.array(pattern, { minLength: 1, maxLength: 3 }).map((ps) => ps.join(',')),
    name.map((n) => formatKnownHostsLine(n.replace(/^\[(.*)\]:(\d+)$/, '$1'), /\]:(\d+)$/.exec(n) ? Number(/\]:(\d+)$/.exec(n)![1]) : 22, ED(0), true).split(' ')[0]!),
  ),
  key: fc.integer({ min: 1, max: 3 }),
}).map((l) => `${l.marker}${l.hosts} ssh-ed25519 ${ED(l.key).toString('base64')}`);

describe('known_hosts index (one parse per run, a map lookup per host)', () => {
  it('answers every lookup and revocation as the linear scan does, on random files', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 25 }), fc.array(line, { maxLength: 5 }), (userLines, globalLines) => {
      const user = parseKnownHosts(userLines.join('\n'), 'user');
      const global = parseKnownHosts(globalLines.join('\n'), 'global');
      const all = [...user, ...global];
      const index = new KnownHostsIndex(['user', 'global'], [...global, ...user]); // any order in, file order out
      for (const host of ['web1', 'Web1', 'web2', 'db.example.com', '10.0.0.1', 'other']) {
        for (const port of [22, 2222]) assert.deepEqual(index.lookup(host, port), lookupKnownHosts(all, host, port), `${host}:${port}`);
      }
      for (const k of [1, 2, 3]) assert.equal(index.revoked(ED(k)), all.find((e) => e.marker === 'revoked' && e.key.equals(ED(k))));
    }), { numRuns: 300 });
  });

  it('a cache reads the files once, takes its own appends in place with their line numbers, and re-reads a file changed on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'remedy-kh-'));
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `# fleet\nweb1 ssh-ed25519 ${ED(1).toString('base64')}\n\n`);
    const cache = new KnownHostsCache();
    const first = await cache.get([file, join(dir, 'missing')]);
    assert.equal(first.lookup('web1', 22)[0]?.line, 2);
    assert.equal(await cache.get([file, join(dir, 'missing')]), first, 'unchanged files: the same index');

    const written = await appendKnownHost(file, 'web2', 22, ED(2));
    await cache.appended(file, written);
    const afterAppend = await cache.get([file, join(dir, 'missing')]);
    assert.equal(afterAppend, first, 'its own append does not make it read the file again');
    const appended = afterAppend.lookup('web2', 22);
    assert.deepEqual(appended.map((e) => [e.line, e.key.equals(ED(2))]), [[4, true]]);
    assert.equal(readFileSync(file, 'utf8').split('\n')[3], written, 'the line number is the line in the file');

    appendFileSync(file, `web3 ssh-ed25519 ${ED(3).toString('base64')}\n`); // another process
    const reread = await cache.get([file, join(dir, 'missing')]);
    assert.notEqual(reread, first);
    assert.deepEqual(reread.lookup('web3', 22).map((e) => e.line), [5]);
  });

  it('appending to a file whose last line has no newline starts a new line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'remedy-kh-'));
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `web1 ssh-ed25519 ${ED(1).toString('base64')}`);
    await appendKnownHost(file, 'web2', 22, ED(2));
    await appendKnownHost(file, 'web3', 22, ED(3));
    assert.deepEqual(parseKnownHosts(readFileSync(file, 'utf8'), file).map((e) => [e.line, e.patterns]), [[1, ['web1']], [2, ['web2']], [3, ['web3']]]);
  });
});
