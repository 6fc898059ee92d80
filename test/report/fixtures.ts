import type { RunEvent } from '../../src/model/events.js';
import type { HostReport, RebootReasonKind, RunReport, StepResult } from '../../src/model/results.js';

export function step(status: StepResult['status'], extra: Partial<StepResult> = {}): StepResult {
  return { status, changed: status === 'changed', stdout: '', stderr: '', durationMs: 300, ...extra };
}

function host(name: string, extra: Partial<HostReport>): HostReport {
  return {
    name, address: name, status: 'ok', rebootRequired: false, rebootReasons: [],
    restarted: [], killed: [], stale: [], steps: [], ...extra,
  };
}

export const web01 = host('web01', {
  address: '192.0.2.1',
  status: 'changed',
  restarted: ['sshd.service'],
  stale: [],
  steps: [
    { play: 'services', task: 'scan', status: 'ok', durationMs: 120, exitCode: 0, message: '' },
    { play: 'services', task: 'restart sshd', status: 'changed', durationMs: 300, exitCode: 0, message: '' },
    { play: 'services', task: 'only on db', status: 'skipped', durationMs: 0, exitCode: null, message: 'when: false' },
    { play: 'services', task: 'reload', status: 'changed', durationMs: 50, exitCode: 0, message: '' },
  ],
});

export const web02 = host('web02', {
  address: '192.0.2.2',
  status: 'failed',
  rebootRequired: true,
  rebootReasons: [
    { kind: 'kernel' as RebootReasonKind, detail: 'running 6.1.0-1, newest installed 6.1.0-9' },
    { kind: 'core-package', detail: 'glibc updated after boot' },
  ],
  killed: [{ pid: 4242, command: 'in.telnetd', signal: 'KILL' }],
  stale: [{ pid: 777, command: 'java', user: 'app', owner: { kind: 'user', name: 'app' }, files: ['/usr/lib/libssl.so.3 (deleted)'] }],
  steps: [
    { play: 'services', task: 'scan', status: 'ok', durationMs: 130, exitCode: 0, message: '' },
    { play: 'services', task: 'restart sshd', status: 'failed', durationMs: 210, exitCode: 1, message: 'exit code 1', cause: 'exit-code' },
    { play: 'services', task: 'optional', status: 'failed', durationMs: 10, exitCode: 3, message: 'exit code 3', cause: 'exit-code', ignored: true },
  ],
});

export const db1 = host('db1', {
  address: '192.0.2.3',
  status: 'unreachable',
  unreachable: { kind: 'connection-refused', message: 'connect ECONNREFUSED 192.0.2.3:22' },
});

export function report(hosts: HostReport[] = [web01, web02, db1], extra: Partial<RunReport> = {}): RunReport {
  const by = (s: HostReport['status']): number => hosts.filter((h) => h.status === s).length;
  return {
    version: 1,
    startedAt: '2026-11-21T20:00:00.000Z',
    finishedAt: '2026-11-21T20:00:12.300Z',
    playbooks: ['playbooks/services.yml'],
    check: false,
    interrupted: false,
    hosts,
    summary: {
      hosts: hosts.length, ok: by('ok'), changed: by('changed'), failed: by('failed'), unreachable: by('unreachable'),
      rebootRequired: hosts.filter((h) => h.rebootRequired).map((h) => h.name),
    },
    ...extra,
  };
}

/** A whole run as the engine would emit it: three hosts, one play, a handler, a warning. */
export function scriptedEvents(): RunEvent[] {
  const play = 'services';
  const full = report();
  return [
    { type: 'run-start', playbooks: ['playbooks/services.yml'], hosts: ['web01', 'web02', 'db1'], check: false, forks: 20 },
    { type: 'play-start', play, hosts: ['web01', 'web02', 'db1'] },
    { type: 'batch-start', play, batch: 1, hosts: ['web01', 'web02', 'db1'] },
    { type: 'host-unreachable', host: 'db1', kind: 'connection-refused', message: 'connect ECONNREFUSED 192.0.2.3:22' },
    { type: 'task-start', play, host: 'web01', task: 'scan', handler: false },
    { type: 'task-start', play, host: 'web02', task: 'scan', handler: false },
    { type: 'task-result', play, host: 'web01', task: 'scan', handler: false, result: step('ok', { durationMs: 120, stdout: 'sshd 812\n' }) },
    { type: 'task-result', play, host: 'web02', task: 'scan', handler: false, result: step('ok', { durationMs: 130 }) },
    { type: 'task-result', play, host: 'web01', task: 'restart sshd', handler: false, result: step('changed', { exitCode: 0 }) },
    {
      type: 'task-result', play, host: 'web02', task: 'restart sshd', handler: false,
      result: step('failed', {
        exitCode: 1, durationMs: 210, message: 'exit code 1',
        stderr: 'Job for sshd.service failed.\nSee "systemctl status sshd.service" for details.\n',
      }),
    },
    { type: 'task-result', play, host: 'web01', task: 'only on db', handler: false, result: step('skipped', { durationMs: 0, message: 'when: false' }) },
    { type: 'warning', host: 'web02', message: 'stale process 777 (java) has no owner to restart' },
    { type: 'task-result', play, host: 'web01', task: 'reload', handler: true, result: step('changed', { durationMs: 50 }) },
    { type: 'play-end', play },
    { type: 'host-end', host: web01 },
    { type: 'host-end', host: web02 },
    { type: 'host-end', host: db1 },
    { type: 'warning', message: 'no playbook restarted xinetd' },
    { type: 'run-end', report: full },
  ];
}

