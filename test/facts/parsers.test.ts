/** Table tests of the single parsers, on lines taken from captured probe output. */
import { strict as assert } from 'node:assert';
import { ownerFromCgroup } from '../../src/facts/parse-owners.js';
import { buildVersionOf, decideKernel, installedAfterBoot, listKernels, parsePackages, parseRebootFlag } from '../../src/facts/parse-packages.js';
import { devFromMaps, majorOf, parseLinks } from '../../src/facts/parse-processes.js';
import { parseInitScripts, parsePidfiles, parseXinetd } from '../../src/facts/parse-services.js';
import { isReplaced, makeIgnore, makeLibraryFilter } from '../../src/facts/parse-stale.js';
import { splitSections } from '../../src/facts/parse-sections.js';
import { parseOs, parseOsRelease } from '../../src/facts/parse-os.js';
import { decideReboot } from '../../src/facts/reboot-verdict.js';
import type { InstalledKernel, KernelFacts, ProcessTable } from '../../src/facts/types.js';
import { fixture } from './fixtures.js';

describe('facts/parse-processes', () => {
  const devs: Array<[string, number]> = [['fe:00', 65024], ['00:4e', 78], ['08:01', 2049], ['103:02', 66306], ['fd:100', 1113344]];
  for (const [maps, st] of devs) it(`maps dev ${maps} is st_dev ${st}`, () => assert.equal(devFromMaps(maps), st));
  it('majorOf undoes makedev', () => {
    assert.equal(majorOf(65024), 254);
    assert.equal(majorOf(80), 0);
    assert.equal(majorOf(1113344), 253);
  });
  it('reads exe and namespace links, and why a link could not be read', () => {
    const l = parseLinks([
      'lrwxrwxrwx 1 root root 0 Nov 21 20:21 /proc/45/exe -> /usr/local/sbin/remedy-labd (deleted)',
      'lrwxrwxrwx 1 root root 0 Nov 21 20:21 /proc/45/ns/mnt -> mnt:[4026532516]',
      "ls: cannot read symbolic link '/proc/1/exe': Permission denied",
    ]);
    assert.equal(l.exe.get(45), '/usr/local/sbin/remedy-labd (deleted)');
    assert.equal(l.mnt.get(45), 'mnt:[4026532516]');
    assert.equal(l.errors.get(1), 'Permission denied');
  });
});

describe('facts/parse-stale', () => {
  const table = (dev: number | null, inode: number): ProcessTable => ({
    processes: [], selfPid: null, selfMountNs: null, selfPidNs: null, unknown: [], files: new Map([['/usr/lib/x.so', { dev, inode }]]),
  });
  const rows: Array<[string, number | null, number, string, number, boolean | null]> = [
    ['same dev and inode', 65024, 339380, 'fe:00', 339380, false],
    ['same dev, new inode (renamed over)', 65024, 1, 'fe:00', 339380, true],
    ['overlayfs: anonymous st_dev, same inode', 80, 339380, '00:4e', 339380, false],
    ['overlayfs: anonymous st_dev, new inode', 80, 2, '00:4e', 339380, true],
    ['another real device', 2049, 339380, 'fe:00', 339380, true],
    ['only the inode known (no stat)', null, 339380, 'fe:00', 339380, false],
  ];
  for (const [what, dev, ino, mdev, mino, want] of rows) {
    it(`isReplaced: ${what}`, () => assert.equal(isReplaced(table(dev, ino), '/usr/lib/x.so', mdev, mino), want));
  }
  it('isReplaced: unknown when the path could not be stat-ed', () => assert.equal(isReplaced(table(1, 1), '/other', 'fe:00', 1), null));
  it('ignores prefixes and globs', () => {
    const ignored = makeIgnore(['/tmp/', '/opt/*/cache/**']);
    assert.equal(ignored('/tmp/x.so'), true);
    assert.equal(ignored('/opt/app/cache/a/b.so'), true);
    assert.equal(ignored('/opt/app/lib/b.so'), false);
    assert.equal(makeIgnore()('/memfd:wayland (deleted)'), true);
  });
  it('matches a library glob by name, by path and across merged /usr', () => {
    assert.equal(makeLibraryFilter('libwrap.so*')('/usr/lib64/libwrap.so.0.7.6'), true);
    assert.equal(makeLibraryFilter('/lib64/libwrap.so*')('/usr/lib64/libwrap.so.0.7.6'), true);
    assert.equal(makeLibraryFilter('/usr/lib64/libwrap.so*')('/lib64/libwrap.so.0'), true);
    assert.equal(makeLibraryFilter('/lib64/libwrap.so*')('/usr/lib64/libssl.so.3'), false);
    assert.equal(makeLibraryFilter(undefined)('/anything'), true);
  });
});

