import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlaybooks } from '../../src/engine/index.js';
import { parseInventoryText } from '../../src/inventory/index.js';
import { parsePlaybookText } from '../../src/config/load-playbook.js';
import { createLocalTransport } from '../../src/transport/local.js';
import type { RunEvent } from '../../src/model/events.js';

/** Several "hosts" that all run on this machine through the local connection. */
function localInventory(names: string[]): ReturnType<typeof parseInventoryText> {
  const hosts = names.map((n) => `    ${n}: { ansible_connection: local }`).join('\n');
  return parseInventoryText('inv.yml', `all:\n  hosts:\n${hosts}\n`);
}

async function run(yaml: string, names = ['h1', 'h2', 'h3'], extra: Partial<Parameters<typeof runPlaybooks>[0]> = {}) {
  const events: RunEvent[] = [];
  const report = await runPlaybooks({
    playbooks: [parsePlaybookText('play.yml', yaml)],
    inventory: localInventory(names),
    transportFor: createLocalTransport,
    ...extra,
  }, (e) => events.push(e));
  return { report, events };
}

/** Whether a process is alive: present in /proc and not a zombie waiting for its parent. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const results = (events: RunEvent[], host: string) =>
  events.flatMap((e) => (e.type === 'task-result' && e.host === host ? [`${e.task}:${e.result.status}`] : []));

describe('engine on the local connection', () => {
  it('runs real commands, registers results and evaluates when', async () => {
    const { report, events } = await run(`
- hosts: all
  tasks:
    - name: who
      command: [sh, -c, 'echo {{ inventory_hostname }}-$$']
      register: who
    - name: only h2
      debug: { msg: "{{ who.stdout }}" }
      when: inventory_hostname == 'h2'
`);
    assert.equal(report.summary.hosts, 3);
    assert.deepEqual(results(events, 'h1'), ['who:changed', 'only h2:skipped']);
    assert.deepEqual(results(events, 'h2'), ['who:changed', 'only h2:ok']);
    const debug = events.find((e) => e.type === 'task-result' && e.host === 'h2' && e.task === 'only h2');
    assert.match(debug?.type === 'task-result' ? debug.result.message ?? '' : '', /^h2-\d+$/);
  });

  it('a failed host stops, the others go on; ignore_errors does not fail the host', async () => {
    const { report } = await run(`
- hosts: all
  tasks:
    - shell: 'test {{ inventory_hostname }} != h1'
    - shell: exit 3
      ignore_errors: true
    - command: 'true'
`);
    const byName = Object.fromEntries(report.hosts.map((h) => [h.name, h]));
    assert.equal(byName.h1?.status, 'failed');
    assert.equal(byName.h1?.steps.length, 1);
    assert.equal(byName.h2?.status, 'changed');
    assert.equal(byName.h2?.steps.length, 3);
    assert.equal(byName.h2?.steps[1]?.ignored, true);
    assert.equal(byName.h2?.steps[1]?.exitCode, 3);
  });

  it('runs notified handlers once per host, in handler order, at the end of the play', async () => {
    const { events } = await run(`
- hosts: h1
  tasks:
    - { name: t1, command: 'true', notify: [second, first] }
    - { name: t2, command: 'true', notify: first }
    - { name: t3, debug: { msg: x } }
  handlers:
    - { name: first, debug: { msg: one } }
    - { name: second, debug: { msg: two } }
    - { name: third, debug: { msg: three } }
`, ['h1']);
    assert.deepEqual(results(events, 'h1'), ['t1:changed', 't2:changed', 't3:ok', 'first:ok', 'second:ok']);
  });

  it('check mode skips steps that cannot predict and runs read-only ones', async () => {
    const { events } = await run(`
- hosts: h1
  tasks:
    - { name: c, command: 'touch /nonexistent/should-not-run' }
    - { name: a, assert: { that: ansible_check_mode } }
`, ['h1'], { check: true });
    assert.deepEqual(results(events, 'h1'), ['c:skipped', 'a:ok']);
  });

  it('serial with max_fail_percentage stops the play when a batch crosses it', async () => {
    const { report, events } = await run(`
- hosts: all
  serial: 2
  max_fail_percentage: 49
  tasks:
    - shell: 'test {{ inventory_hostname }} != h3'
`, ['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
    const failedBatch = events.find((e) => e.type === 'batch-failed');
    assert.deepEqual(failedBatch && failedBatch.type === 'batch-failed' ? [failedBatch.batch, failedBatch.failed] : [], [2, 1]);
    assert.deepEqual(report.hosts.map((h) => h.status), ['changed', 'changed', 'failed', 'changed', 'not-reached', 'not-reached']);
    // ansible#82267: the batch that ends the run says so, and the hosts it left are listed with why
    assert.deepEqual(report.hosts.slice(4).map((h) => h.notReached), [{ reason: 'batch-failed', play: 'all' }, { reason: 'batch-failed', play: 'all' }]);
    assert.deepEqual([report.stopped?.reason, report.stopped?.batch, report.summary.notReached], ['batch-failed', 3, 2]);
    assert.match(report.stopped?.message ?? '', /^batch 2 of play 'all' failed: 1 of 2 hosts, more than max_fail_percentage 49%; the run ends$/);
  });

  it('serial and max_fail_percentage may be templates of -e vars', async () => {
    const { events } = await run(`
- hosts: all
  serial: "{{ batch | default(1) }}"
  max_fail_percentage: "{{ threshold }}"
  tasks:
    - shell: 'test {{ inventory_hostname }} != h1'
`, ['h1', 'h2', 'h3', 'h4'], { extraVars: { batch: '50%', threshold: 40 } });
    const batches = events.flatMap((e) => (e.type === 'batch-start' ? [e.hosts] : []));
    assert.deepEqual(batches, [['h1', 'h2']], 'batch 1 (50% of 4 hosts) fails 1 of 2 > 40%: batch 2 never starts');
    const failed = events.find((e) => e.type === 'batch-failed');
    assert.equal(failed?.type === 'batch-failed' ? failed.maxFailPercentage : undefined, 40);
  });

  it('a timeout ends the command and its children', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'remedy-engine-')), 'child.pid');
    const { report } = await run(`
- hosts: h1
  tasks:
    - shell: 'sleep 30 & echo $! > ${pidFile}; sleep 31; echo never'
      timeout: 1
`, ['h1']);
    const step = report.hosts[0]?.steps[0];
    assert.equal(step?.status, 'failed');
    assert.equal(step?.cause, 'timeout');
    const child = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(running(child), false, `background child ${child} must be gone (ps -p ${child})`);
  });

  it('retries until the condition holds', async () => {
    const { report } = await run(`
- hosts: h1
  tasks:
    - set_fact: { n: 0 }
    - shell: 'echo {{ inventory_hostname }}'
      register: r
      until: r.attempts >= 2
      retries: 3
      delay: 0
`, ['h1']);
    assert.equal(report.hosts[0]?.status, 'changed');
  });

  it('an undefined variable fails the task with the task position and cause', async () => {
    const { report } = await run(`
- hosts: h1
  tasks:
    - debug: { msg: "{{ nope }}" }
`, ['h1']);
    const step = report.hosts[0]?.steps[0];
    assert.equal(step?.cause, 'undefined-variable');
    assert.match(step?.message ?? '', /^play\.yml:4:\d+: .*undefined variable 'nope'/);
  });
});
