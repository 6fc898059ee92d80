/**
 * Graded remediation, the health gate and the reboot veto (issue 16) on one lab of three systemd
 * hosts, through the remedy CLI and its JSON report; every verdict behind a choice is confirmed on the
 * host with an independent tool (needrestart -b and its own kernel check, /proc, systemctl, ps), and so
 * is every change or its absence:
 * - svc: remedy-labd runs a libwrap.so.0 renamed over under it (scenarios.replaceSharedLibrary) → restart;
 * - pid1: PID 1 really is stale: /usr/lib/systemd/systemd is renamed over (a copy), as a systemd upgrade
 *   would. root's user manager (`systemd --user`, the same binary, kept running with linger) is stale
 *   too: without allow_kill remediate leaves it, as needrestart's "root @ user manager service" → daemon-reexec;
 * - kernel: a newer linux-image installed with dpkg (scenarios.installNewerKernel) → reboot.
 * needrestart -b prints no kernel status inside a container (test/lab/README.md), so the kernel verdict
 * is compared with needrestart's own kernel check (NeedRestart::Kernel), as the scenario suite does.
 * Then a real run on svc and pid1 (restart, daemon-reexec), a health gate that fails and one that
 * passes (serial: 1, a marker file per host), and a veto on the kernel host's reboot.
 */
import { strict as assert } from 'node:assert';
import { startLab, suiteLabName, type Lab, type LabHost } from '../lab/index.js';
import { requireLab } from '../lab/require-lab.js';
import { installNewerKernel, replaceSharedLibrary, type NewerKernel } from '../lab/scenarios.js';
import { upgradeOnHost } from '../lab/verdict-scenarios.js';
import { fileOnHost, labInventory, readReport, runRemedy, scratchDir, statuses, type ReadReport } from '../faults/fault-helpers.js';
import { hostSh, quietRootShell } from './lab-helpers.js';

const KERNEL_CHECK =
  "perl -MNeedRestart -MNeedRestart::UI::stdio -MNeedRestart::Kernel -e 'my ($r, %v) = nr_kernel_check(0, qr(.), NeedRestart::UI::stdio->new(0)); print \"$r $v{EVERSION}\\n\"'";
const REMEDIATE = 'Restart, end, re-execute or reboot, whichever clears the verdict';
const SYSTEMD = '/usr/lib/systemd/systemd';

type Rung = [string, boolean, string];
interface Plan { action: string; decisions: Array<{ action: string; take: boolean; reason: string; detail: string }>; restart: Array<{ name: string; pids: number[] }>; left: Array<{ name: string; kind: string; pids: number[]; reason: string }>; reboot?: { why: string } }

