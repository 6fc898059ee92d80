import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { planXinetdSessions } from '../../src/steps/xinetd-sessions.js';
import { parseXinetdScan } from '../../src/facts/xinetd-instances.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const IMAPD = '/usr/local/libexec/remedy-lab/remedy-imapd';

/** Captured on lab hosts: one session opened before remedy-imapd was replaced (renamed over), one after. */
describe('steps/xinetd_sessions: parse and plan real output', () => {
  for (const flavor of ['systemd', 'sysv'] as const) {
    it(`${flavor}: finds the server and the two sessions; only the old one is stale`, () => {
      const scan = parseXinetdScan(fixture(`xinetd-scan-${flavor}.txt`));
      assert.equal(scan.server, IMAPD);
      assert.equal(scan.hz, 100);
      assert.equal(scan.xinetd.length, 1);
      assert.equal(scan.children.length, 2);
      const plan = planXinetdSessions(scan, undefined);
      assert.deepEqual(plan.map((p) => [p.stale, p.why]), [[true, 'executable deleted'], [false, 'runs the current server']]);
      assert.ok(plan[0]!.exe.endsWith('(deleted)'));
      assert.equal(plan[1]!.exeIno, scan.serverIno);
    });
  }

  it("before: 'now' ends every instance", () => {
    const plan = planXinetdSessions(parseXinetdScan(fixture('xinetd-scan-systemd.txt')), 'now');
    assert.deepEqual(plan.map((p) => p.stale), [true, true]);
  });

  it('before: an ISO time ends the instances started before it (host clock)', () => {
    const scan = parseXinetdScan(fixture('xinetd-scan-systemd.txt'));
    const [a, b] = planXinetdSessions(scan, 'now');
    const between = new Date(((a!.startedAt + b!.startedAt) / 2) * 1000).toISOString();
    assert.deepEqual(planXinetdSessions(scan, between).map((p) => p.stale), [true, false]);
    assert.deepEqual(planXinetdSessions(scan, '2000-01-01T00:00:00Z').map((p) => p.stale), [false, false]);
  });

  it('a replaced executable with the same path but another inode is stale even without (deleted)', () => {
    const scan = parseXinetdScan(fixture('xinetd-scan-systemd.txt'));
    scan.children = [{ pid: 9, start: 1, exeIno: 12345, exe: IMAPD, command: 'remedy-imapd' }];
    assert.equal(planXinetdSessions(scan, undefined)[0]?.why, 'executable replaced');
  });

  it('a script server is matched by its command line and judged by start time vs the script change', () => {
    const scan = parseXinetdScan('server\t/usr/local/bin/svc.sh\nserver_args\t\neffective\t/usr/local/bin/svc.sh\nserver_ino\t7\nserver_ctime\t1000\nbtime\t900\nhz\t100\nxinetd\t5\n'
      + 'child\t10\t5000\t99\t/usr/bin/dash\t/bin/sh /usr/local/bin/svc.sh \nchild\t11\t15000\t99\t/usr/bin/dash\t/bin/sh /usr/local/bin/svc.sh \nchild\t12\t5000\t98\t/usr/bin/other\tother \n');
    const plan = planXinetdSessions(scan, undefined);
    assert.deepEqual(plan.map((p) => [p.pid, p.stale]), [[10, true], [11, false]]);
  });

  it('under tcpd the real daemon is the first word of server_args', () => {
    const scan = parseXinetdScan('server\t/usr/sbin/tcpd\nserver_args\t/usr/sbin/in.telnetd -h\neffective\t/usr/sbin/in.telnetd\n');
    assert.equal(scan.server, '/usr/sbin/in.telnetd');
  });

  it('an unknown service has no server', () => {
    const scan = parseXinetdScan(fixture('xinetd-scan-missing-systemd.txt'));
    assert.equal(scan.server, undefined);
    assert.deepEqual(planXinetdSessions(scan, undefined), []);
  });
});
