/**
 * The host lock on the local connection (remedy.lock in /run/lock, or in REMEDY_LOCAL_LOCK_DIR, which
 * test/setup.ts points at a directory of this test process): a second run finds
 * the host locked and leaves it alone, the lock goes with the run (kill -9 included), and a host
 * without flock(1) is refused. The same over SSH, on real hosts: test/cli/window-lab.test.ts.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runPlaybooks, type RunOptions } from '../../src/engine/index.js';
import { parseInventoryText } from '../../src/inventory/index.js';
import { parsePlaybookText } from '../../src/config/load-playbook.js';
import { createLocalTransport } from '../../src/transport/local.js';
import { LOCAL_LOCK_DIR_ENV, lockScript, parseHolder, takeHostLock } from '../../src/engine/host-lock.js';
import type { RunReport } from '../../src/model/results.js';
import type { Transport } from '../../src/transport/transport.js';
import { repoRoot } from '../cli/run-cli.js';

const LOCK_FILE = join(process.env[LOCAL_LOCK_DIR_ENV] ?? '/run/lock', 'remedy.lock');
const dir = mkdtempSync(join(tmpdir(), 'remedy-lock-'));
const go = join(dir, 'go');
/** A play whose only task waits until the test creates the go file: the run holds its lock until then. */
const WAIT = `- hosts: all\n  tasks:\n    - name: wait\n      shell: 'while [ ! -e ${go} ]; do sleep 0.1; done'\n`;
const inventory = parseInventoryText('inv.yml', 'all:\n  hosts:\n    h1: { ansible_connection: local }\n    h2: { ansible_connection: local }\n');

function run(yaml: string, extra: Partial<RunOptions> = {}): Promise<RunReport> {
  return runPlaybooks({ playbooks: [parsePlaybookText('p.yml', yaml)], inventory, transportFor: createLocalTransport, hostLock: { waitSeconds: 0 }, ...extra }, () => undefined);
}

const lockText = (): string => { try { return readFileSync(LOCK_FILE, 'utf8'); } catch { return ''; } };

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Whether a process could take the lock right now (flock -n on this machine). */
const lockFree = (): boolean => spawnSync('flock', ['-n', LOCK_FILE, 'true']).status === 0;

