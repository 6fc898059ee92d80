import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionSpec } from '../../src/model/inventory.js';
import { loadSshConfig, parseJumpHop, parseSshArgs, resolveSshSettings } from '../../src/transport/ssh-config.js';

function spec(over: Partial<ConnectionSpec> = {}): ConnectionSpec {
  return { host: 'web01', kind: 'ssh', address: 'web01', become: false, extra: {}, ...over };
}

describe('ssh-config', () => {
  let dir: string;
  let marker: string;
  let configFile: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'remedy-sshcfg-'));
    marker = join(dir, 'match-exec-ran');
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'conf.d', '10-web.conf'), [
      'Host web*',
      '  User deploy',
      '  IdentityFile %d/.ssh/web_key',
      '  ServerAliveInterval 7',
      '',
    ].join('\n'));
    writeFileSync(join(dir, 'conf.d', '20-db.conf'), 'Host db01\n  HostName 10.9.9.9\n  Port 2200\n  ProxyJump bastion-user@jump1:2022,jump2\n');
    writeFileSync(join(dir, 'conf.d', 'ignored.txt'), 'Host *\n  User wrong\n');
    configFile = join(dir, 'config');
    writeFileSync(configFile, [
      `Include ${join(dir, 'conf.d', '*.conf')}`,
      `Match exec "touch ${marker}"`,
      '  User from-match-exec',
      'Host web01',
      '  HostName 192.0.2.10',
      '  Port 2201',
      '  StrictHostKeyChecking accept-new',
      '  UserKnownHostsFile ~/kh1 /tmp/kh2',
      '  ConnectTimeout 3',
      '  HashKnownHosts yes',
      'Host *',
      '  IdentitiesOnly yes',
      '  ServerAliveCountMax 5',
      '',
    ].join('\n'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves Include (glob) and never runs Match exec', () => {
    const config = loadSshConfig([configFile]);
    const s = resolveSshSettings(spec(), config);
    assert.equal(existsSync(marker), false, 'Match exec must not run');
    assert.equal(s.user, 'deploy');
    assert.equal(s.hostName, '192.0.2.10');
    assert.equal(s.port, 2201);
    assert.equal(s.strictHostKeyChecking, 'accept-new');
    assert.equal(s.connectTimeoutMs, 3000);
    assert.equal(s.serverAliveIntervalMs, 7000);
    assert.equal(s.serverAliveCountMax, 5);
    assert.equal(s.identitiesOnly, true);
    assert.equal(s.hashKnownHosts, true);
    assert.match(s.identityFiles[0] ?? '', /\/\.ssh\/web_key$/);
    assert.equal(s.identitiesExplicit, true);
    assert.equal(s.userKnownHostsFiles.length, 2);
    assert.equal(s.userKnownHostsFiles[1], '/tmp/kh2');
    assert.ok(!s.userKnownHostsFiles[0]?.startsWith('~'));
  });

  it('lets the inventory win over the config', () => {
    const config = loadSshConfig([configFile]);
    const s = resolveSshSettings(spec({
      address: '127.0.1.5', port: 22, user: 'ops', privateKeyFile: '/k/id', knownHostsFile: '/k/known',
      hostKeyChecking: 'yes', connectTimeout: 9,
    }), config);
    assert.equal(s.hostName, '127.0.1.5');
    assert.equal(s.port, 22);
    assert.equal(s.user, 'ops');
    assert.deepEqual(s.identityFiles, ['/k/id']);
    assert.deepEqual(s.userKnownHostsFiles, ['/k/known']);
    assert.equal(s.strictHostKeyChecking, 'yes');
    assert.equal(s.connectTimeoutMs, 9000);
  });

  it('reads ProxyJump chains and hop specs', () => {
    const config = loadSshConfig([configFile]);
    const s = resolveSshSettings(spec({ host: 'db01', address: 'db01' }), config);
    assert.equal(s.hostName, '10.9.9.9');
    assert.equal(s.port, 2200);
    assert.equal(s.proxyJump, 'bastion-user@jump1:2022,jump2');
    assert.deepEqual(parseJumpHop('bastion-user@jump1:2022'), {
      host: 'jump1', kind: 'ssh', address: 'jump1', become: false, extra: {}, user: 'bastion-user', port: 2022,
    });
    assert.equal(parseJumpHop('ssh://[::1]:23').address, '::1');
  });

  it('defaults without any config: strict checking, 22, default identities', () => {
    const s = resolveSshSettings(spec({ address: '127.0.1.9' }), null);
    assert.equal(s.strictHostKeyChecking, 'yes');
    assert.equal(s.port, 22);
    assert.equal(s.identitiesExplicit, false);
    assert.equal(s.identityFiles.length, 3);
    assert.ok(s.globalKnownHostsFiles.includes('/etc/ssh/ssh_known_hosts'));
  });

  it('takes -o and -J from ansible_ssh_common_args', () => {
    assert.deepEqual(parseSshArgs('-o StrictHostKeyChecking=no -oPort=2022 -J a@b:1 -o "ConnectTimeout 4"'), {
      stricthostkeychecking: 'no', port: '2022', proxyjump: 'a@b:1', connecttimeout: '4',
    });
    const s = resolveSshSettings(spec({ extra: { ansible_ssh_common_args: '-o ProxyJump=jumper -o ConnectTimeout=4' } }), null);
    assert.equal(s.proxyJump, 'jumper');
    assert.equal(s.connectTimeoutMs, 4000);
  });
});
