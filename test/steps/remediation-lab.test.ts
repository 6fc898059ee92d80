/**
 * The remediation steps against real lab hosts (one systemd, one SysV), through the real ssh client.
 * Every effect is confirmed with an independent tool on the host: /proc, systemctl, service, stat.
 */
import { strict as assert } from 'node:assert';
import { startLab, type Lab, type LabHost, suiteLabName } from '../lab/index.js';
import { requireLab } from '../lab/require-lab.js';
import { openXinetdSessionThenUpgrade, replaceServiceExecutable, startUserApplication } from '../lab/scenarios.js';
import { IMAPD, IMAP_PORT } from '../lab/layer.js';
import { closeTransports, closedByServer, greet, hostSh, isAliveOn, quietRootShell, stepContext, TRANSPORT_KIND } from './lab-helpers.js';
import type { StepContext } from '../../src/steps/step.js';
import { serviceStep } from '../../src/steps/service.js';
import { xinetdSessionsStep } from '../../src/steps/xinetd-sessions.js';
import { killProcessesStep } from '../../src/steps/kill-processes.js';
import { daemonReexecStep } from '../../src/steps/daemon-reexec.js';

const TRAP_PORT = 144;
const TRAP_SERVER = '/usr/local/bin/remedy-trap-server';

describe(`steps on the lab (${TRANSPORT_KIND} transport): service, xinetd_sessions, kill_processes, daemon_reexec`, function () {
  this.timeout(180_000);
  let lab: Lab | undefined;

  before(async function () {
    requireLab(this);
    lab = await startLab({ name: suiteLabName('steps-tests'), count: 2, flavor: ['systemd', 'sysv'] });
    await quietRootShell(lab);
  });
  const cleanups: Array<() => void> = [];
  afterEach(() => { for (const f of cleanups.splice(0)) f(); });
  after(async () => {
    await closeTransports();
    await lab?.down();
  });

  const ctx = (h: LabHost, check = false): StepContext => stepContext(lab!, h, check);
  const sh = (h: LabHost, script: string): Promise<string> => hostSh(lab!, h, script);
  const alive = (h: LabHost, pid: number): Promise<boolean> => isAliveOn(lab!, h, pid);
  const labdPid = async (h: LabHost): Promise<number> => Number(await sh(h, 'cat /run/remedy-labd.pid'));
  /** The service's state by the init system's own tool. */
  const labdState = async (h: LabHost): Promise<string> => h.flavor === 'systemd'
    ? sh(h, 'systemctl is-active remedy-labd || true')
    : sh(h, 'service remedy-labd status >/dev/null 2>&1; [ $? = 0 ] && echo active || echo inactive');
  const closed = closedByServer;

  for (const [index, flavor] of [[0, 'systemd'], [1, 'sysv']] as const) {
    describe(`${flavor} host`, () => {
      const host = (): LabHost => lab!.hosts[index]!;

      it('service started on a running service: ok, the same process keeps running', async () => {
        const h = host();
        const pid = await labdPid(h);
        const r = await serviceStep.run(ctx(h), { name: 'remedy-labd', state: 'started' });
        assert.equal(r.status, 'ok', r.message);
        assert.equal(r.changed, false);
        assert.equal(await labdPid(h), pid);
        assert.ok(await alive(h, pid));
      });

      it('service restarted in check mode: says so, changes nothing', async () => {
        const h = host();
        const pid = await labdPid(h);
        const r = await serviceStep.run(ctx(h, true), { name: 'remedy-labd', state: 'restarted' });
        assert.equal(r.status, 'skipped', r.message);
        assert.match(r.message ?? '', new RegExp(`^check mode: would restart remedy-labd \\(${flavor}`));
        assert.equal(await labdPid(h), pid);
        assert.ok(await alive(h, pid));
      });

      it('service restarted after its executable was replaced: new process runs the new binary', async () => {
        const h = host();
        const replaced = await replaceServiceExecutable(lab!, h);
        assert.match(await sh(h, `readlink /proc/${replaced.pid}/exe`), /\(deleted\)$/);
        const r = await serviceStep.run(ctx(h), { name: 'remedy-labd', state: 'restarted' });
        assert.equal(r.status, 'changed', `${r.message}\n${r.stderr}`);
        assert.deepEqual(r.effects?.restarted, ['remedy-labd']);
        const pid = await labdPid(h);
        assert.notEqual(pid, replaced.pid);
        assert.ok(!(await alive(h, replaced.pid)), 'the old daemon is gone');
        assert.equal(await sh(h, `readlink /proc/${pid}/exe`), replaced.executable);
        assert.equal(await labdState(h), 'active');
      });

      it('service stopped then started, verified by the init system', async () => {
        const h = host();
        const stop = await serviceStep.run(ctx(h), { name: 'remedy-labd', state: 'stopped' });
        assert.equal(stop.status, 'changed', stop.message);
        assert.equal(await labdState(h), 'inactive');
        const again = await serviceStep.run(ctx(h), { name: 'remedy-labd', state: 'stopped' });
        assert.equal(again.status, 'ok', again.message);
        const start = await serviceStep.run(ctx(h), { name: 'remedy-labd', state: 'started' });
        assert.equal(start.status, 'changed', start.message);
        assert.equal(await labdState(h), 'active');
      });

      it('service reloaded on a service that cannot reload: failed with the exit code, still running', async () => {
        const h = host();
        const pid = await labdPid(h);
        const r = await serviceStep.run(ctx(h), { name: 'remedy-labd', state: 'reloaded' });
        assert.equal(r.status, 'failed', r.message);
        assert.equal(r.cause, 'action-failed');
        assert.ok(await alive(h, pid));
        assert.equal(await labdState(h), 'active');
      });

      it('service: an unknown service fails, nothing run', async () => {
        const r = await serviceStep.run(ctx(host()), { name: 'no-such-service', state: 'restarted' });
        assert.equal(r.status, 'failed');
        assert.equal(r.cause, 'unknown-service');
      });

      it('xinetd_sessions: check mode lists the old session, ends nothing', async () => {
        const h = host();
        const session = await openXinetdSessionThenUpgrade(lab!, h);
        try {
          const r = await xinetdSessionsStep.run(ctx(h, true), { service: session.service });
          assert.equal(r.status, 'skipped', r.message);
          assert.match(r.message ?? '', new RegExp(`^check mode: would end 1 remedy-imap session\\(s\\): ${session.pid} `));
          assert.ok(await alive(h, session.pid));
          assert.ok(!session.socket.destroyed);
        } finally {
          await session.close();
        }
      });

      it('xinetd_sessions: ends the session opened before the upgrade; a new connection gets the new binary', async () => {
        const h = host();
        const session = await openXinetdSessionThenUpgrade(lab!, h);
        cleanups.push(() => session.socket.destroy());
        const isClosed = closed(session.socket);
        const r = await xinetdSessionsStep.run(ctx(h), { service: session.service, grace: 2 });
        assert.equal(r.status, 'changed', `${r.message}\n${r.stderr}`);
        assert.deepEqual(r.effects?.killed, [{ pid: session.pid, command: 'remedy-imapd', signal: 'TERM' }]);
        assert.ok(!(await alive(h, session.pid)), 'the old instance is gone');
        assert.ok(await isClosed, 'the old connection was closed');
        const fresh = await greet(h, IMAP_PORT);
        try {
          const out = await sh(h, `for p in $(pgrep -x remedy-imapd); do echo "$p $(stat -L -c %i /proc/$p/exe) $(readlink /proc/$p/exe)"; done; stat -c %i ${IMAPD}`);
          const lines = out.split('\n');
          const ino = lines.pop();
          assert.equal(lines.length, 1, out);
          const [pid, exeIno, exe] = lines[0]!.split(' ');
          assert.notEqual(Number(pid), session.pid);
          assert.equal(exe, IMAPD);
          assert.equal(exeIno, ino);
          const second = await xinetdSessionsStep.run(ctx(h), { service: session.service });
          assert.equal(second.status, 'ok', second.message);
          assert.ok(await alive(h, Number(pid)), 'the new session is kept');
        } finally {
          fresh.destroy();
        }
      });

      it("xinetd_sessions: a TERM-ignoring script server instance is KILLed after the grace (before: 'now')", async () => {
        const h = host();
        await sh(h, [
          `printf '%s\\n' '#!/bin/sh' "trap '' TERM" 'echo hello' 'while read -r l; do echo "$l"; done' >${TRAP_SERVER}`,
          `chmod 755 ${TRAP_SERVER}`,
          `printf '%s\\n' 'service remedy-trap' '{' ' type = UNLISTED' ' socket_type = stream' ' protocol = tcp' ' port = ${TRAP_PORT}' ' bind = ${h.address}' ' wait = no' ' user = root' ' server = ${TRAP_SERVER}' '}' >/etc/xinetd.d/remedy-trap`,
          'kill -HUP $(cat /run/xinetd.pid)',
          `for i in $(seq 50); do grep -q ':0090 ' /proc/net/tcp && break; sleep 0.1; done`,
        ].join('\n'));
        const s = await greet(h, TRAP_PORT);
        cleanups.push(() => s.destroy());
        const isClosed = closed(s);
        const r = await xinetdSessionsStep.run(ctx(h), { service: 'remedy-trap', grace: 1, before: 'now' });
        assert.equal(r.status, 'changed', `${r.message}\n${r.stderr}`);
        const killed = r.effects?.killed ?? [];
        assert.equal(killed.length, 1);
        assert.equal(killed[0]!.signal, 'KILL');
        assert.match(killed[0]!.command, /remedy-trap-server/);
        assert.ok(!(await alive(h, killed[0]!.pid)));
        assert.ok(await isClosed);
      });

      it('kill_processes: check mode lists, then TERM / KILL after the grace, confirmed by /proc', async () => {
        const h = host();
        const pids = (await sh(h, [
          "setsid bash -c 'exec -a remedy-victim-a sleep 600' </dev/null >/dev/null 2>&1 & a=$!",
          "setsid bash -c \"trap '' TERM; exec -a remedy-victim-b sleep 600\" </dev/null >/dev/null 2>&1 & b=$!",
          'sleep 0.3; echo $a $b',
        ].join('\n'))).split(' ').map(Number);
        const check = await killProcessesStep.run(ctx(h, true), { pattern: '^remedy-victim-', grace: 1 });
        assert.equal(check.status, 'skipped', check.message);
        for (const p of pids) assert.match(check.message ?? '', new RegExp(`\\b${p} \\(remedy-victim-`));
        for (const p of pids) assert.ok(await alive(h, p));
        const r = await killProcessesStep.run(ctx(h), { pattern: '^remedy-victim-', grace: 1 });
        assert.equal(r.status, 'changed', `${r.message}\n${r.stderr}`);
        const bySignal = new Map((r.effects?.killed ?? []).map((k) => [k.pid, k.signal]));
        assert.deepEqual([bySignal.get(pids[0]!), bySignal.get(pids[1]!)], ['TERM', 'KILL']);
        for (const p of pids) assert.ok(!(await alive(h, p)));
      });

      it("kill_processes: only_stale and user select the user's application that maps the replaced library", async () => {
        const h = host();
        const app = await startUserApplication(lab!, h);
        const fresh = Number(await sh(h, `setsid setpriv --reuid=${app.uid} --regid=${app.uid} --clear-groups ${app.executable} </dev/null >/dev/null 2>&1 & echo $!`));
        const r = await killProcessesStep.run(ctx(h), { name: 'remedy-lab-app', user: app.user, only_stale: true, grace: 2 });
        assert.equal(r.status, 'changed', `${r.message}\n${r.stderr}`);
        assert.deepEqual(r.effects?.killed?.map((k) => [k.pid, k.signal]), [[app.pid, 'TERM']]);
        assert.ok(!(await alive(h, app.pid)));
        assert.ok(await alive(h, fresh), 'the process started after the upgrade is kept');
        const rest = await killProcessesStep.run(ctx(h), { name: 'remedy-lab-app', user: app.user });
        assert.deepEqual(rest.effects?.killed?.map((k) => k.pid), [fresh]);
        assert.ok(!(await alive(h, fresh)));
      });

      it('kill_processes: never its own shell or the sshd of its connection', async () => {
        const h = host();
        const r = await killProcessesStep.run(ctx(h), { pattern: '__REMEDY_SCRIPT_EOF__|sh -s --|sshd: root@' });
        assert.equal(r.status, 'ok', r.message);
        assert.equal(r.effects, undefined);
        const sshd = await killProcessesStep.run(ctx(h, true), { name: 'sshd' });
        assert.equal(sshd.status, 'ok', sshd.message);
        const unknown = await killProcessesStep.run(ctx(h), { name: 'x', user: 'no-such-user' });
        assert.equal(unknown.status, 'failed');
        assert.equal(unknown.cause, 'unknown-user');
      });

      if (flavor === 'systemd') {
        it('daemon_reexec: nothing to do, then check mode and re-exec after libsystemd-shared is replaced', async () => {
          const h = host();
          const first = await daemonReexecStep.run(ctx(h), {});
          assert.equal(first.status, 'ok', first.message);
          const lib = await sh(h, 'grep -m1 -o "/[^ ]*libsystemd-shared[^ ]*\\.so" /proc/1/maps');
          await sh(h, `cp ${lib} ${lib}.remedy-new && mv -f ${lib}.remedy-new ${lib}`);
          const deleted = (): Promise<string> => sh(h, "grep -c ' (deleted)$' /proc/1/maps || true");
          assert.notEqual(await deleted(), '0');
          const check = await daemonReexecStep.run(ctx(h, true), {});
          assert.equal(check.status, 'skipped', check.message);
          assert.match(check.message ?? '', /^check mode: would run systemctl daemon-reexec .*libsystemd-shared/);
          assert.notEqual(await deleted(), '0', 'check mode changed nothing');
          const r = await daemonReexecStep.run(ctx(h), {});
          assert.equal(r.status, 'changed', `${r.message}\n${r.stderr}`);
          assert.equal(await deleted(), '0');
          assert.equal(await sh(h, 'cat /proc/1/comm'), 'systemd');
          assert.match(await sh(h, 'systemctl is-system-running || true'), /^(running|degraded)$/);
          const again = await daemonReexecStep.run(ctx(h), {});
          assert.equal(again.status, 'ok', again.message);
        });
      } else {
        it('daemon_reexec: skipped on a SysV host, PID 1 untouched', async () => {
          const h = host();
          const before = await sh(h, 'cut -d" " -f22 /proc/1/stat');
          const r = await daemonReexecStep.run(ctx(h), { force: true });
          assert.equal(r.status, 'skipped');
          assert.match(r.message ?? '', /not systemd/);
          assert.equal(await sh(h, 'cut -d" " -f22 /proc/1/stat'), before);
        });
      }
    });
  }
});
