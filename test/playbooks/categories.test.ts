/**
 * The shipped applications.yml and xinetd-services.yml playbooks, run by the real CLI against a lab of one
 * host of each flavour (systemd, sysv, rhel, rhel-sysv). Every effect is confirmed on the host with ps,
 * /proc and stat.
 * (`remedy check` against the same lab: check-command.test.ts.)
 */
import { strict as assert } from 'node:assert';
import type { Socket } from 'node:net';
import { FLAVORS, startLab, type Lab, type LabHost, suiteLabName } from '../lab/index.js';
import { requireLab } from '../lab/require-lab.js';
import { APP_LIB, IMAP_PORT, IMAPD, LAB_USER } from '../lab/layer.js';
import { openXinetdSessionThenUpgrade, startUserApplication, type UserApplication, type XinetdSession } from '../lab/scenarios.js';
import { closedByServer, greet, quietRootShell } from '../steps/lab-helpers.js';
import { onHost, psHas, runPlaybook, startCurrentApplication } from './category-helpers.js';
import { remedy } from '../cli/run-cli.js';

describe('playbooks on the lab: applications.yml and xinetd-services.yml', function () {
  this.timeout(240_000);
  let lab: Lab | undefined;

  before(async function () {
    this.timeout(180_000);
    requireLab(this);
    lab = await startLab({ name: suiteLabName('category-tests'), count: FLAVORS.length, flavor: FLAVORS });
    await quietRootShell(lab);
  });
  after(async () => { await lab?.down(); });

  const hosts = (): LabHost[] => lab!.hosts;
  const labdPid = (h: LabHost): Promise<string> => onHost(lab!, h, 'cat /run/remedy-labd.pid');
  /** Waits (up to 5 s) until /proc/PID/maps on the host shows `file` as deleted. */
  const waitDeletedMapping = (h: LabHost, pid: number, file: string): Promise<string> =>
    onHost(lab!, h, `for i in $(seq 50); do grep -q -F '${file} (deleted)' /proc/${pid}/maps && exit 0; sleep 0.1; done; echo "${file} not deleted in /proc/${pid}/maps" >&2; exit 1`);

  it('the shipped playbooks validate', async () => {
    const r = await remedy(['validate', 'playbooks/applications.yml', 'playbooks/xinetd-services.yml', 'playbooks/check.yml']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  describe('applications.yml', () => {
    const apps = new Map<string, UserApplication>();
    const current = new Map<string, number>();
    const labd = new Map<string, string>();
    before(async () => {
      for (const h of hosts()) {
        apps.set(h.name, await startUserApplication(lab!, h));
        // Started after the upgrade: same program, same user, new library. Must never be killed.
        current.set(h.name, await startCurrentApplication(lab!, h));
        labd.set(h.name, await labdPid(h));
      }
      // The host's own /proc must show the old library as deleted before remedy scans (ps/maps, not remedy).
      for (const h of hosts()) await waitDeletedMapping(h, apps.get(h.name)!.pid, APP_LIB);
    });

    it('lists each stale application under its user, kills nothing by default', async () => {
      const run = await runPlaybook(lab!, 'applications.yml');
      assert.equal(run.code, 0, run.stdout + run.stderr);
      for (const h of hosts()) {
        const app = apps.get(h.name)!;
        const report = run.host(h.name);
        const entry = report.stale.find((s) => s.pid === app.pid);
        assert.ok(entry, `${h.name}: the application is in the report's stale list`);
        assert.equal(entry.user, LAB_USER);
        assert.ok(['user', 'session'].includes(entry.owner.kind), entry.owner.kind);
        assert.ok(!report.stale.some((s) => s.pid === current.get(h.name)), 'the current instance is not stale');
        const listed = report.steps.find((s) => s.task === 'List the stale applications per user');
        assert.match(listed?.message ?? '', new RegExp(`"users":\\["${LAB_USER}"\\]`));
        assert.ok(listed?.message.includes(`${LAB_USER}: remedy-lab-app (pid ${app.pid})`), listed?.message);
        assert.deepEqual(report.killed, []);
        assert.ok(await psHas(lab!, h, app.pid), `${h.name}: ps still shows ${app.pid}`);
      }
    });

    it('check mode with kill_applications=true prints what it would kill and kills nothing', async () => {
      const run = await runPlaybook(lab!, 'applications.yml', ['-e', 'kill_applications=true', '--check']);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.equal(run.report.check, true);
      for (const h of hosts()) {
        const pid = apps.get(h.name)!.pid;
        assert.match(run.stdout, new RegExp(`\\[${h.name}\\] skipped: Kill the stale applications.*would send TERM to 1 process\\(es\\): ${pid} \\(/usr/local/bin/remedy-lab-app\\)`));
        assert.deepEqual(run.host(h.name).killed, []);
        assert.ok(await psHas(lab!, h, pid), `${h.name}: ${pid} still runs`);
        assert.ok(await psHas(lab!, h, current.get(h.name)!));
      }
    });

    it('kill_applications=true (with and without applications_user) ends exactly the stale ones', async () => {
      const [first, ...others] = hosts();
      const all = await runPlaybook(lab!, 'applications.yml', ['-e', 'kill_applications=true', '-l', first!.name]);
      const one = await runPlaybook(lab!, 'applications.yml',
        ['-e', 'kill_applications=true', '-e', `applications_user=${LAB_USER}`, '-l', others.map((h) => h.name).join(',')]);
      for (const [run, h] of [[all, first!], ...others.map((o) => [one, o] as const)] as const) {
        assert.equal(run.code, 0, run.stdout + run.stderr);
        const pid = apps.get(h.name)!.pid;
        assert.deepEqual(run.host(h.name).killed, [{ pid, command: '/usr/local/bin/remedy-lab-app', signal: 'TERM' }]);
        assert.equal(run.host(h.name).status, 'changed');
        assert.deepEqual(run.host(h.name).stale.filter((s) => s.user === LAB_USER), [], 'the re-scan after the kill finds nothing of the user');
        assert.ok(!(await psHas(lab!, h, pid)), `${h.name}: ps no longer shows ${pid}`);
        assert.ok(await psHas(lab!, h, current.get(h.name)!), `${h.name}: the current instance still runs`);
        assert.equal(await labdPid(h), labd.get(h.name), 'services are not this playbook\'s business');
      }
    });

    it('a second run changes nothing', async () => {
      const run = await runPlaybook(lab!, 'applications.yml', ['-e', 'kill_applications=true']);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.equal(run.report.summary.changed, 0);
      for (const h of hosts()) {
        assert.deepEqual(run.host(h.name).killed, []);
        assert.deepEqual(run.host(h.name).stale.filter((s) => s.user === LAB_USER), []);
        assert.ok(await psHas(lab!, h, current.get(h.name)!));
      }
      await Promise.all(hosts().map((h) => onHost(lab!, h, `kill ${current.get(h.name)}`)));
    });
  });

  describe('xinetd-services.yml', () => {
    const sessions = new Map<string, XinetdSession>();
    const fresh: Socket[] = [];
    before(async () => {
      for (const h of hosts()) sessions.set(h.name, await openXinetdSessionThenUpgrade(lab!, h));
    });
    after(async () => {
      for (const s of sessions.values()) await s.close();
      for (const s of fresh) s.destroy();
    });

    it('check mode prints what it would end and ends nothing', async () => {
      const run = await runPlaybook(lab!, 'xinetd-services.yml', ['--check']);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      for (const h of hosts()) {
        const pid = sessions.get(h.name)!.pid;
        assert.match(run.stdout, new RegExp(`\\[${h.name}\\] skipped: End the old per-connection instances.*check mode: would end 1 remedy-imap session\\(s\\): ${pid} \\(`));
        assert.deepEqual(run.host(h.name).killed, []);
        assert.ok(await psHas(lab!, h, pid), `${h.name}: the old session ${pid} still runs`);
        assert.equal(run.host(h.name).stale.find((s) => s.pid === pid)?.owner.name, 'remedy-imap');
      }
    });

    it('ends the old sessions; a new connection is served by the new binary; the re-scan finds nothing', async () => {
      const run = await runPlaybook(lab!, 'xinetd-services.yml');
      assert.equal(run.code, 0, run.stdout + run.stderr);
      for (const h of hosts()) {
        const session = sessions.get(h.name)!;
        const report = run.host(h.name);
        assert.deepEqual(report.killed.map((k) => [k.pid, k.signal]), [[session.pid, 'TERM']]);
        assert.ok(!(await psHas(lab!, h, session.pid)), `${h.name}: ps no longer shows ${session.pid}`);
        assert.ok(await closedByServer(session.socket), 'the old connection was closed by the server');
        assert.deepEqual(report.stale.filter((s) => s.owner.kind === 'xinetd'), [], 'the re-scan finds no xinetd session');

        const before = new Set((await onHost(lab!, h, 'pgrep -x remedy-imapd || true')).split(/\s+/).filter(Boolean));
        fresh.push(await greet(h, IMAP_PORT));
        const pid = (await onHost(lab!, h, 'pgrep -x remedy-imapd')).split(/\s+/).find((p) => !before.has(p));
        assert.ok(pid, `${h.name}: a new remedy-imapd serves the new connection`);
        assert.equal(await onHost(lab!, h, `readlink /proc/${pid}/exe`), IMAPD, 'not "(deleted)"');
        assert.equal(await onHost(lab!, h, `stat -L -c %i /proc/${pid}/exe`), await onHost(lab!, h, `stat -c %i ${IMAPD}`));
      }
    });

    it('a second run (with the new session open) changes nothing', async () => {
      const pids = new Map<string, string>();
      for (const h of hosts()) pids.set(h.name, await onHost(lab!, h, 'pgrep -x remedy-imapd'));
      const run = await runPlaybook(lab!, 'xinetd-services.yml');
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.equal(run.report.summary.changed, 0);
      for (const h of hosts()) {
        assert.deepEqual(run.host(h.name).killed, []);
        assert.match(run.host(h.name).steps.find((s) => s.task.startsWith('End the old'))?.message ?? '', /^no old remedy-imap sessions; 1 current session\(s\) kept$/);
        assert.equal(await onHost(lab!, h, 'pgrep -x remedy-imapd'), pids.get(h.name), 'the current session is untouched');
      }
    });
  });
});
