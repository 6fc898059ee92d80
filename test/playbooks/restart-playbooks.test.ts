/**
 * playbooks/shared-libraries.yml and playbooks/sysv-services.yml end to end: the real CLI against one lab
 * host of each flavour (systemd, sysv, rhel, rhel-sysv), checked before and after with needrestart -b (its
 * NEEDRESTART-SVC lines), /proc and the pidfiles; check mode changes nothing; a second run changes nothing.
 */
import { strict as assert } from 'node:assert';
import { FLAVORS, startLab, type Lab, type LabHost, suiteLabName } from '../lab/index.js';
import { isSysv } from '../lab/flavor.js';
import { requireLab } from '../lab/require-lab.js';
import { replaceServiceExecutable, replaceSharedLibrary, startUserApplication, type UserApplication } from '../lab/scenarios.js';
import { LAB_LIB } from '../lab/layer.js';
import { hostSh, isAliveOn, quietRootShell } from '../steps/lab-helpers.js';
import type { RunReport } from '../../src/model/results.js';
import { runPlaybook } from './category-helpers.js';

describe('playbooks shared-libraries.yml and sysv-services.yml on the lab (real CLI)', function () {
  this.timeout(240_000);
  let lab: Lab | undefined;

  before(async function () {
    this.timeout(240_000);
    requireLab(this);
    lab = await startLab({ name: suiteLabName('restart-tests'), count: FLAVORS.length, flavor: FLAVORS });
    await quietRootShell(lab);
  });
  after(async () => { await lab?.down(); });

  const sh = (h: LabHost, script: string): Promise<string> => hostSh(lab!, h, script);
  /** needrestart's own list of services to restart (NEEDRESTART-SVC lines), sorted. */
  const needrestart = async (h: LabHost): Promise<string[]> =>
    (await sh(h, 'needrestart -b 2>/dev/null | sed -n "s/^NEEDRESTART-SVC: //p"')).split('\n').filter(Boolean).sort();
  const labdPid = async (h: LabHost): Promise<number> => Number(await sh(h, 'cat /run/remedy-labd.pid'));
  const pids = (): Promise<number[]> => Promise.all(lab!.hosts.map(labdPid));
  /** The name remedy (and needrestart) give remedy-labd: a systemd unit, or an init script on SysV hosts. */
  const labdName = (h: LabHost): string => (isSysv(h.flavor) ? 'remedy-labd' : 'remedy-labd.service');
  const isRunning = (h: LabHost): Promise<string> => (isSysv(h.flavor)
    ? sh(h, 'service remedy-labd status >/dev/null 2>&1 && echo active')
    : sh(h, 'systemctl is-active remedy-labd'));
  const none = (): string[][] => lab!.hosts.map(() => []);

  async function run(playbook: string, _tag: string, extra: string[] = []): Promise<{ report: RunReport; stdout: string }> {
    const r = await runPlaybook(lab!, playbook, extra);
    assert.equal(r.code, 0, `remedy ${playbook} ${extra.join(' ')}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    return { report: r.report, stdout: r.stdout };
  }

  it('shared-libraries.yml: check mode changes nothing; the run restarts exactly what needrestart lists, skips the user applications; a second run changes nothing', async () => {
    const hosts = lab!.hosts;
    for (const h of hosts) await replaceSharedLibrary(lab!, h);
    const apps = new Map<string, UserApplication>();
    for (const h of hosts) apps.set(h.name, await startUserApplication(lab!, h));
    // The applications end however the test ends: a later test expects no stale process but the daemon's.
    try {
      for (const h of hosts) assert.deepEqual(await needrestart(h), [labdName(h)], `needrestart on ${h.name} before`);
      const before = await pids();

      const check = await run('shared-libraries.yml', 'shared-check', ['--check', '-e', 'library_glob=/usr/lib/*/libwrap.so*']);
      for (const h of hosts) {
        assert.match(check.stdout, new RegExp(`\\[${h.name}\\] .*check mode: would restart ${labdName(h).replace('.', '\\.')}(?![.\\w])`), check.stdout);
        assert.deepEqual(await needrestart(h), [labdName(h)], `needrestart on ${h.name} after check mode`);
      }
      assert.deepEqual(await pids(), before, 'check mode restarted nothing');
      assert.deepEqual(check.report.hosts.map((h) => h.restarted), none());

      const { report } = await run('shared-libraries.yml', 'shared-run', ['-e', 'library_glob=/usr/lib/*/libwrap.so*']);
      assert.deepEqual(report.hosts.map((h) => [h.name, h.status, h.restarted]), hosts.map((h) => [h.name, 'changed', [labdName(h)]]));
      const after = await pids();
      for (const [i, h] of hosts.entries()) {
        assert.notEqual(after[i], before[i], `remedy-labd restarted on ${h.name}`);
        assert.equal(await isRunning(h), 'active', `remedy-labd runs on ${h.name}`);
        assert.deepEqual(await needrestart(h), [], `needrestart on ${h.name} after`);
        assert.equal(await sh(h, `grep -l -F '${LAB_LIB} (deleted)' /proc/[0-9]*/maps 2>/dev/null || true`), '', `nothing maps the old libwrap on ${h.name}`);
        // The user's application is not a service: left running, still reported stale by the recheck
        // (under its login session's scope on systemd hosts, under its user on SysV hosts).
        const app = apps.get(h.name)!;
        assert.ok(await isAliveOn(lab!, h, app.pid), `${h.name}: the application still runs`);
        assert.deepEqual(report.hosts[i]!.stale.map((s) => [s.pid, s.owner.kind]), [[app.pid, isSysv(h.flavor) ? 'user' : 'session']], h.name);
      }

      const again = await run('shared-libraries.yml', 'shared-again');
      assert.equal(again.report.summary.changed, 0, 'the second run changed nothing');
      assert.deepEqual(again.report.hosts.map((h) => h.restarted), none());
      assert.deepEqual(await pids(), after);
    } finally {
      for (const h of hosts) await sh(h, `kill ${apps.get(h.name)!.pid} 2>/dev/null || true`);
    }
  });

  it('sysv-services.yml: check mode changes nothing; the run restarts the stale daemon on every flavour; a second run changes nothing', async () => {
    const hosts = lab!.hosts;
    for (const h of hosts) await replaceServiceExecutable(lab!, h);
    for (const h of hosts) assert.deepEqual(await needrestart(h), [labdName(h)], `needrestart on ${h.name} before`);
    const before = await pids();

    const check = await run('sysv-services.yml', 'sysv-check', ['--check']);
    for (const h of hosts) {
      if (new RegExp(`\\[${h.name}\\] .*check mode: would restart remedy-labd`).test(check.stdout)) continue;
      // What the host itself says about the daemon's cgroups (both hierarchies) and systemd's warnings.
      const seen = await sh(h, 'p=$(cat /run/remedy-labd.pid); cat /proc/$p/cgroup; journalctl -b --no-pager 2>/dev/null | grep -i cgroup | tail -5 || true');
      assert.fail(`${h.name}: remedy-labd not planned for a restart:\n${check.stdout}\n${h.name} says:\n${seen}`);
    }
    assert.equal((check.stdout.match(/check mode: would restart remedy-labd/g) ?? []).length, hosts.length, check.stdout);
    assert.deepEqual(await pids(), before, 'check mode restarted nothing');

    const { report } = await run('sysv-services.yml', 'sysv-run', ['-e', '{"services": ["remedy-labd"]}']);
    assert.deepEqual(report.hosts.map((h) => [h.name, h.status, h.restarted, h.stale]), hosts.map((h) => [h.name, 'changed', [labdName(h)], []]));
    const after = await pids();
    for (const [i, h] of hosts.entries()) {
      assert.notEqual(after[i], before[i], h.name);
      assert.equal(await sh(h, `readlink /proc/${after[i]}/exe`), '/usr/local/sbin/remedy-labd', `the new binary runs on ${h.name}`);
      assert.deepEqual(await needrestart(h), [], `needrestart on ${h.name} after`);
      assert.equal(await isRunning(h), 'active', `remedy-labd runs on ${h.name}`);
    }

    const again = await run('sysv-services.yml', 'sysv-again');
    assert.equal(again.report.summary.changed, 0);
    assert.deepEqual(await pids(), after);
  });
});