/** A host rebooted by the kernel play that never came back (the reboot step's wait ran out). */
export const web03 = host('web03', {
  address: '192.0.2.4',
  status: 'failed',
  rebootRequired: true,
  rebootReasons: [{ kind: 'kernel' as RebootReasonKind, detail: 'running 6.1.0-1, newest installed 6.1.0-9' }],
  stale: [
    { pid: 812, command: 'sshd', user: 'root', owner: { kind: 'systemd-unit', name: 'ssh.service' }, files: ['/usr/lib/x86_64-linux-gnu/libcrypto.so.3 (deleted)', '/usr/sbin/sshd (deleted)'] },
    { pid: 990, command: 'in.imapd', user: 'nobody', owner: { kind: 'xinetd', name: 'imap' }, files: ['/usr/lib/libwrap.so.0 (deleted)'] },
  ],
  steps: [
    { play: 'kernel', task: 'Gather facts', status: 'ok', durationMs: 240, exitCode: 0, message: '' },
    { play: 'kernel', task: 'Reboot and wait for a new boot id', status: 'failed', durationMs: 30_000, exitCode: null, message: 'the host did not come back within 30s after the reboot (last: connect ECONNREFUSED 192.0.2.4:22)', cause: 'reboot-timeout' },
  ],
});

/** The run a patch window ends with: changed, failed, unreachable and never-came-back hosts. */
export function windowReport(extra: Partial<RunReport> = {}): RunReport {
  return report([web01, web02, db1, web03], { playbooks: ['playbooks/services.yml', 'playbooks/kernel.yml'], ...extra });
}

/**
 * A host whose every text field holds what a hostile or broken host could print: markup, Markdown,
 * terminal escapes, control characters, quotes, a lone surrogate, CDATA ends, template syntax,
 * a mention and a link. Renderers must show it as text and stay valid.
 */
export const HOSTILE_TEXT = '<script>alert(1)</script><img src=x onerror=alert(2)> ]]> "q" \'s\' & | *b* _i_ `c` [l](http://evil.example) @team #1 $x$ {{ 7*7 }} \u001b[31mred\u001b[0m \u0007bell \ud800 x\\y %0A';

export const hostile = host('evil"<01>', {
  address: HOSTILE_TEXT,
  status: 'failed',
  rebootRequired: true,
  // A report read from a file may hold any text: the kind too.
  rebootReasons: [{ kind: 'kernel"<x>' as RebootReasonKind, detail: HOSTILE_TEXT }],
  restarted: [HOSTILE_TEXT],
  killed: [{ pid: 5, command: HOSTILE_TEXT, signal: 'KILL' }],
  stale: [{ pid: 6, command: HOSTILE_TEXT, user: HOSTILE_TEXT, owner: { kind: 'user', name: HOSTILE_TEXT }, files: [HOSTILE_TEXT, `${HOSTILE_TEXT}\nsecond line`] }],
  steps: [{ play: HOSTILE_TEXT, task: HOSTILE_TEXT, status: 'failed', durationMs: 5, exitCode: 1, message: `${HOSTILE_TEXT}\nline two`, cause: 'exit-code' }],
});

/** A host another run held the lock of: this run left it alone. */
export const lockedHost = host('web04', {
  address: '192.0.2.5',
  status: 'locked',
  locked: { runId: '0b5d7f4e-1111-4c2a-9d1e-5a7e2b9c0001', controller: 'ci-runner-7', pid: 4242, startedAt: '2026-11-21T19:58:00.000Z' },
  steps: [{ play: 'services', task: 'scan', status: 'skipped', durationMs: 40, exitCode: null, message: 'locked by run 0b5d7f4e-1111-4c2a-9d1e-5a7e2b9c0001 from ci-runner-7 (pid 4242) since 2026-11-21T19:58:00.000Z: left alone', cause: 'locked' }],
});

/** Hosts of batches that did not start: the --deadline passed. */
export const notReachedHosts = ['web05', 'web06'].map((name, i) => host(name, {
  address: `192.0.2.${6 + i}`,
  status: 'not-reached',
  notReached: { reason: 'deadline', play: 'services' },
}));

/** A window that closed: a changed host, a failed one, a locked one, and two the deadline left. */
export function stoppedReport(): RunReport {
  const hosts = [web01, web02, lockedHost, ...notReachedHosts];
  const r = report(hosts, {
    runId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    deadline: '2026-11-21T20:00:10.000Z',
    maxFail: { value: 2, unit: 'hosts', failed: 1, crossed: false },
    stopped: { reason: 'deadline', message: "--deadline 2026-11-21T20:00:10.000Z passed; batch 3 of play 'services' did not start", play: 'services', batch: 3, at: '2026-11-21T20:00:11.000Z' },
  });
  return { ...r, summary: { ...r.summary, locked: 1, notReached: 2 } };
}