describe('facts/parse-services', () => {
  it('reads pidfiles and executables of init scripts, expanding $NAME and ${VAR-default}', () => {
    const s = parseInitScripts([
      'script /etc/init.d/xinetd', 'script /etc/init.d/dbus', 'script /etc/init.d/ssh', 'script /etc/init.d/httpd',
      '/etc/init.d/xinetd:NAME=xinetd', '/etc/init.d/xinetd:DAEMON=/usr/sbin/$NAME', '/etc/init.d/xinetd:PIDFILE=/run/$NAME.pid',
      '/etc/init.d/dbus:DAEMON=/usr/bin/dbus-daemon', '/etc/init.d/dbus:PIDDIR=/var/run/dbus', '/etc/init.d/dbus:PIDFILE=$PIDDIR/pid',
      '/etc/init.d/ssh:\tstart-stop-daemon --stop --quiet --oknodo --pidfile /run/sshd.pid --exec /usr/sbin/sshd',
      '/etc/init.d/httpd:pidfile=${PIDFILE-/var/run/httpd/httpd.pid}', '/etc/init.d/httpd:exec=/usr/sbin/httpd',
    ]);
    const by = new Map(s.map((x) => [x.name, x]));
    assert.deepEqual(by.get('xinetd'), { name: 'xinetd', path: '/etc/init.d/xinetd', pidfiles: ['/run/xinetd.pid'], executables: ['xinetd', '/usr/sbin/xinetd'] });
    assert.deepEqual(by.get('dbus')!.pidfiles, ['/var/run/dbus/pid']);
    assert.deepEqual(by.get('ssh')!.pidfiles, ['/run/sshd.pid']);
    assert.deepEqual(by.get('ssh')!.executables, ['/usr/sbin/sshd']);
    assert.deepEqual(by.get('httpd')!.pidfiles, ['/var/run/httpd/httpd.pid']);
  });
  it('folds /var/run pidfiles into /run', () => {
    const p = parsePidfiles(['/run/remedy-labd.pid 23', '/var/run/remedy-labd.pid 23', '/run/sshd.pid 10', '/run/bad.pid x']);
    assert.deepEqual([...p.entries()], [[23, ['/run/remedy-labd.pid']], [10, ['/run/sshd.pid']]]);
  });
  it('names xinetd services by id, with their server and whether they are disabled', () => {
    const x = parseXinetd(fixture('lab-debian-sysv-scenarios.txt').split('\n').filter((l) => l.startsWith('/etc/xinetd')));
    assert.deepEqual(x.find((s) => s.server), { name: 'remedy-imap', service: 'remedy-imap', server: '/usr/local/libexec/remedy-lab/remedy-imapd', disabled: false, file: '/etc/xinetd.d/remedy-imap' });
    assert.ok(x.some((s) => s.name === 'chargen-stream' && s.disabled));
  });
});

