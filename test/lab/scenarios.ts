/**
 * Scenario builders: each puts one lab host into a state the errata guide talks about, the way a
 * package upgrade would (the new file is written beside the old one and renamed over it, so running
 * processes keep the deleted inode), and returns what the test needs to check it.
 * Misbehaving hosts (sshd stopped, silent listener, changed host key…) are in misbehave.ts.
 */
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Lab, LabHost } from './index.js';
import { isRhel } from './flavor.js';
import { fakeKernelImage, buildKernelDeb, NEW_KERNEL_DEB, NEW_KERNEL_RPM } from './kernel.js';
import { APP_LIB, ASSETS, IMAP_PORT, IMAPD, LAB_DAEMON, LAB_LIB, LAB_UID, LAB_USER, USER_APP } from './layer.js';
import { buildRpms } from './rpm.js';
import { mustRun, runCommand } from './run.js';
import { writeFile } from 'node:fs/promises';

export * from './misbehave.js';

type HostArg = LabHost | string;

async function sh(lab: Lab, host: HostArg, script: string): Promise<string> {
  const r = await lab.exec(host, `set -e\n${script}`);
  if (r.code !== 0) throw new Error(`lab scenario on ${typeof host === 'string' ? host : host.name} failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

function pidsOf(text: string): number[] {
  return text.split(/\s+/).filter(Boolean).map(Number).filter(Number.isInteger);
}

/** Pids (as the host sees them) of processes that map `path`. */
export async function pidsMapping(lab: Lab, host: HostArg, path: string): Promise<number[]> {
  return pidsOf(await sh(lab, host, `grep -l -F ${path} /proc/[0-9]*/maps 2>/dev/null | cut -d/ -f3 | sort -n || true`));
}

/** Writes `file.remedy-new` (from this machine, into the host's root) and renames it over `file` on the host. */
async function upgradeFile(lab: Lab, host: HostArg, file: string, build: (out: string) => Promise<unknown>): Promise<void> {
  const h = lab.host(typeof host === 'string' ? host : host.name);
  await build(join(h.root, `${file}.remedy-new`));
  await sh(lab, h, `chmod --reference=${file} ${file}.remedy-new; mv -f ${file}.remedy-new ${file}`);
}

function compileLibrary(soname: string, version: string) {
  return (out: string) =>
    mustRun('gcc', ['-shared', '-fPIC', '-O2', `-DLAB_LIB_VERSION="${version}"`, `-Wl,-soname,${soname}`, '-o', out, join(ASSETS, 'libwrap.c')]);
}
function compileProgram(src: string, lib: string, root: string) {
  return (out: string) => mustRun('gcc', ['-O2', '-DLAB_VERSION=2', '-o', out, join(ASSETS, src), join(root, lib), '-Wl,-rpath,/usr/lib/remedy-lab']);
}

export interface ReplacedLibrary {
  library: string;
  /** Processes (host pids) that mapped the library when it was replaced: they now map a deleted file. */
  pids: number[];
}

/** The guide's libwrap case: /usr/lib/remedy-lab/libwrap.so.0, mapped by remedy-labd (and any open remedy-imapd), replaced. */
export async function replaceSharedLibrary(lab: Lab, host: HostArg): Promise<ReplacedLibrary> {
  const pids = await pidsMapping(lab, host, LAB_LIB);
  await upgradeFile(lab, host, LAB_LIB, compileLibrary('libwrap.so.0', '2'));
  return { library: LAB_LIB, pids };
}

export interface ReplacedExecutable {
  service: string;
  executable: string;
  pid: number;
}

/** remedy-labd's own executable replaced under the running daemon (its /proc/PID/exe is now deleted). */
export async function replaceServiceExecutable(lab: Lab, host: HostArg): Promise<ReplacedExecutable> {
  const h = lab.host(typeof host === 'string' ? host : host.name);
  const pid = Number.parseInt(await sh(lab, h, 'cat /run/remedy-labd.pid'), 10);
  await upgradeFile(lab, h, LAB_DAEMON, compileProgram('labd.c', LAB_LIB, h.root));
  return { service: 'remedy-labd', executable: LAB_DAEMON, pid };
}

export interface UserApplication {
  user: string;
  uid: number;
  pid: number;
  executable: string;
  library: string;
}

/** remedy-user logs in over ssh, starts remedy-lab-app (maps libremedy-app.so.1) and logs out; then the library is replaced. */
export async function startUserApplication(lab: Lab, host: HostArg): Promise<UserApplication> {
  const h = lab.host(typeof host === 'string' ? host : host.name);
  const args = lab.sshArgs(h);
  args[args.length - 1] = `${LAB_USER}@${h.address}`;
  const r = await runCommand('ssh', [...args, '--', `nohup ${USER_APP} </dev/null >/dev/null 2>&1 & echo $!`], { timeoutMs: 30_000 });
  const pid = Number.parseInt(r.stdout.trim(), 10);
  if (r.code !== 0 || !Number.isInteger(pid)) throw new Error(`lab: could not start the user application on ${h.name}: ${r.stderr.trim()}`);
  await sh(lab, h, `for i in $(seq 50); do grep -q -F ${APP_LIB} /proc/${pid}/maps && exit 0; sleep 0.1; done; exit 1`);
  await upgradeFile(lab, h, APP_LIB, compileLibrary('libremedy-app.so.1', '2'));
  return { user: LAB_USER, uid: LAB_UID, pid, executable: USER_APP, library: APP_LIB };
}

export interface XinetdSession {
  service: string;
  /** remedy-imapd serving this connection (host pid), started before its binary was replaced. */
  pid: number;
  socket: Socket;
  close(): Promise<void>;
}

/** Opens an imap-like connection (xinetd starts remedy-imapd for it), then replaces remedy-imapd. */
export async function openXinetdSessionThenUpgrade(lab: Lab, host: HostArg): Promise<XinetdSession> {
  const h = lab.host(typeof host === 'string' ? host : host.name);
  const before = new Set(pidsOf(await sh(lab, h, 'pgrep -x remedy-imapd || true')));
  const socket = connect({ host: h.address, port: IMAP_PORT });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lab: no greeting from ${h.address}:${IMAP_PORT}`)), 10_000);
    socket.once('data', () => { clearTimeout(timer); resolve(); });
    socket.once('close', () => { clearTimeout(timer); reject(new Error(`lab: ${h.address}:${IMAP_PORT} closed the connection`)); });
  });
  const pid = pidsOf(await sh(lab, h, 'pgrep -x remedy-imapd')).find((p) => !before.has(p));
  if (pid === undefined) throw new Error(`lab: no new remedy-imapd on ${h.name}`);
  await upgradeFile(lab, h, IMAPD, compileProgram('imapd.c', LAB_LIB, h.root));
  const close = () => new Promise<void>((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
    socket.end('a1 LOGOUT\r\n');
    setTimeout(() => { socket.destroy(); resolve(); }, 2000).unref();
  });
  return { service: 'remedy-imap', pid, socket, close };
}

