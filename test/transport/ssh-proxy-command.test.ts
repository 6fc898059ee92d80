/**
 * ProxyCommand against real (private) OpenSSH servers: the connection goes through the command's
 * stdin/stdout, the process runs while connected and is gone afterwards, a failing command is an
 * unreachable host with its stderr, a hanging one times out and is ended, and a jump host can
 * itself be reached through a ProxyCommand.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnreachableError } from '../../src/model/errors.js';
import type { ConnectionSpec } from '../../src/model/inventory.js';
import { loadSshConfig } from '../../src/transport/ssh-config.js';
import { createSshTransport, type SshOptions } from '../../src/transport/ssh-transport.js';
import { startPrivateSshd, type PrivateSshd } from './private-sshd.js';
import { childrenOf } from './processes.js';

const opts: SshOptions = { agentSocket: null, promptPassphrase: async () => undefined };

async function waitFor(ok: () => boolean, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

describe('ssh ProxyCommand (private sshd)', function () {
  this.timeout(60_000);
  let a: PrivateSshd;
  let b: PrivateSshd;
  let dir: string;
  let cfg: string;

  before(async () => {
    [a, b] = await Promise.all([startPrivateSshd({ octet: 231 }), startPrivateSshd({ octet: 232 })]);
    dir = mkdtempSync(join(tmpdir(), 'remedy-proxycmd-'));
    const kh = join(dir, 'known_hosts');
    writeFileSync(kh, readFileSync(a.knownHostsFile, 'utf8') + readFileSync(b.knownHostsFile, 'utf8'));
    cfg = join(dir, 'config');
    writeFileSync(cfg, [
      '# a behind nc; b behind a jump host that is itself behind nc',
      'Host via-nc',
      `  HostName ${a.address}`,
      `  IdentityFile ${a.keyFile}`,
      'Host via-jump',
      `  HostName ${b.address}`,
      '  ProxyJump via-nc',
      `  IdentityFile ${b.keyFile}`,
      'Host failing',
      `  HostName ${a.address}`,
      '  ProxyCommand sh -c \'echo "proxy: no route to %h port %p" >&2; exit 7\'',
      'Host hanging',
      `  HostName ${a.address}`,
      '  ProxyCommand sleep 30',
      '  ConnectTimeout 1',
      'Host *',
      `  Port ${a.port}`,
      '  User root',
      `  UserKnownHostsFile ${kh}`,
      '  ProxyCommand nc %h %p',
      '',
    ].join('\n'));
  });

  after(async () => {
    await a?.stop();
    await b?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const spec = (host: string): ConnectionSpec => ({ host, kind: 'ssh', address: host, become: false, extra: {} });

  it('connects through the command, which runs while connected and ends with the connection', async () => {
    const t = createSshTransport(spec('via-nc'), { ...opts, sshConfig: loadSshConfig([cfg]) });
    assert.deepEqual(t.settings.route, { kind: 'proxy-command', raw: 'nc %h %p', command: `exec nc ${a.address} ${a.port}`, where: { file: cfg, line: 20 } });
    const r = await t.exec({ script: 'echo "$SSH_CONNECTION"' });
    const proxies = childrenOf(process.pid).filter((c) => c.comm === 'nc');
    assert.equal(proxies.length, 1, JSON.stringify(childrenOf(process.pid)));
    assert.equal(proxies[0]?.args, `nc ${a.address} ${a.port}`, 'exec: the shell is replaced by the command');
    // the TCP connection the server saw comes from the nc process, not from remedy
    const srcPort = r.stdout.trim().split(' ')[1];
    const owner = spawnSync('ss', ['-tnpH', 'state', 'established', 'sport', '=', `:${srcPort}`], { encoding: 'utf8' }).stdout;
    assert.match(owner, new RegExp(`"nc",pid=${proxies[0]?.pid},`), `${r.stdout} ${owner}`);
    await t.close();
    assert.ok(await waitFor(() => childrenOf(process.pid).every((c) => c.comm !== 'nc')), 'the ProxyCommand is gone after close');
  });

  it('reaches a jump host through its own ProxyCommand, then the target through the jump', async () => {
    const t = createSshTransport(spec('via-jump'), { ...opts, sshConfig: loadSshConfig([cfg]) });
    assert.equal(t.settings.route.kind, 'jump');
    const r = await t.exec({ argv: ['cat', join(b.dir, 'authorized_keys')] });
    assert.equal(r.exitCode, 0);
    assert.equal(childrenOf(process.pid).filter((c) => c.comm === 'nc').length, 1);
    await t.close();
    assert.ok(await waitFor(() => childrenOf(process.pid).every((c) => c.comm !== 'nc')));
  });

  it('a failing ProxyCommand makes the host unreachable, with its exit status and stderr', async () => {
    const t = createSshTransport(spec('failing'), { ...opts, sshConfig: loadSshConfig([cfg]) });
    await assert.rejects(t.connect(), (err: unknown) => {
      assert.ok(err instanceof UnreachableError, String(err));
      assert.equal(err.kind, 'jump-failed');
      assert.equal(err.host, 'failing');
      assert.equal(err.message, `failing (${a.address}:${a.port}): ProxyCommand "sh -c 'echo "proxy: no route to %h port %p" >&2; exit 7'" exit 7 before the SSH handshake completed: proxy: no route to ${a.address} port ${a.port}`);
      return true;
    });
    await t.close();
  });

  it('a ProxyCommand that never speaks times out and is ended', async () => {
    const t = createSshTransport(spec('hanging'), { ...opts, sshConfig: loadSshConfig([cfg]) });
    const connecting = t.connect();
    assert.ok(await waitFor(() => childrenOf(process.pid).some((c) => c.comm === 'sleep')));
    await assert.rejects(connecting, (err: unknown) => err instanceof UnreachableError && err.kind === 'timeout' && /timed out after 1s/.test(err.message));
    assert.ok(await waitFor(() => childrenOf(process.pid).every((c) => c.comm !== 'sleep')), 'the hanging command is ended');
  });

  it('the connection is lost when the ProxyCommand dies', async () => {
    const t = createSshTransport(spec('via-nc'), { ...opts, sshConfig: loadSshConfig([cfg]) });
    await t.connect();
    const running = t.exec({ script: 'sleep 20' });
    const nc = childrenOf(process.pid).find((c) => c.comm === 'nc');
    assert.ok(nc);
    process.kill(nc.pid, 'SIGKILL');
    await assert.rejects(running, (err: unknown) => err instanceof UnreachableError && err.kind === 'connection-lost');
    await t.close();
  });
});