describe('facts/parse-owners: systemd cgroups', () => {
  const rows: Array<[string | null, string | null]> = [
    ['/system.slice/remedy-labd.service', 'systemd-unit:remedy-labd.service'],
    ['/user.slice/user-1500.slice/session-65.scope', 'session:session-65.scope'],
    ['/user.slice/user-1500.slice/user@1500.service/app.slice/foo.service', 'user:remedy-user'],
    ['/user.slice/user-1500.slice/user@1500.service/init.scope', 'user:remedy-user'],
    ['/payload/system.slice/systemd-journald.service', 'systemd-unit:systemd-journald.service'],
    ['/system.slice/docker-0123abcd.scope', 'systemd-unit:docker-0123abcd.scope'],
    ['/init.scope', 'systemd-unit:init.scope'],
    ['/', null],
    [null, null],
  ];
  for (const [cg, want] of rows) {
    it(`${cg} → ${want}`, () => {
      const o = ownerFromCgroup(cg, 'remedy-user');
      assert.equal(o && `${o.kind}:${o.name}`, want);
    });
  }
});

describe('facts/parse-packages and the kernel verdict', () => {
  const k = (release: string, source: InstalledKernel['source'] = 'rpm', version?: string): InstalledKernel => ({ release, source, installTime: 1, ...(version ? { version } : {}) });
  it('orders kernels by release as rpm does (362.24 after 362.8)', () => {
    const pk = parsePackages(splitSections([
      '@@rpm', 'kernel-core\t0:5.14.0-362.24.1.el9_3\tx86_64\t1700000100', 'kernel-core\t0:5.14.0-362.8.1.el9_3\tx86_64\t1700000000',
      'package kernel-rt is not installed', '@@boot', '1700000000 /boot/vmlinuz-0-rescue-abc', '1700000000 /boot/vmlinuz-5.14.0-362.8.1.el9_3.x86_64',
    ].join('\n')));
    assert.deepEqual(listKernels(pk).map((x) => x.release), ['5.14.0-362.8.1.el9_3.x86_64', '5.14.0-362.24.1.el9_3.x86_64']);
  });
  it('reads dpkg kernels, skipping meta and debug packages and uninstalled ones', () => {
    const pk = parsePackages(splitSections([
      '@@dpkg', 'linux-image-6.1.0-18-amd64\t6.1.76-1\tii \t1707000000', 'linux-image-amd64\t6.1.76-1\tii \t1707000000',
      'linux-image-6.1.0-9-amd64\t6.1.27-1\trc \t', 'linux-image-6.1.0-18-amd64-dbg\t6.1.76-1\tii \t1', 'libc6\t2.36-9+deb12u4\tii \t',
      '@@dpkg-lists', '1707000500 /var/lib/dpkg/info/libc6:amd64.list',
    ].join('\n')));
    assert.deepEqual(listKernels(pk).map((x) => x.release), ['6.1.0-18-amd64']);
    assert.equal(pk.dpkg.find((p) => p.name === 'libc6')?.installTime, 1707000500);
  });
  const verdicts: Array<[string, string, string, InstalledKernel[], boolean]> = [
    ['newer rpm kernel', '5.14.0-362.8.1.el9_3.x86_64', '', [k('5.14.0-362.8.1.el9_3.x86_64'), k('5.14.0-362.24.1.el9_3.x86_64')], true],
    ['running the newest', '5.14.0-362.24.1.el9_3.x86_64', '', [k('5.14.0-362.8.1.el9_3.x86_64'), k('5.14.0-362.24.1.el9_3.x86_64')], false],
    ['uname without arch, rpm with it', '6.18.44-fc-v669', '', [k('6.18.44-fc_v669.x86_64')], false],
    ['Debian same-ABI update', '6.1.0-18-amd64', '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)', [k('6.1.0-18-amd64', 'dpkg', '6.1.76-2')], true],
    ['Debian build matches', '6.1.0-18-amd64', '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)', [k('6.1.0-18-amd64', 'dpkg', '6.1.76-1')], false],
    ['running kernel newer than any installed', '6.18.44-fc-v669', '', [k('6.1.0-18-amd64', 'boot')], false],
    ['no kernel installed (container)', '6.18.44-fc-v669', '', [], false],
  ];
  for (const [what, running, build, installed, pending] of verdicts) {
    it(`pending=${pending}: ${what}`, () => assert.equal(decideKernel(running, build, installed).pending, pending));
  }
  it('reads the build version Debian and Ubuntu print in uname -v', () => {
    assert.equal(buildVersionOf('#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)'), '6.1.76-1');
    assert.equal(buildVersionOf('#1 SMP PREEMPT_DYNAMIC @0'), null);
  });
  it('counts a core package only when installed strictly after boot', () => {
    const core = [{ name: 'glibc', version: '0:2.34-100', installTime: 100, source: 'rpm' as const }, { name: 'systemd', version: '0:252', installTime: 101, source: 'rpm' as const }];
    assert.deepEqual(installedAfterBoot(core, 100).map((p) => p.name), ['systemd']);
    assert.deepEqual(installedAfterBoot(core, null), []);
  });
  it('reads /run/reboot-required and its package list', () => {
    assert.deepEqual(parseRebootFlag(['flag /run/reboot-required', 'pkg libc6', 'pkg libc6', 'pkg linux-image-6.1.0-18-amd64']), { present: true, file: '/run/reboot-required', packages: ['libc6', 'linux-image-6.1.0-18-amd64'] });
    assert.deepEqual(parseRebootFlag([]), { present: false, packages: [] });
  });
});

