/**
 * `remedy check` (playbooks/check.yml) against a lab of one host of each flavour (systemd, SysV, RHEL and
 * RHEL with SysV init), each with its own scenarios, compared with what needrestart -b, checkrestart and
 * rpm -q --last say on the same host.
 * Where remedy is more precise than the tool, the test asserts both (see the test names).
 */
import { strict as assert } from 'node:assert';
import { FLAVORS, startLab, type Lab, type LabHost, suiteLabName } from '../lab/index.js';
import { isRhel } from '../lab/flavor.js';
import { requireLab } from '../lab/require-lab.js';
import { IMAPD, LAB_DAEMON, LAB_LIB, LAB_USER, APP_LIB } from '../lab/layer.js';
import * as sc from '../lab/scenarios.js';
import { quietRootShell } from '../steps/lab-helpers.js';
import { hostSection, linesUnder, onHost, runPlaybook, type PlaybookRun } from './category-helpers.js';

interface Tools { needrestart: string; checkrestart: string; rpmLast: string; flag: string; uname: string }

describe('remedy check on the lab, compared with needrestart, checkrestart and rpm', function () {
  this.timeout(240_000);
  let lab: Lab | undefined;
  let run: PlaybookRun;
  const tools = new Map<string, Tools>();
  let systemd: LabHost, sysv: LabHost, rhel: LabHost, rhelSysv: LabHost;
  let unit: sc.ReplacedExecutable, app: sc.UserApplication, script: sc.ReplacedExecutable;
  let session: sc.XinetdSession, kernel: sc.NewerKernel, core: { package: string; installedAt: number };
  let library: sc.ReplacedLibrary, sysvApp: sc.UserApplication, sysvCore: { package: string; installedAt: number };

  before(async function () {
    this.timeout(180_000);
    requireLab(this);
    lab = await startLab({ name: suiteLabName('category-tests'), count: FLAVORS.length, flavor: FLAVORS });
    await quietRootShell(lab);
    [systemd, sysv, rhel, rhelSysv] = lab.hosts as [LabHost, LabHost, LabHost, LabHost];
    unit = await sc.replaceServiceExecutable(lab, systemd);
    app = await sc.startUserApplication(lab, systemd);
    script = await sc.replaceServiceExecutable(lab, sysv);
    session = await sc.openXinetdSessionThenUpgrade(lab, sysv);
    kernel = await sc.installNewerKernel(lab, rhel);
    core = await sc.installCoreLibraryAfterBoot(lab, rhel);
    library = await sc.replaceSharedLibrary(lab, rhelSysv);
    sysvApp = await sc.startUserApplication(lab, rhelSysv);
    sysvCore = await sc.installCoreLibraryAfterBoot(lab, rhelSysv);
    run = await runPlaybook(lab, 'check');
    // The tools, right after remedy's scan, while the imap session is still open.
    for (const h of lab.hosts) {
      tools.set(h.name, {
        needrestart: (await lab.exec(h, 'needrestart -b 2>/dev/null')).stdout,
        checkrestart: (await lab.exec(h, 'checkrestart 2>&1')).stdout,
        rpmLast: (await lab.exec(h, 'TZ=UTC rpm -q --last kernel-core glibc 2>/dev/null')).stdout,
        flag: (await lab.exec(h, 'test -e /run/reboot-required && echo present || echo absent')).stdout.trim(),
        uname: (await lab.exec(h, 'uname -r')).stdout.trim(),
      });
    }
  });
  after(async () => {
    await session?.close();
    await lab?.down();
  });

  const section = (h: LabHost): string => hostSection(run.stdout, h.name);
  const tool = (h: LabHost): Tools => tools.get(h.name)!;

  it('exits 0, changes nothing, and names exactly the RHEL hosts as needing a reboot', async () => {
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(run.report.playbooks.map((p) => p.replace(/.*\//, '')), ['check.yml']);
    assert.equal(run.report.summary.changed, 0);
    assert.deepEqual([...run.report.summary.rebootRequired].sort(), [rhel.name, rhelSysv.name].sort());
    assert.equal(await onHost(lab!, systemd, 'cat /run/remedy-labd.pid'), String(unit.pid), 'nothing was restarted');
    assert.deepEqual(library.pids.map(String), [await onHost(lab!, rhelSysv, 'cat /run/remedy-labd.pid')], 'nothing was restarted');
    assert.match(await onHost(lab!, sysv, `readlink /proc/${session.pid}/exe`), /\(deleted\)$/, 'the old session still runs');
  });

  it('systemd host: the unit and the user\'s session, as needrestart -b names them', () => {
    const text = section(systemd);
    assert.deepEqual(linesUnder(text, 'services to restart (systemd)'), [`remedy-labd.service  pids ${unit.pid}  (${LAB_DAEMON})`]);
    assert.match(tool(systemd).needrestart, /^NEEDRESTART-SVC: remedy-labd\.service$/m);
    const sessionLines = linesUnder(text, 'login sessions still running old code');
    assert.equal(sessionLines.length, 1);
    const m = new RegExp(`^${LAB_USER}: remedy-lab-app \\(session-(\\d+)\\.scope\\)  pids ${app.pid}  \\(${APP_LIB}\\)$`).exec(sessionLines[0]!);
    assert.ok(m, sessionLines[0]);
    assert.match(tool(systemd).needrestart, new RegExp(`^NEEDRESTART-SESS: ${LAB_USER} @ session #${m[1]}$`, 'm'), 'the same session number');
    assert.match(text, /\n {2}no reboot needed$/);
  });

  it('SysV host: the init script like needrestart; the imap session by service and pid where needrestart only says xinetd', () => {
    const text = section(sysv);
    assert.deepEqual(linesUnder(text, 'services to restart (init scripts)'), [`remedy-labd  pids ${script.pid}  (${LAB_DAEMON})`]);
    assert.match(tool(sysv).needrestart, /^NEEDRESTART-SVC: remedy-labd$/m);
    assert.deepEqual(linesUnder(text, 'xinetd sessions still running old code'), [`remedy-imap  pids ${session.pid}  (${IMAPD})`]);
    assert.match(tool(sysv).needrestart, /^NEEDRESTART-SVC: xinetd$/m);
    assert.doesNotMatch(tool(sysv).needrestart, /imap/);
    assert.match(text, /\n {2}no reboot needed$/);
  });

  it('RHEL host: nothing stale; the reboot reasons agree with rpm -q --last and the boot time', () => {
    const text = section(rhel);
    assert.match(text, /\n {2}nothing runs old code\n/);
    const reasons = linesUnder(text, 'reboot required');
    assert.ok(reasons.includes(`kernel-pending: newest installed kernel ${kernel.release} is not the running ${tool(rhel).uname}`), reasons.join('\n'));
    const last = new Map(tool(rhel).rpmLast.split('\n').filter(Boolean).map((l) => {
      const [, name, when] = /^(\S+)\s+(.+)$/.exec(l)!;
      return [name!, new Date(Date.parse(`${when!.trim()} UTC`)).toISOString()];
    }));
    const kernelCore = `kernel-core-${kernel.release}`;
    assert.ok(last.has(kernelCore), `rpm -q --last lists ${kernelCore}:\n${tool(rhel).rpmLast}`);
    assert.ok(reasons.some((r) => r.startsWith('core-package: kernel-core ') && r.includes(`installed ${last.get(kernelCore)}`)), reasons.join('\n'));
    const glibc = [...last.keys()].find((k) => k.startsWith(core.package))!;
    assert.equal(last.get(glibc), new Date(core.installedAt * 1000).toISOString());
    assert.ok(reasons.some((r) => r.startsWith('core-package: glibc ') && r.includes(`installed ${last.get(glibc)}`)), reasons.join('\n'));
    assert.doesNotMatch(tool(rhel).needrestart, /NEEDRESTART-KSTA/, 'needrestart -b has no kernel verdict in a container');
  });

  it('RHEL SysV host: the init script mapping the old library like needrestart; the user\'s application; glibc installed after boot as rpm says', () => {
    const text = section(rhelSysv);
    assert.deepEqual(linesUnder(text, 'services to restart (init scripts)'), [`remedy-labd  pids ${library.pids.join(',')}  (${LAB_LIB})`]);
    assert.match(tool(rhelSysv).needrestart, /^NEEDRESTART-SVC: remedy-labd$/m);
    assert.deepEqual(linesUnder(text, 'applications to restart'), [`${LAB_USER}: remedy-lab-app  pids ${sysvApp.pid}  (${APP_LIB})`]);
    const reasons = linesUnder(text, 'reboot required');
    assert.ok(!reasons.some((r) => r.startsWith('kernel-pending')), reasons.join('\n'));
    const [line] = tool(rhelSysv).rpmLast.split('\n').filter((l) => l.startsWith(sysvCore.package));
    assert.ok(line, `rpm -q --last lists ${sysvCore.package}:\n${tool(rhelSysv).rpmLast}`);
    const when = new Date(Date.parse(`${/^\S+\s+(.+)$/.exec(line)![1]!.trim()} UTC`)).toISOString();
    assert.equal(when, new Date(sysvCore.installedAt * 1000).toISOString());
    assert.ok(reasons.some((r) => r.startsWith('core-package: glibc ') && r.includes(`installed ${when}`)), reasons.join('\n'));
  });

  it('the JSON report\'s stale, rebootRequired and rebootReasons match the printed sections and the tools', () => {
    const stalePids = (h: LabHost): number[] => run.host(h.name).stale.map((s) => s.pid).sort((a, b) => a - b);
    assert.deepEqual(stalePids(systemd), [unit.pid, app.pid].sort((a, b) => a - b));
    assert.deepEqual(stalePids(sysv), [script.pid, session.pid].sort((a, b) => a - b));
    assert.deepEqual(stalePids(rhel), []);
    assert.deepEqual(stalePids(rhelSysv), [...library.pids, sysvApp.pid].sort((a, b) => a - b));
    for (const h of lab!.hosts) {
      // checkrestart counts the same processes (then asks for no restart: the files belong to no package).
      const found = /Found (\d+) processes using old versions/.exec(tool(h).checkrestart);
      assert.equal(Number(found?.[1]), stalePids(h).length, `${h.name}: ${tool(h).checkrestart}`);
      assert.equal(tool(h).flag, 'absent');
      const report = run.host(h.name);
      assert.equal(report.rebootRequired, isRhel(h.flavor), h.name);
      const printed = linesUnder(section(h), 'reboot required');
      assert.deepEqual(printed, report.rebootReasons.map((r) => `${r.kind}: ${r.detail}`));
    }
    assert.deepEqual([...new Set(run.host(rhel.name).rebootReasons.map((r) => r.kind))].sort(), ['core-package', 'kernel-pending']);
    assert.deepEqual(run.host(systemd.name).stale.map((s) => s.owner.kind).sort(), ['session', 'systemd-unit']);
    assert.deepEqual(run.host(sysv.name).stale.map((s) => s.owner.kind).sort(), ['init-script', 'xinetd']);
    assert.deepEqual(run.host(rhelSysv.name).stale.map((s) => s.owner.kind).sort(), ['init-script', 'user']);
    assert.deepEqual(run.host(rhelSysv.name).rebootReasons.map((r) => r.kind), ['core-package']);
  });
});
