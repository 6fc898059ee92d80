import { strict as assert } from 'node:assert';
import type { HostReport, RebootReasonKind } from '../../src/model/results.js';
import { exitCodeFor } from '../../src/cli/exit-code.js';
import { db1, report, web01, web02 } from '../report/fixtures.js';

const okHost: HostReport = { ...web01, name: 'ok1', status: 'ok' };
const rebootOnly: HostReport = { ...web01, name: 'r1', status: 'changed', rebootRequired: true, rebootReasons: [{ kind: 'kernel' as RebootReasonKind, detail: 'old' }] };
const failed: HostReport = { ...web02, rebootRequired: false, rebootReasons: [] };
const broken: HostReport = {
  ...web02, name: 'b1', rebootRequired: false, rebootReasons: [],
  steps: [{ play: 'p', task: 't', status: 'failed', durationMs: 1, exitCode: null, message: "p.yml:3:7: undefined variable 'x'", cause: 'undefined-variable' }],
};
const left: HostReport = { ...web01, name: 'n1', status: 'not-reached', steps: [], notReached: { reason: 'deadline', play: 'p' } };
const locked: HostReport = { ...web01, name: 'l1', status: 'locked', steps: [], locked: { runId: 'r', controller: 'c', pid: 1, startedAt: 't' } };
const brokenIgnored: HostReport = { ...broken, name: 'b2', status: 'ok', steps: broken.steps.map((s) => ({ ...s, ignored: true })) };

describe('exitCodeFor', () => {
  const cases: Array<[string, HostReport[], boolean, number, boolean?]> = [
    ['all good', [okHost, web01], false, 0],
    ['all good, with --fail-on-reboot', [okHost, web01], true, 0],
    ['a host failed', [okHost, failed], false, 2],
    ['a host unreachable', [okHost, db1], false, 4],
    ['unreachable wins over failed', [failed, db1], false, 4],
    ['a reboot is needed, without --fail-on-reboot', [okHost, rebootOnly], false, 0],
    ['a reboot is needed, with --fail-on-reboot', [okHost, rebootOnly], true, 3],
    ['failed wins over reboot', [rebootOnly, failed], true, 2],
    ['unreachable wins over reboot', [rebootOnly, db1], true, 4],
    ['interrupted wins over everything', [failed, db1, rebootOnly], true, 130, true],
    ['interrupted with all good', [okHost], false, 130, true],
    ['a task failed on an undefined variable: the playbook is wrong, 5', [okHost, broken], false, 5],
    ['the playbook is wrong wins over unreachable', [broken, db1], false, 5],
    ['an ignored undefined variable does not count', [okHost, brokenIgnored], false, 0],
    ['no hosts at all', [], true, 0],
    ['a host not reached (the run stopped early): 6', [okHost, left], false, 6],
    ['a host locked by another run: 6', [okHost, locked], false, 6],
    ['not reached wins over unreachable, failed and reboot', [left, db1, failed, rebootOnly], true, 6],
    ['interrupted wins over not reached', [left], false, 130, true],
    ['the playbook is wrong wins over not reached', [broken, left], false, 5],
  ];
  for (const [what, hosts, failOnReboot, code, interrupted] of cases) {
    it(`${what}: ${code}`, () => {
      assert.equal(exitCodeFor(report(hosts, { interrupted: interrupted ?? false }), { failOnReboot }), code);
    });
  }

  it('trusts the summary when hosts were left out of the report', () => {
    const r = report([]);
    assert.equal(exitCodeFor({ ...r, summary: { ...r.summary, failed: 1 } }, { failOnReboot: false }), 2);
    assert.equal(exitCodeFor({ ...r, summary: { ...r.summary, unreachable: 1 } }, { failOnReboot: false }), 4);
    assert.equal(exitCodeFor({ ...r, summary: { ...r.summary, rebootRequired: ['x'] } }, { failOnReboot: true }), 3);
    assert.equal(exitCodeFor({ ...r, summary: { ...r.summary, notReached: 1 } }, { failOnReboot: false }), 6);
    assert.equal(exitCodeFor({ ...r, summary: { ...r.summary, locked: 1 } }, { failOnReboot: false }), 6);
  });

  it('a merged report with a shard missing: 6', () => {
    assert.equal(exitCodeFor(report([okHost], { shards: { count: 3, present: [1, 3] } }), { failOnReboot: false }), 6);
    assert.equal(exitCodeFor(report([okHost], { shards: { count: 3, present: [1, 2, 3] } }), { failOnReboot: false }), 0);
  });
});
