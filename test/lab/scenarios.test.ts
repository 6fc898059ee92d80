/**
 * Every scenario builder produces the state it claims, checked on the host by independent tools:
 * lsof and /proc/PID/maps, needrestart -b (and needrestart's own kernel check), rpm -q --last,
 * dpkg-query, ps, and the real ssh client for the misbehaving hosts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describeHost } from './host-shell.js';
import { type Lab, startLab } from './index.js';
import { labDir } from './paths.js';
import { requireLab } from './require-lab.js';
import { isAlive, runCommand } from './run.js';
import * as sc from './scenarios.js';

/** needrestart's kernel check itself: `needrestart -b` skips it inside containers. */
const KERNEL_CHECK =
  "perl -MNeedRestart -MNeedRestart::UI::stdio -MNeedRestart::Kernel -e 'my ($r, %v) = nr_kernel_check(0, qr(.), NeedRestart::UI::stdio->new(0)); print \"$r $v{EVERSION}\\n\"'";

describe('lab scenarios, confirmed by independent tools on the host', function () {
  this.timeout(120_000);
  const name = `scen-${process.pid}`;
  let lab: Lab;
  const ok = async (host: string, script: string): Promise<string> => {
    const r = await lab.exec(host, script);
    assert.equal(r.code, 0, `${host}: ${script}: ${r.stderr}`);
    return r.stdout;
  };

  before(async function () {
    this.timeout(180_000);
    requireLab(this);
    lab = await startLab({ name, count: 4, flavor: 'mixed' }); // h01 systemd, h02 sysv, h03 rhel, h04 rhel-sysv
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && lab && existsSync(labDir(name))) {
      for (const h of lab.hosts) console.error(await describeHost({ lab: name, name: h.name }));
    }
  });
  after(async () => {
    if (lab && existsSync(labDir(name))) await lab.down();
  });

  it('replaceSharedLibrary: the lab service maps a deleted libwrap.so.0 (lsof DEL), needrestart wants it restarted', async () => {
    for (const host of ['h01', 'h02']) {
      const { library, pids } = await sc.replaceSharedLibrary(lab, host);
      const pid = Number.parseInt(await ok(host, 'cat /run/remedy-labd.pid'), 10);
      assert.ok(pids.includes(pid));
      const lsof = await ok(host, `lsof -n -p ${pid} | grep -F ${library} || true`);
      assert.match(lsof, /\bDEL\b/, `${host}: ${lsof}`);
      assert.match(await ok(host, 'needrestart -b 2>/dev/null'), /^NEEDRESTART-SVC: remedy-labd(\.service)?$/m);
    }
  });

  it('replaceServiceExecutable: /proc/PID/exe of the daemon is deleted', async () => {
    const { pid, executable } = await sc.replaceServiceExecutable(lab, 'h03');
    assert.equal((await ok('h03', `readlink /proc/${pid}/exe`)).trim(), `${executable} (deleted)`);
    assert.match(await ok('h03', 'needrestart -b 2>/dev/null'), /^NEEDRESTART-SVC: remedy-labd\.service$/m);
  });

  it('startUserApplication: a non-root process in a user session maps a deleted library', async () => {
    const app = await sc.startUserApplication(lab, 'h01');
    assert.equal((await ok('h01', `ps -o user= -p ${app.pid}`)).trim(), app.user);
    assert.match(await ok('h01', `grep -F ${app.library} /proc/${app.pid}/maps`), /\(deleted\)/);
    assert.match(await ok('h01', `cat /proc/${app.pid}/cgroup`), /user-1500\.slice\/session-\d+\.scope/);
    assert.match(await ok('h01', 'needrestart -b 2>/dev/null'), /^NEEDRESTART-SESS: remedy-user @ session #\d+$/m);
  });

  it('openXinetdSessionThenUpgrade: an xinetd child started before the upgrade runs the old binary', async () => {
    for (const host of ['h02', 'h04']) {
      const s = await sc.openXinetdSessionThenUpgrade(lab, host);
      try {
        const ps = await ok(host, `ps -o ppid=,comm= -p ${s.pid}; cat /run/xinetd.pid; readlink /proc/${s.pid}/exe`);
        const [line, xinetd, exe] = ps.trim().split('\n');
        assert.deepEqual(line!.trim().split(/\s+/), [xinetd, 'remedy-imapd']);
        assert.match(exe!, /remedy-imapd \(deleted\)$/);
      } finally {
        await s.close();
      }
      await ok(host, `for i in $(seq 50); do kill -0 ${s.pid} 2>/dev/null || exit 0; sleep 0.1; done; exit 1`);
    }
  });

  it('installNewerKernel (dpkg): linux-image installed, needrestart\'s kernel check expects the new version', async () => {
    const k = await sc.installNewerKernel(lab, 'h01');
    assert.match(await ok('h01', `dpkg-query -W -f '\${Status}' ${k.package}`), /install ok installed/);
    assert.equal((await ok('h01', KERNEL_CHECK)).trim(), `3 ${k.release}`);
  });

  it('installNewerKernel (rpm): rpm -q --last kernel-core lists the new kernel first', async () => {
    const k = await sc.installNewerKernel(lab, 'h03');
    const last = (await ok('h03', 'rpm -q --last kernel-core')).trim().split('\n');
    assert.equal(last.length, 2);
    assert.match(last[0]!, new RegExp(`^${k.package}\\.x86_64\\s`));
    assert.equal((await ok('h03', KERNEL_CHECK)).trim(), `3 ${k.release}`);
  });

  it('installCoreLibraryAfterBoot: glibc (rpm) and libc6 (dpkg) installed after the host booted', async () => {
    for (const host of ['h04', 'h02']) {
      const lib = await sc.installCoreLibraryAfterBoot(lab, host);
      // boot time of the host: when its PID 1 started (btime + starttime / clock ticks)
      const boot = Number.parseFloat(await ok(host, "echo $(( $(awk '/^btime/ {print $2}' /proc/stat) + $(cut -d' ' -f22 /proc/1/stat) / $(getconf CLK_TCK) ))"));
      assert.ok(lib.installedAt > boot, `${host}: installed ${lib.installedAt} after boot ${boot}`);
      if (host === 'h04') {
        const first = (await ok(host, 'rpm -q --last glibc')).trim().split('\n')[0]!;
        assert.match(first, /^glibc-2\.34-101\.el9\.x86_64\s/);
        assert.equal(Number.parseInt(await ok(host, "rpm -q --qf '%{INSTALLTIME}\\n' glibc-2.34-101.el9"), 10), lib.installedAt);
      } else {
        assert.match(await ok(host, 'tail -n 1 /var/log/dpkg.log'), /status installed libc6:amd64 /);
        assert.equal(Number.parseInt(await ok(host, 'stat -c %Y /var/lib/dpkg/info/libc6:amd64.list'), 10), lib.installedAt);
      }
    }
  });

  it('setRebootRequired: /run/reboot-required and its .pkgs exist', async () => {
    await sc.setRebootRequired(lab, 'h02', ['libc6', 'linux-image-amd64']);
    assert.equal(await ok('h02', 'cat /run/reboot-required.pkgs'), 'libc6\nlinux-image-amd64\n');
  });

  it('dropConnectionMidStep: the ssh client loses its connection while the step runs', async () => {
    const marker = `remedy-lab-drop-${process.pid}`;
    const client = spawn('ssh', [...lab.sshArgs('h02'), `echo started; sh -c 'sleep 30' ${marker}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    client.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => client.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) => client.stdout.on('data', (d: Buffer) => { stdout += d.toString(); if (stdout.includes('started')) resolve(); }));
    const t0 = Date.now();
    const { killed } = await sc.dropConnectionMidStep(lab, 'h02', marker);
    const code = await exited;
    assert.ok(killed.length > 0);
    assert.equal(code, 255, stderr);
    assert.match(stderr, /closed by remote host/);
    assert.equal(stdout.trim(), 'started');
    assert.ok(Date.now() - t0 < 20_000, 'the client did not wait for the step to end');
  });

  it('stopSshd: connections are refused until restore()', async () => {
    const s = await sc.stopSshd(lab, 'h01');
    const r = await runCommand('ssh', [...lab.sshArgs('h01'), 'true'], { timeoutMs: 20_000 });
    assert.equal(r.code, 255);
    assert.match(r.stderr, /Connection refused/);
    await s.restore();
    await ok('h01', 'true');
  });

  it('listenSilently: an address that accepts TCP but never speaks makes ssh time out', async () => {
    const l = await sc.listenSilently(lab);
    let closed: 'refused' | 'open' | undefined;
    try {
      assert.equal(await sc.probeTcp(l.address), 'open');
      const args = lab.sshArgs('h01').map((a) => (a.startsWith('ConnectTimeout=') ? 'ConnectTimeout=2' : a));
      args[args.length - 1] = `root@${l.address}`;
      const r = await runCommand('ssh', args, { timeoutMs: 20_000 });
      assert.equal(r.code, 255);
      assert.match(r.stderr, /timed out/i);
    } finally {
      closed = await l.stop();
    }
    // Gone, or a zombie waiting for this process to reap it (a detached, unref'd child): not running.
    assert.equal(await isAlive(l.pid), false);
    // Probed before the address went back to the pool: once released, another lab may listen there
    // (CI saw 'open' on a probe made after the release).
    assert.equal(closed, 'refused');
  });

  it('changeHostKey: the ssh client refuses the host (key changed)', async () => {
    const k = await sc.changeHostKey(lab, 'h04');
    assert.notEqual(k.oldKey, k.newKey);
    const r = await runCommand('ssh', [...lab.sshArgs('h04'), 'true'], { timeoutMs: 20_000 });
    assert.equal(r.code, 255);
    assert.match(r.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  });

  it('hostThatDoesNotComeBack: after its reboot the address refuses connections for good', async () => {
    const { address } = await sc.hostThatDoesNotComeBack(lab, 'h03', { rebootNow: true });
    assert.equal(await sc.probeTcp(address), 'refused');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(await sc.probeTcp(address), 'refused');
  });
});
