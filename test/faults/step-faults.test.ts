/**
 * The fault catalogue, during a step: a connection dropped in the middle of a step (the host's sshd
 * session killed; the network taken away, no byte answered), a command that hangs (ended by the task timeout: its process group is gone on the
 * host), a command that prints without end (output bounded, the controller's peak memory bounded), in
 * one run beside a healthy host; then the controller interrupted during a step (SIGINT, then SIGTERM,
 * then SIGKILL after a grace as a CI runner's cancel does); a connection lost between two steps and
 * one lost while restart_services restarts a service; the controller interrupted during a restart, once
 * and twice at once. Each run is checked in its reports, its exit
 * code and on the hosts.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { type LabHost } from '../lab/index.js';
import { useLab } from '../lab/use-lab.js';
import { dropConnectionMidStep, endSshSessions, replaceServiceExecutable } from '../lab/scenarios.js';
import { networkThatGoesAway } from '../lab/blackhole.js';
import { hostProcesses } from '../lab/host-shell.js';
import { quietRootShell } from '../steps/lab-helpers.js';
import { parseJunit, parseMarkdown, xmllint } from '../report/consumers.js';
import { fileOnHost, groupOnHost, labInventory, labSshArgs, readReport, scratchDir, startRemedy, statuses, until } from './fault-helpers.js';

const PLAY = [
  '- hosts: all',
  '  tasks:',
  '    - name: the long step',
  '      shell: "echo $$ > /root/step.pgid; {{ cmd }}"',
  '      timeout: 10',
  '    - name: the next step',
  '      shell: touch /root/next-step',
  '',
].join('\n');

describe('faults on the lab: during a step (connection dropped, a hanging command, output without end, the controller interrupted)', function () {
  this.timeout(180_000);
  const testLab = useLab(this, { name: 'step-faults', count: 5, flavor: 'systemd', setup: quietRootShell });
  const scratch = scratchDir('step-faults');

  it('one run: a connection dropped mid-step, the network taken away mid-step, a hanging command and one that prints without end, beside a healthy host', async () => {
    const [dropped, hang, flood, healthy, cut] = testLab.hosts as [LabHost, LabHost, LabHost, LabHost, LabHost];
    // remedy reaches this host through a forwarder that then drops every byte (keepalives notice it)
    const net = await networkThatGoesAway(testLab.lab, cut);
    const inventory = scratch.file('inventory.yml', labInventory(testLab.lab, {
      dropped: { ansible_host: dropped.address, cmd: 'sleep 60; : remedy-drop-marker' },
      hang: { ansible_host: hang.address, cmd: 'sleep 600 & sleep 600; wait' },
      flood: { ansible_host: flood.address, cmd: 'yes remedy-flood-line' },
      healthy: { ansible_host: healthy.address, cmd: 'true' },
      'net-gone': {
        ansible_host: net.address, cmd: 'sleep 60; : remedy-net-marker',
        ansible_ssh_common_args: labSshArgs(testLab.lab, `${net.sshArgs} -o ServerAliveInterval=1 -o ServerAliveCountMax=3`),
      },
    }));
    const play = scratch.file('play.yml', PLAY);
    const [json, junit] = [scratch.file('step.json'), scratch.file('step.xml')];
    const run = startRemedy(['run', play, '-i', inventory, '--json', json, '--junit', junit, '-v', '--no-progress'], { measure: true });
    await dropConnectionMidStep(testLab.lab, dropped, 'remedy-drop-marker', { timeoutMs: 30_000 });
    await until('the step to run behind the forwarder', async () => (await hostProcesses({ lab: testLab.lab.name, name: cut.name })).some((p) => p.cmdline.includes('remedy-net-marker') && p.comm !== 'sshd'), 30_000, run);
    net.cut();
    await until('the hanging command to start', () => fileOnHost(hang, 'root/step.pgid') !== undefined, 30_000, run);
    const hangGroup = Number(fileOnHost(hang, 'root/step.pgid'));
    const res = await run.done.finally(() => net.stop());
    assert.equal(res.code, 4, run.output());
    const r = readReport(json, run.output());
    assert.deepEqual(statuses(r), { dropped: 'unreachable', hang: 'failed', flood: 'failed', healthy: 'changed', 'net-gone': 'unreachable' });
    // the drop: the step it interrupted says so, and that it may have run; nothing after it ran
    assert.equal(r.host('dropped').unreachable?.kind, 'connection-lost');
    const lost = r.host('dropped').steps;
    assert.deepEqual(lost.map((s) => [s.task, s.status, s.cause]), [['the long step', 'unreachable', 'connection-lost']]);
    assert.match(lost[0]!.message, /connection lost.*while the command ran on the host: it may have run in part or whole/);
    assert.equal(fileOnHost(dropped, 'root/next-step'), undefined);
    // the network gone: the same, noticed by keepalives (no byte comes back, nothing is reset)
    assert.deepEqual(r.host('net-gone').steps.map((s) => [s.task, s.status, s.cause]), [['the long step', 'unreachable', 'connection-lost']]);
    assert.match(r.host('net-gone').steps[0]!.message, /connection lost.*while the command ran on the host: it may have run in part or whole/);
    assert.equal(fileOnHost(cut, 'root/next-step'), undefined);
    // the hanging command: ended by the task timeout, its whole process group gone on the host
    assert.deepEqual(r.host('hang').steps.map((s) => [s.task, s.status, s.cause]), [['the long step', 'failed', 'timeout']]);
    assert.deepEqual(await groupOnHost(testLab.lab, hang, hangGroup), [], `processes of group ${hangGroup} left on ${hang.name}`);
    assert.equal(fileOnHost(hang, 'root/next-step'), undefined);
    // output without end: ended by the timeout too, the output cut and said so, the controller's memory bounded
    assert.deepEqual(r.host('flood').steps.map((s) => [s.task, s.status, s.cause]), [['the long step', 'failed', 'timeout']]);
    assert.match(r.host('flood').steps[0]!.message, /timed out after 10s; .*; output cut: the command printed more than remedy keeps \(1 MiB each/);
    assert.deepEqual(await groupOnHost(testLab.lab, flood, Number(fileOnHost(flood, 'root/step.pgid'))), []);
    assert.ok(res.peakKb !== undefined, 'remedy did not report its peak memory');
    assert.ok(res.peakKb < 768 * 1024, `remedy peaked at ${Math.round(res.peakKb / 1024)} MB reading a command that prints without end`);
    // the healthy host carried on to the end
    assert.deepEqual(r.host('healthy').steps.map((s) => s.status), ['changed', 'changed']);
    assert.equal(fileOnHost(healthy, 'root/next-step'), '');
    await xmllint([junit]);
    const suite = (await parseJunit([junit]))[0]![0]!;
    assert.deepEqual([suite.tests, suite.errors, suite.failures], [5, 2, 2]);
  });

  it('interrupted during a step (SIGINT, SIGTERM, SIGKILL after a grace): the step is ended, every report is written and says so, exit 130, nothing new starts', async () => {
    const [first, second] = testLab.hosts as [LabHost, LabHost];
    for (const x of [first, second]) await testLab.lab.exec(x, 'rm -f /root/step.pgid /root/next-step');
    const inventory = scratch.file('int-inventory.yml', labInventory(testLab.lab, {
      first: { ansible_host: first.address, cmd: 'sleep 300' },
      second: { ansible_host: second.address, cmd: 'true' },
    }));
    const play = scratch.file('int-play.yml', PLAY);
    const [json, junit, md] = [scratch.file('int.json'), scratch.file('int.xml'), scratch.file('int.md')];
    const run = startRemedy(['run', play, '-i', inventory, '-f', '1', '--json', json, '--junit', junit, '--markdown', md, '-v', '--no-progress']);
    await until('the step to start on the first host', () => fileOnHost(first, 'root/step.pgid') !== undefined, 30_000, run);
    const group = Number(fileOnHost(first, 'root/step.pgid'));
    // a CI runner's cancel (GitHub Actions): SIGINT, then SIGTERM, then SIGKILL once its grace is over
    run.child.kill('SIGINT');
    await run.waitFor(/SIGINT: starting nothing new/);
    run.child.kill('SIGTERM');
    const grace = setTimeout(() => run.child.kill('SIGKILL'), 20_000);
    const res = await run.done.finally(() => clearTimeout(grace));
    assert.deepEqual([res.code, res.signal], [130, null], run.output());
    const r = readReport(json, run.output());
    assert.equal(r.interrupted, true);
    assert.deepEqual(statuses(r), { first: 'failed', second: 'not-reached' });
    const steps = r.host('first').steps;
    assert.deepEqual(steps.map((s) => [s.task, s.status, s.cause]), [['the long step', 'failed', 'aborted']]);
    assert.match(steps[0]!.message, /^interrupted by SIGTERM: remedy ended the step's command on the host while it ran/);
    assert.deepEqual([r.host('second').notReached, r.stopped?.reason], [{ reason: 'interrupted', play: 'all' }, 'interrupted']);
    // on the hosts: the step's process group is gone; nothing after it ran, the second host was not touched
    assert.deepEqual(await groupOnHost(testLab.lab, first, group), []);
    assert.equal(fileOnHost(first, 'root/next-step'), undefined);
    assert.equal(fileOnHost(second, 'root/step.pgid'), undefined);
    // every requested format is complete
    await xmllint([junit]);
    const suite = (await parseJunit([junit]))[0]![0]!;
    assert.equal(suite.tests, 2);
    assert.ok(existsSync(md));
    const shape = parseMarkdown(readFileSync(md, 'utf8'));
    assert.equal(shape.detailsOpen, shape.detailsClose);
    const cells = shape.tables.flatMap((t) => t.rows.map((row) => row.join(' ')));
    assert.ok(cells.some((c) => c.includes('first')) && cells.some((c) => c.includes('second')), readFileSync(md, 'utf8'));
  });

  it('a connection lost between two steps (the next step did not run) and one lost during a restart (half done, the host says how); the healthy host goes on', async () => {
    const [idle, restarting, , healthy] = testLab.hosts as [LabHost, LabHost, LabHost, LabHost];
    for (const x of [idle, restarting, healthy]) await testLab.lab.exec(x, 'rm -f /root/one /root/last');
    // remedy-labd's executable replaced under it (stale), and its stop made slow: the restart takes seconds
    const replaced = await replaceServiceExecutable(testLab.lab, restarting);
    await testLab.lab.exec(restarting, 'mkdir -p /etc/systemd/system/remedy-labd.service.d && printf "[Service]\\nExecStopPost=/bin/sleep 3\\n" > /etc/systemd/system/remedy-labd.service.d/slow.conf && systemctl daemon-reload');
    const inventory = scratch.file('lost-inventory.yml', labInventory(testLab.lab, {
      idle: { ansible_host: idle.address }, restarting: { ansible_host: restarting.address }, healthy: { ansible_host: healthy.address },
    }));
    const play = scratch.file('lost-play.yml', [
      '- hosts: all',
      '  tasks:',
      '    - { name: one, shell: touch /root/one }',
      '    - { name: idle, debug: { msg: "{{ item }}" }, loop: [1, 2], loop_control: { pause: 3 } }',
      '    - { name: restart, restart_services: { services: [remedy-labd] } }',
      '    - { name: last, shell: touch /root/last }',
      '',
    ].join('\n'));
    const json = scratch.file('lost.json');
    const run = startRemedy(['run', play, '-i', inventory, '--json', json, '-v', '--no-progress']);
    await until('step one on the idle host', () => fileOnHost(idle, 'root/one') !== undefined, 30_000, run);
    await endSshSessions(testLab.lab, idle);
    await dropConnectionMidStep(testLab.lab, restarting, 'systemctl restart remedy-labd', { timeoutMs: 60_000 });
    const res = await run.done;
    assert.equal(res.code, 4, run.output());
    const r = readReport(json, run.output());
    assert.deepEqual(statuses(r), { idle: 'unreachable', restarting: 'unreachable', healthy: 'changed' });
    const steps = (name: string) => r.host(name).steps.map((s) => [s.task, s.status]);
    // lost while idle: the next command was never sent, and the report says so
    assert.deepEqual(steps('idle'), [['one', 'changed'], ['idle', 'ok'], ['restart', 'unreachable']]);
    assert.match(r.host('idle').steps[2]!.message, /connection lost.*\(before this command was sent: it did not run\).*restart_services: while reading the host, before changing anything/);
    // lost during the restart: half done, and the report sends the operator to the host
    assert.deepEqual(steps('restarting'), [['one', 'changed'], ['idle', 'ok'], ['restart', 'unreachable']]);
    assert.match(r.host('restarting').steps[2]!.message, /connection lost.*restart_services: while changing the host: it may be half done, see the host/);
    for (const x of [idle, restarting]) assert.equal(fileOnHost(x, 'root/last'), undefined, x.name);
    // on the host: systemd finished the restart the lost connection had asked for
    await until('remedy-labd to run again with a new process', async () => {
      const now = await testLab.lab.exec(restarting, 'systemctl is-active --quiet remedy-labd && cat /run/remedy-labd.pid');
      return now.code === 0 && Number(now.stdout.trim()) !== replaced.pid;
    }, 30_000);
    assert.deepEqual(steps('healthy'), [['one', 'changed'], ['idle', 'ok'], ['restart', 'ok'], ['last', 'changed']]);
  });
  it('interrupted during a restart: once (the restart finishes, the host is not reached after it) and twice at once (the restart is ended, every report written, nothing of remedy left running on the host)', async () => {
    const x = testLab.hosts[2]!;
    await testLab.lab.exec(x, 'mkdir -p /etc/systemd/system/remedy-labd.service.d && printf "[Service]\\nExecStopPost=/bin/sleep 6\\n" > /etc/systemd/system/remedy-labd.service.d/slow.conf && systemctl daemon-reload');
    const inventory = scratch.file('restart-int-inventory.yml', labInventory(testLab.lab, { restarting: { ansible_host: x.address } }));
    const play = scratch.file('restart-int-play.yml', '- hosts: all\n  tasks:\n    - { name: restart, restart_services: { services: [remedy-labd] } }\n    - { name: last, shell: touch /root/last }\n');
    const restarting = async () => (await hostProcesses({ lab: testLab.lab.name, name: x.name })).filter((p) => p.cmdline.includes('systemctl restart remedy-labd') || p.cmdline.startsWith('sh -s -- systemd remedy-labd'));
    const interrupt = async (tag: string, twice: boolean) => {
      await testLab.lab.exec(x, 'rm -f /root/last');
      const replaced = await replaceServiceExecutable(testLab.lab, x);
      const out = (ext: string) => scratch.file(`restart-${tag}.${ext}`);
      const run = startRemedy(['run', play, '-i', inventory, '--json', out('json'), '--junit', out('xml'), '--markdown', out('md'), '-v', '--no-progress']);
      await until('the restart to run on the host', async () => (await restarting()).length > 0, 60_000, run);
      run.child.kill('SIGINT');
      if (twice) {
        await run.waitFor(/SIGINT: starting nothing new/);
        run.child.kill('SIGINT');
      }
      const res = await run.done;
      assert.deepEqual([res.code, res.signal], [130, null], run.output());
      const r = readReport(out('json'), run.output());
      assert.equal(r.interrupted, true);
      await xmllint([out('xml')]);
      assert.equal((await parseJunit([out('xml')]))[0]![0]!.tests, 1);
      assert.ok(readFileSync(out('md'), 'utf8').includes('restarting'));
      assert.equal(fileOnHost(x, 'root/last'), undefined);
      return { r, replaced };
    };
    // once: the running restart finishes and is verified; the host is not reached for the next task
    const once = await interrupt('once', false);
    assert.deepEqual(statuses(once.r), { restarting: 'not-reached' });
    assert.deepEqual(once.r.host('restarting').steps.map((s) => [s.task, s.status]), [['restart', 'changed']]);
    assert.deepEqual([once.r.host('restarting').restarted, once.r.host('restarting').notReached], [['remedy-labd.service'], { reason: 'interrupted', play: 'all' }]);
    const now = await testLab.lab.exec(x, 'systemctl is-active --quiet remedy-labd && cat /run/remedy-labd.pid');
    assert.equal(now.code, 0, now.stderr);
    assert.notEqual(Number(now.stdout.trim()), once.replaced.pid);
    // twice: the restart's command is ended on the host; the report says it may be half done
    const twice = await interrupt('twice', true);
    assert.deepEqual(statuses(twice.r), { restarting: 'failed' });
    const step = twice.r.host('restarting').steps;
    assert.deepEqual(step.map((s) => [s.task, s.status, s.cause]), [['restart', 'failed', 'aborted']]);
    assert.match(step[0]!.message, /^interrupted by SIGINT: remedy ended the step's command on the host while it ran; it may have run in part \(restart_services: .*; while changing the host: it may be half done, see the host\)$/);
    assert.deepEqual((await restarting()).map((p) => p.cmdline), [], 'remedy\'s restart left running on the host');
    // on the host: systemd finishes the restart job the ended command had queued
    await until('remedy-labd to be active again', async () => (await testLab.lab.exec(x, 'systemctl is-active --quiet remedy-labd')).code === 0, 30_000);
  });
});