describe('remediate, the health gate and the reboot veto on the lab (systemd, the remedy CLI)', function () {
  this.timeout(180_000);
  let lab: Lab | undefined;
  let svc: LabHost, pid1: LabHost, kernelHost: LabHost;
  let kernel: NewerKernel;
  let labdPid: number;
  const scratch = scratchDir('remediate-lab');
  let inventory = '';

  before(async function () {
    this.timeout(180_000);
    requireLab(this);
    lab = await startLab({ name: suiteLabName('graded-tests'), count: 3, flavor: 'systemd' });
    await quietRootShell(lab);
    [svc, pid1, kernelHost] = lab.hosts as [LabHost, LabHost, LabHost];
    inventory = scratch.file('inventory.yml', labInventory(lab, { svc: { ansible_host: svc.address }, pid1: { ansible_host: pid1.address }, kernel: { ansible_host: kernelHost.address } }));
    const lib = await replaceSharedLibrary(lab, svc);
    labdPid = Number(await sh(svc, 'cat /run/remedy-labd.pid'));
    assert.deepEqual(lib.pids, [labdPid], 'only remedy-labd maps libwrap (no imap session is open)');
    await sh(pid1, 'loginctl enable-linger root && for i in $(seq 50); do systemctl is-active --quiet user@0.service && exit 0; sleep 0.1; done; exit 1');
    await upgradeOnHost(lab, pid1, SYSTEMD);
    kernel = await installNewerKernel(lab, kernelHost);
  });
  after(async function () {
    this.timeout(120_000);
    await lab?.down();
  });

  const sh = (h: LabHost, script: string): Promise<string> => hostSh(lab!, h, script);
  const remedy = async (args: string[], json: string): Promise<{ code: number | null; out: string; r: ReadReport }> => {
    const res = await runRemedy([...args, '-i', inventory, '--json', scratch.file(json), '--no-progress']);
    return { code: res.code, out: res.stdout + res.stderr, r: readReport(scratch.file(json), res.stdout + res.stderr) };
  };
  const stepOf = (r: ReadReport, host: string, task: string) => {
    const s = r.host(host).steps.find((x) => x.task === task);
    assert.ok(s, `${host}: no step ${task} in ${JSON.stringify(r.host(host).steps)}`);
    return s;
  };
  const rungs = (p: Plan): Rung[] => p.decisions.map((d) => [d.action, d.take, d.reason]);
  /** needrestart -b's services and sessions, as it lists them. */
  const needrestart = async (h: LabHost): Promise<string[]> => (await sh(h, 'needrestart -b 2>/dev/null')).split('\n').filter((l) => /^NEEDRESTART-(SVC|SESS):/.test(l));
  /** What must not change in check mode: the daemon's pid and start, PID 1's start and binary, the boot. */
  const snapshot = async (): Promise<string[]> => Promise.all([
    sh(svc, `p=$(cat /run/remedy-labd.pid); echo $p $(ps -o lstart= -p $p); systemctl show -p ActiveEnterTimestamp remedy-labd.service; grep -c 'libwrap.so.0 (deleted)$' /proc/$p/maps`),
    sh(pid1, 'cut -d" " -f22 /proc/1/stat; readlink /proc/1/exe'),
    sh(kernelHost, 'cat /proc/sys/kernel/random/boot_id; cut -d" " -f22 /proc/1/stat'),
  ]);

  it('check mode over three planted hosts: restart, daemon-reexec and reboot, each with why; the verdicts agree with needrestart and /proc; nothing changed', async () => {
    const before = await snapshot();
    const userManager = (await sh(pid1, `for p in /proc/[0-9]*; do [ "$(readlink $p/exe 2>/dev/null)" = "${SYSTEMD} (deleted)" ] && echo \${p#/proc/}; done | sort -n; true`)).split('\n').map(Number);
    assert.equal(userManager[0], 1, 'PID 1 runs the replaced binary');
    const managerPid = Number(await sh(pid1, 'systemctl show -p MainPID --value user@0.service'));
    assert.ok(userManager.includes(managerPid), `root's user manager ${managerPid} runs it too: ${userManager.join(' ')}`);
    const { code, out, r } = await remedy(['run', 'playbooks/graded.yml', '--check', '-e', 'reboot=true'], 'check.json');
    assert.equal(code, 0, out);
    assert.equal(r.check, true);

    const a = stepOf(r, 'svc', REMEDIATE);
    const pa = a.plan as Plan;
    assert.equal(a.status, 'skipped');
    assert.match(a.message, /^check mode: would restart; \+ restart \(stale-services\): remedy-labd\.service run replaced code: restarting them clears it$/);
    assert.deepEqual([pa.action, rungs(pa), pa.restart.map((x) => [x.name, x.pids])], ['restart', [['restart', true, 'stale-services']], [['remedy-labd.service', [labdPid]]]]);
    assert.deepEqual(await needrestart(svc), ['NEEDRESTART-SVC: remedy-labd.service'], 'needrestart names the same service, and nothing else');

    const b = stepOf(r, 'pid1', REMEDIATE);
    const pb = b.plan as Plan;
    assert.equal(b.status, 'skipped');
    assert.match(b.message, /^check mode: would daemon-reexec; .*\+ daemon-reexec \(pid1-stale\): PID 1 \(systemd\) maps replaced files: systemctl daemon-reexec clears it without a reboot; left: root \(kill-not-allowed\)$/);
    assert.deepEqual([pb.action, rungs(pb)], ['daemon-reexec', [['kill', false, 'kill-not-allowed'], ['daemon-reexec', true, 'pid1-stale']]]);
    assert.deepEqual(pb.left.map((s) => [s.kind, s.name, s.pids]), [['user', 'root', userManager.slice(1)]], 'the user manager is left: allow_kill is false');
    assert.deepEqual(await needrestart(pid1), ['NEEDRESTART-SVC: systemd-manager', 'NEEDRESTART-SESS: root @ user manager service']);
    assert.deepEqual([r.host('pid1').rebootRequired, r.host('pid1').rebootReasons], [false, []], 'a stale PID 1 alone needs no reboot (and is no reboot reason in the report)');

    const c = stepOf(r, 'kernel', REMEDIATE);
    const pc = c.plan as Plan;
    const running = await sh(kernelHost, 'uname -r');
    assert.equal(c.status, 'skipped');
    assert.match(c.message, new RegExp(`^check mode: would reboot; - soft-reboot \\(kernel-space\\): not enough: a newer kernel is installed \\(newest installed kernel ${kernel.release} is not the running ${running}\\); \\+ reboot \\(kernel-pending\\): needs a reboot`));
    assert.deepEqual([pc.action, rungs(pc)], ['reboot', [['soft-reboot', false, 'kernel-space'], ['reboot', true, 'kernel-pending']]]);
    const reason = r.host('kernel').rebootReasons.find((x) => x.kind === 'kernel-pending');
    assert.deepEqual([r.host('kernel').rebootRequired, reason?.evidence?.['newest'], reason?.evidence?.['running']], [true, kernel.release, running]);
    assert.equal(await sh(kernelHost, KERNEL_CHECK), `3 ${kernel.release}`, "needrestart's kernel check: a newer kernel (3) is installed");
    assert.deepEqual(await needrestart(kernelHost), [], 'nothing stale on the kernel host');

    assert.deepEqual(await snapshot(), before, 'check mode changed nothing on the hosts');
    assert.match(out, /check mode: nothing was changed on the hosts/);
  });

  it('a real run on the service and PID 1 hosts: remedy-labd is restarted (a new pid), PID 1 re-executed (same pid, new binary); needrestart agrees', async () => {
    const pid1Start = await sh(pid1, 'cut -d" " -f22 /proc/1/stat; cat /proc/sys/kernel/random/boot_id');
    const { code, out, r } = await remedy(['run', 'playbooks/graded.yml', '-l', 'svc:pid1'], 'restart.json');
    assert.equal(code, 0, out);
    assert.deepEqual(statuses(r), { svc: 'changed', pid1: 'changed' });
    const reexec = stepOf(r, 'pid1', REMEDIATE);
    assert.equal(reexec.status, 'changed', reexec.message);
    assert.equal(reexec.message, `daemon-reexec: systemd re-executed, it mapped 1 deleted file(s): ${SYSTEMD}; left root: kill-not-allowed`);
    assert.equal(await sh(pid1, 'readlink /proc/1/exe'), SYSTEMD, 'PID 1 runs the new binary');
    assert.equal(await sh(pid1, 'cut -d" " -f22 /proc/1/stat; cat /proc/sys/kernel/random/boot_id'), pid1Start, 'the same PID 1 (re-executed, not rebooted)');
    assert.deepEqual(await needrestart(pid1), ['NEEDRESTART-SESS: root @ user manager service'], 'only the user manager is left, as remediate says');
    const step = stepOf(r, 'svc', REMEDIATE);
    assert.equal(step.status, 'changed', step.message);
    assert.equal(step.message, 'restart: restarted remedy-labd.service');
    assert.deepEqual(r.host('svc').restarted, ['remedy-labd.service']);
    const now = Number(await sh(svc, 'cat /run/remedy-labd.pid'));
    assert.notEqual(now, labdPid);
    assert.equal(await sh(svc, `kill -0 ${labdPid} 2>/dev/null && echo alive || echo gone`), 'gone');
    assert.equal(await sh(svc, 'systemctl is-active remedy-labd.service'), 'active');
    assert.equal(await sh(svc, `grep -c 'libwrap.so.0 (deleted)$' /proc/${now}/maps || true`), '0', 'the new daemon maps no deleted library');
    assert.notEqual(await sh(svc, `grep -c 'libwrap.so.0$' /proc/${now}/maps || true`), '0', 'the new daemon maps the new library');
    assert.deepEqual(await needrestart(svc), []);
  });

  const gatePlay = (marker: string, gate: string): string => scratch.file(`${marker}.yml`, [
    `- name: gated ${marker}`, '  hosts: all', '  serial: 1', `  health_gate: ${gate}`, '  tasks:',
    '    - name: mark', `      shell: touch /root/${marker}`, '',
  ].join('\n'));

  it('a failing health gate (a command and a closed port) stops the rollout after the first batch: the later hosts are not reached, exit 6', async () => {
    const play = gatePlay('gate-fails', '{ command: "false", tcp: 9, timeout: 1 }');
    const { code, out, r } = await remedy(['run', play], 'gate-fails.json');
    assert.equal(code, 6, out);
    assert.deepEqual(statuses(r), { svc: 'changed', pid1: 'not-reached', kernel: 'not-reached' });
    for (const h of ['pid1', 'kernel']) assert.deepEqual([r.host(h).notReached, r.host(h).steps], [{ reason: 'health-gate', play: 'gated gate-fails' }, []]);
    assert.equal(r.stopped?.reason, 'health-gate');
    assert.equal(r.stopped?.batch, 2);
    assert.match(r.stopped?.message ?? '', new RegExp(`^health gate after batch 1 of play 'gated gate-fails' did not pass within 1s \\(svc: \`false\` exit 1; tcp ${svc.address.replace(/\./g, '\\.')}:9: connect ECONNREFUSED`));
    assert.deepEqual([svc, pid1, kernelHost].map((h) => fileOnHost(h, 'root/gate-fails') !== undefined), [true, false, false], 'only the first batch ran the task');
  });

  it('a passing health gate lets every batch run', async () => {
    const { code, out, r } = await remedy(['run', gatePlay('gate-passes', '{ command: "true", tcp: 22, timeout: 5 }')], 'gate-passes.json');
    assert.equal(code, 0, out);
    assert.deepEqual(statuses(r), { svc: 'changed', pid1: 'changed', kernel: 'changed' });
    assert.equal(r.stopped, undefined);
    assert.deepEqual([svc, pid1, kernelHost].map((h) => fileOnHost(h, 'root/gate-passes')), ['', '', '']);
  });

  it('a veto skips the reboot (remediate and reboot): the host is not rebooted, the report says why, it still needs a reboot (exit 3 with --fail-on-reboot)', async () => {
    const bootBefore = await sh(kernelHost, 'cat /proc/sys/kernel/random/boot_id; cut -d" " -f22 /proc/1/stat');
    const play = scratch.file('veto.yml', [
      '- name: vetoed', '  hosts: kernel', '  tasks:',
      '    - name: remediate', '      remediate: { allow_reboot: true, veto: "echo a backup is running" }',
      '    - name: reboot', '      reboot: { veto: "no-such-veto-command" }', '',
    ].join('\n'));
    const { code, out, r } = await remedy(['run', play, '--fail-on-reboot'], 'veto.json');
    assert.equal(code, 3, out);
    const why = `kernel-pending: newest installed kernel ${kernel.release} is not the running ${await sh(kernelHost, 'uname -r')}`;
    const [remediate, reboot] = r.host('kernel').steps;
    assert.deepEqual([remediate!.status, (remediate!.plan as Plan).action, (remediate!.plan as Plan).reboot?.why], ['skipped', 'reboot', why]);
    assert.equal(remediate!.message, `reboot skipped: vetoed by \`echo a backup is running\` (exit 0: a backup is running); the host still needs a reboot (${why})`);
    assert.equal(reboot!.status, 'skipped');
    assert.match(reboot!.message, /^reboot skipped: the veto `no-such-veto-command` did not answer \(exit 127: .*not found; only exit 1 allows the reboot\): not rebooting; the host still needs a reboot \(kernel-pending: /);
    assert.deepEqual([r.host('kernel').rebootRequired, r.host('kernel').rebootReasons.map((x) => x.kind)], [true, ['kernel-pending']]);
    assert.equal(await sh(kernelHost, 'cat /proc/sys/kernel/random/boot_id; cut -d" " -f22 /proc/1/stat'), bootBefore, 'not rebooted: the same boot id and PID 1');
    assert.equal(await sh(kernelHost, KERNEL_CHECK), `3 ${kernel.release}`, 'needrestart: the newer kernel is still pending');
  });
});
