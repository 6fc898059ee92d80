import { strict as assert } from 'node:assert';
import { fixture } from '../facts/fixtures.js';
import { parseProbeOutput } from '../../src/facts/parse-facts.js';
import type { HostFacts, InstalledPackage } from '../../src/facts/types.js';
import { describeRemediation, planRemediation, systemdVersion, type RemediateOptions } from '../../src/steps/remediate-plan.js';
import { decideRemediation } from '../../src/steps/remediate.js';
import { judgeVeto } from '../../src/steps/reboot-veto.js';
import type { ExecResult } from '../../src/transport/transport.js';

/** Facts parsed from captured lab probe output (test/facts/fixtures/README.md), then planted. */
const lab = (flavor: 'debian-systemd' | 'rhel-sysv'): HostFacts => parseProbeOutput(fixture(`lab-${flavor}-scenarios.txt`));

/** Nothing needs a reboot: no newer kernel, no core package after boot, no flag. */
function noReboot(f: HostFacts): HostFacts {
  return { ...f, kernel: { ...f.kernel, pending: false }, coreAfterBoot: [], rebootFlag: { present: false, packages: [] } };
}
const pkg = (name: string, version: string): InstalledPackage => ({ name, version, installTime: 1_900_000_000, source: 'dpkg' });
/** Only user space is old: libc6 installed after boot, with systemd at `systemd`. */
function userSpace(f: HostFacts, systemd: string): HostFacts {
  const base = noReboot(f);
  return { ...base, coreAfterBoot: [pkg('libc6', '2.36-9+deb12u14')], corePackages: [...base.corePackages.filter((p) => p.name !== 'systemd'), pkg('systemd', systemd)] };
}
const clean = (f: HostFacts): HostFacts => ({ ...noReboot(f), stale: [] });
const only = (f: HostFacts, kinds: string[]): HostFacts => ({ ...f, stale: f.stale.filter((s) => kinds.includes(s.owner.kind)) });

/** [rung, take, reason] of each decision. */
const rungs = (f: HostFacts, o: RemediateOptions = {}): Array<[string, boolean, string]> => planRemediation(f, o).decisions.map((d) => [d.action, d.take, d.reason]);

