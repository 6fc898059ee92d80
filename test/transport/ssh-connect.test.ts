/** Connecting: host keys, auth and every failure kind, against real (private) OpenSSH servers. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnreachableError, type UnreachableKind } from '../../src/model/errors.js';
import type { ConnectionSpec } from '../../src/model/inventory.js';
import { fingerprintOf } from '../../src/transport/known-hosts.js';
import { PASSPHRASE_ENV } from '../../src/transport/ssh-auth.js';
import { createSshTransport, type SshOptions } from '../../src/transport/ssh-transport.js';
import { startPrivateSshd, type PrivateSshd } from './private-sshd.js';

const opts: SshOptions = { sshConfig: null, agentSocket: null, promptPassphrase: async () => undefined };

async function failure(spec: ConnectionSpec, o: SshOptions = opts): Promise<UnreachableError> {
  const t = createSshTransport(spec, o);
  try {
    await t.connect();
  } catch (err) {
    if (err instanceof UnreachableError) return err;
    throw err;
  } finally {
    await t.close();
  }
  assert.fail(`${spec.host}: connected, expected a failure`);
}

async function expectKind(spec: ConnectionSpec, kind: UnreachableKind, o?: SshOptions): Promise<UnreachableError> {
  const err = await failure(spec, o);
  assert.equal(err.kind, kind, err.message);
  assert.equal(err.host, spec.host);
  return err;
}

describe('ssh connect (private sshd)', function () {
  this.timeout(60_000);
  let a: PrivateSshd;
  let b: PrivateSshd;
  let dir: string;
  let silent: Server;
  const sockets: Socket[] = [];
  let base: ConnectionSpec;

  before(async () => {
    [a, b] = await Promise.all([startPrivateSshd({ octet: 221 }), startPrivateSshd({ octet: 222 })]);
    dir = mkdtempSync(join(tmpdir(), 'remedy-conn-'));
    silent = createServer((sock) => sockets.push(sock)); // accepts TCP, never speaks SSH
    await new Promise<void>((r) => silent.listen(2222, '127.0.2.223', r));
    base = {
      host: 'web01', kind: 'ssh', address: a.address, port: a.port, user: 'root',
      privateKeyFile: a.keyFile, knownHostsFile: a.knownHostsFile, become: false, extra: {},
    };
  });

  after(async () => {
    for (const sock of sockets) sock.destroy();
    await new Promise((r) => silent?.close(r));
    await a?.stop();
    await b?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('connects with a key and known_hosts from ssh-keyscan', async () => {
    const t = createSshTransport(base, opts);
    await t.connect();
    assert.equal((await t.exec({ argv: ['echo', 'ok'] })).stdout, 'ok\n');
    await t.close();
  });

  it('asks first for the key type known_hosts holds (ecdsa only here)', async () => {
    const kh = join(dir, 'ecdsa_only');
    writeFileSync(kh, readFileSync(a.knownHostsFile, 'utf8').split('\n').filter((l) => l.includes('ecdsa')).join('\n'));
    const t = createSshTransport({ ...base, knownHostsFile: kh }, opts);
    await t.connect();
    await t.close();
  });

  it('refuses an unknown host key by default and runs nothing', async () => {
    const kh = join(dir, 'empty');
    writeFileSync(kh, '');
    const err = await expectKind({ ...base, knownHostsFile: kh }, 'host-key-unknown');
    assert.match(err.message, /^web01 \(127\.0\.2\.221:2222\): host key unknown: server sent ssh-ed25519 SHA256:/);
  });

  it('refuses a changed host key and says where the old one is', async () => {
    const kh = join(dir, 'changed');
    // b's keys recorded under a's name and port
    writeFileSync(kh, `# header\n${readFileSync(b.knownHostsFile, 'utf8').replaceAll(b.address, a.address)}`);
    const err = await expectKind({ ...base, knownHostsFile: kh }, 'host-key-changed');
    const bEd = Buffer.from((b.hostKeys['ssh-ed25519'] ?? '').split(' ')[1] ?? '', 'base64');
    const aEd = Buffer.from((a.hostKeys['ssh-ed25519'] ?? '').split(' ')[1] ?? '', 'base64');
    assert.ok(err.message.includes(`known_hosts has ssh-ed25519 ${fingerprintOf(bEd)} at ${kh}:`), err.message);
    assert.ok(err.message.includes(`server sent ssh-ed25519 ${fingerprintOf(aEd)}`), err.message);
  });

  it('refuses a revoked host key', async () => {
    const kh = join(dir, 'revoked');
    writeFileSync(kh, `${readFileSync(a.knownHostsFile, 'utf8')}@revoked * ${a.hostKeys['ssh-ed25519']}\n`);
    const err = await expectKind({ ...base, knownHostsFile: kh }, 'host-key-revoked');
    assert.match(err.message, /revoked/);
  });

  it('says @cert-authority is not supported', async () => {
    const kh = join(dir, 'ca');
    writeFileSync(kh, `@cert-authority [127.0.2.*]:2222 ${b.hostKeys['ssh-ed25519']}\n`);
    const err = await expectKind({ ...base, knownHostsFile: kh }, 'host-key-unknown');
    assert.match(err.message, new RegExp(`@cert-authority entries \\(${kh}:1\\) are not supported`));
  });

  it('accept-new appends the key in OpenSSH format, then matches it', async () => {
    const kh = join(dir, 'accept-new');
    writeFileSync(kh, '');
    const t = createSshTransport({ ...base, knownHostsFile: kh, hostKeyChecking: 'accept-new' }, opts);
    await t.connect();
    await t.close();
    const found = spawnSync('ssh-keygen', ['-F', `[${a.address}]:${a.port}`, '-f', kh], { encoding: 'utf8' });
    assert.match(found.stdout, /found: line 1/);
    const strict = createSshTransport({ ...base, knownHostsFile: kh }, opts);
    await strict.connect();
    await strict.close();
    // accept-new still refuses a changed key
    writeFileSync(kh, readFileSync(b.knownHostsFile, 'utf8').replaceAll(b.address, a.address));
    await expectKind({ ...base, knownHostsFile: kh, hostKeyChecking: 'accept-new' }, 'host-key-changed');
  });

  it('no: connects to a changed key with a warning', async () => {
    const kh = join(dir, 'changed-no');
    writeFileSync(kh, readFileSync(b.knownHostsFile, 'utf8').replaceAll(b.address, a.address));
    const warnings: string[] = [];
    const t = createSshTransport({ ...base, knownHostsFile: kh, hostKeyChecking: 'no' }, { ...opts, warn: (m) => warnings.push(m) });
    await t.connect();
    await t.close();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /host key changed.*checking is off/);
  });

  it('auth failed with a key the server does not know', async () => {
    const err = await expectKind({ ...base, privateKeyFile: b.keyFile }, 'auth-failed');
    assert.match(err.message, /authentication failed for user root \(tried key /);
  });

  it('reads a passphrase-protected key with the passphrase from the environment', async () => {
    const key = join(dir, 'enc_key');
    const pass = 'correct horse battery';
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', pass, '-f', key]);
    const auth = join(a.dir, 'authorized_keys');
    writeFileSync(auth, `${readFileSync(auth, 'utf8')}${readFileSync(`${key}.pub`, 'utf8')}`);
    const saved = process.env[PASSPHRASE_ENV];
    try {
      delete process.env[PASSPHRASE_ENV];
      const err = await expectKind({ ...base, privateKeyFile: key }, 'auth-failed');
      assert.match(err.message, /encrypted and no passphrase/);
      assert.ok(!err.message.includes(pass));
      process.env[PASSPHRASE_ENV] = 'wrong';
      const wrong = await expectKind({ ...base, privateKeyFile: key }, 'auth-failed');
      assert.match(wrong.message, /wrong passphrase/);
      process.env[PASSPHRASE_ENV] = pass;
      const t = createSshTransport({ ...base, privateKeyFile: key }, opts);
      await t.connect();
      await t.close();
    } finally {
      if (saved === undefined) delete process.env[PASSPHRASE_ENV];
      else process.env[PASSPHRASE_ENV] = saved;
    }
  });

  it('authenticates through ssh-agent (SSH_AUTH_SOCK)', async () => {
    const sock = join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
      const add = spawnSync('ssh-add', [a.keyFile], { env: { ...process.env, SSH_AUTH_SOCK: sock }, encoding: 'utf8' });
      assert.equal(add.status, 0, add.stderr);
      const noKey = { ...base, privateKeyFile: join(dir, 'no-such-key') };
      await expectKind(noKey, 'auth-failed');
      const t = createSshTransport(noKey, { ...opts, agentSocket: sock });
      await t.connect();
      await t.close();
    } finally {
      agent.kill('SIGTERM');
    }
  });

  it('asks the prompt for a passphrase when the environment has none', async () => {
    const key = join(dir, 'prompted_key');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'from the prompt', '-f', key]);
    const auth = join(a.dir, 'authorized_keys');
    writeFileSync(auth, `${readFileSync(auth, 'utf8')}${readFileSync(`${key}.pub`, 'utf8')}`);
    const saved = process.env[PASSPHRASE_ENV];
    delete process.env[PASSPHRASE_ENV];
    const asked: string[] = [];
    try {
      const t = createSshTransport({ ...base, privateKeyFile: key }, {
        ...opts,
        promptPassphrase: async (file) => {
          asked.push(file);
          return 'from the prompt';
        },
      });
      await t.connect();
      await t.close();
      assert.deepEqual(asked, [key]);
    } finally {
      if (saved !== undefined) process.env[PASSPHRASE_ENV] = saved;
    }
  });

  it('connection refused', async () => {
    const err = await expectKind({ ...base, address: '127.0.2.224' }, 'connection-refused');
    assert.equal(err.message, 'web01 (127.0.2.224:2222): connection refused');
  });

  it('timeout when the server accepts TCP and never speaks', async () => {
    const err = await expectKind({ ...base, address: '127.0.2.223', connectTimeout: 1 }, 'timeout');
    assert.match(err.message, /timed out after 1s/);
  });

  it('name not found', async () => {
    await expectKind({ ...base, address: 'no-such-host.invalid' }, 'name-not-found');
  });

  it('jumps through one server to another, each hop checked under its own name', async () => {
    const kh = join(dir, 'both');
    writeFileSync(kh, readFileSync(a.knownHostsFile, 'utf8') + readFileSync(b.knownHostsFile, 'utf8'));
    const cfg = join(dir, 'jump_config');
    writeFileSync(cfg, [`Host ${a.address}`, `  IdentityFile ${a.keyFile}`, `  UserKnownHostsFile ${kh}`, '  User root', ''].join('\n'));
    const { loadSshConfig } = await import('../../src/transport/ssh-config.js');
    const o = { ...opts, sshConfig: loadSshConfig([cfg]) };
    const target: ConnectionSpec = {
      ...base, host: 'db01', address: b.address, privateKeyFile: b.keyFile, knownHostsFile: kh,
      extra: { ansible_ssh_common_args: `-o ProxyJump=root@${a.address}:${a.port}` },
    };
    const t = createSshTransport(target, o);
    await t.connect();
    assert.equal((await t.exec({ argv: ['cat', join(b.dir, 'authorized_keys')] })).exitCode, 0);
    await t.close();
    // the chain really goes through the jump host: forwarding refused there fails the target
    const noForward = await startPrivateSshd({ octet: 225, extraConfig: ['AllowTcpForwarding no'] });
    try {
      writeFileSync(kh, readFileSync(noForward.knownHostsFile, 'utf8') + readFileSync(b.knownHostsFile, 'utf8'));
      writeFileSync(cfg, [`Host ${noForward.address}`, `  IdentityFile ${noForward.keyFile}`, `  UserKnownHostsFile ${kh}`, ''].join('\n'));
      const denied = await expectKind({ ...target, extra: { ansible_ssh_common_args: `-J root@${noForward.address}:${noForward.port}` } },
        'jump-failed', { ...opts, sshConfig: loadSshConfig([cfg]) });
      assert.match(denied.message, /^db01 \(127\.0\.2\.222:2222\): the jump host cannot open a channel to it: .*prohibited/);
      // through a working jump host to a closed port: refused, as the jump host saw it
      writeFileSync(cfg, [`Host ${a.address}`, `  IdentityFile ${a.keyFile}`, `  UserKnownHostsFile ${a.knownHostsFile}`, ''].join('\n'));
      await expectKind({ ...target, address: '127.0.2.224', extra: { ansible_ssh_common_args: `-J root@${a.address}:${a.port}` } },
        'connection-refused', { ...opts, sshConfig: loadSshConfig([cfg]) });
    } finally {
      await noForward.stop();
    }
    writeFileSync(kh, readFileSync(a.knownHostsFile, 'utf8') + readFileSync(b.knownHostsFile, 'utf8'));
    // a jump host whose key is unknown fails as jump-failed, naming the hop
    writeFileSync(cfg, [`Host ${a.address}`, `  IdentityFile ${a.keyFile}`, `  UserKnownHostsFile ${b.knownHostsFile}`, ''].join('\n'));
    const err = await expectKind(target, 'jump-failed', { ...opts, sshConfig: loadSshConfig([cfg]) });
    assert.match(err.message, /^db01 \(127\.0\.2\.222:2222\): jump host failed: 127\.0\.2\.221:2222: host key unknown/);
    // a refused jump host
    const refused = await expectKind({ ...target, extra: { ansible_ssh_common_args: '-J root@127.0.2.224:2222' } }, 'jump-failed', o);
    assert.match(refused.message, /connection refused/);
  });
});
