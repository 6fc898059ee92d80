/**
 * playbooks/apply-errata.yml end to end through the real CLI, on one lab host of each flavour (systemd,
 * sysv, rhel, rhel-sysv) with every category planted: a replaced service executable, an xinetd session opened before its server
 * was replaced, a user application mapping a replaced library, and a newer kernel. Every effect is
 * confirmed with independent tools on the host (/proc, systemctl, service, boot_id).
 */
import { strict as assert } from 'node:assert';
import { FLAVORS, startLab, type Lab, type LabHost, suiteLabName } from '../lab/index.js';
import { isSysv } from '../lab/flavor.js';
import { requireLab } from '../lab/require-lab.js';
import {
  installNewerKernel, openXinetdSessionThenUpgrade, replaceServiceExecutable, startUserApplication,
  type UserApplication, type XinetdSession,
} from '../lab/scenarios.js';
import type { RunReport } from '../../src/model/results.js';
import { runPlaybook } from './category-helpers.js';

describe('playbooks/apply-errata.yml on the lab (every flavour)', function () {
  this.timeout(300_000);
  let lab: Lab | undefined;
  const planted = new Map<string, { labdPid: number; session: XinetdSession; app: UserApplication; bootId: string }>();

  const sh = async (h: LabHost, script: string): Promise<string> => {
    const r = await lab!.exec(h, script, { timeoutMs: 30_000 });
    assert.equal(r.code, 0, `${h.name}: ${script}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const alive = async (h: LabHost, pid: number): Promise<boolean> =>
    (await sh(h, `if [ -e /proc/${pid} ] && ! grep -q '^State:.*Z' /proc/${pid}/status; then echo yes; else echo no; fi`)) === 'yes';
  const bootId = (h: LabHost): Promise<string> => sh(h, 'cat /proc/sys/kernel/random/boot_id');
  const run = async (_name: string, extra: string[]): Promise<{ code: number | null; report: RunReport; out: string }> => {
    const r = await runPlaybook(lab!, 'apply-errata.yml', extra);
    return { code: r.code, report: r.report, out: `${r.stdout}\n${r.stderr}` };
  };
  const step = (report: RunReport, host: string, prefix: string) =>
    report.hosts.find((h) => h.name === host)?.steps.find((s) => s.task.startsWith(prefix));

  before(async function () {
    this.timeout(240_000);
    requireLab(this);
    lab = await startLab({ name: suiteLabName('reboot-apply-tests'), count: FLAVORS.length, flavor: FLAVORS });
    for (const h of lab.hosts) {
      const { pid: labdPid } = await replaceServiceExecutable(lab, h);
      const session = await openXinetdSessionThenUpgrade(lab, h);
      const app = await startUserApplication(lab, h);
      await installNewerKernel(lab, h);
      planted.set(h.name, { labdPid, session, app, bootId: await bootId(h) });
    }
  });
  after(async function () {
    this.timeout(120_000);
    for (const p of planted.values()) await p.session.close().catch(() => undefined);
    await lab?.down();
  });

  it('--check -e reboot=true: changes nothing, says what it would restart, end and reboot', async () => {
    const { report, out } = await run('check', ['--check', '-e', 'reboot=true']);
    for (const h of lab!.hosts) {
      const p = planted.get(h.name)!;
      assert.equal(Number(await sh(h, 'cat /run/remedy-labd.pid')), p.labdPid, h.name);
      assert.ok(await alive(h, p.session.pid), `${h.name}: xinetd session ended in check mode`);
      assert.ok(await alive(h, p.app.pid), `${h.name}: application ended in check mode`);
      assert.equal(await bootId(h), p.bootId, `${h.name} rebooted in check mode`);
      assert.match(step(report, h.name, 'Reboot')?.message ?? '', /^check mode: would reboot \(.*kernel/, out);
      assert.match(step(report, h.name, 'Restart the services')?.message ?? '', /^check mode: would restart remedy-labd/, out);
      assert.match(step(report, h.name, 'End xinetd sessions')?.message ?? '', new RegExp(`^check mode: would end 1 remedy-imap session\\(s\\): ${p.session.pid} `), out);
      assert.match(step(report, h.name, 'Report the user applications')?.message ?? '', /remedy-user.*remedy-lab-app/, out);
    }
  });

  it('without -e reboot=true: services restarted, old xinetd sessions ended, applications only reported, no reboot', async () => {
    const { report, out } = await run('apply', []);
    for (const h of lab!.hosts) {
      const p = planted.get(h.name)!;
      const labd = Number(await sh(h, 'cat /run/remedy-labd.pid'));
      assert.notEqual(labd, p.labdPid, `${h.name}: remedy-labd was not restarted\n${out}`);
      assert.doesNotMatch(await sh(h, `readlink /proc/${labd}/exe`), /deleted/, h.name);
      const state = isSysv(h.flavor)
        ? await sh(h, 'service remedy-labd status >/dev/null 2>&1 && echo active')
        : await sh(h, 'systemctl is-active remedy-labd');
      assert.equal(state, 'active', h.name);
      assert.ok(!(await alive(h, p.session.pid)), `${h.name}: the old xinetd session still runs`);
      assert.ok(await alive(h, p.app.pid), `${h.name}: the application was ended without kill_applications`);
      assert.match(step(report, h.name, 'Report the user applications')?.message ?? '', /remedy-lab-app/, out);
      assert.equal(step(report, h.name, 'Reboot')?.status, 'skipped', h.name);
      assert.equal(await bootId(h), p.bootId, `${h.name} rebooted without -e reboot=true`);
      const hr = report.hosts.find((x) => x.name === h.name)!;
      assert.equal(hr.rebootRequired, true, h.name);
      assert.ok(hr.killed.some((k) => k.pid === p.session.pid), `${h.name}: ${JSON.stringify(hr.killed)}`);
    }
    assert.deepEqual([...report.summary.rebootRequired].sort(), lab!.hosts.map((h) => h.name).sort());
  });

  it('-e reboot=true -e kill_applications=true: ends the applications, reboots, boot ids change', async () => {
    const { report, out } = await run('reboot', ['-e', 'reboot=true', '-e', 'kill_applications=true', '-e', 'reboot_timeout=90']);
    assert.equal(report.summary.failed, 0, out);
    for (const h of lab!.hosts) {
      const p = planted.get(h.name)!;
      const hr = report.hosts.find((x) => x.name === h.name)!;
      assert.ok(hr.killed.some((k) => k.pid === p.app.pid), `${h.name}: application not in the killed list: ${JSON.stringify(hr.killed)}\n${out}`);
      assert.equal(step(report, h.name, 'Reboot')?.status, 'changed', out);
      assert.notEqual(await bootId(h), p.bootId, `${h.name} kept its boot id`);
      assert.equal(hr.rebootRequired, true, `${h.name}: the lab's containers keep this machine's kernel`);
    }
  });

  it('a second run changes nothing', async () => {
    const before = await Promise.all(lab!.hosts.map(async (h) => [await sh(h, 'cat /run/remedy-labd.pid'), await bootId(h)]));
    const { report, out } = await run('again', []);
    assert.equal(report.summary.failed, 0, out);
    assert.equal(report.summary.changed, 0, out);
    for (const [i, h] of lab!.hosts.entries()) {
      assert.deepEqual([await sh(h, 'cat /run/remedy-labd.pid'), await bootId(h)], before[i], `${h.name}: remedy-labd restarted or host rebooted`);
    }
  });
});