describe('facts/parse-os', () => {
  it('unquotes os-release values', () => {
    const r = parseOsRelease(['PRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"', "ID='rhel'", 'ID_LIKE="fedora"', '# comment']);
    assert.equal(r.get('PRETTY_NAME'), 'Red Hat Enterprise Linux 9.4 (Plow)');
    assert.equal(r.get('ID'), 'rhel');
  });
  it('takes the boot time from PID 1 inside a container, not /proc/stat btime', () => {
    const os = parseOs(splitSections(fixture('lab-rhel-sysv-clean.txt')));
    assert.equal(os.kernelBootTime, 1795281053);
    assert.equal(os.bootTime, 1795281053 + Math.floor(1330819 / 100));
    assert.deepEqual([os.family, os.init, os.id], ['rpm', 'sysv', 'rhel']);
  });
  it('places the kernel boot inside btime\'s second with the precise clock minus the uptime', () => {
    // Kernel booted at …053.80 (btime says 053); PID 1 started 15305.30 s later, at …359.10: boot time 359, not 358.
    const lines = (extra: string[]) => ['@@host', 'btime 1795281053', 'clk_tck 100', 'uptime 15306.00', ...extra,
      '@@procs', 'P\t1\t0\t1\t0\t1530530\t0\tremedy-lab-init'].join('\n');
    assert.equal(parseOs(splitSections(lines(['now_precise 1795296359.800000000']))).bootTime, 1795296359);
    assert.equal(parseOs(splitSections(lines([]))).bootTime, 1795296358, 'without the precise clock: btime + start, floored');
    assert.equal(parseOs(splitSections(lines(['now_precise 1795296359.%N']))).bootTime, 1795296358, 'a date without %N');
    assert.equal(parseOs(splitSections(lines(['now_precise 1795299999.5']))).bootTime, 1795296358, 'an estimate outside btime\'s second is ignored');
    assert.equal(parseOs(splitSections(lines(['now_precise 1795296359.0']))).kernelBootTime, 1795281053, 'kernelBootTime stays btime');
  });
});