export interface NewerKernel {
  /** The newest installed kernel's release, as uname -r would show it after a reboot. */
  release: string;
  package: string;
  image: string;
}

/** Installs a newer kernel: dpkg -i of a built linux-image .deb, or (rhel) kernel + kernel-core rpms with --justdb plus its /boot image. */
export async function installNewerKernel(lab: Lab, host: HostArg): Promise<NewerKernel> {
  const h = lab.host(typeof host === 'string' ? host : host.name);
  if (isRhel(h.flavor)) {
    const files = await buildRpms(
      [{ name: 'kernel-core', ...NEW_KERNEL_RPM }, { name: 'kernel', ...NEW_KERNEL_RPM }],
      join(h.root, 'var/tmp/remedy-lab-kernel'),
    );
    const image = `/boot/vmlinuz-${NEW_KERNEL_RPM.uname}`;
    await writeFile(join(h.root, image), fakeKernelImage(NEW_KERNEL_RPM.uname));
    const inHost = files.map((f) => f.slice(h.root.length));
    await sh(lab, h, `rpm -i --justdb --nodeps --ignorearch ${inHost.join(' ')}; rm -rf /var/tmp/remedy-lab-kernel`);
    return { release: NEW_KERNEL_RPM.uname, package: `kernel-core-${NEW_KERNEL_RPM.version}-${NEW_KERNEL_RPM.release}`, image };
  }
  const deb = await buildKernelDeb(join(h.root, 'var/tmp/remedy-lab-kernel'));
  await sh(lab, h, `dpkg -i ${deb.slice(h.root.length)} >/dev/null; rm -rf /var/tmp/remedy-lab-kernel`);
  return { release: NEW_KERNEL_DEB.release, package: `linux-image-${NEW_KERNEL_DEB.release}`, image: `/boot/vmlinuz-${NEW_KERNEL_DEB.release}` };
}

