/**
 * restart_services when a restart does not work, on real lab hosts (one systemd, one SysV): a service
 * made to fail its restart, one driven into its start limit, one that crash-loops under Restart=always;
 * every failure carries the unit's own status, compared with systemctl show / `service NAME status` run
 * independently afterwards, and each service was started exactly once by remedy (counted by the unit's
 * own ExecStartPre log): nothing loops, within a run or across runs. Never-restart services (dbus,
 * systemd-logind, the playbook's list) are never restarted and put the host on the reboot list.
 */
import { strict as assert } from 'node:assert';
import { startLab, suiteLabName, type Lab, type LabHost } from '../lab/index.js';
import { requireLab } from '../lab/require-lab.js';
import { replaceServiceExecutable } from '../lab/scenarios.js';
import { startContainerProcess, upgradeOnHost } from '../lab/verdict-scenarios.js';
import { closeTransports, hostSh, quietRootShell, stepContext } from './lab-helpers.js';
import { restartServicesStep, type RestartFailure, type RestartServicesArgs } from '../../src/steps/restart-services.js';
import type { StepContext } from '../../src/steps/step.js';
import type { StepResult } from '../../src/model/results.js';

const FAIL = '#!/bin/sh\nexit 3\n';

describe('restart_services: failed restarts, start limits, never-restart services (lab)', function () {
  this.timeout(180_000);
  let lab: Lab | undefined;

  before(async function () {
    this.timeout(240_000);
    requireLab(this);
    lab = await startLab({ name: suiteLabName('restart-failures'), count: 2, flavor: ['systemd', 'sysv'] });
    await quietRootShell(lab);
  });
  after(async () => {
    await closeTransports();
    await lab?.down();
  });

  const sh = (h: LabHost, script: string): Promise<string> => hostSh(lab!, h, script);
  const run = (ctx: StepContext, args: RestartServicesArgs): Promise<StepResult> => restartServicesStep.run(ctx, args);
  const failures = (r: StepResult): RestartFailure[] => (r.data?.['failures'] ?? []) as RestartFailure[];
  /** The unit's status as systemctl show prints it, for the keys remedy reported. */
  const shown = async (h: LabHost, unit: string, keys: string[]): Promise<Record<string, string>> => Object.fromEntries(
    (await sh(h, `systemctl show ${keys.map((k) => `-p ${k}`).join(' ')} ${unit}`)).split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  /** A unit running a copy of sleep that logs each start; `unit` holds extra [Unit]/[Service] lines. */
  const addUnit = async (h: LabHost, name: string, unit: string, service: string): Promise<void> => {
    await sh(h, [
      `cp /bin/sleep /usr/local/sbin/${name}`,
      `printf '[Unit]\\n${unit}\\n[Service]\\nExecStartPre=/bin/sh -c "echo start >> /run/${name}.log"\\nExecStart=/usr/local/sbin/${name} infinity\\n${service}\\n' > /etc/systemd/system/${name}.service`,
      `systemctl daemon-reload && systemctl start ${name}`,
    ].join('\n'));
  };
  const starts = async (h: LabHost, name: string): Promise<number> => Number(await sh(h, `wc -l < /run/${name}.log`));

  describe('systemd host', () => {
    const h = (): LabHost => lab!.hosts[0]!;

    it('a service whose new binary fails: failed with ActiveState, Result and ExecMainStatus; started once', async () => {
      await addUnit(h(), 'remedy-fail', 'Description=fails after the upgrade', 'Restart=no');
      await upgradeOnHost(lab!, h(), '/usr/local/sbin/remedy-fail', { text: FAIL });
      const r = await run(stepContext(lab!, h()), { services: ['remedy-fail'] });
      assert.equal(r.status, 'failed', r.message);
      assert.equal(r.cause, 'restart-failed');
      const [f] = failures(r);
      assert.match(f!.why, /^not running after the restart: ActiveState=failed SubState=failed Result=exit-code /);
      assert.match(r.message ?? '', /\(one restart per run: not retried\)/);
      assert.deepEqual(f!.state, await shown(h(), 'remedy-fail', Object.keys(f!.state!)), 'systemctl show says the same');
      assert.equal(f!.state!['ExecMainStatus'], '3');
      assert.equal(await starts(h(), 'remedy-fail'), 2, 'the first start, then remedy\'s one restart');
    });

    it('a service driven into its start limit: the restart is refused (Result=start-limit-hit) and not tried again', async () => {
      await addUnit(h(), 'remedy-limit', 'StartLimitIntervalSec=600\\nStartLimitBurst=2', 'Restart=no');
      await sh(h(), 'systemctl restart remedy-limit');
      await upgradeOnHost(lab!, h(), '/usr/local/sbin/remedy-limit');
      const r = await run(stepContext(lab!, h()), { services: ['remedy-limit'] });
      assert.equal(r.status, 'failed', r.message);
      const [f] = failures(r);
      assert.match(f!.why, /^restart failed with exit code 1: ActiveState=failed SubState=failed Result=start-limit-hit /);
      assert.equal((await shown(h(), 'remedy-limit', ['Result']))['Result'], 'start-limit-hit');
      assert.match(await sh(h(), 'journalctl -u remedy-limit --no-pager | tail -n 5'), /Start request repeated too quickly/);
      assert.equal(await starts(h(), 'remedy-limit'), 2, 'the limit refused the third start');
    });

    it('a service that crash-loops under Restart=always: one restart by remedy, systemd\'s own retries reported, nothing loops across runs', async () => {
      await addUnit(h(), 'remedy-loop', 'StartLimitIntervalSec=600\\nStartLimitBurst=3', 'Restart=always\\nRestartSec=100ms');
      await upgradeOnHost(lab!, h(), '/usr/local/sbin/remedy-loop', { text: FAIL });
      const r = await run(stepContext(lab!, h()), { services: ['remedy-loop'] });
      assert.equal(r.status, 'failed', r.message);
      const [f] = failures(r);
      assert.match(f!.why, /ActiveState=failed .*NRestarts=2/);
      assert.deepEqual(f!.state, await shown(h(), 'remedy-loop', Object.keys(f!.state!)));
      // The first start, remedy's one restart, one retry by systemd (Restart=always); its second retry
      // (NRestarts=2) met StartLimitBurst=3, which counts the first start too.
      assert.equal(await starts(h(), 'remedy-loop'), 3);
      await sh(h(), 'sleep 2');
      assert.equal(await starts(h(), 'remedy-loop'), 3, 'nothing starts it again');
      const again = await run(stepContext(lab!, h()), { services: ['remedy-loop'] });
      assert.equal(again.status, 'ok', again.message);
      assert.match(again.message ?? '', /nothing to restart; not stale: remedy-loop/);
      assert.equal(await starts(h(), 'remedy-loop'), 3, 'a second run does not restart a dead service');
    });

    it('stale dbus and logind are never restarted and put the host on the reboot list; so does the playbook\'s never_restart list, in later scans too', async () => {
      for (const b of ['/usr/bin/dbus-daemon', '/usr/lib/systemd/systemd-logind']) await upgradeOnHost(lab!, h(), b);
      const labd = await replaceServiceExecutable(lab!, h());
      const before = await sh(h(), 'systemctl show -p MainPID --value dbus systemd-logind');
      const ctx = stepContext(lab!, h());
      const r = await run(ctx, { never_restart: ['remedy-*'] });
      assert.equal(r.status, 'ok', r.message);
      assert.equal(await sh(h(), 'systemctl show -p MainPID --value dbus systemd-logind'), before, 'neither was restarted');
      assert.equal(Number(await sh(h(), 'cat /run/remedy-labd.pid')), labd.pid);
      const skipped = (r.data?.['skipped'] as Array<{ name: string; reason: string }>).filter((s) => s.reason === 'never-restart').map((s) => s.name).sort();
      assert.deepEqual(skipped, ['dbus.service', 'remedy-labd.service', 'systemd-logind.service']);
      assert.equal(r.effects?.rebootRequired, true);
      const units = (reasons: StepResult['effects']) => (reasons?.rebootReasons ?? []).filter((x) => x.kind === 'never-restart').map((x) => x.evidence?.['unit']).sort();
      assert.deepEqual(units(r.effects), skipped);
      const later = await ctx.facts.refresh();
      assert.deepEqual(later.rebootReasons.filter((x) => x.kind === 'never-restart').map((x) => x.evidence?.['unit']).sort(), skipped, 'recheck keeps the list');
    });
  });

  describe('SysV host', () => {
    const h = (): LabHost => lab!.hosts[1]!;

    it('a container\'s process is never restarted as a host service', async () => {
      const c = await startContainerProcess(lab!, h());
      const r = await run(stepContext(lab!, h()), {});
      const skipped = (r.data?.['skipped'] as Array<{ name: string; reason: string; pids: number[] }>).find((s) => s.pids.includes(c.pid));
      assert.equal(skipped?.reason, 'container');
      assert.match(skipped?.name ?? '', /^pidns:\d+$/);
      assert.equal(await sh(h(), `test -d /proc/${c.pid} && echo alive`), 'alive');
    });

    it('an init script whose daemon fails after the upgrade: failed with the script\'s own status exit code', async () => {
      await upgradeOnHost(lab!, h(), '/usr/local/sbin/remedy-labd', { text: FAIL });
      const r = await run(stepContext(lab!, h()), { services: ['remedy-labd'] });
      assert.equal(r.status, 'failed', r.message);
      const [f] = failures(r);
      const status = await sh(h(), 'service remedy-labd status >/dev/null 2>&1; echo $?');
      assert.notEqual(status, '0');
      assert.equal(f!.why, `not running after the restart: StatusExit=${status}`);
    });
  });
});
