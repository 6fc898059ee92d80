import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendKnownHost, entryMatches, fingerprintOf, formatKnownHostsLine, keyTypeOf, knownHostsName,
  loadKnownHosts, lookupKnownHosts, parseKnownHosts,
} from '../../src/transport/known-hosts.js';
import { startPrivateSshd, type PrivateSshd } from './private-sshd.js';

/** Lines ssh-keygen -F reports for name in file (the oracle). */
function oracle(name: string, file: string): number[] {
  const r = spawnSync('ssh-keygen', ['-F', name, '-f', file], { encoding: 'utf8' });
  return [...r.stdout.matchAll(/found: line (\d+)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

function ours(name: string, file: string): number[] {
  const entries = parseKnownHosts(readFileSync(file, 'utf8'), file);
  return entries.filter((e) => entryMatches(e, name)).map((e) => e.line).sort((a, b) => a - b);
}

describe('known-hosts (ssh-keygen -F as the oracle)', function () {
  this.timeout(60_000);
  let a: PrivateSshd;
  let b: PrivateSshd;
  let dir: string;
  let plain: string;
  let hashed: string;
  const names: string[] = [];

  before(async () => {
    a = await startPrivateSshd({ octet: 201, port: 2222 });
    b = await startPrivateSshd({ octet: 202, port: 22 });
    dir = mkdtempSync(join(tmpdir(), 'remedy-kh-'));
    const scanA = readFileSync(a.knownHostsFile, 'utf8').trim().split('\n');
    const scanB = readFileSync(b.knownHostsFile, 'utf8').trim().split('\n');
    const ed = a.hostKeys['ssh-ed25519'] ?? '';
    const rsa = b.hostKeys['ssh-rsa'] ?? '';
    const lines = [
      '# comment line',
      ...scanA, // [127.0.2.201]:2222 three types
      ...scanB, // 127.0.2.202 three types (port 22: no brackets)
      `127.0.2.*,!127.0.2.9 ${ed}`,
      `web??,db* ${ed}`,
      `*.example.com,!bad.example.com ${rsa}`,
      `[10.0.0.*]:2200 ${ed}`,
      `Alias-One,alias-two ${rsa}`,
      `@revoked * ${rsa}`,
      `@cert-authority *.example.com ${ed}`,
      'garbage line without key',
      '',
    ];
    plain = join(dir, 'known_hosts');
    writeFileSync(plain, lines.join('\n'));
    hashed = join(dir, 'known_hosts.hashed');
    // ssh-keygen -H refuses files with unparseable lines; wildcard entries stay plain (as they must)
    writeFileSync(hashed, lines.filter((l) => !l.startsWith('garbage')).join('\n'));
    const h = spawnSync('ssh-keygen', ['-H', '-f', hashed], { encoding: 'utf8' });
    assert.equal(h.status, 0, h.stderr);
    names.push(
      knownHostsName(a.address, 2222), knownHostsName(b.address, 22), a.address, knownHostsName(b.address, 2222),
      '127.0.2.9', '127.0.2.77', 'web01', 'web1', 'web001', 'dbmaster', 'www.example.com', 'bad.example.com',
      'example.com', '[10.0.0.5]:2200', '[10.0.0.5]:22', '10.0.0.5', 'alias-one', 'ALIAS-TWO', 'nothing',
    );
  });

  after(async () => {
    await a?.stop();
    await b?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ssh-keygen -H hashed the scanned entries', () => {
    const text = readFileSync(hashed, 'utf8');
    assert.ok((text.match(/^\|1\|/gm) ?? []).length >= 6, text);
    assert.ok(!text.includes(`${b.address} ssh-ed25519`));
  });

  it('matches the same lines as ssh-keygen -F on a plain file', () => {
    for (const name of names) assert.deepEqual(ours(name, plain), oracle(name, plain), `name ${name}`);
    assert.ok(ours(knownHostsName(a.address, 2222), plain).length >= 3);
  });

  it('matches the same lines as ssh-keygen -F on the hashed file', () => {
    for (const name of names) assert.deepEqual(ours(name, hashed), oracle(name, hashed), `name ${name}`);
    assert.ok(ours(knownHostsName(b.address, 22), hashed).length >= 3);
  });

  it('looks up host and port with the [host]:port rule and returns key types', async () => {
    const entries = await loadKnownHosts([hashed, join(dir, 'missing')]);
    const found = lookupKnownHosts(entries, a.address, 2222).filter((e) => e.marker === null);
    const types = found.map((e) => e.keyType).sort();
    assert.ok(types.includes('ssh-ed25519') && types.includes('ssh-rsa') && types.includes('ecdsa-sha2-nistp256'), types.join());
    const keyA = Buffer.from((a.hostKeys['ssh-ed25519'] ?? '').split(' ')[1] ?? '', 'base64');
    assert.ok(found.some((e) => e.key.equals(keyA)));
  });

  it('parses markers and skips lines it cannot read', () => {
    const entries = parseKnownHosts(readFileSync(plain, 'utf8'), plain);
    assert.equal(entries.filter((e) => e.marker === 'revoked').length, 1);
    assert.equal(entries.filter((e) => e.marker === 'cert-authority').length, 1);
    assert.ok(!entries.some((e) => e.keyType === 'without'));
  });

  it('fingerprints like ssh-keygen -l', () => {
    const pub = join(dir, 'k.pub');
    writeFileSync(pub, `${a.hostKeys['ssh-ed25519']}\n`);
    const r = spawnSync('ssh-keygen', ['-l', '-f', pub], { encoding: 'utf8' });
    const blob = Buffer.from((a.hostKeys['ssh-ed25519'] ?? '').split(' ')[1] ?? '', 'base64');
    assert.equal(keyTypeOf(blob), 'ssh-ed25519');
    assert.ok(r.stdout.includes(fingerprintOf(blob)), `${r.stdout} vs ${fingerprintOf(blob)}`);
  });

  it('appends lines that ssh-keygen -F finds, plain and hashed', async () => {
    const file = join(dir, 'sub', 'appended');
    const blob = Buffer.from((b.hostKeys['ssh-ecdsa'] ?? b.hostKeys['ecdsa-sha2-nistp256'] ?? '').split(' ')[1] ?? '', 'base64');
    await appendKnownHost(file, 'Web05', 2200, blob);
    await appendKnownHost(file, 'web06', 22, blob, true);
    assert.deepEqual(oracle('[web05]:2200', file), [1]);
    assert.deepEqual(oracle('web06', file), [2]);
    assert.match(readFileSync(file, 'utf8').split('\n')[1] ?? '', /^\|1\|/);
    assert.equal(formatKnownHostsLine('h', 22, blob).split(' ')[0], 'h');
  });
});

describe('host key algorithm order', () => {
  it('puts the known types first, in the default order, like OpenSSH', async () => {
    const { orderHostKeyAlgorithms } = await import('../../src/transport/ssh-connection.js');
    assert.deepEqual(orderHostKeyAlgorithms(['ssh-rsa', 'ecdsa-sha2-nistp256']).slice(0, 5), [
      'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519',
    ]);
    assert.equal(orderHostKeyAlgorithms([])[0], 'ssh-ed25519');
  });
});
