/**
 * The fault catalogue, across a reboot (lab, one run): a host that comes back with a new host key (the
 * reconnect must refuse it), one that comes back later than reboot_timeout, one that comes back
 * without its services (the test command fails), one whose connection drops during the re-scan after
 * the reboot, beside a host that reboots well. Checked in the
 * reports, the exit code and on the hosts (what ran after the reboot, and that the slow host did come
 * back); and the controller interrupted while it waits for a host to come back.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { type LabHost } from '../lab/index.js';
import { useLab } from '../lab/use-lab.js';
import { changeHostKeyAtNextBoot, delayNextBoot, onNextBoot } from '../lab/misbehave-boot.js';
import { shellQuote } from '../../src/model/shell-quote.js';
import { quietRootShell } from '../steps/lab-helpers.js';
import { parseJunit, xmllint } from '../report/consumers.js';
import { dropConnectionMidStep } from '../lab/misbehave.js';
import { fileOnHost, labInventory, readReport, scratchDir, startRemedy, statuses, until } from './fault-helpers.js';

/** Longer than a lab reboot takes on a loaded 2-core machine; the slow host stays down longer than this. */
const REBOOT_TIMEOUT = 30;

describe('faults on the lab: across a reboot (new host key, back too late, back without its services)', function () {
  this.timeout(240_000);
  const testLab = useLab(this, { name: 'reboot-faults', count: 5, flavor: 'systemd', setup: quietRootShell });
  const scratch = scratchDir('reboot-faults');

  it('one run: the new host key is refused, the late host times out (and comes back afterwards), the host without its services fails its test command, the connection drops during the re-scan after the reboot; the healthy host goes on', async () => {
    const [rekeyed, late, bare, healthy, rescan] = testLab.hosts as [LabHost, LabHost, LabHost, LabHost, LabHost];
    await changeHostKeyAtNextBoot(testLab.lab, rekeyed);
    await delayNextBoot(testLab.lab, late, REBOOT_TIMEOUT + 15);
    // masked while the host is down: systemd-sysv-generator does not make a unit of the init script then
    await onNextBoot(testLab.lab, bare, `ln -sf /dev/null ${shellQuote(join(bare.root, 'etc/systemd/system/remedy-labd.service'))}`);
    // after the reboot, the probe's dpkg-query (over ssh only) waits beside a marker: the re-scan is slow enough to drop it
    const wrapper = join(rescan.root, 'usr/local/bin/dpkg-query');
    const slow = `#!/bin/sh\n[ -n "$SSH_CONNECTION" ] && sh -c 'sleep 20; : remedy-rescan-marker'\nexec /usr/bin/dpkg-query "$@"\n`;
    await onNextBoot(testLab.lab, rescan, `printf %s ${shellQuote(slow)} > ${shellQuote(wrapper)} && chmod 755 ${shellQuote(wrapper)}`);
    const inventory = scratch.file('inventory.yml', labInventory(testLab.lab, {
      rescan: { ansible_host: rescan.address },
      rekeyed: { ansible_host: rekeyed.address },
      late: { ansible_host: late.address },
      bare: { ansible_host: bare.address },
      healthy: { ansible_host: healthy.address },
    }));
    const play = scratch.file('play.yml', [
      '- hosts: all',
      '  tasks:',
      '    - name: reboot',
      `      reboot: { force: true, reboot_timeout: ${REBOOT_TIMEOUT}, test_command: "systemctl is-active --quiet remedy-labd" }`,
      '    - name: after the reboot',
      '      shell: touch /root/after-reboot',
      '',
    ].join('\n'));
    const [json, junit] = [scratch.file('reboot.json'), scratch.file('reboot.xml')];
    const run = startRemedy(['run', play, '-i', inventory, '--json', json, '--junit', junit, '-v', '--no-progress']);
    // the host is down for a while (hostProcesses sees nothing, or a host without the marker yet): poll until the drop lands
    const dropped = async () => { try { await dropConnectionMidStep(testLab.lab, rescan, 'remedy-rescan-marker', { timeoutMs: 500 }); return true; } catch { return false; } };
    await until('the re-scan after the reboot to run, then drop its connection', dropped, 150_000, run);
    const res = await run.done;
    await testLab.lab.exec(rescan, 'rm -f /usr/local/bin/dpkg-query');
    assert.equal(res.code, 4, res.stdout + res.stderr);
    const r = readReport(json, res.stdout + res.stderr);
    assert.deepEqual(statuses(r), { rescan: 'unreachable', rekeyed: 'failed', late: 'failed', bare: 'failed', healthy: 'changed' });
    const step = (name: string) => r.host(name).steps.map((s) => [s.task, s.status, s.cause]);
    // dropped during the re-scan: the reboot happened, the step says the check after it was cut; nothing more ran there
    assert.deepEqual(r.host('rescan').unreachable?.kind, 'connection-lost');
    assert.deepEqual(step('rescan'), [['reboot', 'unreachable', 'connection-lost']]);
    assert.match(r.host('rescan').steps[0]!.message, /connection lost.*\(reboot: after changing the host, while checking the result\)$/);
    assert.deepEqual(step('rekeyed'), [['reboot', 'failed', 'host-key-changed']]);
    assert.match(r.host('rekeyed').steps[0]!.message, /did not come back after the reboot: .*host key/i);
    assert.deepEqual(step('late'), [['reboot', 'failed', 'reboot-timeout']]);
    assert.match(r.host('late').steps[0]!.message, new RegExp(`did not come back within ${REBOOT_TIMEOUT}s`));
    assert.deepEqual(step('bare'), [['reboot', 'failed', 'test-command-failed']]);
    assert.match(r.host('bare').steps[0]!.message, /rebooted \(new boot id\), but the test command `systemctl is-active --quiet remedy-labd` did not pass/);
    assert.deepEqual(step('healthy'), [['reboot', 'changed', undefined], ['after the reboot', 'changed', undefined]]);
    // on the hosts: nothing ran after a reboot that failed; the healthy host ran the next step
    for (const x of [rekeyed, late, bare, rescan]) assert.equal(fileOnHost(x, 'root/after-reboot'), undefined, x.name);
    assert.equal(fileOnHost(healthy, 'root/after-reboot'), '');
    // the late host does come back, after remedy gave up on it
    await until('the late host to answer again', async () => (await testLab.lab.exec(late, 'true', { timeoutMs: 5000 })).code === 0, 90_000);
    assert.equal(fileOnHost(late, 'root/after-reboot'), undefined);
    await xmllint([junit]);
    const suite = (await parseJunit([junit]))[0]![0]!;
    assert.deepEqual([suite.tests, suite.errors, suite.failures], [5, 1, 3]);
  });

  it('interrupted while waiting for a host to come back (SIGINT, then SIGTERM): the wait ends, the reports say so, exit 130', async () => {
    const [, , , healthy] = testLab.hosts as [LabHost, LabHost, LabHost, LabHost];
    await testLab.lab.exec(healthy, 'rm -f /root/after-reboot');
    await delayNextBoot(testLab.lab, healthy, 20);
    const inventory = scratch.file('int-inventory.yml', labInventory(testLab.lab, { healthy: { ansible_host: healthy.address } }));
    const play = scratch.file('int-play.yml', [
      '- hosts: all',
      '  tasks:',
      '    - name: reboot',
      '      reboot: { force: true, reboot_timeout: 300 }',
      '    - name: after the reboot',
      '      shell: touch /root/after-reboot',
      '',
    ].join('\n'));
    const [json, junit] = [scratch.file('int.json'), scratch.file('int.xml')];
    const run = startRemedy(['run', play, '-i', inventory, '--json', json, '--junit', junit, '-v', '--no-progress']);
    // the host is down (its address refuses) while remedy waits for it
    await until('the host to go down', async () => (await testLab.lab.exec(healthy, 'true', { timeoutMs: 3000 })).code !== 0, 60_000, run);
    run.child.kill('SIGINT');
    await run.waitFor(/SIGINT: starting nothing new/);
    run.child.kill('SIGTERM');
    const grace = setTimeout(() => run.child.kill('SIGKILL'), 20_000);
    const res = await run.done.finally(() => clearTimeout(grace));
    assert.deepEqual([res.code, res.signal], [130, null], run.output());
    const r = readReport(json, run.output());
    assert.equal(r.interrupted, true);
    const steps = r.host('healthy').steps;
    assert.deepEqual(steps.map((s) => [s.task, s.status, s.cause]), [['reboot', 'failed', 'aborted']]);
    assert.match(steps[0]!.message, /^interrupted by SIGTERM: .*interrupted while waiting for the host/);
    await xmllint([junit]);
    assert.deepEqual((await parseJunit([junit]))[0]![0]!.failures, 1);
    // the host comes back by itself; nothing more ran on it
    await until('the host to answer again', async () => (await testLab.lab.exec(healthy, 'true', { timeoutMs: 5000 })).code === 0, 90_000);
    assert.equal(fileOnHost(healthy, 'root/after-reboot'), undefined);
  });
});
