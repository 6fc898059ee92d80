/**
 * The facts on real lab hosts, every flavour, after every scenario builder, compared with the
 * independent tools run on the same host at the same moment: lsof, needrestart -b, checkrestart,
 * rpm -q --last and dpkg's own files. Where remedy is right and a tool is wrong, the test asserts both
 * (the list is in CASES below and in the test names).
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { gatherFacts } from '../../src/facts/gather.js';
import type { HostFacts } from '../../src/facts/types.js';
import { createSshTransport } from '../../src/transport/ssh-transport.js';
import { FLAVORS, stopLab, startLab, suiteLabName, type Lab, type LabHost } from '../lab/index.js';
import { labDir } from '../lab/paths.js';
import { requireLab } from '../lab/require-lab.js';
import * as sc from '../lab/scenarios.js';

/**
 * Cases where remedy is right and the other tools are wrong (observed on the lab, asserted below):
 * 1. The guide's `lsof /usr/lib/.../libwrap.so*` lists nothing once the library was upgraded: the glob
 *    names the new file, the daemon maps the deleted old inode. remedy's library_glob finds the daemon.
 * 2. needrestart -b names xinetd(.service) for the open imap session: restarting xinetd on a SysV
 *    host leaves the old remedy-imapd running. remedy names the xinetd service and the session's pid.
 * 3. needrestart -b on SysV hosts says nothing of remedy-user's application (no systemd session to
 *    find it by); remedy reports it as that user's application.
 * 4. needrestart -b skips its kernel check inside a container and prints no kernel status; remedy
 *    reports the newer installed kernel.
 * 5. checkrestart finds the processes but says "No packages seem to need to be restarted" because
 *    the files belong to no package; remedy names every owner.
 */
const lines = (s: string): string[] => s.split('\n').filter(Boolean);

/** Pids lsof shows mapping deleted code (txt/mem/DEL), outside the ignored paths. */
function lsofStalePids(out: string): Set<number> {
  const pids = new Set<number>();
  for (const l of lines(out)) {
    const f = l.trim().split(/\s+/);
    const fd = f[3] ?? '';
    const name = f.slice(8).join(' ');
    if (!['txt', 'mem', 'DEL'].includes(fd)) continue;
    if (fd !== 'DEL' && !name.endsWith('(deleted)')) continue;
    if (/^\/(dev|tmp|run|var\/tmp|proc|sys|memfd:|SYSV)/.test(name) || name.startsWith('/[')) continue;
    pids.add(Number(f[1]));
  }
  return pids;
}

const stalePids = (f: HostFacts): Set<number> => new Set(f.stale.flatMap((s) => s.pids));
const ownerOf = (f: HostFacts, pid: number): string | undefined => {
  const s = f.stale.find((x) => x.pids.includes(pid));
  return s && `${s.owner.kind}:${s.owner.name}`;
};

