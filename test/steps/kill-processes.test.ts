import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { planKillProcesses, protectedPids } from '../../src/steps/kill-processes.js';
import { parseProcScan } from '../../src/facts/process-list.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/**
 * Captured on a systemd lab host: the step's own sh (806) under bash -c (706) under the connection's
 * sshd (704); a TERM-ignoring `remedy-victim-b` (600), remedy-user's remedy-lab-app (601) whose library
 * was replaced, and an imapd session (160) whose binary was replaced.
 */
describe('steps/kill_processes: parse and plan real output', () => {
  const scan = parseProcScan(fixture('kill-scan-systemd.txt'));

  it('parses self, the uid of the user asked for, every process and the deleted files', () => {
    assert.equal(scan.self, 806);
    assert.equal(scan.uid, 1500);
    assert.equal(scan.procs.length, 14);
    const app = scan.procs.find((p) => p.pid === 601);
    assert.deepEqual(app && [app.ppid, app.uid, app.comm, app.cmdline, app.kthread], [1, 1500, 'remedy-lab-app', '/usr/local/bin/remedy-lab-app', false]);
    assert.deepEqual(scan.stale.get(601), ['/usr/lib/remedy-lab/libremedy-app.so.1']);
    assert.deepEqual(scan.stale.get(160), ['/usr/local/libexec/remedy-lab/remedy-imapd']);
  });

  it('protects PID 1, its own shell and the chain up to the sshd of this connection', () => {
    const keep = protectedPids(scan);
    for (const pid of [1, 806, 706, 704, 42]) assert.ok(keep.has(pid), `pid ${pid} protected`);
    for (const pid of [600, 601, 160, 54]) assert.ok(!keep.has(pid), `pid ${pid} not protected`);
  });

  it('a pattern that matches its own command line selects nothing of its own', () => {
    assert.deepEqual(planKillProcesses(scan, { pattern: '__REMEDY_SCRIPT_EOF__' }), []);
    assert.deepEqual(planKillProcesses(scan, { pattern: 'sh -s --' }), []);
  });

  it('by pids: exactly those, still minus the protected ones, combined with the other selectors', () => {
    assert.deepEqual(planKillProcesses(scan, { pids: [601, 160, 806, 1] }).map((t) => t.pid), [160, 601]);
    assert.deepEqual(planKillProcesses(scan, { pids: ['601', 160], user: 'remedy-user' }).map((t) => t.pid), [601]);
    assert.deepEqual(planKillProcesses(scan, { pids: [600, 601], only_stale: true }).map((t) => t.pid), [601]);
    assert.deepEqual(planKillProcesses(scan, { pids: [] }), []);
  });

  it('by name, neither the sshd of this connection nor its listener (an ancestor) is selected', () => {
    assert.deepEqual(planKillProcesses(scan, { name: 'sshd' }), []);
  });

  it('by pattern (JS regex on the full command line)', () => {
    assert.deepEqual(planKillProcesses(scan, { pattern: '^remedy-victim-[ab] ' }).map((t) => [t.pid, t.start]), [[600, 1136136]]);
  });

  it('by name and user', () => {
    assert.deepEqual(planKillProcesses(scan, { name: 'remedy-lab-app', user: 'remedy-user' }).map((t) => t.pid), [601]);
    assert.deepEqual(planKillProcesses({ ...scan, uid: 0 }, { name: 'remedy-lab-app', user: 'root' }), []);
  });

  it('only_stale keeps the processes that map deleted files', () => {
    const t = planKillProcesses(scan, { pattern: 'remedy', only_stale: true });
    assert.deepEqual(t.map((x) => x.pid), [160, 601]);
    assert.deepEqual(t[1]!.files, ['/usr/lib/remedy-lab/libremedy-app.so.1']);
  });

  it('skips kernel threads and zombies', () => {
    const s = parseProcScan('self\t50\nproc\t2\t0\t0\t1\tS\t1\tkthreadd\t\nproc\t3\t1\t0\t1\tZ\t0\tvictim\t\nproc\t4\t1\t0\t1\tS\t0\tvictim\tvictim\n');
    assert.deepEqual(planKillProcesses(s, { name: 'kthreadd' }), []);
    assert.deepEqual(planKillProcesses(s, { name: 'victim' }).map((t) => t.pid), [4]);
  });

  it('matches a long name against the 15 characters the kernel keeps', () => {
    const s = parseProcScan('self\t50\nproc\t7\t1\t0\t1\tS\t0\tsystemd-journal\t/lib/systemd/systemd-journald\n');
    assert.deepEqual(planKillProcesses(s, { name: 'systemd-journald' }).map((t) => t.pid), [7]);
  });

  it('an unknown user parses as null', () => {
    assert.equal(parseProcScan('self\t1\nuid\t\n').uid, null);
  });
});
