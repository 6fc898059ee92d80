import { strict as assert } from 'node:assert';
import { fixture } from '../facts/fixtures.js';
import { parseProbeOutput } from '../../src/facts/parse-facts.js';
import type { HostFacts, StaleProcessFact } from '../../src/facts/types.js';
import type { ProcessOwner } from '../../src/model/results.js';
import { describePlan, planRestarts, isSshdService, DEFAULT_NEVER_RESTART } from '../../src/steps/restart-plan.js';
import { decideRestarts, judgeRestarts, summarizeRestarts } from '../../src/steps/restart-services.js';
import { parseRestartOutput, parseUnitState, restartArgs } from '../../src/steps/restart-script.js';

/** Facts parsed from captured lab probe output (see test/facts/fixtures/README.md). */
const labFacts = (flavor: 'debian-systemd' | 'debian-sysv' | 'rhel-sysv'): HostFacts =>
  parseProbeOutput(fixture(`lab-${flavor}-scenarios.txt`));

/** A stale entry copied from a real one, with another owner (and pid), to widen the table. */
/** The stale pids charged to an owner in the facts (fixtures are re-captured now and then: no literal pids). */
const pidsOf = (facts: HostFacts, owner: string): number[] => facts.stale.find((s) => s.owner.name === owner)?.pids ?? [];
const sessionOf = (facts: HostFacts): string => facts.stale.find((s) => s.owner.kind === 'session')!.owner.name;

function withOwner(facts: HostFacts, owner: ProcessOwner, pid: number, command = 'daemon', files?: string[]): HostFacts {
  const model = facts.stale[0]!;
  const entry: StaleProcessFact = { ...model, owner, pid, pids: [pid], command, files: files ?? [...model.files], staleFiles: [...model.staleFiles] };
  return { ...facts, stale: [...facts.stale, entry] };
}

