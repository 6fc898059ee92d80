import { strict as assert } from 'node:assert';
import { parseLivepatch } from '../../src/facts/parse-livepatch.js';
import { decideReboot, verdictOf } from '../../src/facts/reboot-verdict.js';
import { findHeldServices, whyNotRestartable } from '../../src/facts/never-restart.js';
import { containerFromCgroup, containerOwner } from '../../src/facts/containers.js';
import { parseProbeOutput } from '../../src/facts/parse-facts.js';
import type { KernelFacts, LivepatchFacts, StaleProcessFact } from '../../src/facts/types.js';
import { fixture } from './fixtures.js';

const NO_PATCH: LivepatchFacts = { patches: [], covers: false, detail: 'no live patch loaded' };
const kernel = (pending: boolean, livepatch = NO_PATCH): KernelFacts => ({
  running: '6.1.0-13-amd64', build: '#1 SMP', installed: [], pending, livepatch,
  newest: { release: '6.1.0-18-amd64', version: '6.1.76-1', packageName: 'linux-image-6.1.0-18-amd64', installTime: 1_700_000_000, source: 'dpkg' },
  detail: pending ? 'newest installed kernel 6.1.0-18-amd64 is not the running 6.1.0-13-amd64' : 'running the newest installed kernel',
});
const none = { coreAfterBoot: [], rebootFlag: { present: false, packages: [] }, bootTime: 1_600_000_000, pid1Stale: false };

describe('facts/parse-livepatch: the kernel\'s own word on live patches', () => {
  it('an enabled patch whose transition is done covers; one in transition or disabled does not', () => {
    const lp = parseLivepatch([
      'klp 1 0 /sys/kernel/livepatch/livepatch_cve_2024_1086',
      'klp 0 0 /sys/kernel/livepatch/livepatch_old',
      'kpatch 1 - /sys/kernel/kpatch/patches/kpatch_cve_2024_1086',
    ]);
    assert.equal(lp.covers, true);
    assert.deepEqual(lp.patches.map((p) => [p.name, p.source, p.enabled, p.transition]), [
      ['livepatch_cve_2024_1086', 'livepatch', true, false],
      ['livepatch_old', 'livepatch', false, false],
      ['kpatch_cve_2024_1086', 'kpatch', true, false],
    ]);
    assert.equal(parseLivepatch(['klp 1 1 /sys/kernel/livepatch/lp']).covers, false, 'still in transition');
    assert.equal(parseLivepatch(['klp 0 0 /sys/kernel/livepatch/lp']).covers, false, 'disabled');
    assert.equal(parseLivepatch(['klp - - /sys/kernel/livepatch/lp']).covers, false, 'unreadable');
    assert.deepEqual(parseLivepatch([]), { patches: [], covers: false, detail: 'no live patch loaded' });
  });
  it('keeps canonical-livepatch\'s status lines as evidence, never as the decision', () => {
    const lp = parseLivepatch([
      'cl last check: 12 minutes ago', 'cl kernel: 5.15.0-91.101-generic', 'cl server check-in: succeeded',
      'cl patch state: ✓ all applicable livepatch modules inserted', 'cl patch version: 101.1', 'cl machine id: abc',
    ]);
    assert.equal(lp.covers, false, 'no module in /sys/kernel/livepatch: the kernel does not say so');
    assert.deepEqual(lp.canonicalStatus, ['kernel: 5.15.0-91.101-generic', 'patch state: ✓ all applicable livepatch modules inserted', 'patch version: 101.1']);
  });
});

describe('facts/reboot-verdict: kinds and evidence', () => {
  it('a pending kernel is kernel-pending, or kernel-livepatched (no reboot needed) under an applied live patch', () => {
    const plain = decideReboot({ ...none, kernel: kernel(true) });
    assert.equal(plain.rebootRequired, true);
    assert.deepEqual(plain.reasons[0]!.evidence, {
      running: '6.1.0-13-amd64', newest: '6.1.0-18-amd64', installTime: '2023-11-14T22:13:20.000Z',
      package: 'linux-image-6.1.0-18-amd64', version: '6.1.76-1',
    });
    const lp = parseLivepatch(['klp 1 0 /sys/kernel/livepatch/lp_1']);
    const covered = decideReboot({ ...none, kernel: kernel(true, lp) });
    assert.equal(covered.rebootRequired, false);
    assert.deepEqual(covered.reasons.map((r) => r.kind), ['kernel-livepatched']);
    assert.match(covered.reasons[0]!.detail, /lp_1 \(livepatch, enabled\): the reboot can wait$/);
    assert.deepEqual(covered.reasons[0]!.evidence?.['livepatches'], ['lp_1']);
    const plusCore = decideReboot({ ...none, kernel: kernel(true, lp), coreAfterBoot: [{ name: 'libc6', version: '2.36-9', installTime: 1_700_000_100, source: 'dpkg' }] });
    assert.equal(plusCore.rebootRequired, true, 'a core package still needs the reboot');
    assert.deepEqual(plusCore.reasons.map((r) => r.kind), ['kernel-livepatched', 'core-package']);
    assert.deepEqual(plusCore.reasons[1]!.evidence, { package: 'libc6', version: '2.36-9', installTime: '2023-11-14T22:15:00.000Z', bootTime: '2020-09-13T12:26:40.000Z' });
    assert.equal(decideReboot({ ...none, kernel: kernel(false, lp) }).reasons.length, 0, 'a live patch without a newer kernel says nothing');
  });
  it('a never-restart service that runs replaced code needs a reboot, with the unit, pids and files', () => {
    const v = decideReboot({ ...none, kernel: kernel(false), held: [{ name: 'systemd-logind.service', pids: [301], files: ['/usr/lib/systemd/systemd-logind'] }] });
    assert.equal(v.rebootRequired, true);
    assert.deepEqual(v.reasons, [{
      kind: 'never-restart',
      detail: 'systemd-logind.service (pid 301) runs replaced code (/usr/lib/systemd/systemd-logind) and is never restarted: only a reboot replaces it',
      evidence: { unit: 'systemd-logind.service', pids: [301], files: ['/usr/lib/systemd/systemd-logind'] },
    }]);
  });
});