export interface CoreLibraryInstall {
  package: string;
  /** Install time (epoch seconds), after the host's boot. */
  installedAt: number;
}

/**
 * The C library "installed after boot": rhel: glibc 2.34-101 upgraded with rpm -U --justdb (the rpm
 * install time dnf needs-restarting compares); dpkg: libc6's files in /var/lib/dpkg/info and a
 * /var/log/dpkg.log "status installed" line dated now.
 */
export async function installCoreLibraryAfterBoot(lab: Lab, host: HostArg): Promise<CoreLibraryInstall> {
  const h = lab.host(typeof host === 'string' ? host : host.name);
  await sh(lab, h, 'sleep 1.1'); // install times have a one-second grain: be strictly after boot
  if (isRhel(h.flavor)) {
    const [file] = await buildRpms([{ name: 'glibc', version: '2.34', release: '101.el9' }], join(h.root, 'var/tmp/remedy-lab-glibc'));
    const out = await sh(lab, h, `rpm -U --justdb --nodeps --ignorearch ${file!.slice(h.root.length)}; rm -rf /var/tmp/remedy-lab-glibc; rpm -q --qf '%{INSTALLTIME}' glibc`);
    return { package: 'glibc-2.34-101.el9', installedAt: Number.parseInt(out.trim(), 10) };
  }
  const out = await sh(lab, h, [
    "v=$(dpkg-query -W -f '${Version}' libc6:amd64)",
    'touch /var/lib/dpkg/info/libc6:amd64.list /var/lib/dpkg/info/libc6:amd64.md5sums',
    'd=$(date "+%Y-%m-%d %H:%M:%S")',
    'printf "%s upgrade libc6:amd64 %s %s\\n%s status installed libc6:amd64 %s\\n" "$d" "$v" "$v" "$d" "$v" >>/var/log/dpkg.log',
    'stat -c %Y /var/lib/dpkg/info/libc6:amd64.list',
  ].join('\n'));
  return { package: 'libc6', installedAt: Number.parseInt(out.trim(), 10) };
}

/** /run/reboot-required (and .pkgs), as Debian's update-notifier-common writes them. */
export async function setRebootRequired(lab: Lab, host: HostArg, packages: string[] = ['libc6']): Promise<{ path: string }> {
  for (const p of packages) if (!/^[a-z0-9][a-z0-9+.:-]*$/.test(p)) throw new Error(`lab: bad package name ${p}`);
  await sh(lab, host, `echo '*** System restart required ***' >/run/reboot-required\nprintf '%s\\n' ${packages.map((p) => `'${p}'`).join(' ')} >>/run/reboot-required.pkgs`);
  return { path: '/run/reboot-required' };
}

