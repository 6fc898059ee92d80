/** What the lab needs from this machine, and the one kernel setting it raises. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

function have(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Missing prerequisites, as readable sentences; [] when the lab can run here. */
export function prerequisites(): string[] {
  const missing: string[] = [];
  if (process.platform !== 'linux') return [`not Linux (platform ${process.platform})`];
  if (typeof process.getuid === 'function' && process.getuid() !== 0) missing.push('not root (the lab mounts overlays and runs systemd-nspawn)');
  const tools: [string, string][] = [
    ['systemd-nspawn', 'systemd-container'], ['sshd', 'openssh-server'], ['ssh', 'openssh-client'], ['ssh-keygen', 'openssh-client'],
    ['xinetd', 'xinetd'], ['rpmbuild', 'rpm'], ['rpm', 'rpm'], ['needrestart', 'needrestart'], ['checkrestart', 'debian-goodies'],
    ['lsof', 'lsof'], ['gcc', 'gcc'], ['dpkg-deb', 'dpkg'], ['findmnt', 'util-linux'], ['start-stop-daemon', 'dpkg'],
  ];
  for (const [cmd, pkg] of tools) if (!have(cmd)) missing.push(`no ${cmd} (apt-get install ${pkg})`);
  try {
    if (!readFileSync('/proc/filesystems', 'utf8').includes('overlay')) missing.push('no overlay filesystem in this kernel');
  } catch {
    missing.push('no /proc/filesystems');
  }
  return missing;
}

/** Each booted systemd takes inotify instances; the default 128 stops the 23rd host. */
export async function raiseInotifyLimit(min = 8192): Promise<void> {
  const file = '/proc/sys/fs/inotify/max_user_instances';
  try {
    const now = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    if (now < min) writeFileSync(file, `${min}\n`);
  } catch (err) {
    // read-only /proc/sys (some CI containers): small labs still boot
    process.stderr.write(`lab: could not raise ${file} (${String(err)}); more than ~20 systemd hosts may fail to boot\n`);
  }
}