describe('facts/never-restart: the one list the plan and the verdict share', () => {
  const entry = (kind: StaleProcessFact['owner']['kind'], name: string, pids = [10]): StaleProcessFact => ({
    pid: pids[0]!, pids, command: 'x', user: 'root', owner: { kind, name }, files: [`/usr/lib/${name}.so`], uid: 0, exe: null, startTime: 0, cgroup: null,
    staleFiles: [{ path: `/usr/lib/${name}.so`, reason: 'deleted' }],
  });
  const stale = [
    entry('systemd-unit', 'dbus.service', [200]), entry('systemd-unit', 'dbus.service', [201]), entry('init-script', 'systemd-logind', [300]),
    entry('systemd-unit', 'remedy-labd.service'), entry('systemd-unit', 'getty@tty1.service'), entry('systemd-unit', 'user@1000.service'),
    entry('session', 'session-3.scope'), entry('container', 'docker:0123456789ab'),
  ];
  it('defaults: dbus, logind, getty; a user manager, a session or a container is no service', () => {
    assert.deepEqual(findHeldServices(stale).map((h) => [h.name, h.pids]), [['dbus.service', [200, 201]], ['systemd-logind', [300]], ['getty@tty1.service', [10]]]);
  });
  it('the playbook\'s list adds to the defaults or replaces them', () => {
    assert.deepEqual(findHeldServices(stale, { neverRestart: ['remedy-*'] }).map((h) => h.name), ['dbus.service', 'systemd-logind', 'remedy-labd.service', 'getty@tty1.service']);
    assert.deepEqual(findHeldServices(stale, { neverRestart: ['remedy-*'], replaceDefaults: true }).map((h) => h.name), ['remedy-labd.service']);
  });
  it('a container is never restarted as a host service', () => {
    assert.equal(whyNotRestartable(entry('container', 'docker:0123456789ab'))?.reason, 'container');
  });
});

describe('facts/containers: charged by cgroup and PID namespace', () => {
  const ID = '3f2a9c0d1e4b5a6978877665544332211000ffeeddccbbaa9988776655443322';
  const table: Array<[string, string | null]> = [
    [`/system.slice/docker-${ID}.scope`, 'docker:3f2a9c0d1e4b'],
    [`/docker/${ID}`, 'docker:3f2a9c0d1e4b'],
    [`/machine.slice/libpod-${ID}.scope/container`, 'podman:3f2a9c0d1e4b'],
    [`/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope`, 'podman:3f2a9c0d1e4b'],
    [`/machine.slice/libpod-conmon-${ID}.scope`, null],
    [`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/cri-containerd-${ID}.scope`, 'containerd:3f2a9c0d1e4b'],
    [`/kubepods/besteffort/pod1234/${ID}`, 'kubernetes:3f2a9c0d1e4b'],
    ['/machine.slice/systemd-nspawn@web.service/payload/system.slice/nginx.service', 'nspawn:web'],
    ['/machine.slice/machine-web\\x2d1.scope/payload', 'machine:web-1'],
    ['/lxc.payload.db1/system.slice/postgresql.service', 'lxc:db1'],
    ['/lxc/db1/init.scope', 'lxc:db1'],
    ['/system.slice/docker.service', null],
    ['/system.slice/nginx.service', null],
    ['/machine.slice', null],
    ['/', null],
  ];
  for (const [cgroup, want] of table) it(`${cgroup} → ${want ?? 'the host'}`, () => assert.equal(containerFromCgroup(cgroup), want));
  it('another PID namespace without a runtime\'s cgroup is its own container; a service with PrivatePIDs= stays the service\'s', () => {
    const self = 'pid:[4026531836]';
    assert.deepEqual(containerOwner({ cgroup: '/user.slice/user-0.slice/session-4.scope', pidNs: 'pid:[4026532301]' }, self), { kind: 'container', name: 'pidns:4026532301' });
    assert.equal(containerOwner({ cgroup: '/system.slice/foo.service', pidNs: 'pid:[4026532301]' }, self), null);
    assert.equal(containerOwner({ cgroup: '/user.slice/user-0.slice/session-4.scope', pidNs: self }, self), null);
  });
});

describe('facts/parse-facts: the verdict with the playbook\'s never-restart list', () => {
  it('the lab service on the never-restart list puts a scenario host on the reboot list by its unit name', () => {
    const f = parseProbeOutput(fixture('lab-debian-systemd-scenarios.txt'), { neverRestart: ['remedy-labd'] });
    const held = f.rebootReasons.filter((r) => r.kind === 'never-restart');
    assert.deepEqual(held.map((r) => r.evidence?.['unit']), ['remedy-labd.service']);
    const same = verdictOf(parseProbeOutput(fixture('lab-debian-systemd-scenarios.txt')), { neverRestart: ['remedy-labd'] });
    assert.deepEqual(same.reasons, f.rebootReasons, 'verdictOf on facts gathered without the list gives the same answer');
  });
});
