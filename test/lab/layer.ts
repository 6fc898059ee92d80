/**
 * The lab's shared layers, built once per lab on its tmpfs and stacked under each host's upper dir:
 *   common  every flavour: sshd config, masked units, the lab library, daemon, xinetd server, user
 *           application, the remedy-user account
 *   sysv    remedy-lab-init as PID 1, /etc/init.d service list, reboot/shutdown that signal it
 *   rhel    /etc/redhat-release, os-release, rpm macros and an rpm database (kernel, kernel-core, glibc)
 * A host's overlay is lowerdir=[rhel:][sysv:]common:/ with upper and work on the lab's tmpfs.
 */
import { chmod, copyFile, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Flavor } from './flavor.js';
import { layerDir } from './paths.js';
import { buildRpmDatabase } from './rpm.js';
import { mustRun } from './run.js';

export const ASSETS = join(dirname(fileURLToPath(import.meta.url)), 'assets');

export const LAB_LIB = '/usr/lib/remedy-lab/libwrap.so.0';
export const APP_LIB = '/usr/lib/remedy-lab/libremedy-app.so.1';
export const LAB_DAEMON = '/usr/local/sbin/remedy-labd';
export const IMAPD = '/usr/local/libexec/remedy-lab/remedy-imapd';
export const USER_APP = '/usr/local/bin/remedy-lab-app';
export const LAB_USER = 'remedy-user';
export const LAB_UID = 1500;
export const IMAP_PORT = 143;

/** Units that would collide across hosts sharing one network, or waste boot time. */
const MASKED_UNITS = [
  'ssh.socket', 'postgresql.service', 'cron.service', 'rsyslog.service', 'exim4.service',
  'apt-daily.timer', 'apt-daily-upgrade.timer', 'man-db.timer', 'e2scrub_all.timer', 'e2scrub_reap.service',
  'fstrim.timer', 'logrotate.timer', 'dpkg-db-backup.timer', 'systemd-tmpfiles-clean.timer',
  'getty@.service', 'console-getty.service', 'container-getty@.service', 'getty.target',
  'systemd-networkd.service', 'systemd-resolved.service', 'systemd-timesyncd.service', 'remote-fs.target',
  'prometheus.service', 'prometheus-node-exporter.service',
];

/** The services a lab host runs; any other this machine enables is masked in the hosts. */
const LAB_SERVICES = new Set(['ssh.service', 'xinetd.service', 'dbus.service', 'sudo.service', 'remedy-labd.service']);

/**
 * Every service this machine starts at boot (systemd's multi-user wants, SysV rc2.d links) that the lab
 * does not need. A Debian package installed for a test tool (prometheus for promtool, say) enables its
 * service here, and every systemd lab host, booting this machine's root on the shared loopback network,
 * would start it too.
 */
export async function enabledServicesToMask(): Promise<string[]> {
  const list = async (dir: string): Promise<string[]> => readdir(dir).catch(() => []);
  const units = (await list('/etc/systemd/system/multi-user.target.wants')).filter((u) => u.endsWith('.service'));
  const scripts = (await list('/etc/rc2.d')).filter((f) => /^S\d\d/.test(f)).map((f) => `${f.slice(3)}.service`);
  return [...new Set([...units, ...scripts])].filter((u) => !LAB_SERVICES.has(u) && !MASKED_UNITS.includes(u)).sort();
}

