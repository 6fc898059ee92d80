import { strict as assert } from 'node:assert';
import { createServer, type Socket } from 'node:net';
import { runPlaybooks, type RunOptions } from '../../src/engine/index.js';
import { parseInventoryText } from '../../src/inventory/index.js';
import { parsePlaybookText } from '../../src/config/load-playbook.js';
import { createTransport } from '../../src/transport/index.js';
import type { RunEvent } from '../../src/model/events.js';
import type { RunReport } from '../../src/model/results.js';
import { compiledSchema } from '../../src/config/schema.js';

/** A loopback port nothing listens on: connecting is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Local "hosts" (this machine); names starting with "down" are SSH hosts on a closed port: unreachable. */
async function run(yaml: string, names: string[], extra: Partial<RunOptions> = {}, onEvent?: (e: RunEvent) => void): Promise<{ report: RunReport; events: RunEvent[] }> {
  const port = await closedPort();
  const hosts = names.map((n) => (n.startsWith('down') ? `    ${n}: { ansible_host: 127.0.0.1, ansible_port: ${port} }` : `    ${n}: { ansible_connection: local }`));
  const events: RunEvent[] = [];
  const report = await runPlaybooks({
    playbooks: [parsePlaybookText('window.yml', yaml)],
    inventory: parseInventoryText('inv.yml', `all:\n  hosts:\n${hosts.join('\n')}\n`),
    transportFor: (spec) => createTransport(spec, { sshConfig: null }),
    ...extra,
  }, (e) => { events.push(e); onEvent?.(e); });
  const validate = compiledSchema('report');
  assert.ok(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors));
  return { report, events };
}

const statuses = (r: RunReport): Record<string, string> => Object.fromEntries(r.hosts.map((h) => [h.name, h.status]));
const batches = (events: RunEvent[]): string[][] => events.flatMap((e) => (e.type === 'batch-start' ? [e.hosts] : []));

const FAIL_H1 = `
- name: rollout
  hosts: all
  serial: 2
  tasks:
    - shell: 'test {{ inventory_hostname }} != h1'
`;

