/**
 * A generated report of a large fleet (1,000 hosts by default) with the shapes a real patch window
 * produces, for the renderers' size and speed: most hosts changed or ok, some failed, unreachable or
 * lost in a reboot, a third needing a reboot, stale processes of every owner kind, a dozen steps each.
 * Deterministic (a fixed linear congruential sequence), so sizes compare between runs.
 */
import type { HostReport, ProcessOwner, RebootReasonKind, RunReport, StaleProcess, StepRecord } from '../../src/model/results.js';
import { report } from './fixtures.js';

const OWNERS: ProcessOwner[] = [
  { kind: 'systemd-unit', name: 'nginx.service' }, { kind: 'systemd-unit', name: 'postgresql@15-main.service' },
  { kind: 'init-script', name: 'remedy-labd' }, { kind: 'xinetd', name: 'imap' }, { kind: 'session', name: 'session-42.scope' },
  { kind: 'user', name: 'deploy' }, { kind: 'unknown', name: '' },
];
const TASKS = [
  'Gather facts (stale processes, owners, kernel, reboot hints)', 'Restart services whose processes run replaced code',
  'Restart SysV services', 'End old xinetd sessions (TERM, then KILL)', 'Report user applications still running old code',
  'Re-execute systemd', 'Reboot and wait for a new boot id', 'Check again after the reboot', 'Say whether a reboot is still required',
  'Verify sshd answers', 'Restart the application pool', 'Record the patch window',
];

export function fleetReport(count = 1000): RunReport {
  let seed = 12345;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor(seed / 65536) % n; // the high bits: an LCG's low bits repeat with a short period
  };
  const hosts: HostReport[] = [];
  for (let i = 0; i < count; i++) {
    const name = `web${String(i).padStart(4, '0')}.dc${i % 3}.example.org`;
    const roll = next(100);
    const status: HostReport['status'] = roll < 5 ? 'failed' : roll < 8 ? 'unreachable' : roll < 60 ? 'changed' : 'ok';
    const lost = roll < 2;
    const reboot = status !== 'unreachable' && next(3) === 0;
    const stale: StaleProcess[] = status === 'unreachable' ? [] : Array.from({ length: next(9) }, (_, k) => {
      const owner = OWNERS[next(OWNERS.length)]!;
      return { pid: 1000 + k * 7 + next(50), command: owner.kind === 'user' ? 'java' : 'nginx', user: owner.kind === 'user' ? 'deploy' : 'www-data', owner, files: ['/usr/lib/x86_64-linux-gnu/libssl.so.3 (deleted)', '/usr/lib/x86_64-linux-gnu/libcrypto.so.3 (deleted)'].slice(0, 1 + next(2)) };
    });
    const steps: StepRecord[] = status === 'unreachable' ? [] : TASKS.map((task, k) => {
      const failing = status === 'failed' && k === (lost ? 6 : 1);
      const play = k < 6 ? 'Restart what runs old code' : 'Reboot the hosts that run an old kernel or core library';
      if (failing && lost) return { play, task, status: 'failed', durationMs: 600_000, exitCode: null, cause: 'reboot-timeout', message: `the host did not come back within 600s after the reboot (last: connect ECONNREFUSED 10.0.${i % 250}.${k}:22)` };
      if (failing) return { play, task, status: 'failed', durationMs: 2100, exitCode: 1, cause: 'exit-code', message: 'Job for nginx.service failed because the control process exited with error code.\nSee "systemctl status nginx.service" and "journalctl -xeu nginx.service" for details.' };
      return { play, task, status: k % 4 === 1 && status === 'changed' ? 'changed' : k === 6 ? 'skipped' : 'ok', durationMs: 50 + next(3000), exitCode: k === 6 ? null : 0, message: k === 8 ? (reboot ? 'reboot required: kernel' : 'no reboot needed') : '' };
    });
    hosts.push({
      name, address: `10.0.${Math.floor(i / 250)}.${i % 250}`, status, rebootRequired: reboot,
      rebootReasons: reboot ? [{ kind: 'kernel' as RebootReasonKind, detail: 'running 6.1.0-18-amd64, newest installed 6.1.0-21-amd64' }, ...(next(2) ? [{ kind: 'core-package' as RebootReasonKind, detail: 'libc6 2.36-9+deb12u7 installed after boot' }] : [])] : [],
      restarted: status === 'changed' ? ['nginx.service', 'ssh.service'].slice(0, 1 + next(2)) : [],
      killed: status === 'changed' && next(4) === 0 ? [{ pid: 4000 + i, command: 'in.imapd', signal: 'TERM' }] : [],
      stale, steps,
      ...(status === 'unreachable' ? { unreachable: { kind: 'timeout', message: `connect ETIMEDOUT 10.0.${Math.floor(i / 250)}.${i % 250}:22` } } : {}),
    });
  }
  return report(hosts, { playbooks: ['playbooks/apply-errata.yml'], finishedAt: '2026-11-21T20:41:07.512Z' });
}