async function put(root: string, path: string, text: string, mode = 0o644): Promise<void> {
  const file = join(root, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  await chmod(file, mode);
}

async function link(root: string, path: string, target: string): Promise<void> {
  const file = join(root, path);
  await mkdir(dirname(file), { recursive: true });
  await symlink(target, file);
}

/** Compiles the lab's library, daemon, xinetd server and user application into `root`. */
export async function compilePrograms(root: string, libVersion = '1'): Promise<void> {
  await mkdir(join(root, 'usr/lib/remedy-lab'), { recursive: true });
  await mkdir(join(root, 'usr/local/libexec/remedy-lab'), { recursive: true });
  await mkdir(join(root, 'usr/local/sbin'), { recursive: true });
  await mkdir(join(root, 'usr/local/bin'), { recursive: true });
  const lib = (soname: string, out: string) =>
    mustRun('gcc', ['-shared', '-fPIC', '-O2', `-DLAB_LIB_VERSION="${libVersion}"`, `-Wl,-soname,${soname}`,
      '-o', join(root, out), join(ASSETS, 'libwrap.c')]);
  await Promise.all([lib('libwrap.so.0', LAB_LIB), lib('libremedy-app.so.1', APP_LIB)]);
  const prog = (src: string, out: string, libPath: string) =>
    mustRun('gcc', ['-O2', '-o', join(root, out), join(ASSETS, src), join(root, libPath), `-Wl,-rpath,${dirname(libPath)}`]);
  await Promise.all([
    prog('labd.c', LAB_DAEMON, LAB_LIB),
    prog('imapd.c', IMAPD, LAB_LIB),
    prog('app.c', USER_APP, APP_LIB),
    mustRun('gcc', ['-O2', '-Wall', '-o', join(root, 'usr/local/sbin/remedy-lab-init'), join(ASSETS, 'init.c')]),
  ]);
}

/**
 * Hosts get Debian's default root dotfiles, not this machine's /root: its .bashrc may run tools
 * (pyenv rehash waits on a lock file forever once a killed session left it behind) and its
 * files may hold secrets. Every other entry of /root is hidden with a whiteout.
 */
async function cleanRootHome(root: string): Promise<void> {
  const home = join(root, 'root');
  await mkdir(home, { recursive: true, mode: 0o700 });
  await copyFile('/usr/share/base-files/dot.bashrc', join(home, '.bashrc'));
  await copyFile('/usr/share/base-files/dot.profile', join(home, '.profile'));
  const keep = new Set(['.bashrc', '.profile']);
  const hide = (await readdir('/root')).filter((e) => !keep.has(e));
  await Promise.all(hide.map((e) => mustRun('mknod', [join(home, e), 'c', '0', '0'])));
}

async function buildCommon(root: string): Promise<void> {
  await Promise.all([compilePrograms(root), cleanRootHome(root)]);
  await put(root, 'etc/ssh/sshd_config.d/remedy-lab.conf', [
    '# remedy lab: one host key per host, root login with the lab key only',
    'HostKey /etc/ssh/ssh_host_ed25519_key',
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UseDNS no',
    'MaxStartups 200',
    'MaxSessions 100',
    '',
  ].join('\n'));
  for (const unit of [...MASKED_UNITS, ...await enabledServicesToMask()]) await link(root, `etc/systemd/system/${unit}`, '/dev/null');
  await put(root, 'etc/systemd/journald.conf.d/remedy-lab.conf', '[Journal]\nStorage=volatile\nRuntimeMaxUse=4M\n');
  await put(root, 'etc/init.d/remedy-labd', await readFile(join(ASSETS, 'remedy-labd.init'), 'utf8'), 0o755);
  for (const level of ['2', '3', '4', '5']) await link(root, `etc/rc${level}.d/S01remedy-labd`, '../init.d/remedy-labd');
  for (const level of ['0', '1', '6']) await link(root, `etc/rc${level}.d/K01remedy-labd`, '../init.d/remedy-labd');
  // the non-root user whose application maps a replaced library
  const add = async (file: string, line: string) =>
    put(root, file, `${(await readFile(`/${file}`, 'utf8')).trimEnd()}\n${line}\n`, file === 'etc/shadow' ? 0o640 : 0o644);
  await add('etc/passwd', `${LAB_USER}:x:${LAB_UID}:${LAB_UID}:remedy lab user:/home/${LAB_USER}:/bin/sh`);
  await add('etc/group', `${LAB_USER}:x:${LAB_UID}:`);
  await add('etc/shadow', `${LAB_USER}:*:19000:0:99999:7:::`);
  await mkdir(join(root, 'home', LAB_USER), { recursive: true });
  await mustRun('chown', [`${LAB_UID}:${LAB_UID}`, join(root, 'home', LAB_USER)]);
  await mustRun('chgrp', ['shadow', join(root, 'etc/shadow')]);
}

async function buildSysv(root: string): Promise<void> {
  await put(root, 'etc/remedy-lab/sysv-services', 'ssh\nxinetd\nremedy-labd\n');
  const reboot = await readFile(join(ASSETS, 'reboot.sh'), 'utf8');
  for (const name of ['reboot', 'poweroff', 'halt', 'shutdown']) await put(root, `usr/sbin/${name}`, reboot, 0o755);
}

async function buildRhel(root: string): Promise<void> {
  await put(root, 'etc/redhat-release', 'Red Hat Enterprise Linux release 9.4 (Plow)\n');
  await put(root, 'etc/system-release', 'Red Hat Enterprise Linux release 9.4 (Plow)\n');
  await put(root, 'etc/os-release', [
    'NAME="Red Hat Enterprise Linux"', 'VERSION="9.4 (Plow)"', 'ID="rhel"', 'ID_LIKE="fedora"', 'VERSION_ID="9.4"',
    'PRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow) (remedy lab)"', '',
  ].join('\n'));
  // hide /etc/debian_version (a whiteout: character device 0/0), as tools tell Debian from RHEL by it
  await mustRun('mknod', [join(root, 'etc/debian_version'), 'c', '0', '0']);
  await put(root, 'etc/rpm/macros.remedy-lab', '%_dbpath /var/lib/rpm\n');
  await buildRpmDatabase(root);
}

/** Builds the layers the lab's flavours need; returns nothing, the layers live under fs/layers/. */
export async function buildLayers(lab: string, flavors: Flavor[]): Promise<void> {
  const want = new Set(flavors);
  const jobs: Promise<void>[] = [buildCommon(layerDir(lab, 'common'))];
  if (want.has('sysv') || want.has('rhel-sysv')) jobs.push(buildSysv(layerDir(lab, 'sysv')));
  if (want.has('rhel') || want.has('rhel-sysv')) jobs.push(buildRhel(layerDir(lab, 'rhel')));
  await Promise.all(jobs);
}

/** lowerdir= for a host of this flavour (top layer first). */
export function lowerDirs(lab: string, flavor: Flavor): string {
  const layers: string[] = [];
  if (flavor === 'rhel' || flavor === 'rhel-sysv') layers.push(layerDir(lab, 'rhel'));
  if (flavor === 'sysv' || flavor === 'rhel-sysv') layers.push(layerDir(lab, 'sysv'));
  layers.push(layerDir(lab, 'common'), '/');
  return layers.join(':');
}