describe('the patch window: --deadline and --max-fail (engine, local connection)', function () {
  this.timeout(60_000);

  it('--deadline already past: no batch starts; every host is not reached, with the reason', async () => {
    const { report, events } = await run('- name: p\n  hosts: all\n  tasks:\n    - command: "true"\n', ['h1', 'h2'], { deadline: new Date(Date.now() - 1000) });
    assert.deepEqual(statuses(report), { h1: 'not-reached', h2: 'not-reached' });
    assert.deepEqual(report.hosts.map((h) => [h.notReached, h.steps.length]), [[{ reason: 'deadline', play: 'p' }, 0], [{ reason: 'deadline', play: 'p' }, 0]]);
    assert.equal(report.stopped?.reason, 'deadline');
    assert.equal(report.stopped?.batch, undefined, 'stopped before the play');
    assert.match(report.stopped!.message, /^--deadline \S+ passed; play 'p' did not start$/);
    assert.equal(report.deadline, report.stopped!.message.split(' ')[1]);
    assert.deepEqual(events.filter((e) => e.type === 'play-start'), [], 'the play did not even start');
    const stopped = events.find((e) => e.type === 'run-stopped');
    assert.deepEqual(stopped?.type === 'run-stopped' ? stopped.notReached : [], ['h1', 'h2']);
    assert.equal(report.summary.notReached, 2);
  });

  it('--deadline between batches: the running batch finishes, the next does not start, later plays neither', async () => {
    const deadline = new Date(Date.now() + 3000);
    // Batch 1's task ends after the deadline whatever the machine's speed: it waits for it.
    const { report, events } = await run(`
- name: rollout
  hosts: all
  serial: 1
  tasks:
    - shell: 'while [ "$(date +%s%3N)" -le ${deadline.getTime()} ]; do sleep 0.1; done'
- name: after
  hosts: all
  tasks:
    - command: 'true'
`, ['h1', 'h2', 'h3'], { deadline });
    assert.deepEqual(batches(events), [['h1']]);
    assert.deepEqual(statuses(report), { h1: 'not-reached', h2: 'not-reached', h3: 'not-reached' });
    assert.deepEqual(report.hosts.map((h) => h.notReached), [{ reason: 'deadline', play: 'after' }, { reason: 'deadline', play: 'rollout' }, { reason: 'deadline', play: 'rollout' }]);
    assert.deepEqual(report.hosts[0]!.steps.map((s) => s.status), ['changed'], 'the running step finished');
    assert.deepEqual([report.stopped?.play, report.stopped?.batch], ['rollout', 2]);
  });

  it('a deadline that does not pass changes nothing', async () => {
    const { report } = await run(FAIL_H1.replace('h1', 'nobody'), ['h1', 'h2', 'h3'], { deadline: new Date(Date.now() + 3_600_000) });
    assert.deepEqual(statuses(report), { h1: 'changed', h2: 'changed', h3: 'changed' });
    assert.equal(report.stopped, undefined);
  });

  it('--max-fail N: more than N failed hosts stops the rollout before the next batch', async () => {
    const { report, events } = await run(FAIL_H1, ['h1', 'h2', 'h3', 'h4', 'h5'], { maxFail: { value: 0, unit: 'hosts' } });
    assert.deepEqual(batches(events), [['h1', 'h2']]);
    assert.deepEqual(statuses(report), { h1: 'failed', h2: 'changed', h3: 'not-reached', h4: 'not-reached', h5: 'not-reached' });
    assert.deepEqual(report.maxFail, { value: 0, unit: 'hosts', failed: 1, crossed: true });
    assert.equal(report.stopped?.reason, 'max-fail');
    assert.equal(report.stopped?.message, "--max-fail: 1 of 5 hosts failed or were unreachable, more than 0 hosts; batch 2 of play 'rollout' did not start");
    const again = await run(FAIL_H1, ['h1', 'h2', 'h3', 'h4', 'h5'], { maxFail: { value: 1, unit: 'hosts' } });
    assert.equal(again.report.stopped, undefined, '1 is not more than 1');
    assert.deepEqual(again.report.maxFail, { value: 1, unit: 'hosts', failed: 1, crossed: false });
  });

  it('--max-fail P%: strictly more than P percent of the run\'s hosts (as max_fail_percentage)', async () => {
    const four = ['h1', 'h2', 'h3', 'h4'];
    const at25 = await run(FAIL_H1, four, { maxFail: { value: 25, unit: 'percent' } });
    assert.deepEqual(statuses(at25.report), { h1: 'failed', h2: 'changed', h3: 'changed', h4: 'changed' }, '1 of 4 is 25%, not more');
    const below = await run(FAIL_H1, four, { maxFail: { value: 24.9, unit: 'percent' } });
    assert.deepEqual(statuses(below.report), { h1: 'failed', h2: 'changed', h3: 'not-reached', h4: 'not-reached' });
  });

  it('--max-fail counts an unreachable host (ansible#56265), and counts over plays', async () => {
    const yaml = `
- name: first
  hosts: all
  tasks:
    - command: 'true'
- name: second
  hosts: all
  serial: 1
  tasks:
    - command: 'true'
`;
    const { report, events } = await run(yaml, ['down1', 'h2', 'h3'], { maxFail: { value: 0, unit: 'hosts' } });
    assert.deepEqual(statuses(report), { down1: 'unreachable', h2: 'not-reached', h3: 'not-reached' });
    assert.deepEqual(report.hosts.slice(1).map((h) => h.notReached), [{ reason: 'max-fail', play: 'second' }, { reason: 'max-fail', play: 'second' }]);
    assert.deepEqual(events.filter((e) => e.type === 'play-start').map((e) => e.type === 'play-start' && e.play), ['first']);
    assert.equal(report.stopped?.message, "--max-fail: 1 of 3 hosts failed or were unreachable, more than 0 hosts; play 'second' did not start");
    // Without the budget the same run goes on: the unreachable host alone does not stop it.
    const without = await run(yaml, ['down1', 'h2', 'h3']);
    assert.deepEqual(statuses(without.report), { down1: 'unreachable', h2: 'changed', h3: 'changed' });
  });

  it('a play\'s max_fail_percentage keeps its per-batch meaning beside --max-fail', async () => {
    const yaml = FAIL_H1.replace('serial: 2', 'serial: 2\n  max_fail_percentage: 0');
    const { report, events } = await run(yaml, ['h1', 'h2', 'h3', 'h4'], { maxFail: { value: 3, unit: 'hosts' } });
    assert.ok(events.some((e) => e.type === 'batch-failed'));
    assert.deepEqual(statuses(report), { h1: 'failed', h2: 'changed', h3: 'not-reached', h4: 'not-reached' });
    assert.deepEqual([report.stopped?.reason, report.maxFail?.crossed], ['batch-failed', false]);
  });

  it('a batch that fails as the run\'s last one leaves nobody out: no stop is recorded', async () => {
    const { report } = await run('- hosts: all\n  serial: 1\n  tasks:\n    - shell: "test {{ inventory_hostname }} != h2"\n', ['h1', 'h2']);
    assert.deepEqual(statuses(report), { h1: 'changed', h2: 'failed' });
    assert.equal(report.stopped, undefined);
  });

  it('an interrupt during a batch: the batch finishes, the rest is not reached (reason interrupted)', async () => {
    const stop = new AbortController();
    const { report } = await run('- name: rollout\n  hosts: all\n  serial: 1\n  tasks:\n    - command: "true"\n', ['h1', 'h2', 'h3'],
      { stop: stop.signal, runId: 'fixed-id' }, (e) => { if (e.type === 'task-result' && e.host === 'h1') stop.abort(); });
    assert.deepEqual(statuses(report), { h1: 'changed', h2: 'not-reached', h3: 'not-reached' });
    assert.deepEqual([report.interrupted, report.stopped?.reason, report.hosts[1]!.notReached?.reason, report.runId], [true, 'interrupted', 'interrupted', 'fixed-id']);
  });

  it('an interrupt inside a batch: hosts left with a task, a next task or a notified handler are not reached; a host that finished is not', async () => {
    const stop = new AbortController();
    const yaml = [
      '- name: rollout', '  hosts: all', '  tasks:',
      '    - { name: one, command: "true", notify: [again] }',
      '    - { name: two, command: "true", when: "inventory_hostname == \'h1\'" }',
      '  handlers:', '    - { name: again, command: "true" }', '',
    ].join('\n');
    // forks 1: h1 then h2 run task one; the interrupt comes when h1 finished it
    const { report } = await run(yaml, ['h1', 'h2'], { stop: stop.signal, forks: 1 },
      (e) => { if (e.type === 'task-result' && e.host === 'h1') stop.abort('SIGINT'); });
    assert.deepEqual(statuses(report), { h1: 'not-reached', h2: 'not-reached' });
    assert.deepEqual(report.hosts.map((h) => [h.steps.length, h.notReached?.reason]), [[1, 'interrupted'], [0, 'interrupted']]);
    assert.match(report.stopped?.message ?? '', /interrupted during play 'rollout'/);
    // the same interrupt after the last task and handler: nobody is left half-done
    const late = new AbortController();
    const done = await run('- name: rollout\n  hosts: all\n  tasks:\n    - command: "true"\n', ['h1'], { stop: late.signal },
      (e) => { if (e.type === 'task-result') late.abort('SIGINT'); });
    assert.deepEqual([statuses(done.report), done.report.hosts[0]!.notReached], [{ h1: 'changed' }, undefined]);
  });
  it('an interrupt while a host is still connecting (a port that never answers): the handshake ends at once, the host is not reached and says it was connecting', async () => {
    const sockets: Socket[] = [];
    // accepts TCP, never speaks SSH, and never answers the client's end (half-open, as a stuck server)
    const silent = createServer({ allowHalfOpen: true }, (sock) => { sock.on('error', () => undefined).resume(); sockets.push(sock); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const stop = new AbortController();
    const yaml = '- name: rollout\n  hosts: all\n  strategy: free\n  tasks:\n    - command: "true"\n    - command: "true"\n';
    const inventory = `all:\n  hosts:\n    quick: { ansible_connection: local }\n    mute: { ansible_host: 127.0.0.1, ansible_port: ${port}, ansible_timeout: 600 }\n`;
    try {
      let quickDone = 0;
      const report = await runPlaybooks({
        playbooks: [parsePlaybookText('window.yml', yaml)],
        inventory: parseInventoryText('inv.yml', inventory),
        transportFor: (spec) => createTransport(spec, { sshConfig: null }),
        stop: stop.signal,
      }, (e) => {
        if (e.type !== 'task-result' || e.host !== 'quick' || ++quickDone !== 2) return;
        // once the silent server holds the handshake's connection
        const poll = setInterval(() => { if (sockets.length > 0) { clearInterval(poll); stop.abort('SIGINT'); } }, 10);
      });
      assert.deepEqual(statuses(report), { quick: 'changed', mute: 'not-reached' });
      const mute = report.hosts[1]!;
      assert.deepEqual([mute.notReached?.reason, mute.unreachable, mute.steps.map((s) => [s.status, s.cause])], ['interrupted', undefined, [['skipped', 'aborted']]]);
      assert.match(mute.steps[0]!.message, /^interrupted by SIGINT while connecting \(the SSH handshake had not completed\): nothing ran on the host$/);
      assert.equal(report.interrupted, true);
      // the handshake's socket is gone on remedy's side (not left ended, waiting out the 600 s timeout):
      // bytes sent to it are answered with a reset, and the server's end closes
      assert.equal(sockets.length, 1);
      const server = sockets[0]!;
      await new Promise<void>((resolve) => {
        const poke = setInterval(() => (server.destroyed ? (clearInterval(poke), resolve()) : server.write('x')), 50);
      });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