describe('host lock on the local connection', function () {
  this.timeout(60_000);
  beforeEach(() => rmSync(go, { force: true }));
  afterEach(() => writeFileSync(go, ''));

  it('the holder line reads back; the script quotes what it writes', () => {
    const holder = { runId: 'r-1', controller: 'ci runner;rm -rf /', pid: 42, startedAt: '2026-06-02T22:00:00.000Z' };
    assert.deepEqual(parseHolder('run=r-1 controller=ci_runner_rm_-rf__ pid=42 started=2026-06-02T22:00:00.000Z hostpid=7'), { ...holder, controller: 'ci_runner_rm_-rf__' });
    assert.match(lockScript({ holder, waitSeconds: 0 }), /'run=r-1 controller=ci_runner_rm_-rf__ pid=42 started=2026-06-02T22:00:00.000Z'/);
    assert.match(lockScript({ holder, waitSeconds: 2.5 }), /flock -x -w 2.5 9/);
    assert.equal(parseHolder('garbage'), undefined);
  });

  it('a second run finds the hosts locked, names the holder and leaves them alone; after the first, the lock is free', async () => {
    const first = run(WAIT, { runId: 'run-a' });
    await until('run-a to hold the lock', () => lockText().startsWith('run=run-a '));
    const second = await run('- hosts: all\n  tasks:\n    - command: "true"\n', { runId: 'run-b' });
    assert.deepEqual(second.hosts.map((h) => h.status), ['locked', 'locked']);
    assert.deepEqual(second.hosts.map((h) => h.locked?.runId), ['run-a', 'run-a']);
    assert.equal(second.hosts[0]!.locked!.pid, process.pid);
    assert.deepEqual(second.hosts[0]!.steps.map((s) => [s.status, s.cause]), [['skipped', 'locked']]);
    assert.match(second.hosts[0]!.steps[0]!.message, /^locked by run run-a from \S+ \(pid \d+\) since \S+: left alone$/);
    assert.equal(second.summary.locked, 2);
    writeFileSync(go, '');
    const a = await first;
    assert.deepEqual(a.hosts.map((h) => h.status), ['changed', 'changed'], 'both local hosts share the one lock of this machine');
    assert.ok(lockFree(), 'released when the run ended');
    const third = await run('- hosts: all\n  tasks:\n    - command: "true"\n', { runId: 'run-c' });
    assert.deepEqual(third.hosts.map((h) => h.status), ['changed', 'changed']);
  });

  it('released, the holder ends by itself (the end of its input), not by a signal: nothing to kill on the host', async () => {
    const results: Array<Promise<import('../../src/transport/transport.js').ExecResult>> = [];
    const base = createLocalTransport({ host: 'h', kind: 'local', address: 'localhost', become: false, extra: {} });
    const transport: Transport = { ...base, host: base.host, exec: (req) => { const r = base.exec(req); results.push(r); return r; } };
    const holder = { runId: 'r-eof', controller: 'test', pid: process.pid, startedAt: new Date().toISOString() };
    const outcome = await takeHostLock(transport, { holder, waitSeconds: 0, dir: dirname(LOCK_FILE) });
    assert.equal(outcome.kind, 'acquired');
    assert.equal(lockFree(), false, 'held');
    if (outcome.kind === 'acquired') await outcome.release();
    const held = await results[0]!;
    assert.equal(held.signal, null, 'the holder was not signalled');
    assert.equal(held.exitCode, 0);
    assert.ok(lockFree(), 'free once released');
  });

  it('--lock-wait: a run waits for the holder to finish, then takes the lock', async () => {
    const first = run(WAIT, { runId: 'run-a' });
    await until('run-a to hold the lock', () => lockText().startsWith('run=run-a '));
    const second = run('- hosts: all\n  tasks:\n    - command: "true"\n', { runId: 'run-b', hostLock: { waitSeconds: 30 } });
    await until('run-b to wait in flock', () => readdirSync('/proc').some((pid) => {
      try { return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8') === 'flock\0-x\0-w\x0030\x009\0'; } catch { return false; }
    }));
    writeFileSync(go, '');
    assert.deepEqual((await second).hosts.map((h) => h.status), ['changed', 'changed']);
    await first;
  });

  it('check mode and runs without hostLock take no lock', async () => {
    const first = run(WAIT, { runId: 'run-a' });
    await until('run-a to hold the lock', () => lockText().startsWith('run=run-a '));
    const check = await run('- hosts: all\n  tasks:\n    - command: "true"\n', { hostLock: undefined, check: true });
    assert.deepEqual(check.hosts.map((h) => h.status), ['ok', 'ok']);
    const unlocked = await run('- hosts: all\n  tasks:\n    - command: "true"\n', { hostLock: undefined });
    assert.deepEqual(unlocked.hosts.map((h) => h.status), ['changed', 'changed']);
    writeFileSync(go, '');
    await first;
  });

  it('no flock(1) on the host: the host fails with cause lock-unavailable and is left alone', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'remedy-noflock-'));
    for (const tool of ['sh', 'cat', 'sleep', 'true']) symlinkSync(spawnSync('sh', ['-c', `command -v ${tool}`]).stdout.toString().trim(), join(bin, tool));
    const marker = join(dir, 'touched');
    const noFlock = (spec: Parameters<typeof createLocalTransport>[0]): Transport => {
      const t = createLocalTransport(spec);
      return { ...t, exec: (req) => t.exec({ ...req, env: { ...req.env, PATH: bin } }) };
    };
    const r = await run(`- hosts: h1\n  tasks:\n    - command: [touch, ${marker}]\n`, { transportFor: noFlock });
    assert.equal(r.hosts[0]!.status, 'failed');
    assert.deepEqual(r.hosts[0]!.steps.map((s) => [s.status, s.cause]), [['failed', 'lock-unavailable']]);
    assert.match(r.hosts[0]!.steps[0]!.message, /^no flock\(1\) on the host \(util-linux or busybox\): remedy cannot take the host lock; the host is left alone$/);
    assert.equal(spawnSync('test', ['-e', marker]).status, 1, 'the task did not run');
  });

  it('kill -9 of the holding remedy releases the lock: the next run gets it', async () => {
    writeFileSync(join(dir, 'p.yml'), WAIT);
    writeFileSync(join(dir, 'i.yml'), 'all:\n  hosts:\n    h1: { ansible_connection: local }\n');
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '--no-progress'],
      { cwd: repoRoot, stdio: 'ignore' });
    try {
      await until('the remedy process to hold the lock', () => lockText().includes(` pid=${child.pid} `));
      assert.ok(!lockFree());
      child.kill('SIGKILL');
      await until('the lock to be released after kill -9', lockFree, 10_000);
    } finally {
      child.kill('SIGKILL');
    }
    const next = await run('- hosts: all\n  tasks:\n    - command: "true"\n', { runId: 'after-kill' });
    assert.deepEqual(next.hosts.map((h) => h.status), ['changed', 'changed']);
  });
});
