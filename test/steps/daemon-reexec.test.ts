import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { judgeDaemonReexec } from '../../src/steps/daemon-reexec.js';
import { parseDaemonReexec } from '../../src/facts/pid1-state.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('steps/daemon_reexec: parse and judge real output', () => {
  it('PID 1 systemd mapping nothing deleted: ok', () => {
    const o = parseDaemonReexec(fixture('reexec-check-systemd.txt'));
    assert.deepEqual([o.pid1, o.action, o.stale], ['systemd', 'none', []]);
    assert.equal(judgeDaemonReexec(o).status, 'ok');
  });

  it('check mode with a replaced libsystemd-shared: would re-execute, names the file', () => {
    const o = parseDaemonReexec(fixture('reexec-check-stale-systemd.txt'));
    assert.deepEqual(o.stale, ['/usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-252.so']);
    const j = judgeDaemonReexec(o);
    assert.equal(j.status, 'skipped');
    assert.match(j.message ?? '', /^check mode: would run systemctl daemon-reexec .*libsystemd-shared-252\.so/);
  });

  it('applied: same PID 1, still systemd, nothing deleted mapped any more → changed', () => {
    const o = parseDaemonReexec(fixture('reexec-apply-systemd.txt'));
    assert.deepEqual([o.rc, o.pid1After, o.start, o.startAfter, o.still], [0, 'systemd', 1135868, 1135868, []]);
    assert.equal(judgeDaemonReexec(o).status, 'changed');
  });

  it('fails when PID 1 still maps deleted files afterwards', () => {
    const o = parseDaemonReexec(`${fixture('reexec-apply-systemd.txt')}still\t1\t/usr/lib/x.so\n`);
    const j = judgeDaemonReexec(o);
    assert.equal(j.status, 'failed');
    assert.equal(j.cause, 'verify-failed');
  });

  it('a PID 1 that is not systemd (SysV lab host): skipped with the reason', () => {
    const j = judgeDaemonReexec(parseDaemonReexec('pid1\tremedy-lab-init\n'));
    assert.equal(j.status, 'skipped');
    assert.match(j.message ?? '', /PID 1 is remedy-lab-init, not systemd/);
  });
});
