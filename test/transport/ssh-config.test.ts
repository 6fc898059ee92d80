/**
 * From inventory and ssh_config to the settings remedy connects with: the inventory first (as
 * Ansible passes it to ssh), routes (ProxyCommand, ProxyJump chains resolved hop by hop), and
 * refusals of what remedy cannot honour, each naming file:line.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/model/errors.js';
import type { ConnectionSpec } from '../../src/model/inventory.js';
import { parseSshArgs } from '../../src/transport/ssh-args.js';
import { loadSshConfig, parseSshConfig, resolveSshSettings, type SshSettings } from '../../src/transport/ssh-config.js';

function spec(over: Partial<ConnectionSpec> = {}): ConnectionSpec {
  return { host: 'web01', kind: 'ssh', address: 'web01', become: false, extra: {}, ...over };
}

function refused(config: string, s: ConnectionSpec = spec()): ConfigError {
  try {
    resolveSshSettings(s, parseSshConfig(config, '/cfg'));
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail('resolved, expected a ConfigError');
}

function via(s: SshSettings): SshSettings {
  assert.equal(s.route.kind, 'jump');
  return (s.route as Extract<SshSettings['route'], { kind: 'jump' }>).via;
}

describe('ssh-config: inventory and ~/.ssh/config into connection settings', () => {
  let dir: string;
  let marker: string;
  let configFile: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'remedy-sshcfg-'));
    marker = join(dir, 'match-exec-ran');
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'conf.d', '10-web.conf'), 'Host web*\n  User deploy\n  IdentityFile %d/.ssh/web_key\n  ServerAliveInterval 7\n');
    writeFileSync(join(dir, 'conf.d', '20-db.conf'), 'Host db01\n  HostName 10.9.9.9\n  Port 2200\n  ProxyJump bastion-user@jump1:2022,jump2\n');
    writeFileSync(join(dir, 'conf.d', 'ignored.txt'), 'Host *\n  User wrong\n');
    configFile = join(dir, 'config');
    writeFileSync(configFile, [
      `Include ${join(dir, 'conf.d', '*.conf')}`,
      `Match exec "touch ${marker}; false"`,
      '  User from-match-exec',
      'Host web01',
      '  HostName 192.0.2.10',
      '  Port 2201',
      '  StrictHostKeyChecking accept-new',
      '  UserKnownHostsFile ~/kh1 /tmp/kh2',
      '  ConnectTimeout 3',
      '  HashKnownHosts yes',
      'Host jump2',
      '  HostName jump2.example',
      '  User j2',
      'Host *',
      '  IdentitiesOnly yes',
      '  ServerAliveCountMax 5',
      '',
    ].join('\n'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves Include globs and runs Match exec as ssh does', () => {
    const s = resolveSshSettings(spec(), loadSshConfig([configFile]), undefined, { explain: true });
    assert.equal(existsSync(marker), true, 'Match exec runs, as in ssh');
    assert.equal(s.user, 'deploy');
    assert.equal(s.hostName, '192.0.2.10');
    assert.equal(s.port, 2201);
    assert.equal(s.strictHostKeyChecking, 'accept-new');
    assert.equal(s.connectTimeoutMs, 3000);
    assert.equal(s.serverAliveIntervalMs, 7000);
    assert.equal(s.serverAliveCountMax, 5);
    assert.equal(s.identitiesOnly, true);
    assert.equal(s.hashKnownHosts, true);
    assert.match(s.identityFiles[0] ?? '', /^\/.*\/\.ssh\/web_key$/);
    assert.equal(s.identitiesExplicit, true);
    assert.deepEqual(s.userKnownHostsFiles.slice(1), ['/tmp/kh2']);
    assert.ok(!s.userKnownHostsFiles[0]?.startsWith('~'));
    assert.equal(s.route.kind, 'direct');
    assert.equal(s.resolved?.options.get('port')?.line, 6, 'where each value came from');
  });

  it('passes the inventory first, as Ansible does with -o: it wins, and config HostName still applies to ansible_host', () => {
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
    // ansible_host is ssh's host argument: the config's HostName for it still applies
    const alias = resolveSshSettings(spec({ host: 'inventory-name', address: 'web01', privateKeyFile: '/k/id' }), config);
    assert.equal(alias.hostName, '192.0.2.10');
    assert.equal(alias.name, 'inventory-name');
    assert.equal(alias.identityFiles[0], '/k/id');
    assert.equal(alias.identityFiles.length, 2, 'a key from the inventory comes first, config keys follow (ssh -o IdentityFile)');
  });

  it('resolves a ProxyJump chain hop by hop, as ssh -J does', () => {
    const s = resolveSshSettings(spec({ host: 'db01', address: 'db01' }), loadSshConfig([configFile]));
    assert.equal(s.hostName, '10.9.9.9');
    assert.equal(s.port, 2200);
    const last = via(s);
    assert.equal(last.name, 'jump2');
    assert.equal(last.hostName, 'jump2.example');
    assert.equal(last.user, 'j2');
    const first = via(last);
    assert.equal(first.name, 'jump1');
    assert.equal(first.user, 'bastion-user');
    assert.equal(first.port, 2022);
    assert.equal(first.route.kind, 'direct');
  });

  it('a run keeps no resolution detail, and hosts that resolve alike share one frozen copy of each list', () => {
    const a = resolveSshSettings(spec({ host: 'a', address: '127.0.1.9' }), null);
    const b = resolveSshSettings(spec({ host: 'b', address: '127.0.1.10' }), null);
    assert.equal(a.resolved, undefined, 'only { explain: true } keeps what ssh -G would print');
    assert.ok(resolveSshSettings(spec(), null, undefined, { explain: true }).resolved);
    assert.equal(a.identityFiles, b.identityFiles);
    assert.equal(a.userKnownHostsFiles, b.userKnownHostsFiles);
    assert.ok(Object.isFrozen(a.identityFiles));
    assert.throws(() => a.identityFiles.push('/x'), TypeError);
    const c = resolveSshSettings(spec({ host: 'c', privateKeyFile: '/k/other' }), null);
    assert.notEqual(c.identityFiles, a.identityFiles);
    assert.deepEqual(c.identityFiles, ['/k/other']);
  });

  it('defaults without any config: strict checking, 22, the seven default identities', () => {
    const s = resolveSshSettings(spec({ address: '127.0.1.9' }), null);
    assert.equal(s.strictHostKeyChecking, 'yes');
    assert.equal(s.port, 22);
    assert.equal(s.identitiesExplicit, false);
    assert.equal(s.identityFiles.length, 7);
    assert.match(s.identityFiles[3] ?? '', /\/\.ssh\/id_ed25519$/);
    assert.equal(s.serverAliveIntervalMs, 15_000, "remedy's keepalive when the config sets none");
    assert.ok(s.globalKnownHostsFiles.includes('/etc/ssh/ssh_known_hosts'));
  });

  it('takes -o, -J, -p, -l, -i, -4 from ansible_ssh_common_args and refuses options it cannot honour', () => {
    const lines = parseSshArgs({ ansible_ssh_common_args: '-o StrictHostKeyChecking=no -oPort=2022 -J a@b:1 -o "ConnectTimeout 4" -C -4 -l u' });
    assert.deepEqual(lines.map((l) => [l.keyword, l.rest]), [
      ['stricthostkeychecking', 'no'], ['port', '2022'], ['proxyjump', 'a@b:1'], ['connecttimeout', '4'], ['addressfamily', 'inet'], ['user', 'u'],
    ]);
    const s = resolveSshSettings(spec({ extra: { ansible_ssh_common_args: '-o ProxyJump=jumper -o ConnectTimeout=4' } }), null);
    assert.equal(via(s).name, 'jumper');
    assert.equal(s.connectTimeoutMs, 4000);
    assert.throws(() => parseSshArgs({ ansible_ssh_extra_args: '-F other_config' }), /ansible_ssh_extra_args: ssh option -F is not supported/);
    assert.throws(() => resolveSshSettings(spec({ extra: { ansible_ssh_common_args: '-J "bad;host"' } }), null), /Invalid ProxyJump/);
  });

  it('runs ProxyCommand with its tokens expanded, and ProxyCommand none switches it off', () => {
    const config = parseSshConfig([
      'Host gw-*', '  ProxyCommand none',
      'Host *', '  User ops', '  HostKeyAlias %h-alias', '  ProxyCommand ssh -W %h:%p -l %r bastion # %k %n %%',
    ].join('\n'));
    const s = resolveSshSettings(spec({ host: 'web01', address: 'web01.example', port: 2222 }), config);
    assert.deepEqual(s.route, {
      kind: 'proxy-command', raw: 'ssh -W %h:%p -l %r bastion # %k %n %%',
      command: 'exec ssh -W web01.example:2222 -l ops bastion # %h-alias web01.example %', where: { file: 'ssh_config', line: 6 },
    });
    assert.equal(resolveSshSettings(spec({ address: 'gw-1' }), config).route.kind, 'direct');
  });

  it('refuses what remedy cannot honour, naming the file, line and host', () => {
    assert.match(refused('Host *\n  CanonicalizeHostname yes\n').message, /^\/cfg:2: canonicalizehostname yes \(host web01\): remedy does not canonicalize/);
    assert.match(refused('Host web01\n  Ciphers aes128-ctr\n').message, /^\/cfg:2: ciphers aes128-ctr .*algorithm lists/);
    assert.match(refused('Host web01\n  CertificateFile ~/.ssh/id-cert.pub\n').message, /^\/cfg:2: certificatefile .*certificates/);
    assert.match(refused('Host web01\n  ProxyCommand -\n').message, /^\/cfg:2: ProxyCommand - /);
    assert.match(refused('Host web01\n  BindInterface eth0\n').message, /^\/cfg:2: bindinterface eth0/);
    assert.match(refused('Host web01\n  RevokedHostKeys /etc/ssh/krl\n').message, /revoked/);
    assert.match(refused('Host web01\n  HostName web01\n  ProxyJump web01\n').message, /^\/cfg:3: jumphost loop via web01/);
    assert.match(refused('Host web01\n  ProxyJump a\nHost a\n  ProxyJump b\nHost b\n  ProxyJump a\n').message, /ProxyJump chain deeper than 10/);
    // what is not set, or set for other hosts, is no reason to refuse
    resolveSshSettings(spec(), parseSshConfig('Host other\n  Ciphers aes128-ctr\nHost *\n  RevokedHostKeys none\n  CanonicalizeHostname no\n'));
  });

  it('reports config errors as OpenSSH does, every bad line of the file, as a ConfigError', () => {
    const err = refused('Host web01\n  Port 0\n  Bogus yes\nHost other\n  User\n');
    assert.deepEqual(err.problems.map((p) => [p.file, p.line]), [['/cfg', 2], ['/cfg', 3], ['/cfg', 5]]);
    assert.match(err.message, /\/cfg:2: Bad port '0'\.\n\/cfg:3: Bad configuration option: bogus\n\/cfg:5: no argument after keyword "user"/);
    assert.match(refused('', spec({ address: 'a;reboot' })).message, /^inventory \(web01\): hostname contains invalid characters: "a;reboot"$/);
    assert.match(refused('Host web01\n  ProxyJump ops@gate;reboot\n').message, /^\/cfg:2: hostname contains invalid characters: "gate;reboot"$/);
    assert.match(refused('Host web01\n  ProxyJump "ops@gate"\n').message, /^\/cfg:2: remote username contains invalid characters: "\\"ops"$/);
    assert.match(refused('', spec({ user: 'x`id`' })).message, /remote username contains invalid characters/);
    assert.throws(() => loadSshConfig([join(dir, 'missing')]), (e: unknown) => e instanceof ConfigError && /Can't open user config file/.test(e.message));
  });

  it('stops an Include loop as OpenSSH does (too many recursive includes), at once', () => {
    const loop = join(dir, 'loop.conf');
    writeFileSync(loop, `Host a\n  Port 1\nInclude ${loop} ${loop}\n`);
    const err = refused(`Include ${loop}\n`);
    assert.deepEqual(err.problems.map((p) => [p.file, p.line, p.message]), [[loop, 3, 'Too many recursive configuration includes']]);
  });
});