describe('steps/restart-plan: which services restart_services restarts', () => {
  it('systemd lab host: restarts the unit, skips the session and the xinetd session', () => {
    const facts = labFacts('debian-systemd');
    const plan = planRestarts(facts);
    assert.deepEqual(plan.restart.map((r) => [r.name, r.init, r.sshd]), [['remedy-labd.service', 'systemd', false]]);
    const labd = pidsOf(facts, 'remedy-labd.service');
    assert.equal(labd.length, 1);
    assert.deepEqual(plan.restart[0]!.pids, labd);
    assert.match(sessionOf(facts), /^session-\d+\.scope$/);
    assert.deepEqual(plan.skipped.map((s) => [s.name, s.reason]), [[sessionOf(facts), 'session'], ['remedy-imap', 'xinetd']]);
    assert.deepEqual(restartArgs(plan.restart), ['systemd', 'remedy-labd.service', '0', String(labd[0])]);
  });

  for (const flavor of ['debian-sysv', 'rhel-sysv'] as const) {
    it(`${flavor} lab host: restarts the init script with service, skips the user application`, () => {
      const plan = planRestarts(labFacts(flavor));
      assert.deepEqual(plan.restart.map((r) => [r.name, r.init]), [['remedy-labd', 'sysv']]);
      assert.deepEqual(plan.skipped.map((s) => [s.name, s.reason]), [['remedy-user', 'user'], ['remedy-imap', 'xinetd']]);
    });
  }

  it('library_glob keeps only services stale because of matching files (the guide\'s libwrap)', () => {
    const facts = withOwner(labFacts('debian-systemd'), { kind: 'systemd-unit', name: 'cron.service' }, 900, 'cron', ['/usr/sbin/cron']);
    assert.deepEqual(planRestarts(facts).restart.map((r) => r.name), ['remedy-labd.service', 'cron.service']);
    const wrap = planRestarts(facts, { libraryGlob: '/usr/lib/*/libwrap.so*' });
    assert.deepEqual(wrap.restart.map((r) => [r.name, r.files]), [['remedy-labd.service', ['/usr/lib/remedy-lab/libwrap.so.0']]]);
    // A glob without a slash matches the file name; /lib/… also finds /usr/lib/… (merged /usr).
    assert.deepEqual(planRestarts(facts, { libraryGlob: 'libwrap.so*' }).restart.map((r) => r.name), ['remedy-labd.service']);
    assert.deepEqual(planRestarts(facts, { libraryGlob: '/lib/remedy-lab/libwrap.so*' }).restart.map((r) => r.name), ['remedy-labd.service']);
    assert.deepEqual(planRestarts(facts, { libraryGlob: '/usr/lib/*/libssl.so*' }).restart, []);
    assert.deepEqual(planRestarts(facts, { libraryGlob: '' }).restart.length, 2, 'empty glob: any file');
  });

  it('never restarts the default list, scopes, user managers, PID 1; extends and replaces the list', () => {
    let facts = labFacts('debian-systemd');
    facts = withOwner(facts, { kind: 'systemd-unit', name: 'dbus.service' }, 301, 'dbus-daemon');
    facts = withOwner(facts, { kind: 'systemd-unit', name: 'getty@tty1.service' }, 302, 'agetty');
    facts = withOwner(facts, { kind: 'systemd-unit', name: 'systemd-logind.service' }, 303, 'systemd-logind');
    facts = withOwner(facts, { kind: 'systemd-unit', name: 'init.scope' }, 1, 'systemd');
    facts = withOwner(facts, { kind: 'systemd-unit', name: 'user@1500.service' }, 304, 'systemd');
    facts = withOwner(facts, { kind: 'systemd-unit', name: 'postgresql@15-main.service' }, 305, 'postgres');
    facts = withOwner(facts, { kind: 'systemd-unit', name: 'var-lib.mount' }, 306, 'mount');
    const plan = planRestarts(facts);
    assert.deepEqual(plan.restart.map((r) => r.name), ['remedy-labd.service', 'postgresql@15-main.service']);
    const reasons = Object.fromEntries(plan.skipped.map((s) => [s.name, s.reason]));
    assert.deepEqual(reasons, {
      [sessionOf(facts)]: 'session', 'remedy-imap': 'xinetd', 'dbus.service': 'never-restart', 'getty@tty1.service': 'never-restart',
      'systemd-logind.service': 'never-restart', 'init.scope': 'pid1', 'user@1500.service': 'session', 'var-lib.mount': 'not-a-service',
    });
    const more = planRestarts(facts, { neverRestart: ['postgresql@*'] });
    assert.deepEqual(more.restart.map((r) => r.name), ['remedy-labd.service']);
    const replaced = planRestarts(facts, { neverRestart: ['remedy-*'], replaceDefaults: true });
    assert.deepEqual(replaced.restart.map((r) => r.name).sort(), ['dbus.service', 'getty@tty1.service', 'postgresql@15-main.service', 'systemd-logind.service']);
    assert.match(describePlan(plan), /^would restart remedy-labd\.service, postgresql@15-main\.service \(skipping session-\d+\.scope: session, .*dbus\.service: never-restart/);
    assert.ok(DEFAULT_NEVER_RESTART.includes('systemd-journald'));
  });

  it('services restricts the restarts (names with or without .service) and reports named services that are not stale', () => {
    const facts = withOwner(labFacts('debian-systemd'), { kind: 'systemd-unit', name: 'cron.service' }, 900, 'cron');
    const plan = planRestarts(facts, { services: ['cron', 'vsftpd.service'] });
    assert.deepEqual(plan.restart.map((r) => r.name), ['cron.service']);
    assert.deepEqual(plan.skipped, [], 'other owners are out of scope, not skipped');
    assert.deepEqual(plan.notStale, ['vsftpd']);
  });

  it('the sshd goes last; per-connection sshd@ instances are sessions', () => {
    let facts = withOwner(labFacts('debian-systemd'), { kind: 'systemd-unit', name: 'ssh.service' }, 50, 'sshd');
    facts = withOwner(facts, { kind: 'systemd-unit', name: 'sshd@3-127.0.1.2:22-127.0.0.1:4000.service' }, 51, 'sshd');
    facts = withOwner(facts, { kind: 'systemd-unit', name: 'cron.service' }, 900, 'cron');
    const plan = planRestarts(facts);
    assert.deepEqual(plan.restart.map((r) => [r.name, r.sshd]), [['remedy-labd.service', false], ['cron.service', false], ['ssh.service', true]]);
    assert.equal(plan.skipped.find((s) => s.name.startsWith('sshd@'))?.reason, 'session');
    assert.ok(isSshdService('ssh', 'sshd') && isSshdService('sshd.service', 'x') && !isSshdService('cron', 'cron'));
    const sysv = planRestarts(withOwner(labFacts('debian-sysv'), { kind: 'init-script', name: 'ssh' }, 20, 'sshd'));
    assert.deepEqual(sysv.restart.map((r) => [r.name, r.init, r.sshd]), [['remedy-labd', 'sysv', false], ['ssh', 'sysv', true]]);
  });

  it('merges two entries of one owner and refuses names that are not plain service names', () => {
    let facts = withOwner(labFacts('debian-sysv'), { kind: 'init-script', name: 'remedy-labd' }, 777, 'remedy-labd', ['/usr/lib/x.so']);
    facts = withOwner(facts, { kind: 'init-script', name: 'odd name;x' }, 778);
    const plan = planRestarts(facts);
    const labd = pidsOf(labFacts('debian-sysv'), 'remedy-labd');
    assert.deepEqual(plan.restart.map((r) => [r.name, r.pids, r.files]), [['remedy-labd', [...labd, 777], ['/usr/local/sbin/remedy-labd', '/usr/lib/remedy-lab/libwrap.so.0', '/usr/lib/x.so']]]);
    assert.equal(plan.skipped.find((s) => s.name === 'odd name;x')?.reason, 'bad-name');
  });

  it('a container\'s processes are never restarted as host services, and say why', () => {
    const facts = withOwner(labFacts('debian-systemd'), { kind: 'container', name: 'docker:0123456789ab' }, 950, 'nginx');
    const plan = planRestarts(facts);
    assert.deepEqual(plan.restart.map((r) => r.name), ['remedy-labd.service']);
    const skipped = plan.skipped.find((s) => s.kind === 'container')!;
    assert.deepEqual([skipped.name, skipped.reason, skipped.pids], ['docker:0123456789ab', 'container', [950]]);
    assert.match(skipped.detail, /its runtime restarts it/);
  });

  it('a stale never-restart service puts the host on the reboot list, by this step\'s own list too', () => {
    const facts = withOwner(labFacts('debian-systemd'), { kind: 'systemd-unit', name: 'dbus.service' }, 301, 'dbus-daemon');
    for (const check of [true, false]) {
      const d = decideRestarts(facts, { never_restart: ['remedy-*'] }, check);
      assert.ok('act' in d || 'done' in d);
      const fx = 'act' in d ? d.effects : d.done.effects;
      assert.equal(fx?.rebootRequired, true);
      const held = (fx?.rebootReasons ?? []).filter((r) => r.kind === 'never-restart').map((r) => r.evidence?.['unit']);
      assert.deepEqual(held, ['remedy-labd.service', 'dbus.service'], `check=${check}`);
    }
  });

  it('a host with nothing stale plans nothing', () => {
    const plan = planRestarts(parseProbeOutput(fixture('lab-debian-systemd-clean.txt')));
    assert.deepEqual(plan, { restart: [], skipped: [], notStale: [] });
    assert.equal(describePlan(plan), 'nothing to restart');
  });
});

describe('steps/restart-services: judging the restarts', () => {
  const facts = withOwner(labFacts('debian-sysv'), { kind: 'init-script', name: 'ssh' }, 20, 'sshd');
  const plan = planRestarts(facts);

  it('parses the script records and judges a clean restart as changed', () => {
    const out = 'before\tremedy-labd\t24\nrc\tremedy-labd\t0\nbefore\tssh\t20\nrc\tssh\t0\nafter\tremedy-labd\tactive\npid\tremedy-labd\t901\nafter\tssh\tactive\npid\tssh\t902\n';
    const outcomes = parseRestartOutput(out);
    assert.deepEqual(outcomes[0], { name: 'remedy-labd', pidBefore: 24, rc: 0, after: 'active', pidAfter: 901 });
    const clean = { ...facts, stale: facts.stale.filter((s) => s.owner.kind !== 'init-script') };
    const judged = judgeRestarts(plan, outcomes, { facts: clean });
    assert.deepEqual(judged, { restarted: ['remedy-labd', 'ssh'], failures: [], leftAlone: [] });
    const parts = summarizeRestarts(plan, judged);
    assert.equal(parts.status, 'changed');
    assert.deepEqual(parts.effects, { restarted: ['remedy-labd', 'ssh'] });
    assert.match(parts.message ?? '', /^restarted remedy-labd, ssh; skipped remedy-user: user, remedy-imap: xinetd$/);
  });

  it('fails per unit: exit code, not running, same process, still stale, refused, reconnect', () => {
    const out = [
      'before\tremedy-labd\t24', 'rc\tremedy-labd\t0', 'refused\tssh\tsshd -t failed: /etc/ssh/sshd_config line 3: Bad option',
      'after\tremedy-labd\tactive', 'pid\tremedy-labd\t901',
    ].join('\n');
    const stillStale = judgeRestarts(plan, parseRestartOutput(out), { facts });
    assert.deepEqual(stillStale.restarted, ['remedy-labd']);
    assert.deepEqual(stillStale.failures, [
      { name: 'remedy-labd', why: `still stale after the restart: pid ${pidsOf(facts, 'remedy-labd').join(', ')}` },
      { name: 'ssh', why: 'not restarted: sshd -t failed: /etc/ssh/sshd_config line 3: Bad option' },
    ]);
    const parts = summarizeRestarts(plan, stillStale);
    assert.equal(parts.status, 'failed');
    assert.match(parts.message ?? '', /failed: remedy-labd \(still stale after the restart: pid \d+\); ssh \(not restarted: sshd -t/);
    const bad = (lines: string[]) => judgeRestarts({ ...plan, restart: plan.restart.slice(0, 1) }, parseRestartOutput(lines.join('\n')), {}).failures[0]?.why;
    assert.equal(bad(['before\tremedy-labd\t24', 'rc\tremedy-labd\t1', 'after\tremedy-labd\tinactive']), 'restart failed with exit code 1');
    assert.equal(bad(['rc\tremedy-labd\t0', 'after\tremedy-labd\tinactive', 'pid\tremedy-labd\t0']), 'not running after the restart');
    assert.equal(bad(['before\tremedy-labd\t24', 'rc\tremedy-labd\t0', 'after\tremedy-labd\tactive', 'pid\tremedy-labd\t24']), 'still the same process (pid 24) after the restart');
    assert.equal(bad([]), 'not attempted (the restart script ended early)');
    const ssh = judgeRestarts(plan, parseRestartOutput('rc\tremedy-labd\t0\nafter\tremedy-labd\tactive\nrc\tssh\t0\nafter\tssh\tactive\n'), { reconnectError: 'connection refused' });
    assert.deepEqual(ssh.failures, [{ name: 'ssh', why: 'a new connection after the restart failed: connection refused' }]);
  });

  it('a failed restart carries the unit\'s own status; one that crashed after it counts as failed; none is retried', () => {
    const unit = planRestarts(labFacts('debian-systemd'));
    const state = 'ActiveState=failed SubState=failed Result=start-limit-hit NRestarts=0 ExecMainCode=1 ExecMainStatus=1 ';
    assert.deepEqual(parseUnitState(state), { ActiveState: 'failed', SubState: 'failed', Result: 'start-limit-hit', NRestarts: '0', ExecMainCode: '1', ExecMainStatus: '1' });
    const limit = judgeRestarts(unit, parseRestartOutput(`before\tremedy-labd.service\t24\nrc\tremedy-labd.service\t1\nafter\tremedy-labd.service\tinactive\npid\tremedy-labd.service\t0\nstate\tremedy-labd.service\t${state}\n`), {});
    assert.deepEqual(limit.failures, [{
      name: 'remedy-labd.service',
      why: 'restart failed with exit code 1: ActiveState=failed SubState=failed Result=start-limit-hit NRestarts=0 ExecMainCode=1 ExecMainStatus=1',
      state: parseUnitState(state),
    }]);
    assert.match(summarizeRestarts(unit, limit).message ?? '', /ExecMainStatus=1\) \(one restart per run: not retried\); skipped /);
    const crashed = judgeRestarts(unit, parseRestartOutput('before\tremedy-labd.service\t24\nrc\tremedy-labd.service\t0\nafter\tremedy-labd.service\tactive\npid\tremedy-labd.service\t990\nstate\tremedy-labd.service\tActiveState=active SubState=running Result=success NRestarts=2\n'), {});
    assert.equal(crashed.failures[0]?.why, 'crashed after the restart (systemd started it again 2 times): ActiveState=active SubState=running Result=success NRestarts=2');
    const sysv = judgeRestarts({ ...plan, restart: plan.restart.slice(0, 1) }, parseRestartOutput('before\tremedy-labd\t24\nrc\tremedy-labd\t0\nafter\tremedy-labd\tinactive\nstate\tremedy-labd\tStatusExit=3\n'), {});
    assert.equal(sysv.failures[0]?.why, 'not running after the restart: StatusExit=3');
  });

  it('an sshd whose listener is already new (only old sessions are stale) is left alone, not failed', () => {
    const out = 'before\tremedy-labd\t24\nrc\tremedy-labd\t0\nfresh\tssh\t221\nafter\tremedy-labd\tactive\npid\tremedy-labd\t901\n';
    const outcomes = parseRestartOutput(out);
    assert.equal(outcomes.find((o) => o.name === 'ssh')?.fresh, 221);
    const stillSession = { ...facts, stale: facts.stale.filter((s) => s.owner.name === 'ssh') };
    const judged = judgeRestarts(plan, outcomes, { facts: stillSession });
    assert.deepEqual(judged.restarted, ['remedy-labd']);
    assert.deepEqual(judged.failures, []);
    assert.deepEqual(judged.leftAlone.map((s) => [s.name, s.reason, s.pids]), [['ssh', 'old-sessions-only', [20]]]);
    const parts = summarizeRestarts(plan, judged);
    assert.equal(parts.status, 'changed');
    assert.match(parts.message ?? '', /skipped remedy-user: user, remedy-imap: xinetd, ssh: old-sessions-only$/);
    assert.deepEqual(restartArgs(plan.restart).slice(4), ['sysv', 'ssh', '1', '20']);
  });
});
