import { strict as assert } from 'node:assert';
import type { HostReport, StepCause } from '../../src/model/results.js';
import { countHosts, hostProblem, problemHosts, rebootState, runTitle } from '../../src/report/host-outcome.js';
import { db1, report, web01, web02, web03, windowReport } from './fixtures.js';

const failedStep = (cause: string | undefined, message: string): HostReport['steps'][number] =>
  ({ play: 'p', task: 't', status: 'failed', durationMs: 1, exitCode: null, message, ...(cause ? { cause: cause as StepCause } : {}) });

describe('host outcome (what every report format says about a host)', () => {
  it('classifies failed, unreachable and never-came-back hosts, with the failed task and reason', () => {
    assert.equal(hostProblem(web01), undefined);
    assert.deepEqual(hostProblem(web02), { kind: 'failed', cause: 'exit-code', message: 'exit code 1', task: 'restart sshd', play: 'services' });
    assert.deepEqual(hostProblem(db1), { kind: 'unreachable', cause: 'connection-refused', message: 'connect ECONNREFUSED 192.0.2.3:22' });
    assert.equal(hostProblem(web03)?.kind, 'lost-in-reboot');
    assert.equal(hostProblem(web03)?.cause, 'reboot-timeout');
  });

  it('a reboot whose host is gone for another reason (host key, auth) is lost by its message; other reboot failures are failures', () => {
    const gone = { ...web03, steps: [failedStep('auth-failed', 'the host did not come back after the reboot: auth failed')] };
    assert.equal(hostProblem(gone)?.kind, 'lost-in-reboot');
    assert.equal(hostProblem({ ...web03, steps: [failedStep('host-gone', 'x')] })?.kind, 'lost-in-reboot');
    const testFailed = { ...web03, steps: [failedStep('test-command-failed', 'rebooted, but the test command failed')] };
    assert.equal(hostProblem(testFailed)?.kind, 'failed');
  });

  it('a host unreachable in the middle of the run (no unreachable record) takes the reason from its step', () => {
    const lost: HostReport = { ...web01, status: 'unreachable', steps: [{ play: 'p', task: 'restart', status: 'unreachable', durationMs: 5, exitCode: null, message: 'connection lost', cause: 'connection-lost' }] };
    assert.deepEqual(hostProblem(lost), { kind: 'unreachable', cause: 'connection-lost', message: 'connection lost', task: 'restart', play: 'p' });
    assert.deepEqual(hostProblem({ ...web02, steps: [] }), { kind: 'failed', cause: 'failed', message: '' });
  });

  it('counts, reboot state and the order of the attention list (lost, failed, unreachable)', () => {
    const r = windowReport();
    assert.deepEqual(countHosts(r), { hosts: 4, ok: 0, changed: 1, skipped: 0, failed: 2, unreachable: 1, locked: 0, notReached: 0, lostInReboot: 1, rebootRequired: 2, staleProcesses: 3 });
    assert.deepEqual(problemHosts(r).map((p) => p.host.name), ['web03', 'web02', 'db1']);
    assert.deepEqual([web01, web02, db1].map(rebootState), ['no', 'yes', 'unknown']);
    assert.equal(runTitle(r), 'services.yml, kernel.yml');
    assert.equal(runTitle(report([], { playbooks: [] })), 'remedy');
  });
});
