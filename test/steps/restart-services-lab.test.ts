/**
 * restart_services on real lab hosts (one systemd, one SysV) through the product's SSH transport
 * (createTransport over connectionFor of the lab inventory). Every effect is confirmed on the host
 * with independent tools: /proc/PID/maps and exe, lsof, systemctl is-active, service NAME status,
 * the pidfile.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { startLab, type Lab, type LabHost, suiteLabName } from '../lab/index.js';
import { requireLab } from '../lab/require-lab.js';
import { replaceServiceExecutable, replaceSharedLibrary } from '../lab/scenarios.js';
import { LAB_DAEMON, LAB_LIB } from '../lab/layer.js';
import { hostSh, isAliveOn, quietRootShell } from './lab-helpers.js';
import { loadInventory, connectionFor } from '../../src/inventory/index.js';
import { createTransport } from '../../src/transport/index.js';
import type { Transport } from '../../src/transport/transport.js';
import type { StepContext } from '../../src/steps/step.js';
import type { ConnectionSpec } from '../../src/model/inventory.js';
import type { StepResult } from '../../src/model/results.js';
import { restartServicesStep, type RestartServicesArgs } from '../../src/steps/restart-services.js';
import { createFactsAccess, NO_HOST_OPTIONS } from '../../src/steps/facts-access.js';

const SESSION_MARK = 'remedy-restart-tests-session';

describe('restart_services on the lab (ssh2 transport)', function () {
  this.timeout(180_000);
  let lab: Lab | undefined;
  const transports = new Map<string, Transport>();
  const specs = new Map<string, ConnectionSpec>();

  before(async function () {
    this.timeout(240_000);
    requireLab(this);
    lab = await startLab({ name: suiteLabName('restart-tests'), count: 2, flavor: ['systemd', 'sysv'] });
    await quietRootShell(lab);
    const inventory = await loadInventory(lab.inventoryFile);
    for (const host of inventory.hosts) {
      specs.set(host.name, connectionFor(host));
      transports.set(host.name, createTransport(specs.get(host.name)!, { sshConfig: null }));
    }
  });
  const cleanups: Array<() => void> = [];
  afterEach(() => { for (const f of cleanups.splice(0)) f(); });
  after(async () => {
    await Promise.all([...transports.values()].map((t) => t.close().catch(() => undefined)));
    await lab?.down();
  });

  const ctx = (h: LabHost, check = false): StepContext => ({
    host: h.name, connection: specs.get(h.name)!, transport: transports.get(h.name)!,
    vars: {}, facts: createFactsAccess(transports.get(h.name)!, NO_HOST_OPTIONS, { timeoutMs: 120_000 }), options: NO_HOST_OPTIONS,
    check, timeout: 120, signal: new AbortController().signal,
  });
  const run = (h: LabHost, args: RestartServicesArgs, check = false): Promise<StepResult> => restartServicesStep.run(ctx(h, check), args);
  const sh = (h: LabHost, script: string): Promise<string> => hostSh(lab!, h, script);
  const labdPid = async (h: LabHost): Promise<number> => Number(await sh(h, 'cat /run/remedy-labd.pid'));
  const unitOf = (h: LabHost, name: string): string => (h.flavor === 'systemd' ? `${name}.service` : name);
  /** The init system's own verdict on the service. */
  const state = (h: LabHost, name: string): Promise<string> => h.flavor === 'systemd'
    ? sh(h, `systemctl is-active ${name} || true`)
    : sh(h, `service ${name} status >/dev/null 2>&1 && echo active || echo inactive`);
  /** Pids whose maps still hold the deleted library, by /proc and by lsof (DEL entries). */
  const mappingDeleted = async (h: LabHost, path: string): Promise<{ proc: string; lsof: string }> => ({
    proc: await sh(h, `grep -l -F '${path} (deleted)' /proc/[0-9]*/maps 2>/dev/null | cut -d/ -f3 | sort -n | tr '\\n' ' ' || true`),
    lsof: await sh(h, `lsof -nP 2>/dev/null | awk '$4 == "DEL" && index($0, "${path}") { print $2 }' | sort -un | tr '\\n' ' '`),
  });

  for (const [index, flavor] of [[0, 'systemd'], [1, 'sysv']] as const) {
    describe(`${flavor} host`, () => {
      const host = (): LabHost => lab!.hosts[index]!;

      it('restarts the service mapping the replaced library (library_glob); check mode first changes nothing; a second run restarts nothing', async () => {
        const h = host();
        const replaced = await replaceSharedLibrary(lab!, h);
        const pid = await labdPid(h);
        assert.ok(replaced.pids.includes(pid), `remedy-labd (${pid}) mapped ${LAB_LIB}: ${replaced.pids}`);
        const before = await mappingDeleted(h, LAB_LIB);
        assert.match(before.proc, new RegExp(`\\b${pid}\\b`));
        assert.match(before.lsof, new RegExp(`\\b${pid}\\b`), 'lsof sees the deleted mapping too');

        const check = await run(h, { library_glob: '/usr/lib/*/libwrap.so*' }, true);
        assert.equal(check.status, 'skipped', check.message);
        assert.equal(check.message, `check mode: would restart ${unitOf(h, 'remedy-labd')}`);
        assert.equal(await labdPid(h), pid, 'check mode left the daemon alone');
        assert.ok(await isAliveOn(lab!, h, pid));

        const other = await run(h, { library_glob: '/usr/lib/*/libssl.so*' });
        assert.equal(other.status, 'ok', other.message);
        assert.equal(other.message, 'nothing to restart');
        assert.equal(await labdPid(h), pid, 'a glob that matches nothing restarts nothing');

        const r = await run(h, { library_glob: '/usr/lib/*/libwrap.so*' });
        assert.equal(r.status, 'changed', `${r.message}\n${r.stderr}`);
        assert.deepEqual(r.effects?.restarted, [unitOf(h, 'remedy-labd')]);
        assert.deepEqual(r.effects?.stale, [], 'the re-scan found nothing stale');
        const now = await labdPid(h);
        assert.notEqual(now, pid);
        assert.ok(!(await isAliveOn(lab!, h, pid)), 'the old daemon is gone');
        assert.deepEqual(await mappingDeleted(h, LAB_LIB), { proc: '', lsof: '' }, 'no process maps the deleted library');
        assert.match(await sh(h, `grep -c -F ${LAB_LIB} /proc/${now}/maps`), /^[1-9]/, 'the new daemon maps the new library');
        assert.equal(await state(h, 'remedy-labd'), 'active');

        const again = await run(h, { library_glob: '/usr/lib/*/libwrap.so*' });
        assert.equal(again.status, 'ok', again.message);
        assert.deepEqual(again.effects?.restarted ?? [], []);
        assert.equal(await labdPid(h), now, 'the second run restarted nothing');
      });

      it('never_restart keeps a stale service running and says why; then it is restarted (executable replaced)', async () => {
        const h = host();
        const replaced = await replaceServiceExecutable(lab!, h);
        const skipped = await run(h, { never_restart: ['remedy-*'] });
        assert.equal(skipped.status, 'ok', skipped.message);
        assert.match(skipped.message ?? '', new RegExp(`skipped ${unitOf(h, 'remedy-labd').replace('.', '\\.')}: never-restart`));
        assert.deepEqual((skipped.data?.['skipped'] as Array<{ reason: string }>).map((s) => s.reason), ['never-restart']);
        assert.equal(await labdPid(h), replaced.pid);
        assert.match(await sh(h, `readlink /proc/${replaced.pid}/exe`), /\(deleted\)$/);

        const r = await run(h, { services: ['remedy-labd'] });
        assert.equal(r.status, 'changed', `${r.message}\n${r.stderr}`);
        const now = await labdPid(h);
        assert.notEqual(now, replaced.pid);
        assert.equal(await sh(h, `readlink /proc/${now}/exe`), LAB_DAEMON, 'the new process runs the new binary');
        assert.equal(await state(h, 'remedy-labd'), 'active');
      });

      it('refuses to restart sshd when sshd -t rejects its configuration (and on systemd when KillMode would end sessions)', async () => {
        const h = host();
        const unit = h.flavor === 'systemd' ? 'ssh.service' : 'ssh';
        await sh(h, 'cp -p /usr/sbin/sshd /usr/sbin/sshd.remedy-new && mv -f /usr/sbin/sshd.remedy-new /usr/sbin/sshd');
        const listener = Number(await sh(h, 'cat /run/sshd.pid'));
        await sh(h, 'echo "RemedyBogusOption yes" > /etc/ssh/sshd_config.d/remedy-bogus.conf');
        cleanups.push(() => { void lab!.exec(h, 'rm -f /etc/ssh/sshd_config.d/remedy-bogus.conf'); });
        const bad = await run(h, {});
        assert.equal(bad.status, 'failed', bad.message);
        assert.match(bad.message ?? '', new RegExp(`failed: ${unit.replace('.', '\\.')} \\(not restarted: sshd -t failed: .*RemedyBogusOption`));
        assert.equal(Number(await sh(h, 'cat /run/sshd.pid')), listener, 'the listener was left alone');
        await sh(h, 'rm -f /etc/ssh/sshd_config.d/remedy-bogus.conf');
        if (h.flavor === 'systemd') {
          await sh(h, 'mkdir -p /run/systemd/system/ssh.service.d && printf "[Service]\\nKillMode=control-group\\n" > /run/systemd/system/ssh.service.d/remedy-killmode.conf && systemctl daemon-reload');
          cleanups.push(() => { void lab!.exec(h, 'rm -rf /run/systemd/system/ssh.service.d; systemctl daemon-reload'); });
          const unsafe = await run(h, {});
          assert.equal(unsafe.status, 'failed', unsafe.message);
          assert.match(unsafe.message ?? '', /not restarted: KillMode=control-group would end the sessions/);
          assert.equal(Number(await sh(h, 'cat /run/sshd.pid')), listener);
          await sh(h, 'rm -rf /run/systemd/system/ssh.service.d && systemctl daemon-reload');
        }
      });

      it('restarts the sshd serving this connection safely: last, a new listener, the connection reopened, open sessions kept', async () => {
        const h = host();
        const unit = h.flavor === 'systemd' ? 'ssh.service' : 'ssh';
        // An operator's session opened before the update: it must survive the restart.
        const session = spawn('ssh', [...lab!.sshArgs(h), `echo ${SESSION_MARK}; exec sleep 300`], { stdio: ['ignore', 'pipe', 'ignore'] });
        cleanups.push(() => { session.kill(); });
        await new Promise<void>((resolve, reject) => {
          session.stdout.once('data', () => resolve());
          session.once('exit', (code) => reject(new Error(`the held ssh session ended early (${code})`)));
        });
        const sleeper = Number(await sh(h, 'pgrep -x -f "sleep 300"'));
        await sh(h, 'cp -p /usr/sbin/sshd /usr/sbin/sshd.remedy-new && mv -f /usr/sbin/sshd.remedy-new /usr/sbin/sshd');
        await replaceServiceExecutable(lab!, h);
        const listener = Number(await sh(h, 'cat /run/sshd.pid'));
        assert.match(await sh(h, `readlink /proc/${listener}/exe`), /\(deleted\)$/);

        const r = await run(h, {});
        assert.equal(r.status, 'changed', `${r.message}\n${r.stderr}`);
        assert.deepEqual(r.effects?.restarted, [unitOf(h, 'remedy-labd'), unit], 'sshd last');
        const now = Number(await sh(h, 'cat /run/sshd.pid'));
        assert.notEqual(now, listener, 'a new listener (pidfile)');
        assert.ok(!(await isAliveOn(lab!, h, listener)), 'the old listener is gone');
        assert.equal(await sh(h, `readlink /proc/${now}/exe`), '/usr/sbin/sshd');
        assert.equal(await state(h, 'ssh'), 'active');
        // The step's transport works after the restart (it reconnected), and so does a new ssh client.
        const probe = await transports.get(h.name)!.exec({ script: 'echo still-here' });
        assert.equal(probe.stdout.trim(), 'still-here');
        assert.ok(await isAliveOn(lab!, h, sleeper), 'the session opened before the restart is still there');
        assert.equal(session.exitCode, null, 'and its ssh client is still connected');
        const again = await run(h, {});
        assert.equal(again.status, 'ok', again.message);
        // The old session's sshd still runs the old binary: a session (systemd: its scope) or, on SysV, an
        // orphan that the facts charge to the ssh script; either way it is not a reason to restart again.
        assert.match(again.message ?? '', h.flavor === 'systemd' ? /^nothing to restart; skipped session-\d+\.scope: session$/ : /^nothing to restart; skipped ssh: old-sessions-only$/);
        assert.equal(Number(await sh(h, 'cat /run/sshd.pid')), now, 'the second run left sshd alone');
        assert.ok(await isAliveOn(lab!, h, sleeper));
      });
    });
  }
});