describe('steps/remediate-plan: the least disruptive action that clears the verdict', () => {
  const sys = lab('debian-systemd');
  const cases: Array<{ name: string; facts: HostFacts; opts?: RemediateOptions; action: string; rungs: Array<[string, boolean, string]> }> = [
    { name: 'a clean host: nothing', facts: clean(sys), action: 'none', rungs: [] },
    { name: 'a stale service: restart; the session is left without allow_kill', facts: noReboot(sys), action: 'restart',
      rungs: [['restart', true, 'stale-services'], ['kill', false, 'kill-not-allowed']] },
    { name: 'allow_kill ends the stale session too', facts: noReboot(sys), opts: { allowKill: true }, action: 'kill',
      rungs: [['restart', true, 'stale-services'], ['kill', true, 'stale-sessions']] },
    { name: 'PID 1 stale: daemon-reexec (and the restart)', facts: { ...only(noReboot(sys), ['systemd-unit']), pid1Stale: true }, action: 'daemon-reexec',
      rungs: [['restart', true, 'stale-services'], ['daemon-reexec', true, 'pid1-stale']] },
    { name: 'PID 1 stale on SysV: no daemon-reexec', facts: { ...clean(lab('rhel-sysv')), pid1Stale: true }, action: 'none',
      rungs: [['daemon-reexec', false, 'not-systemd']] },
    { name: 'a newer kernel: reboot', facts: { ...sys, kernel: { ...sys.kernel, pending: true } }, opts: { allowReboot: true }, action: 'reboot',
      rungs: [['soft-reboot', false, 'kernel-space'], ['reboot', true, 'kernel-pending']] },
    { name: 'a newer kernel without allow_reboot: the lower actions, the reboot is left', facts: only({ ...sys, kernel: { ...sys.kernel, pending: true } }, ['systemd-unit']), action: 'restart',
      rungs: [['restart', true, 'stale-services'], ['soft-reboot', false, 'kernel-space'], ['reboot', false, 'reboot-not-allowed']] },
    { name: 'only user space old, systemd 252: says so, falls back to reboot', facts: userSpace(sys, '252.39-1~deb12u2'), opts: { allowReboot: true }, action: 'reboot',
      rungs: [['soft-reboot', false, 'systemd-too-old'], ['reboot', true, 'core-package']] },
    { name: 'only user space old, systemd 256: soft-reboot', facts: userSpace(sys, '256.7-1'), opts: { allowReboot: true }, action: 'soft-reboot',
      rungs: [['soft-reboot', true, 'user-space-only'], ['reboot', false, 'soft-reboot-enough']] },
    { name: 'soft_reboot: false keeps the full reboot', facts: userSpace(sys, '256.7-1'), opts: { allowReboot: true, allowSoftReboot: false }, action: 'reboot',
      rungs: [['soft-reboot', false, 'soft-reboot-not-allowed'], ['reboot', true, 'core-package']] },
    { name: 'linux-firmware after boot: kernel space, a full reboot', facts: { ...userSpace(sys, '256.7-1'), coreAfterBoot: [pkg('linux-firmware', '20240709')] }, opts: { allowReboot: true }, action: 'reboot',
      rungs: [['soft-reboot', false, 'kernel-space'], ['reboot', true, 'core-package']] },
    { name: 'the flag file without packages: maybe the kernel, a full reboot', facts: { ...noReboot(userSpace(sys, '256.7-1')), rebootFlag: { present: true, file: '/run/reboot-required', packages: [] } }, opts: { allowReboot: true }, action: 'reboot',
      rungs: [['soft-reboot', false, 'kernel-space'], ['reboot', true, 'reboot-flag']] },
    { name: 'the flag file naming libc6 only: user space', facts: { ...noReboot(userSpace(sys, '256.7-1')), rebootFlag: { present: true, file: '/run/reboot-required', packages: ['libc6'] } }, opts: { allowReboot: true }, action: 'soft-reboot',
      rungs: [['soft-reboot', true, 'user-space-only'], ['reboot', false, 'soft-reboot-enough']] },
    { name: 'a stale never-restart service is user space: soft-reboot', facts: { ...noReboot({ ...sys, corePackages: [pkg('systemd', '255.4-1')] }), stale: sys.stale.map((s) => s.owner.name === 'remedy-labd.service' ? { ...s, owner: { kind: 'systemd-unit' as const, name: 'dbus.service' } } : s) },
      opts: { allowReboot: true }, action: 'soft-reboot', rungs: [['soft-reboot', true, 'user-space-only'], ['reboot', false, 'soft-reboot-enough']] },
    { name: 'SysV, only user space old: not systemd, a full reboot', facts: { ...noReboot(lab('rhel-sysv')), coreAfterBoot: [{ ...pkg('glibc', '0:2.34-101.el9'), source: 'rpm' }] }, opts: { allowReboot: true }, action: 'reboot',
      rungs: [['soft-reboot', false, 'not-systemd'], ['reboot', true, 'core-package']] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = planRemediation(c.facts, c.opts);
      assert.equal(plan.action, c.action, describeRemediation(plan));
      assert.deepEqual(rungs(c.facts, c.opts), c.rungs);
      for (const d of plan.decisions) assert.ok(d.detail.length > 10, `${d.action}: a sentence`);
    });
  }

  it('a reboot is the only action; the lower ones are what the plan acts on otherwise', () => {
    const reboot = planRemediation({ ...sys, pid1Stale: true }, { allowReboot: true, allowKill: true });
    assert.deepEqual([reboot.restart, reboot.kill, reboot.reexec], [[], [], false]);
    assert.match(reboot.reboot!.why, /kernel-pending: .*; core-package: libc6/);
    const lower = planRemediation({ ...noReboot(sys), pid1Stale: true }, { allowKill: true });
    assert.deepEqual(lower.restart.map((r) => r.name), ['remedy-labd.service']);
    assert.deepEqual(lower.kill.map((k) => k.kind), ['session']);
    assert.equal(lower.reexec, true);
    assert.deepEqual(lower.left.map((s) => [s.name, s.reason]), [['remedy-imap', 'xinetd']]);
  });

  it('the systemd version of dpkg and rpm packages', () => {
    assert.equal(systemdVersion([pkg('systemd', '252.39-1~deb12u2')]), 252);
    assert.equal(systemdVersion([{ ...pkg('systemd', '0:256-14.el10'), source: 'rpm' }]), 256);
    assert.equal(systemdVersion([pkg('libc6', '2.36')]), null);
  });

  it('check mode says the choice and why (decideRemediation)', () => {
    const d = decideRemediation(userSpace(sys, '252.39-1~deb12u2'), { allow_reboot: true, veto: 'pgrep -x borg' });
    assert.ok('act' in d);
    assert.match(d.would, /^reboot; - soft-reboot \(systemd-too-old\): only user space is old, but systemd 252 has no soft-reboot \(254 or later\): falling back to reboot; \+ reboot \(core-package\)/);
    assert.match(d.would, /unless `pgrep -x borg` vetoes it/);
    const none = decideRemediation(clean(sys), null);
    assert.ok('done' in none && none.done.status === 'ok' && /^nothing to do/.test(none.done.message ?? ''));
    // a newer kernel alone, without allow_reboot: no action, but never "no reboot is needed"
    const kernel = decideRemediation({ ...clean(sys), kernel: { ...sys.kernel, pending: true } }, null);
    assert.ok('done' in kernel);
    assert.match(kernel.done.message ?? '', /^none: no action remedy may take here clears the verdict; - soft-reboot \(kernel-space\): .*; - reboot \(reboot-not-allowed\): needs a reboot \(kernel-pending: /);
    assert.doesNotMatch(kernel.done.message ?? '', /no reboot is needed/);
    // only a container's process is stale: its runtime's, left, not "nothing runs replaced code"
    const container = clean(sys);
    const boxed = { ...container, stale: [{ ...sys.stale[0]!, owner: { kind: 'container' as const, name: 'docker:0123456789ab' } }] };
    const left = decideRemediation(boxed, null);
    assert.ok('done' in left);
    assert.match(left.done.message ?? '', /^none: .*; left: docker:0123456789ab \(container\)$/);
  });
});

describe('steps/reboot-veto: what the veto command says', () => {
  const exec = (exitCode: number | null, extra: Partial<ExecResult> = {}): ExecResult => ({ exitCode, signal: null, stdout: '', stderr: '', durationMs: 1, timedOut: false, truncated: false, ...extra });
  it('exit 0 vetoes, exit 1 allows, anything else vetoes as no answer', () => {
    assert.deepEqual(judgeVeto('pgrep -x borg', exec(0, { stdout: '4242\n' })), { veto: true, why: 'vetoed by `pgrep -x borg` (exit 0: 4242)' });
    assert.equal(judgeVeto('pgrep -x borg', exec(1)).veto, false);
    assert.match(judgeVeto('pgrpe -x borg', exec(127, { stderr: 'sh: pgrpe: not found' })).why, /did not answer \(exit 127: sh: pgrpe: not found; only exit 1 allows the reboot\)/);
    assert.equal(judgeVeto('sleep 99', exec(null, { timedOut: true })).veto, true);
    assert.equal(judgeVeto('kill -9 $$', exec(null, { signal: 'SIGKILL' })).veto, true);
  });
});
