/**
 * The fault catalogue, on the target itself: a full /tmp (no block and no inode left) and a full /var
 * (an overlay whose upper is a tiny, filled tmpfs) while restart_services reads, restarts and re-reads
 * the host; and processes churning under the probe (about 200 short-lived forks a second, bounded in
 * time) while `remedy check` reads a host with a stale service. Checked in the report, the exit code
 * and on the hosts (the service really restarted, the probe's answer still names what is stale).
 */
import { strict as assert } from 'node:assert';
import { type LabHost } from '../lab/index.js';
import { useLab } from '../lab/use-lab.js';
import { replaceServiceExecutable } from '../lab/scenarios.js';
import { quietRootShell } from '../steps/lab-helpers.js';
import { fileOnHost, labInventory, readReport, scratchDir, startRemedy, statuses } from './fault-helpers.js';

/** Fills the mounted file system at `dir` on the host: no block left (dd), then no inode left (touch). */
const fill = (dir: string): string => `(dd if=/dev/zero of=${dir}/remedy-fill bs=4k >/dev/null 2>&1; i=0; while touch ${dir}/remedy-f$i 2>/dev/null; do i=$((i+1)); done; true)`;

/** A small tmpfs over /tmp, filled. */
const FULL_TMP = `mount -t tmpfs -o size=64k,nr_inodes=32 remedy-full-tmp /tmp && ${fill('/tmp')}`;
/** /var as an overlay whose upper is a small tmpfs, filled: /var reads as before, nothing new fits. */
const FULL_VAR = [
  'mkdir -p /run/remedy-var && mount -t tmpfs -o size=256k,nr_inodes=64 remedy-full-var /run/remedy-var',
  'mkdir /run/remedy-var/u /run/remedy-var/w',
  'mount -t overlay -o lowerdir=/var,upperdir=/run/remedy-var/u,workdir=/run/remedy-var/w remedy-var /var',
  fill('/var'),
].join(' && ');

/** Forks about 200 short-lived processes a second (10 every 50 ms) for at most `seconds`; prints its pid. */
const churn = (seconds: number): string =>
  `nohup sh -c 'end=$(($(date +%s)+${seconds})); while [ $(date +%s) -lt $end ]; do for i in 1 2 3 4 5 6 7 8 9 10; do sh -c true & done; wait; sleep 0.05; done' >/dev/null 2>&1 </dev/null & echo $!`;

describe('faults on the lab: the target itself (a full /tmp, a full /var, processes churning under the probe)', function () {
  this.timeout(240_000);
  const testLab = useLab(this, { name: 'host-faults', count: 3, flavor: 'systemd', setup: quietRootShell });
  const scratch = scratchDir('host-faults');

  it('a full /tmp and a full /var: restart_services reads, restarts and re-reads the host; nothing hangs', async () => {
    const [tmpFull, varFull] = testLab.hosts as [LabHost, LabHost];
    const replaced = [await replaceServiceExecutable(testLab.lab, tmpFull), await replaceServiceExecutable(testLab.lab, varFull)];
    for (const [x, how] of [[tmpFull, FULL_TMP], [varFull, FULL_VAR]] as const) {
      const r = await testLab.lab.exec(x, `${how} && df -P ${how === FULL_TMP ? '/tmp' : '/var'} | tail -n 1`);
      assert.equal(r.code, 0, `${x.name}: ${r.stderr}`);
      assert.match(r.stdout, / 100% /, `${x.name} is not full: ${r.stdout}`);
    }
    const inventory = scratch.file('full-inventory.yml', labInventory(testLab.lab, { 'tmp-full': { ansible_host: tmpFull.address }, 'var-full': { ansible_host: varFull.address } }));
    const play = scratch.file('full-play.yml', [
      '- hosts: all',
      '  tasks:',
      '    - { name: restart, restart_services: { services: [remedy-labd] }, timeout: 120 }',
      '    - { name: after, shell: touch /root/after-full }',
      '',
    ].join('\n'));
    const json = scratch.file('full.json');
    const run = startRemedy(['run', play, '-i', inventory, '--json', json, '-v', '--no-progress']);
    const res = await run.done;
    try {
      assert.equal(res.code, 0, run.output());
      const r = readReport(json, run.output());
      assert.deepEqual(statuses(r), { 'tmp-full': 'changed', 'var-full': 'changed' });
      for (const name of ['tmp-full', 'var-full']) {
        assert.deepEqual(r.host(name).steps.map((s) => [s.task, s.status]), [['restart', 'changed'], ['after', 'changed']], name);
        assert.deepEqual(r.host(name).restarted, ['remedy-labd.service'], name);
      }
      // on the hosts: the service runs a new process
      for (const [i, x] of [tmpFull, varFull].entries()) {
        const now = await testLab.lab.exec(x, 'systemctl is-active --quiet remedy-labd && cat /run/remedy-labd.pid');
        assert.equal(now.code, 0, `${x.name}: ${now.stderr}`);
        assert.notEqual(Number(now.stdout.trim()), replaced[i]!.pid, x.name);
        assert.equal(fileOnHost(x, 'root/after-full'), '');
      }
    } finally {
      await testLab.lab.exec(tmpFull, 'umount -l /tmp');
      await testLab.lab.exec(varFull, 'umount -l /var; umount -l /run/remedy-var');
    }
  });

  it('processes churning under the probe (about 200 forks a second): `remedy check` still answers, and still finds the stale service', async () => {
    const x = testLab.hosts[2]!;
    const replaced = await replaceServiceExecutable(testLab.lab, x);
    const started = await testLab.lab.exec(x, churn(90));
    const churnPid = Number(started.stdout.trim());
    assert.ok(Number.isInteger(churnPid) && churnPid > 1, started.stderr);
    try {
      const inventory = scratch.file('churn-inventory.yml', labInventory(testLab.lab, { churning: { ansible_host: x.address } }));
      for (const round of [1, 2, 3]) {
        const json = scratch.file(`churn-${round}.json`);
        const run = startRemedy(['check', '-i', inventory, '--json', json, '--no-progress']);
        const res = await run.done;
        assert.ok(res.code === 0 || res.code === 3, `round ${round}: exit ${res.code}\n${run.output()}`);
        const host = readReport(json, run.output()).host('churning');
        assert.deepEqual([host.status, host.unreachable], ['ok', undefined], `round ${round}: ${JSON.stringify(host.steps)}`);
        const stale = host.stale.find((p) => p.pid === replaced.pid);
        assert.ok(stale, `round ${round}: remedy-labd (pid ${replaced.pid}) is stale and not in the report: ${JSON.stringify(host.stale)}`);
        assert.deepEqual([stale.owner.kind, stale.owner.name], ['systemd-unit', 'remedy-labd.service']);
      }
    } finally {
      await testLab.lab.exec(x, `kill ${churnPid} 2>/dev/null; true`);
    }
  });
});
