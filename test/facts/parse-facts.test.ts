import { strict as assert } from 'node:assert';
import { parseProbeOutput } from '../../src/facts/parse-facts.js';
import type { HostFacts } from '../../src/facts/types.js';
import { fixture } from './fixtures.js';

const owners = (f: HostFacts): string[] => f.stale.map((s) => `${s.owner.kind}:${s.owner.name}`).sort();
const kinds = (f: HostFacts): string[] => f.rebootReasons.map((r) => r.kind);

describe('facts/parse-facts on lab hosts after the scenarios', () => {
  const cases = [
    { file: 'lab-debian-systemd-scenarios.txt', family: 'dpkg', init: 'systemd', service: 'systemd-unit:remedy-labd.service', app: 'session:session-5128.scope', kernel: '6.99.0-1-remedy-lab', core: ['libc6'] },
    { file: 'lab-debian-sysv-scenarios.txt', family: 'dpkg', init: 'sysv', service: 'init-script:remedy-labd', app: 'user:remedy-user', kernel: '6.99.0-1-remedy-lab', core: ['libc6'] },
    { file: 'lab-rhel-systemd-scenarios.txt', family: 'rpm', init: 'systemd', service: 'systemd-unit:remedy-labd.service', app: 'session:session-5235.scope', kernel: '6.99.0-1.el9.x86_64', core: ['glibc', 'kernel', 'kernel-core'] },
    { file: 'lab-rhel-sysv-scenarios.txt', family: 'rpm', init: 'sysv', service: 'init-script:remedy-labd', app: 'user:remedy-user', kernel: '6.99.0-1.el9.x86_64', core: ['glibc', 'kernel', 'kernel-core'] },
  ];
  for (const c of cases) {
    describe(c.file, () => {
      const f = parseProbeOutput(fixture(c.file));
      it('knows the os, its init system and boot time from PID 1', () => {
        assert.equal(f.os.family, c.family);
        assert.equal(f.os.init, c.init);
        assert.ok(f.os.bootTime !== null && f.os.kernelBootTime !== null);
        // A container's boot is PID 1's start, hours after the machine's kernel booted.
        assert.ok(f.os.bootTime! - f.os.kernelBootTime! > 3600);
      });
      it('charges each stale process to its owner: service, xinetd service, session or user', () => {
        assert.deepEqual(owners(f), [c.app, c.service, 'xinetd:remedy-imap'].sort());
        const svc = f.stale.find((s) => `${s.owner.kind}:${s.owner.name}` === c.service)!;
        assert.deepEqual([...svc.files].sort(), ['/usr/lib/remedy-lab/libwrap.so.0', '/usr/local/sbin/remedy-labd']);
        assert.ok(svc.staleFiles.every((s) => s.reason === 'deleted'));
        const app = f.stale.find((s) => s.command === 'remedy-lab-app')!;
        assert.equal(app.user, 'remedy-user');
        assert.deepEqual(app.files, ['/usr/lib/remedy-lab/libremedy-app.so.1']);
      });
      it('finds the pending kernel, the core package after boot and the flag file', () => {
        assert.equal(f.kernel.pending, true);
        assert.equal(f.kernel.newest?.release, c.kernel);
        assert.deepEqual(f.coreAfterBoot.map((p) => p.name).sort(), c.core);
        assert.deepEqual(f.rebootFlag, { present: true, file: '/run/reboot-required', packages: ['libc6'] });
        assert.equal(f.rebootRequired, true);
        assert.deepEqual([...new Set(kinds(f))], ['kernel-pending', 'core-package', 'reboot-flag']);
        assert.equal(f.pid1Stale, false);
      });
      it('restricts the scan to a library glob, as `lsof /lib/libwrap.so*`', () => {
        for (const glob of ['/usr/lib/remedy-lab/libwrap.so*', '/lib/remedy-lab/libwrap.so*', 'libwrap.so*']) {
          const only = parseProbeOutput(fixture(c.file), { libraryGlob: glob });
          assert.deepEqual(owners(only), [c.service], glob);
          assert.deepEqual(only.stale[0]!.files, ['/usr/lib/remedy-lab/libwrap.so.0']);
        }
      });
      it('has nothing unknown as root', () => assert.deepEqual(f.unknown, []));
    });
  }
});

describe('facts/parse-facts on clean lab hosts', () => {
  for (const file of ['lab-debian-systemd-clean.txt', 'lab-debian-sysv-clean.txt', 'lab-rhel-systemd-clean.txt', 'lab-rhel-sysv-clean.txt']) {
    it(`${file}: nothing stale, no reboot`, () => {
      const f = parseProbeOutput(fixture(file));
      assert.deepEqual(f.stale, []);
      assert.equal(f.rebootRequired, false, JSON.stringify(f.rebootReasons));
      assert.equal(f.kernel.pending, false);
    });
  }
  it('matches the running kernel to its rpm (uname 6.18.44-fc-v669, rpm 6.18.44-fc_v669.x86_64)', () => {
    const f = parseProbeOutput(fixture('lab-rhel-systemd-clean.txt'));
    assert.deepEqual(f.kernel.installed.map((k) => k.release), ['6.18.44-fc_v669.x86_64']);
    assert.match(f.kernel.detail, /running the newest/);
  });
});

describe('facts/parse-facts on this machine', () => {
  it('finds a deleted exe, a deleted mapping and a file replaced at the same path', () => {
    const f = parseProbeOutput(fixture('debian-host-planted.txt'));
    const got = f.stale.map((s) => [s.command, s.staleFiles.map((x) => `${x.reason} ${x.path.replace(/.*\//, '')}`)]);
    assert.deepEqual(got, [
      ['app', ['deleted app']],
      ['sleep', ['deleted libmark.so']],
      ['sleep', ['replaced libbind.so']],
    ]);
    assert.ok(f.stale.every((s) => s.owner.kind === 'user' && s.owner.name === 'root'));
  });
  it('reports unreadable PID 1 as unknown, with reasons; scans the container\'s processes (none stale)', () => {
    const f = parseProbeOutput(fixture('debian-host-planted.txt'));
    assert.deepEqual(f.unknown.map((u) => u.what).sort(), ['exe', 'maps']);
    assert.match(f.unknown.find((u) => u.what === 'maps')!.reason, /\/proc\/1\/maps is not readable/);
    assert.equal(f.processCount, 5, 'the container\'s systemd (another PID namespace) is scanned too: 4 before');
    assert.ok(f.stale.every((s) => s.owner.kind !== 'container'));
  });
  it('says why a non-root probe cannot see other users\' processes', () => {
    const f = parseProbeOutput(fixture('debian-nonroot.txt'));
    assert.deepEqual(f.stale, []);
    const maps = f.unknown.filter((u) => u.what === 'maps');
    assert.deepEqual(maps.map((u) => u.pid).sort((a, b) => a! - b!), [1, 1139, 1145]);
    assert.ok(maps.every((u) => /without root \(probe ran as uid 65534\)/.test(u.reason)));
  });
  it('turns truncated output into an unknown fact instead of throwing', () => {
    const text = fixture('lab-debian-systemd-scenarios.txt');
    const f = parseProbeOutput(text.slice(0, text.indexOf('@@links')));
    assert.ok(f.unknown.some((u) => u.what === 'probe' && /incomplete/.test(u.reason)));
    assert.deepEqual(f.stale, []);
    assert.equal(parseProbeOutput('').os.id, 'unknown');
  });
});