describe('facts on the lab, compared with lsof, needrestart, checkrestart and rpm', function () {
  this.timeout(300_000);
  const name = suiteLabName('facts-tests');
  let lab: Lab;

  before(async function () {
    this.timeout(180_000);
    requireLab(this);
    if (existsSync(labDir(name))) await stopLab(name);
    lab = await startLab({ name, count: FLAVORS.length, flavor: 'mixed' });
  });
  after(async () => {
    if (lab && existsSync(labDir(name))) await lab.down();
  });

  const facts = (h: LabHost, opts: { libraryGlob?: string } = {}): Promise<HostFacts> => {
    const t = createSshTransport({
      host: h.name, kind: 'ssh', address: h.address, port: 22, user: 'root', privateKeyFile: lab.keyFile,
      become: false, hostKeyChecking: 'yes', knownHostsFile: lab.knownHostsFile, extra: {},
    }, { sshConfig: null });
    return (async () => { try { await t.connect(); return await gatherFacts(t, { ...opts, timeoutMs: 60_000 }); } finally { await t.close(); } })();
  };
  const run = async (h: LabHost, script: string): Promise<string> => {
    const r = await lab.exec(h, script, { timeoutMs: 90_000 });
    if (r.code === null) throw new Error(`${h.name}: no answer in 90 s from: ${script}`);
    return r.stdout;
  };

  for (const [i, flavor] of FLAVORS.entries()) {
    describe(`${flavor} host`, () => {
      const sysv = flavor.endsWith('sysv');
      const rhel = flavor.startsWith('rhel');
      let h: LabHost;
      let scenario: {
        lib: sc.ReplacedLibrary; exe: sc.ReplacedExecutable; app: sc.UserApplication; xinetd: sc.XinetdSession;
        kernel: sc.NewerKernel; core: sc.CoreLibraryInstall;
      };
      let after: HostFacts;
      let tools: { lsof: string; needrestart: string; checkrestart: string; glob: string; rpmLast: string };

      before(() => { h = lab.hosts[i]!; assert.equal(h.flavor, flavor); });

      it('clean host: nothing stale, no reboot; needrestart agrees', async () => {
        const f = await facts(h);
        assert.deepEqual(f.stale, []);
        assert.equal(f.rebootRequired, false, JSON.stringify(f.rebootReasons));
        assert.deepEqual(f.unknown, []);
        assert.doesNotMatch(await run(h, 'needrestart -b 2>/dev/null'), /NEEDRESTART-(SVC|SESS)/);
        assert.equal(lsofStalePids(await run(h, 'lsof -nP 2>/dev/null')).size, 0);
      });

      it('after every scenario: remedy finds each stale process, the pids lsof finds', async () => {
        const lib = await sc.replaceSharedLibrary(lab, h);
        const exe = await sc.replaceServiceExecutable(lab, h);
        const app = await sc.startUserApplication(lab, h);
        const xinetd = await sc.openXinetdSessionThenUpgrade(lab, h);
        const kernel = await sc.installNewerKernel(lab, h);
        const core = await sc.installCoreLibraryAfterBoot(lab, h);
        await sc.setRebootRequired(lab, h);
        scenario = { lib, exe, app, xinetd, kernel, core };
        // The same moment: remedy's probe, then the tools, while the imap session is still open.
        after = await facts(h);
        tools = {
          lsof: await run(h, 'lsof -nP 2>/dev/null'),
          needrestart: await run(h, 'needrestart -b 2>/dev/null'),
          checkrestart: await run(h, 'checkrestart 2>&1'),
          glob: await run(h, 'lsof /usr/lib/remedy-lab/libwrap.so* 2>/dev/null'),
          rpmLast: rhel ? await run(h, 'TZ=UTC rpm -q --last kernel-core glibc 2>/dev/null') : '',
        };
        await xinetd.close();
        assert.deepEqual([...stalePids(after)].sort((a, b) => a - b), [...lsofStalePids(tools.lsof)].sort((a, b) => a - b));
        assert.ok(lib.pids.every((p) => stalePids(after).has(p)));
        const service = sysv ? 'init-script:remedy-labd' : 'systemd-unit:remedy-labd.service';
        assert.equal(ownerOf(after, exe.pid), service);
        const svc = after.stale.find((s) => s.pids.includes(exe.pid))!;
        assert.deepEqual([...svc.files].sort(), [lib.library, exe.executable].sort());
        assert.match(ownerOf(after, app.pid) ?? '', sysv ? /^user:remedy-user$/ : /^session:session-\d+\.scope$/);
        assert.equal(ownerOf(after, xinetd.pid), 'xinetd:remedy-imap');
        assert.deepEqual(after.unknown, []);
      });

      it('the reboot verdict: kernel pending, core package after boot, flag file', () => {
        assert.equal(after.rebootRequired, true);
        assert.equal(after.kernel.newest?.release, scenario.kernel.release);
        assert.equal(after.kernel.pending, true);
        const core = after.coreAfterBoot.find((p) => p.name === (rhel ? 'glibc' : 'libc6'));
        assert.equal(core?.installTime, scenario.core.installedAt);
        assert.deepEqual([...new Set(after.rebootReasons.map((r) => r.kind))], ['kernel-pending', 'core-package', 'reboot-flag']);
      });

      if (rhel) {
        it('rpm -q --last agrees on the install times remedy compares with boot', () => {
          const last = new Map(lines(tools.rpmLast).map((l) => {
            const m = /^(\S+)\s+(.+)$/.exec(l)!;
            return [m[1]!, Math.floor(Date.parse(`${m[2]!.trim()} UTC`) / 1000)];
          }));
          const newest = after.kernel.newest!;
          assert.equal(last.get(`kernel-core-${newest.version!.replace(/^0:/, '')}.x86_64`), newest.installTime);
          assert.equal(last.get('glibc-2.34-101.el9.x86_64'), scenario.core.installedAt);
        });
      }

      it('case 1: the guide\'s `lsof libwrap.so*` is empty after the upgrade; remedy\'s library_glob is not', async () => {
        assert.equal(tools.glob.trim(), '');
        const only = await facts(h, { libraryGlob: '/usr/lib/remedy-lab/libwrap.so*' });
        assert.ok(scenario.lib.pids.length > 0);
        assert.ok(scenario.lib.pids.every((p) => stalePids(only).has(p)));
        assert.ok(only.stale.every((s) => s.files.every((f) => f === scenario.lib.library)));
      });

      it('case 2: needrestart names xinetd itself for the imap session; remedy names remedy-imap and its pid', () => {
        assert.match(tools.needrestart, /^NEEDRESTART-SVC: xinetd(\.service)?$/m);
        assert.doesNotMatch(tools.needrestart, /imap/);
        assert.equal(ownerOf(after, scenario.xinetd.pid), 'xinetd:remedy-imap');
      });

      if (sysv) {
        it('case 3: needrestart misses remedy-user\'s application on SysV; remedy reports it', () => {
          assert.doesNotMatch(tools.needrestart, /remedy-user|NEEDRESTART-SESS/);
          assert.equal(ownerOf(after, scenario.app.pid), 'user:remedy-user');
        });
      } else {
        it('needrestart agrees on the user\'s session', () => {
          assert.match(tools.needrestart, /^NEEDRESTART-SESS: remedy-user @ session #\d+$/m);
        });
      }

      it('case 4: needrestart -b prints no kernel status in a container; remedy finds the pending kernel', () => {
        assert.doesNotMatch(tools.needrestart, /NEEDRESTART-KSTA/);
        assert.ok(after.rebootReasons.some((r) => r.kind === 'kernel-pending' && r.detail.includes(scenario.kernel.release)));
      });

      it('case 5: checkrestart finds the processes but asks for no restart; remedy names every owner', () => {
        assert.match(tools.checkrestart, /Found \d+ processes using old versions of upgraded files/);
        assert.match(tools.checkrestart, /No packages seem to need to be restarted/);
        assert.equal(new Set(after.stale.map((s) => s.owner.kind)).size, 3);
      });

      it('the C library renamed over under every process: all stale as lsof says, PID 1 asks for daemon-reexec', async () => {
        const libc = '/usr/lib/x86_64-linux-gnu/libc.so.6';
        await run(h, `cp -p ${libc} ${libc}.remedy-new && mv -f ${libc}.remedy-new ${libc}`);
        const f = await facts(h);
        const lsof = lsofStalePids(await run(h, 'lsof -nP 2>/dev/null'));
        // lsof's own shell started after the rename; everything older maps the deleted libc.
        assert.deepEqual([...stalePids(f)].filter((p) => lsof.has(p)).length, lsof.size);
        assert.ok(stalePids(f).has(1));
        assert.equal(f.pid1Stale, true);
        assert.ok(f.rebootReasons.some((r) => r.kind === 'pid1-stale'));
        assert.equal(ownerOf(f, 1), sysv ? 'unknown:init (remedy-lab-init)' : 'systemd-unit:init.scope');
        assert.equal(ownerOf(f, scenario.exe.pid), sysv ? 'init-script:remedy-labd' : 'systemd-unit:remedy-labd.service');
        const sshd = Number((await run(h, 'cat /run/sshd.pid')).trim());
        assert.equal(ownerOf(f, sshd), sysv ? 'init-script:ssh' : 'systemd-unit:ssh.service');
      });
    });
  }
});
