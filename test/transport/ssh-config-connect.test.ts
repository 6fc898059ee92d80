/**
 * Settings read from ssh_config that change how remedy connects, honoured on real connections to a
 * private OpenSSH server: BindAddress, PubkeyAuthentication, BatchMode, IdentityFile none.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnreachableError } from '../../src/model/errors.js';
import type { ConnectionSpec } from '../../src/model/inventory.js';
import { PASSPHRASE_ENV } from '../../src/transport/ssh-auth.js';
import { parseSshConfig } from '../../src/transport/ssh-config.js';
import { createSshTransport, type SshOptions } from '../../src/transport/ssh-transport.js';
import { startPrivateSshd, type PrivateSshd } from './private-sshd.js';

describe('ssh_config settings on a real connection (private sshd)', function () {
  this.timeout(60_000);
  let sshd: PrivateSshd;
  let dir: string;
  let encrypted: string;
  const asked: string[] = [];
  const opts = (config: string): SshOptions => ({
    agentSocket: null,
    sshConfig: parseSshConfig(config),
    promptPassphrase: async (file) => {
      asked.push(file);
      return 'secret words';
    },
  });
  const spec = (host: string): ConnectionSpec => ({ host, kind: 'ssh', address: host, become: false, extra: {} });
  const base = () => [`  HostName ${sshd.address}`, `  Port ${sshd.port}`, '  User root', `  UserKnownHostsFile ${sshd.knownHostsFile}`];

  before(async () => {
    sshd = await startPrivateSshd({ octet: 233 });
    dir = mkdtempSync(join(tmpdir(), 'remedy-cfgconn-'));
    encrypted = join(dir, 'enc_key');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret words', '-f', encrypted]);
    const auth = join(sshd.dir, 'authorized_keys');
    writeFileSync(auth, `${readFileSync(auth, 'utf8')}${readFileSync(`${encrypted}.pub`, 'utf8')}`);
  });

  after(async () => {
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('BindAddress: the server sees the connection from that address', async () => {
    const t = createSshTransport(spec('bound'), opts(['Host bound', ...base(), `  IdentityFile ${sshd.keyFile}`, '  BindAddress 127.0.2.234'].join('\n')));
    const r = await t.exec({ script: 'echo "$SSH_CONNECTION"' });
    assert.equal(r.stdout.split(' ')[0], '127.0.2.234');
    await t.close();
  });

  it('PubkeyAuthentication no, and IdentityFile none (not even the default files): no key is offered', async () => {
    for (const extra of [['  PubkeyAuthentication no', `  IdentityFile ${sshd.keyFile}`], ['  IdentityFile none']]) {
      const t = createSshTransport(spec('nokeys'), opts(['Host nokeys', ...base(), ...extra].join('\n')));
      assert.equal(t.settings.identityFiles.length, extra.length - 1);
      await assert.rejects(t.connect(), (err: unknown) => err instanceof UnreachableError && err.kind === 'auth-failed' && /no usable credentials/.test(err.message));
      await t.close();
    }
  });

  it('BatchMode yes: an encrypted key is never asked for; without it, the prompt is', async () => {
    const saved = process.env[PASSPHRASE_ENV];
    delete process.env[PASSPHRASE_ENV];
    try {
      asked.length = 0;
      const batch = createSshTransport(spec('batch'), opts(['Host batch', ...base(), `  IdentityFile ${encrypted}`, '  BatchMode yes'].join('\n')));
      await assert.rejects(batch.connect(), (err: unknown) => err instanceof UnreachableError && /encrypted and no passphrase/.test(err.message));
      await batch.close();
      assert.deepEqual(asked, []);
      const asking = createSshTransport(spec('asking'), opts(['Host asking', ...base(), `  IdentityFile ${encrypted}`].join('\n')));
      await asking.connect();
      await asking.close();
      assert.deepEqual(asked, [encrypted]);
    } finally {
      if (saved !== undefined) process.env[PASSPHRASE_ENV] = saved;
    }
  });
});
