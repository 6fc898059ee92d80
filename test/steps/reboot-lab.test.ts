/**
 * The reboot step on real lab hosts (systemd and SysV), through the product's SSH transport.
 * Every boot id is read independently with the real ssh client (lab.exec), never only from remedy.
 */
import { strict as assert } from 'node:assert';
import { startLab, type Lab, type LabHost, suiteLabName } from '../lab/index.js';
import { requireLab } from '../lab/require-lab.js';
import { hostThatDoesNotComeBack, installNewerKernel } from '../lab/scenarios.js';
import { closeTransports, hostSh, quietRootShell, stepContext } from './lab-helpers.js';
import { rebootStep } from '../../src/steps/reboot.js';
import type { HostFacts } from '../../src/facts/types.js';

describe('reboot step on the lab', function () {
  this.timeout(240_000);
  let lab: Lab | undefined;

  before(async function () {
    this.timeout(180_000);
    requireLab(this);
    lab = await startLab({ name: suiteLabName('reboot-tests'), count: 3, flavor: ['systemd', 'sysv', 'systemd'] });
    await quietRootShell(lab);
  });
  after(async function () {
    this.timeout(120_000);
    await closeTransports();
    await lab?.down();
  });

  const host = (i: number): LabHost => lab!.hosts[i]!;
  const bootId = (h: LabHost): Promise<string> => hostSh(lab!, h, 'cat /proc/sys/kernel/random/boot_id');

  it('does nothing when no reboot is needed and it is not forced', async () => {
    const h = host(1);
    const before = await bootId(h);
    const r = await rebootStep.run(stepContext(lab!, h), {});
    assert.equal(r.status, 'ok', r.message);
    assert.equal(r.message, 'no reboot needed');
    assert.equal(await bootId(h), before);
  });

  it('check mode says it would reboot, and why, and does not reboot', async () => {
    const h = host(0);
    await installNewerKernel(lab!, h);
    const before = await bootId(h);
    const r = await rebootStep.run(stepContext(lab!, h, true), {});
    assert.equal(r.status, 'skipped', r.message);
    assert.match(r.message ?? '', /^check mode: would reboot \(.*kernel/);
    await new Promise((res) => setTimeout(res, 2500)); // a reboot sent by mistake would have started by now
    assert.equal(await bootId(h), before);
  });

  it('reboots a systemd host with a pending kernel: new boot id, services running again, facts gathered again', async () => {
    const h = host(0);
    const before = await bootId(h);
    const ctx = stepContext(lab!, h);
    const r = await rebootStep.run(ctx, {
      reboot_timeout: 120,
      test_command: 'systemctl is-active remedy-labd xinetd ssh',
    });
    assert.equal(r.status, 'changed', r.message);
    const data = r.data as { bootIdBefore: string; bootIdAfter: string; downSeconds: number };
    const after = await bootId(h);
    assert.equal(data.bootIdBefore, before);
    assert.notEqual(after, before, 'the boot id read with ssh did not change');
    assert.equal(data.bootIdAfter, after);
    assert.ok(data.downSeconds > 0 && data.downSeconds < 120, String(data.downSeconds));
    // the services run again (systemctl's own word; the lab daemon's pidfile names a live process)
    assert.equal(await hostSh(lab!, h, 'systemctl is-active remedy-labd xinetd ssh | sort -u'), 'active');
    assert.equal(await hostSh(lab!, h, 'kill -0 "$(cat /run/remedy-labd.pid)" && echo alive'), 'alive');
    // a container keeps the machine's kernel: the newer one is still pending after the reboot
    const facts = ctx.facts.peek() as HostFacts;
    assert.equal(facts.os.bootId, after);
    assert.equal(r.effects?.rebootRequired, true);
    assert.ok(r.effects?.rebootReasons?.some((x) => x.kind.includes('kernel')), JSON.stringify(r.effects?.rebootReasons));
  });

  it('reboots a SysV host when forced (reboot signals its init), the boot id changes', async () => {
    const h = host(1);
    const before = await bootId(h);
    const r = await rebootStep.run(stepContext(lab!, h), { force: true, reboot_timeout: 120, test_command: 'service remedy-labd status' });
    assert.equal(r.status, 'changed', r.message);
    const after = await bootId(h);
    assert.notEqual(after, before);
    assert.equal((r.data as { bootIdAfter: string }).bootIdAfter, after);
    assert.equal(await hostSh(lab!, h, 'cat /proc/1/comm'), 'remedy-lab-init');
    assert.equal(await hostSh(lab!, h, 'service remedy-labd status >/dev/null 2>&1 && echo running'), 'running');
  });

  it('waits pre_reboot_delay before going down; a test command that never passes fails the step after the reboot', async () => {
    const h = host(0);
    const before = await bootId(h);
    const started = Date.now();
    // reboot_timeout leaves room for a slow boot on a loaded CI machine (a reboot normally takes 2-4 s)
    const r = await rebootStep.run(stepContext(lab!, h), { force: true, pre_reboot_delay: 3, reboot_timeout: 25, test_command: 'test -e /nonexistent' });
    assert.equal(r.status, 'failed', r.message);
    assert.equal(r.cause, 'test-command-failed', r.message);
    assert.match(r.message ?? '', /test command `test -e \/nonexistent` did not pass within 25s/);
    const data = r.data as { downSeconds: number; bootIdAfter: string };
    assert.ok(data.downSeconds >= 3, `down after ${data.downSeconds}s`);
    assert.ok((Date.now() - started) / 1000 < 40);
    const after = await bootId(h);
    assert.notEqual(after, before);
    assert.equal(data.bootIdAfter, after);
  });

  it('a host that never comes back fails with cause reboot-timeout within reboot_timeout', async () => {
    const h = host(2);
    await hostThatDoesNotComeBack(lab!, h);
    const started = Date.now();
    const r = await rebootStep.run(stepContext(lab!, h), { force: true, reboot_timeout: 8 });
    const took = (Date.now() - started) / 1000;
    assert.equal(r.status, 'failed', r.message);
    assert.equal(r.cause, 'reboot-timeout');
    assert.match(r.message ?? '', /did not come back within 8s/);
    assert.ok(took >= 8 && took < 20, `took ${took}s`);
    const again = await lab!.exec(h, 'true', { timeoutMs: 10_000 });
    assert.notEqual(again.code, 0, 'the host answered ssh after all');
  });
});
