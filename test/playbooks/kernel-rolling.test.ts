/**
 * playbooks/kernel.yml end to end: the rolling reboot from issue 6's "Done means", through the real CLI.
 * A watcher (the real ssh client, independent of remedy) follows every host's boot id and records how many
 * hosts are down at once; boot ids before and after are read with the real ssh client too.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { startLab, type Lab, type LabHost, suiteLabName } from '../lab/index.js';
import { requireLab } from '../lab/require-lab.js';
import { describeHost } from '../lab/host-shell.js';
import { hostThatDoesNotComeBack, installNewerKernel } from '../lab/scenarios.js';
import type { RunReport } from '../../src/model/results.js';
import { loadInventory, selectHosts } from '../../src/inventory/index.js';
import { runPlaybook } from './category-helpers.js';

interface WatchResult { maxDown: number; everDown: Set<string>; bootIds: Map<string, string[]> }

/**
 * Watches every host through a long-lived ssh session (`cat boot_id; exec sleep`), the real ssh client:
 * the session ends when the host goes down (a reboot ends every process), so no reboot is missed however
 * short (a SysV lab host is back within 200 ms, under a TCP poll's period); the host counts as up again
 * once a new session (retried every 100 ms) printed its boot id. Records the most hosts down at once.
 */
function watchHosts(lab: Lab, hosts: LabHost[]): { ready: Promise<void>; stop(): Promise<WatchResult> } {
  let running = true;
  let maxDown = 0;
  const down = new Set<string>();
  const everDown = new Set<string>();
  const bootIds = new Map<string, string[]>(hosts.map((h) => [h.name, []]));
  const children = new Set<ChildProcess>();
  const firstUp: Promise<void>[] = [];
  const loops = hosts.map((h) => {
    let markReady: () => void = () => undefined;
    firstUp.push(new Promise<void>((r) => { markReady = r; }));
    return (async () => {
      while (running) {
        const child = spawn('ssh', [...lab.sshArgs(h), '--', 'cat /proc/sys/kernel/random/boot_id; exec sleep 3600'], { stdio: ['ignore', 'pipe', 'ignore'] });
        children.add(child);
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const id = out.split('\n')[0]!.trim();
          if (!out.includes('\n') || !/^[0-9a-f-]{36}$/.test(id)) return;
          const ids = bootIds.get(h.name)!;
          if (ids[ids.length - 1] !== id) ids.push(id);
          down.delete(h.name);
          markReady();
        });
        await once(child, 'close');
        children.delete(child);
        if (!running) return;
        down.add(h.name);
        everDown.add(h.name);
        maxDown = Math.max(maxDown, down.size);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
  });
  return {
    ready: Promise.all(firstUp).then(() => undefined),
    async stop() {
      running = false;
      for (const c of children) c.kill('SIGTERM');
      await Promise.all(loops);
      return { maxDown, everDown, bootIds };
    },
  };
}

describe('playbooks/kernel.yml: rolling reboot on the lab', function () {
  this.timeout(300_000);
  let lab: Lab | undefined;

  before(async function () {
    this.timeout(240_000);
    requireLab(this);
    lab = await startLab({ name: suiteLabName('rolling-tests'), count: 6, flavor: 'mixed' });
    for (const h of lab.hosts) await installNewerKernel(lab, h);
  });
  after(async function () {
    this.timeout(120_000);
    await lab?.down();
  });

  const bootIds = async (): Promise<Map<string, string>> => {
    const out = new Map<string, string>();
    for (const h of lab!.hosts) {
      const r = await lab!.exec(h, 'cat /proc/sys/kernel/random/boot_id', { timeoutMs: 15_000 });
      out.set(h.name, r.code === 0 ? r.stdout.trim() : `unreachable: ${r.stderr.trim()}`);
    }
    return out;
  };
  const run = async (_name: string, extra: string[]): Promise<{ code: number | null; report: RunReport; stderr: string }> => {
    const r = await runPlaybook(lab!, 'kernel.yml', extra);
    return { code: r.code, report: r.report, stderr: `${r.stdout}\n${r.stderr}` };
  };

  /** Each failed step, then a snapshot of its host (processes, console and supervisor logs): what a reboot gone wrong left behind. */
  const failedSteps = async (report: RunReport): Promise<string> => {
    const failed = report.hosts.flatMap((h) => h.steps.filter((s) => s.status === 'failed').map((s) => ({ host: h.name, s })));
    const lines = failed.map(({ host, s }) => `${host}: ${s.task}: ${s.cause} ${s.message}`);
    for (const host of new Set(failed.map((f) => f.host))) lines.push(await describeHost({ lab: lab!.name, name: host }));
    return lines.join('\n');
  };

  it('without -e reboot=true: reports the pending kernel everywhere, reboots nothing', async () => {
    const before = await bootIds();
    const { report, stderr } = await run('report-only', []);
    assert.match(stderr, /reboot required/);
    assert.deepEqual([...report.summary.rebootRequired].sort(), lab!.hosts.map((h) => h.name).sort(), stderr);
    for (const h of report.hosts) {
      assert.ok(h.rebootReasons.some((r) => r.kind.includes('kernel')), `${h.name}: ${JSON.stringify(h.rebootReasons)}`);
      assert.equal(h.steps.find((s) => s.task.startsWith('Reboot'))?.status, 'skipped', h.name);
    }
    assert.deepEqual(await bootIds(), before);
  });

  it('--check -e reboot=true: says it would reboot each host, reboots none', async () => {
    const before = await bootIds();
    const { report, stderr } = await run('check', ['--check', '-e', 'reboot=true']);
    for (const h of report.hosts) {
      const step = h.steps.find((s) => s.task.startsWith('Reboot'));
      assert.equal(step?.status, 'skipped', stderr);
      assert.match(step?.message ?? '', /^check mode: would reboot \(kernel-pending/, h.name);
    }
    assert.equal(report.hosts.length, lab!.hosts.length);
    assert.deepEqual(await bootIds(), before);
  });

  it('-e reboot=true -e batch=2: never more than 2 hosts down at once, each back with a new boot id', async () => {
    const before = await bootIds();
    const watcher = watchHosts(lab!, lab!.hosts);
    await watcher.ready;
    const { report, stderr } = await run('rolling', ['-e', 'reboot=true', '-e', 'batch=2', '-e', 'reboot_timeout=90']);
    const seen = await watcher.stop();
    assert.ok(seen.maxDown <= 2, `${seen.maxDown} hosts were down at once`);
    const failures = await failedSteps(report);
    assert.deepEqual([...seen.everDown].sort(), lab!.hosts.map((h) => h.name).sort(), `the watcher did not see every host go down; failed steps:\n${failures}`);
    for (const h of lab!.hosts) {
      assert.deepEqual(seen.bootIds.get(h.name)?.length, 2, `${h.name} did not boot exactly once: ${seen.bootIds.get(h.name)?.join(' ')}`);
    }
    const after = await bootIds();
    for (const h of lab!.hosts) {
      assert.match(after.get(h.name)!, /^[0-9a-f-]{36}$/, `${h.name}: ${after.get(h.name)}`);
      assert.notEqual(after.get(h.name), before.get(h.name), `${h.name} kept its boot id`);
    }
    assert.equal(report.summary.failed, 0, stderr);
    for (const h of report.hosts) {
      const step = h.steps.find((s) => s.task.startsWith('Reboot'));
      assert.equal(step?.status, 'changed', `${h.name}: ${step?.message}`);
      // the container runs this machine's kernel: the newer one is still pending after the reboot
      assert.equal(h.rebootRequired, true, h.name);
    }
  });

  it('a host that never comes back fails with a timeout and stops the rollout (later batches keep their boot id)', async () => {
    // the play's host order (the batches are cut in it): the lab's inventory lists hosts by flavour group
    const order = selectHosts(await loadInventory(lab!.inventoryFile), 'all').map((h) => h.name);
    const hosts = order.map((name) => lab!.host(name));
    await hostThatDoesNotComeBack(lab!, hosts[2]!); // the first host of the second batch of 2
    const before = await bootIds();
    const started = Date.now();
    const { code, report, stderr } = await run('stopped', ['-e', 'reboot=true', '-e', 'batch=2', '-e', 'reboot_timeout=30']);
    const took = (Date.now() - started) / 1000;
    assert.notEqual(code, 0, stderr);
    const after = await bootIds();
    // first batch: rebooted
    for (const h of hosts.slice(0, 2)) assert.notEqual(after.get(h.name), before.get(h.name), `${h.name} was not rebooted`);
    // the host that never came back: failed with the timeout, and really unreachable
    const dead = report.hosts.find((h) => h.name === hosts[2]!.name)!;
    assert.equal(dead.status, 'failed', `${JSON.stringify(dead)}\nfailed steps:\n${await failedSteps(report)}`);
    const step = dead.steps.find((s) => s.task.startsWith('Reboot'))!;
    assert.equal(step.cause, 'reboot-timeout', step.message);
    assert.match(step.message, /did not come back within 30s/);
    assert.match(after.get(hosts[2]!.name)!, /^unreachable/);
    // later batches: never touched
    for (const h of hosts.slice(4)) {
      assert.equal(after.get(h.name), before.get(h.name), `${h.name} was rebooted after the threshold was crossed`);
      const r = report.hosts.find((x) => x.name === h.name);
      assert.ok(!r || !r.steps.some((s) => s.task.startsWith('Reboot') && s.status === 'changed'), JSON.stringify(r));
    }
    assert.ok(took < 120, `took ${took}s`);
  });
});
