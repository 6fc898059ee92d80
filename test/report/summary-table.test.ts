import { strict as assert } from 'node:assert';
import type { HostReport, RebootReasonKind } from '../../src/model/results.js';
import { renderSummaryTable } from '../../src/report/summary-table.js';
import { db1, report, web01, web02 } from './fixtures.js';

const SGR = /\u001b\[[0-9;]*m/g;

describe('summary table', () => {
  it('renders one aligned row per host and a totals line', () => {
    assert.equal(renderSummaryTable(report(), { color: false, width: 200 }), [
      'HOST   OK  CHANGED  FAILED  UNREACHABLE             RESTARTED  KILLED  STALE  REBOOT',
      'web01   1        2       0  0                               1       0      0  no',
      'web02   1        0       1  0                               0       1      1  yes (kernel: running 6.1.0-1, newest installed 6.1.0-9; core-package: glibc updated after boot)',
      'db1     0        0       0  1 (connection-refused)          0       0      0  unknown',
      'TOTAL 3 hosts, 0 ok, 1 changed, 1 failed, 1 unreachable; reboot required: web02',
      '',
    ].join('\n'));
  });

  it('fits a narrow terminal: short headers, cut cells, totals kept whole', () => {
    const longName: HostReport = { ...web01, name: 'a-very-long-host-name-in-a-big-datacenter.example.com' };
    const lines = renderSummaryTable(report([longName, web02, db1]), { color: false, width: 60 }).trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 4), [
      'HOST      OK  CHG  FAIL  UNREACH  RESTART  KILL  STALE  REBOOT',
      'a-very-…   1    2     0  0              1     0      0  no',
      'web02      1    0     1  0              0     1      1  yes (k…',
      'db1        0    0     0  1 (con…        0     0      0  unknown',
    ]);
    for (const l of lines.slice(0, 4)) assert.ok(l.length <= 63, `${l.length}: ${l}`);
    assert.equal(lines[4], 'TOTAL 3 hosts, 0 ok, 1 changed, 1 failed, 1 unreachable; reboot required: web02');
  });

  it('at a medium width, uses short headers and cuts only the reboot reasons', () => {
    const lines = renderSummaryTable(report(), { color: false, width: 100 }).split('\n');
    assert.equal(lines[0], 'HOST   OK  CHG  FAIL  UNREACH                 RESTART  KILL  STALE  REBOOT');
    assert.equal(lines[2], 'web02   1    0     1  0                             0     1      1  yes (kernel: running 6.1.0-1, n…');
    assert.equal(lines[2]!.length, 100);
  });

  it('colors only when asked, with the same layout', () => {
    const colored = renderSummaryTable(report(), { color: true, width: 120 });
    const plain = renderSummaryTable(report(), { color: false, width: 120 });
    assert.ok(!plain.includes('\u001b'));
    assert.ok(colored.includes('\u001b[31m1\u001b[39m'), 'a failed count is red');
    assert.equal(colored.replace(SGR, ''), plain);
  });

  it('lists every host that still needs a reboot, and says when none does', () => {
    const rebooters = ['b', 'c'].map((name): HostReport => ({ ...web02, name, status: 'ok', steps: [] }));
    const lines = renderSummaryTable(report([web01, ...rebooters]), { color: false }).trimEnd().split('\n');
    assert.equal(lines.at(-1), 'TOTAL 3 hosts, 2 ok, 1 changed, 0 failed, 0 unreachable; reboot required: b, c');
    const none = renderSummaryTable(report([web01]), { color: false }).trimEnd().split('\n');
    assert.equal(none.at(-1), 'TOTAL 1 host, 0 ok, 1 changed, 0 failed, 0 unreachable; reboot required: none');
  });

  it('shows a reboot with no reasons, check mode and interrupted runs', () => {
    const bare: HostReport = { ...web01, name: 'k', rebootRequired: true, rebootReasons: [] };
    const text = renderSummaryTable(report([bare], { check: true, interrupted: true }), { color: false, width: 120 });
    const lines = text.trimEnd().split('\n');
    assert.match(lines[1]!, /  yes$/);
    assert.equal(lines[2], 'check mode: nothing was changed on the hosts');
    assert.equal(lines[3], 'interrupted: results are partial');
    assert.match(lines[4]!, /^TOTAL /);
  });

  it('does not count ignored failures and strips escape codes from host data', () => {
    const evil: HostReport = { ...web02, name: 'x\u001b[2Jy', rebootReasons: [{ kind: 'kernel' as RebootReasonKind, detail: '\u001b[31mred\u001b[0m' }] };
    const text = renderSummaryTable(report([evil]), { color: false, width: 200 });
    assert.ok(!text.includes('\u001b'));
    assert.match(text.split('\n')[1]!, /^xy {5}1 {8}0 {7}1 /);
    assert.match(text, /yes \(kernel: red\)/);
  });
});
