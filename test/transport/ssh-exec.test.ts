/** Running commands through the SSH transport against a real (private) OpenSSH server. */
import assert from 'node:assert/strict';
import type { ConnectionSpec } from '../../src/model/inventory.js';
import { SshPool } from '../../src/transport/pool.js';
import { parseSshConfig } from '../../src/transport/ssh-config.js';
import { buildCommand } from '../../src/transport/ssh-exec.js';
import { createSshTransport, type SshTransport } from '../../src/transport/ssh-transport.js';
import { UnreachableError } from '../../src/model/errors.js';
import { startPrivateSshd, type PrivateSshd } from './private-sshd.js';

describe('ssh exec (private sshd)', function () {
  this.timeout(60_000);
  let sshd: PrivateSshd;
  let t: SshTransport;
  let spec: ConnectionSpec;

  before(async () => {
    sshd = await startPrivateSshd({ octet: 211, extraConfig: ['MaxSessions 10'] });
    spec = {
      host: 'exec01', kind: 'ssh', address: sshd.address, port: sshd.port, user: 'root',
      privateKeyFile: sshd.keyFile, knownHostsFile: sshd.knownHostsFile, become: false, extra: {},
    };
    t = createSshTransport(spec, { sshConfig: null, agentSocket: null });
    await t.connect();
  });

  after(async () => {
    await t?.close();
    await sshd?.stop();
  });

  it('runs argv with every word quoted', async () => {
    const words = ['printf', '%s|', 'a b', "it's", '$HOME', '`id`', '; rm -rf /', '', '*'];
    const r = await t.exec({ argv: words });
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, "a b|it's|$HOME|`id`|; rm -rf /||*|");
  });

  it('runs a script with stdin and env; reports exit code and stderr apart', async () => {
    const r = await t.exec({ script: 'echo "[$FOO]"; cat; echo oops >&2; exit 7', stdin: 'line in\n', env: { FOO: "x 'y'" } });
    assert.deepEqual([r.exitCode, r.signal, r.stdout, r.stderr, r.timedOut], [7, null, "[x 'y']\nline in\n", 'oops\n', false]);
  });

  it('sends long scripts through sh -s', async () => {
    const script = `${'# padding\n'.repeat(12_000)}echo long-ok`;
    assert.ok(script.length > 100_000);
    const r = await t.exec({ script });
    assert.equal(r.stdout, 'long-ok\n');
  });

  it('reports the signal that ended the command', async () => {
    const r = await t.exec({ script: 'kill -KILL $$' });
    assert.equal(r.exitCode, null);
    assert.equal(r.signal, 'SIGKILL');
  });

  it('bounds stdout and stderr and says it truncated', async () => {
    const r = await t.exec({ script: 'head -c 100000 /dev/zero | tr "\\0" a; head -c 50 /dev/zero | tr "\\0" b >&2', maxOutputBytes: 1000 });
    assert.equal(r.stdout.length, 1000);
    assert.equal(r.stderr, 'b'.repeat(50));
    assert.equal(r.truncated, true);
  });

  it('ends the whole remote process group on timeout', async () => {
    const tag = `remedy-to-${process.pid}`;
    const fg = `61.${process.pid}`; // a unique sleep in the foreground
    const r = await t.exec({ script: `sh -c 'sleep 60; echo ${tag}' & sleep ${fg}; echo never`, timeoutMs: 500 });
    assert.equal(r.timedOut, true);
    assert.equal(r.stdout, '');
    const ps = await t.exec({ script: 'for f in /proc/[0-9]*/cmdline; do tr "\\0" " " < "$f" 2>/dev/null; echo; done' });
    assert.ok(ps.stdout.includes('for f in /proc'), 'the scan sees command lines');
    assert.ok(!ps.stdout.includes(`echo ${tag}`), 'the background child must be gone too');
    assert.ok(!ps.stdout.includes(`sleep ${fg}`), 'the foreground command must be gone');
  });

  it('ends the remote command when aborted (its process group TERMed; not a timeout)', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const r = await t.exec({ script: 'sleep 30', signal: ac.signal });
    assert.equal(r.timedOut, false);
    assert.ok(r.exitCode !== 0, 'the aborted command must not look successful');
    assert.ok(r.durationMs < 20_000);
  });

  it('queues channels above the per-host limit instead of failing (MaxSessions 10)', async () => {
    const runs = await Promise.all(Array.from({ length: 25 }, (_, i) => t.exec({ script: `sleep 0.2; echo ${i}` })));
    assert.deepEqual(runs.map((r) => r.stdout.trim()), Array.from({ length: 25 }, (_, i) => String(i)));
  });

  it('waits for a channel when the server allows fewer sessions than the limit (MaxSessions 2)', async () => {
    const small = await startPrivateSshd({ octet: 212, extraConfig: ['MaxSessions 2'] });
    const own = createSshTransport({ ...spec, address: small.address, port: small.port, privateKeyFile: small.keyFile, knownHostsFile: small.knownHostsFile },
      { sshConfig: null, agentSocket: null });
    try {
      const runs = await Promise.all(Array.from({ length: 6 }, (_, i) => own.exec({ script: `sleep 0.3; echo ${i}` })));
      assert.deepEqual(runs.map((r) => r.stdout.trim()), ['0', '1', '2', '3', '4', '5']);
    } finally {
      await own.close();
      await small.stop();
    }
  });

  it('puts a file with its mode', async () => {
    const path = `/tmp/remedy-put-${process.pid}`;
    await t.put(path, 'content\n', 0o640);
    const r = await t.exec({ script: `stat -c %a ${path}; cat ${path}; rm -f ${path}` });
    assert.equal(r.stdout, '640\ncontent\n');
  });

  it('never puts the become password in the command line', () => {
    const ctx = { name: 'h', label: 'h', become: true, becomePassword: 's3cret-pw', lost: new Promise<never>(() => undefined) };
    const built = buildCommand({ argv: ['id', '-u'] }, ctx);
    assert.ok(!built.command.includes('s3cret-pw'));
    assert.match(built.command, /sudo -S -p/);
    assert.match(buildCommand({ argv: ['id'], becomeUser: 'app' }, { ...ctx, becomePassword: undefined }).command, /sudo -n -H -u app/);
  });

  it('throws connection-lost when the connection drops during a step, then reconnects', async () => {
    const own = createSshTransport(spec, { sshConfig: null, agentSocket: null });
    await own.connect();
    // kill this connection's sshd session process: the connection drops mid-command
    await assert.rejects(own.exec({ script: 'sleep 0.2; kill -KILL $PPID; sleep 5' }), (err: unknown) => {
      assert.ok(err instanceof UnreachableError);
      assert.equal(err.kind, 'connection-lost');
      assert.match(err.message, /exec01 \(127\.0\.2\.211:2222\): connection lost.*\(while the command ran on the host: it may have run in part or whole\)/);
      return true;
    });
    // no silent reconnect: what held on the lost connection (the host lock) went with it
    await assert.rejects(own.exec({ argv: ['true'] }), (err: unknown) => err instanceof UnreachableError && err.kind === 'connection-lost'
      && /\(before this command was sent: it did not run\)$/.test(err.message));
    await own.reconnect({ timeoutMs: 10_000, initialDelayMs: 100 });
    assert.equal((await own.exec({ argv: ['echo', 'back'] })).stdout, 'back\n');
    await own.close();
  });

  it('notices a host that vanishes silently through keepalives (ServerAliveInterval)', async () => {
    const config = parseSshConfig(`Host ${sshd.address}\n  ServerAliveInterval 1\n  ServerAliveCountMax 2\n`);
    const own = createSshTransport(spec, { sshConfig: config, agentSocket: null });
    const session = Number((await own.exec({ script: 'echo $PPID' })).stdout.trim());
    assert.ok(session > 1);
    const started = Date.now();
    const running = own.exec({ script: 'sleep 30' });
    process.kill(session, 'SIGSTOP'); // the connection's sshd process stops answering; TCP stays up
    try {
      await assert.rejects(running, (err: unknown) => err instanceof UnreachableError && err.kind === 'connection-lost');
      assert.ok(Date.now() - started < 15_000);
    } finally {
      process.kill(session, 'SIGKILL');
      await own.close();
    }
  });

  it('reconnects with backoff while the server is down (as after a reboot)', async () => {
    const own = createSshTransport(spec, { sshConfig: null, agentSocket: null });
    await own.connect();
    await sshd.pause();
    setTimeout(() => void sshd.start(), 1500);
    const started = Date.now();
    await own.reconnect({ timeoutMs: 20_000, initialDelayMs: 200 });
    assert.ok(Date.now() - started >= 1000);
    assert.equal((await own.exec({ argv: ['true'] })).exitCode, 0);
    await own.close();
  });

  it('stops reconnecting when its signal aborts (the run\'s second stop signal), long before its timeout', async () => {
    const own = createSshTransport(spec, { sshConfig: null, agentSocket: null });
    await own.connect();
    await sshd.pause();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 800);
    const started = Date.now();
    try {
      await assert.rejects(own.reconnect({ timeoutMs: 120_000, initialDelayMs: 200, signal: ac.signal }),
        (err: unknown) => err instanceof UnreachableError && /stopped reconnecting: interrupted$/.test(err.message));
      assert.ok(Date.now() - started < 60_000);
    } finally {
      await sshd.start();
      await own.close();
    }
  });

  it('pool: one connection per host, shared by every step', async () => {
    const pool = new SshPool({ sshConfig: null, agentSocket: null, handshakeConcurrency: 2 });
    const a = pool.get(spec);
    assert.equal(pool.get({ ...spec }), a);
    const parents = await Promise.all(Array.from({ length: 6 }, () => a.exec({ script: 'echo $PPID' })));
    assert.equal(new Set(parents.map((r) => r.stdout)).size, 1);
    const other = createSshTransport(spec, { sshConfig: null, agentSocket: null });
    const p2 = await other.exec({ script: 'echo $PPID' });
    assert.notEqual(p2.stdout, parents[0]?.stdout);
    await other.close();
    await pool.closeAll();
    assert.equal(pool.size, 0);
  });
});
