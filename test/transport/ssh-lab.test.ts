/**
 * The SSH transport against the lab's real OpenSSH servers: every failure kind on the lab's
 * misbehaving hosts, a jump-host chain through one lab host to another, connection loss, reboot.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnreachableError, type UnreachableKind } from '../../src/model/errors.js';
import type { ConnectionSpec } from '../../src/model/inventory.js';
import { SshPool } from '../../src/transport/pool.js';
import { createSshTransport, type SshOptions } from '../../src/transport/ssh-transport.js';
import { type Lab, type LabHost, startLab, suiteLabName } from '../lab/index.js';
import { labDir } from '../lab/paths.js';
import { requireLab } from '../lab/require-lab.js';
import { changeHostKey, dropConnectionMidStep, listenSilently, stopSshd } from '../lab/scenarios.js';

const opts: SshOptions = { sshConfig: null, agentSocket: null, promptPassphrase: async () => undefined };

describe('ssh transport on the lab (real OpenSSH servers)', function () {
  this.timeout(180_000);
  const name = suiteLabName('ssh-tests');
  let lab: Lab | undefined;
  let dir: string;
  const the = (): Lab => {
    assert.ok(lab, 'the lab did not start');
    return lab;
  };
  /** The spec the inventory gives a lab host (ansible_* vars as the lab's inventory writes them). */
  const specOf = (h: LabHost, over: Partial<ConnectionSpec> = {}): ConnectionSpec => ({
    host: h.name, kind: 'ssh', address: h.address, port: 22, user: 'root', privateKeyFile: the().keyFile, become: false,
    extra: { ansible_ssh_common_args: `-o UserKnownHostsFile=${the().knownHostsFile} -o StrictHostKeyChecking=yes` },
    ...over,
  });
  const failure = async (spec: ConnectionSpec, kind: UnreachableKind): Promise<UnreachableError> => {
    const t = createSshTransport(spec, opts);
    try {
      await t.connect();
    } catch (err) {
      assert.ok(err instanceof UnreachableError, String(err));
      assert.equal(err.kind, kind, err.message);
      assert.equal(err.host, spec.host);
      return err;
    } finally {
      await t.close();
    }
    assert.fail(`${spec.host}: connected, expected ${kind}`);
  };

  before(async function () {
    requireLab(this);
    dir = mkdtempSync(join(tmpdir(), 'remedy-ssh-lab-'));
    if (existsSync(labDir(name))) await (await import('../lab/index.js')).stopLab(name);
    lab = await startLab({ name, count: 4, flavor: 'systemd' });
  });

  after(async () => {
    if (lab && existsSync(labDir(name))) await lab.down();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs commands over one connection per host, with the inventory settings', async () => {
    const pool = new SshPool({ ...opts, handshakeConcurrency: 2 });
    const hosts = the().hosts;
    const names = await Promise.all(hosts.map((h) => pool.get(specOf(h)).exec({ argv: ['hostname'] })));
    assert.deepEqual(names.map((r) => r.stdout.trim()), hosts.map((h) => h.name));
    const t = pool.get(specOf(hosts[0]!));
    const runs = await Promise.all(Array.from({ length: 30 }, (_, i) => t.exec({ script: `sleep 0.1; echo $PPID ${i}` })));
    assert.equal(new Set(runs.map((r) => r.stdout.split(' ')[0])).size, 1, 'every step on the same connection');
    assert.deepEqual(runs.map((r) => Number(r.stdout.split(' ')[1])), Array.from({ length: 30 }, (_, i) => i));
    await pool.closeAll();
  });

  it('ends the remote process group on timeout', async () => {
    const h = the().hosts[0]!;
    const t = createSshTransport(specOf(h), opts);
    const tag = `remedy-lab-timeout-${process.pid}`;
    const r = await t.exec({ script: `(sleep 50; echo ${tag}) & sleep 51`, timeoutMs: 700 });
    assert.equal(r.timedOut, true);
    // the pattern [r]emedy… does not match the command line of the shell and grep that search for it
    const left = await the().exec(h, `grep -l '[r]${tag.slice(1)}' /proc/[0-9]*/cmdline 2>/dev/null || true`);
    assert.equal(left.stdout.trim(), '');
    await t.close();
  });

  it('become: sudo -n to another user', async () => {
    const h = the().hosts[0]!;
    assert.equal((await the().exec(h, 'command -v sudo')).code, 0, 'sudo must be installed (.ci/run installs it)');
    const t = createSshTransport(specOf(h, { become: true, becomeUser: 'remedy-user' }), opts);
    const r = await t.exec({ argv: ['id', '-un'] });
    assert.equal(r.stdout.trim(), 'remedy-user', r.stderr);
    await t.close();
  });

  it('become with a password: sudo reads it on stdin, it is in no argv on the host', async () => {
    const h = the().hosts[0]!;
    const password = `sudo-${process.pid}-Pw!`;
    const rule = '/etc/sudoers.d/remedy-user-test';
    const set = await the().exec(h, `echo 'remedy-user:${password}' | chpasswd && echo 'remedy-user ALL=(ALL) ALL' > ${rule} && chmod 440 ${rule}`);
    assert.equal(set.code, 0, set.stderr);
    try {
      const asUser = specOf(h, { user: 'remedy-user', become: true, becomePassword: password });
      const t = createSshTransport(asUser, opts);
      const r = await t.exec({ script: 'id -un; ps -eo args' });
      await t.close();
      assert.equal(r.stdout.split('\n')[0], 'root', r.stderr);
      assert.ok(!r.stdout.includes(password), 'the password must not appear in any command line on the host (ps)');
      const noPassword = createSshTransport({ ...asUser, becomePassword: undefined }, opts);
      const denied = await noPassword.exec({ argv: ['id', '-un'] });
      await noPassword.close();
      assert.notEqual(denied.exitCode, 0, 'without the password sudo -n must refuse');
      assert.doesNotMatch(denied.stdout, /root/);
    } finally {
      await the().exec(h, `rm -f ${rule}`);
    }
  });

  it('password authentication (ansible_password), never echoed in errors', async () => {
    const h = the().hosts[1]!;
    const password = `pw-${process.pid}-Remedy!`;
    // the lab turns passwords off; this host's sshd takes them (a drop-in read before the lab's), HUP reloads it
    const conf = '/etc/ssh/sshd_config.d/00-remedy-password.conf';
    const set = await the().exec(h, [
      `echo 'remedy-user:${password}' | chpasswd`,
      `echo 'PasswordAuthentication yes' > ${conf}`,
      'kill -HUP "$(cat /run/sshd.pid)"',
      'sleep 0.5',
      "sshd -T 2>/dev/null | grep -i '^passwordauthentication'",
    ].join(' && '));
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /passwordauthentication yes/i);
    const spec = specOf(h, { user: 'remedy-user', privateKeyFile: join(dir, 'no-key'), password });
    const t = createSshTransport(spec, opts);
    assert.equal((await t.exec({ argv: ['id', '-un'] })).stdout.trim(), 'remedy-user');
    await t.close();
    const err = await failure({ ...spec, password: 'wrong-password-xyz' }, 'auth-failed');
    assert.ok(!err.message.includes('wrong-password-xyz'));
    assert.match(err.message, /tried password/);
    await the().exec(h, `rm -f ${conf}; passwd -l remedy-user >/dev/null; kill -HUP "$(cat /run/sshd.pid)"`);
  });

  it('connection refused: sshd stopped', async () => {
    const h = the().hosts[1]!;
    const stopped = await stopSshd(the(), h);
    try {
      const err = await failure(specOf(h), 'connection-refused');
      assert.equal(err.message, `${h.name} (${h.address}:22): connection refused`);
    } finally {
      await stopped.restore();
    }
  });

  it('timeout: an address that accepts TCP and never speaks', async () => {
    const silent = await listenSilently(the());
    try {
      const h = { name: 'silent', address: silent.address, flavor: 'systemd', root: '' } as LabHost;
      const err = await failure(specOf(h, { connectTimeout: 2 }), 'timeout');
      assert.match(err.message, /^silent \(127\.0\.1\.\d+:22\): timed out after 2s/);
    } finally {
      await silent.stop();
    }
  });

  it('name not found', async () => {
    const h = the().hosts[0]!;
    await failure(specOf(h, { address: 'remedy-no-such-host.invalid' }), 'name-not-found');
  });

  it('authentication failed: a key the host does not know', async () => {
    const key = join(dir, 'stranger');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const err = await failure(specOf(the().hosts[0]!, { privateKeyFile: key }), 'auth-failed');
    assert.match(err.message, /authentication failed for user root/);
  });

  it('host key unknown (empty known_hosts), nothing runs', async () => {
    const kh = join(dir, 'empty');
    writeFileSync(kh, '');
    const h = the().hosts[0]!;
    const err = await failure(specOf(h, { extra: { ansible_ssh_common_args: `-o UserKnownHostsFile=${kh}` } }), 'host-key-unknown');
    assert.match(err.message, /host key unknown: server sent ssh-ed25519 SHA256:/);
  });

  it('host key revoked', async () => {
    const h = the().hosts[0]!;
    const kh = join(dir, 'revoked');
    const hostKey = readFileSync(join(h.root, 'etc/ssh/ssh_host_ed25519_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    writeFileSync(kh, `${readFileSync(the().knownHostsFile, 'utf8')}@revoked * ${hostKey}\n`);
    await failure(specOf(h, { extra: { ansible_ssh_common_args: `-o UserKnownHostsFile=${kh}` } }), 'host-key-revoked');
  });

  it('host key changed', async () => {
    const h = the().hosts[2]!;
    await changeHostKey(the(), h);
    const err = await failure(specOf(h), 'host-key-changed');
    assert.ok(err.message.startsWith(`${h.name} (${h.address}:22): host key changed: known_hosts has ssh-ed25519 SHA256:`), err.message);
    assert.ok(err.message.includes(`${the().knownHostsFile}:`));
  });

  it('jumps through one lab host to another, each hop checked under its own name', async () => {
    const [jump, target] = the().hosts;
    // the jump hop has no IdentityFile of its own here: give it the lab key through ssh config
    const { loadSshConfig } = await import('../../src/transport/ssh-config.js');
    const cfg = join(dir, 'jump_config');
    writeFileSync(cfg, `Host ${jump!.address}\n  IdentityFile ${the().keyFile}\n  UserKnownHostsFile ${the().knownHostsFile}\n`);
    const jt = createSshTransport(specOf(target!, {
      extra: { ansible_ssh_common_args: `-o UserKnownHostsFile=${the().knownHostsFile} -J root@${jump!.address}` },
    }), { ...opts, sshConfig: loadSshConfig([cfg]) });
    const r = await jt.exec({ argv: ['hostname'] });
    assert.equal(r.stdout.trim(), target!.name);
    await jt.close();
    // the jump host's key is checked under the jump host's name: an empty known_hosts for it fails the hop
    const empty = join(dir, 'empty-jump');
    writeFileSync(empty, '');
    writeFileSync(cfg, `Host ${jump!.address}\n  IdentityFile ${the().keyFile}\n  UserKnownHostsFile ${empty}\n`);
    const bad = createSshTransport(specOf(target!, {
      extra: { ansible_ssh_common_args: `-o UserKnownHostsFile=${the().knownHostsFile} -J root@${jump!.address}` },
    }), { ...opts, sshConfig: loadSshConfig([cfg]) });
    await assert.rejects(bad.connect(), (err: unknown) => {
      assert.ok(err instanceof UnreachableError);
      assert.equal(err.kind, 'jump-failed');
      assert.match(err.message, new RegExp(`^${target!.name} \\(${target!.address.replaceAll('.', '\\.')}:22\\): jump host failed: ${jump!.address.replaceAll('.', '\\.')}:22: host key unknown`));
      return true;
    });
  });

  it('jump host failed: the jump host refuses connections', async () => {
    const [, target, , jumpHost] = the().hosts;
    const stopped = await stopSshd(the(), jumpHost!);
    try {
      const err = await failure(specOf(target!, {
        extra: { ansible_ssh_common_args: `-o UserKnownHostsFile=${the().knownHostsFile} -J root@${jumpHost!.address}` },
      }), 'jump-failed');
      assert.match(err.message, /jump host failed: .*connection refused/);
    } finally {
      await stopped.restore();
    }
  });

  it('connection lost during a step', async () => {
    const h = the().hosts[0]!;
    const t = createSshTransport(specOf(h), opts);
    await t.connect();
    const marker = `remedy-lost-${process.pid}`;
    const running = t.exec({ script: `sleep 30; : ${marker}` });
    await dropConnectionMidStep(the(), h, marker);
    await assert.rejects(running, (err: unknown) => {
      assert.ok(err instanceof UnreachableError);
      assert.equal(err.kind, 'connection-lost');
      assert.match(err.message, new RegExp(`^${h.name} \\(${h.address.replaceAll('.', '\\.')}:22\\): connection lost`));
      return true;
    });
    await t.close();
  });

  it('reconnects with backoff after a reboot', async () => {
    const h = the().hosts[3]!;
    const t = createSshTransport(specOf(h), opts);
    const before = (await t.exec({ argv: ['cat', '/proc/sys/kernel/random/boot_id'] })).stdout.trim();
    await t.exec({ script: "nohup sh -c 'sleep 0.5; reboot' >/dev/null 2>&1 &" });
    await new Promise((r) => setTimeout(r, 1500));
    await t.reconnect({ timeoutMs: 120_000, initialDelayMs: 500, maxDelayMs: 3000 });
    const after = (await t.exec({ argv: ['cat', '/proc/sys/kernel/random/boot_id'] })).stdout.trim();
    assert.notEqual(after, before);
    assert.match(after, /^[0-9a-f-]{36}$/);
    await t.close();
  });
});