describe('facts/reboot-verdict', () => {
  const kernel = (pending: boolean): KernelFacts => ({
    running: 'r', build: '', installed: [], newest: null, pending, detail: pending ? 'newer kernel' : 'ok',
    livepatch: { patches: [], covers: false, detail: 'no live patch loaded' },
  });
  const none = { coreAfterBoot: [], rebootFlag: { present: false, packages: [] }, bootTime: 0 };
  it('PID 1 stale alone is no reboot (systemctl daemon-reexec), but is a reason', () => {
    const v = decideReboot({ ...none, kernel: kernel(false), pid1Stale: true });
    assert.equal(v.rebootRequired, false);
    assert.deepEqual(v.reasons.map((r) => r.kind), ['pid1-stale']);
  });
  it('kernel pending, core package and flag each require a reboot', () => {
    assert.equal(decideReboot({ ...none, kernel: kernel(true), pid1Stale: false }).rebootRequired, true);
    assert.equal(decideReboot({ ...none, kernel: kernel(false), pid1Stale: false, rebootFlag: { present: true, packages: [] } }).rebootRequired, true);
    const core = decideReboot({ ...none, kernel: kernel(false), pid1Stale: false, coreAfterBoot: [{ name: 'glibc', version: '2.34', installTime: 5, source: 'rpm' }] });
    assert.deepEqual(core.reasons.map((r) => r.kind), ['core-package']);
    assert.equal(decideReboot({ ...none, kernel: kernel(false), pid1Stale: false }).rebootRequired, false);
  });
});

describe('facts/parse-facts: charging stale processes to owners', () => {
  const proc = (pid: number, ppid: number, sid: number, cgroup: string | null, comm = 'worker') => ({
    pid, ppid, sid, tty: 0, uid: 0, user: 'root', comm, exe: '/usr/sbin/d', startTime: pid, cgroup, mountNs: null, pidNs: null, mappings: [], mapsReadable: true,
  });
  const file = [{ path: '/usr/lib/libssl.so.3', reason: 'deleted' as const }];
  it('one entry per service with every pid; xinetd, session and user processes one by one', async () => {
    const { chargeToOwners } = await import('../../src/facts/parse-facts.js');
    const { ownerOf } = await import('../../src/facts/parse-owners.js');
    const procs = [
      proc(10, 1, 10, null, 'httpd'), proc(11, 10, 10, null), proc(12, 10, 10, null),
      proc(20, 1, 20, null, 'xinetd'), proc(21, 20, 20, null, 'in.telnetd'), proc(22, 20, 20, null, 'in.telnetd'),
      proc(30, 1, 30, null, 'sshd'), proc(31, 30, 31, null, 'sshd'), proc(32, 31, 32, null, 'bash'),
      proc(40, 1, 40, '/system.slice/postfix.service', 'master'), proc(41, 40, 40, '/system.slice/postfix.service', 'qmgr'),
    ];
    procs[4]!.exe = '/usr/sbin/in.telnetd';
    procs[5]!.exe = '/usr/sbin/in.telnetd';
    const ctx = {
      byPid: new Map(procs.map((p) => [p.pid, p])), init: 'sysv' as const,
      initScripts: [{ name: 'httpd', path: '/etc/init.d/httpd', pidfiles: ['/var/run/httpd/httpd.pid'], executables: ['/usr/sbin/httpd'] }],
      pidfiles: new Map([[10, ['/run/httpd/httpd.pid']], [30, ['/run/sshd.pid']]]),
      xinetd: [{ name: 'telnet', service: 'telnet', server: '/usr/sbin/in.telnetd', disabled: false, file: '/etc/xinetd.d/telnet' }],
    };
    const stale = procs.filter((p) => ![20, 30].includes(p.pid));
    const entries = chargeToOwners(stale.map((p) => ({ process: p, owner: ownerOf(p, ctx), files: file })));
    assert.deepEqual(entries.map((e) => [`${e.owner.kind}:${e.owner.name}`, e.pids]), [
      ['init-script:httpd', [10, 11, 12]],
      ['xinetd:telnet', [21]],
      ['xinetd:telnet', [22]],
      ['session:root session 31', [31]],
      ['session:root session 32', [32]],
      ['systemd-unit:postfix.service', [40, 41]],
    ]);
  });
});
