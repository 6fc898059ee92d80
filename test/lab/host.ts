/**
 * One lab host: an overlay of / (plus the lab's layers) booted by systemd-nspawn under a small
 * supervisor that starts it again after a reboot (nspawn exits 133). Everything started here is
 * tracked by pid in the host's state dir and ended by pid.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Flavor, isSysv } from './flavor.js';
import { ASSETS, IMAP_PORT, IMAPD, LAB_UID, LAB_USER, lowerDirs } from './layer.js';
import { fsDir, hostRoot, hostStateDir, machineName } from './paths.js';
import { mustRun, runCommand, signalPid, sleep, waitGone } from './run.js';

export interface HostSpec {
  lab: string;
  name: string;
  address: string;
  flavor: Flavor;
}

async function readPid(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(file, 'utf8')).trim(), 10);
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function nspawnPid(h: HostSpec): Promise<number | undefined> {
  return readPid(join(hostStateDir(h.lab, h.name), 'nspawn.pid'));
}
export function supervisorPid(h: HostSpec): Promise<number | undefined> {
  return readPid(join(hostStateDir(h.lab, h.name), 'supervisor.pid'));
}

/** PID (on this machine) of the host's PID 1: the child of its systemd-nspawn process. */
export async function leaderPid(h: HostSpec): Promise<number | undefined> {
  const nspawn = await nspawnPid(h);
  if (!nspawn) return undefined;
  try {
    const children = (await readFile(`/proc/${nspawn}/task/${nspawn}/children`, 'utf8')).trim().split(/\s+/);
    const pid = Number.parseInt(children[0] ?? '', 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function xinetdService(address: string): string {
  return [
    '# remedy lab: an imap-like per-connection service (one remedy-imapd per open connection)',
    'service remedy-imap',
    '{',
    '\ttype\t\t= UNLISTED',
    '\tid\t\t= remedy-imap',
    '\tsocket_type\t= stream',
    '\tprotocol\t= tcp',
    `\tport\t\t= ${IMAP_PORT}`,
    `\tbind\t\t= ${address}`,
    '\twait\t\t= no',
    '\tuser\t\t= root',
    `\tserver\t\t= ${IMAPD}`,
    '\tinstances\t= UNLIMITED',
    '\tper_source\t= UNLIMITED',
    '\tdisable\t\t= no',
    '}',
    '',
  ].join('\n');
}

/** Mounts the host's overlay and writes what makes it this host: ids, host key, addresses, lab key. */
export async function prepareHost(h: HostSpec, publicKey: string): Promise<{ hostKey: string }> {
  const state = hostStateDir(h.lab, h.name);
  const root = hostRoot(h.lab, h.name);
  const upper = join(fsDir(h.lab), 'hosts', h.name, 'upper');
  const work = join(fsDir(h.lab), 'hosts', h.name, 'work');
  await Promise.all([mkdir(root, { recursive: true }), mkdir(upper, { recursive: true }), mkdir(work, { recursive: true })]);
  await mustRun('mount', ['-t', 'overlay', `remedy-lab-${h.lab}`, '-o',
    `lowerdir=${lowerDirs(h.lab, h.flavor)},upperdir=${upper},workdir=${work}`, root]);
  const w = (path: string, text: string) => writeFile(join(root, path), text);
  await w('etc/machine-id', `${randomBytes(16).toString('hex')}\n`);
  await w('etc/hostname', `${h.name}\n`);
  await mkdir(join(root, 'etc/remedy-lab'), { recursive: true });
  await w('etc/remedy-lab/host', `name=${h.name}\naddress=${h.address}\nflavor=${h.flavor}\nlab=${h.lab}\n`);
  await w('etc/ssh/sshd_config.d/remedy-lab-listen.conf', `ListenAddress ${h.address}\n`);
  await w('etc/xinetd.d/remedy-imap', xinetdService(h.address));
  for (const f of await readdir(join(root, 'etc/ssh'))) {
    if (f.startsWith('ssh_host_')) await rm(join(root, 'etc/ssh', f));
  }
  const keyFile = join(root, 'etc/ssh/ssh_host_ed25519_key');
  await mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${h.name}`, '-f', keyFile]);
  await mkdir(join(root, 'root/.ssh'), { recursive: true, mode: 0o700 });
  await writeFile(join(root, 'root/.ssh/authorized_keys'), publicKey, { mode: 0o600 });
  // the lab user logs in with the same key (its applications then run in its own session)
  const userSsh = join(root, 'home', LAB_USER, '.ssh');
  await mkdir(userSsh, { recursive: true, mode: 0o700 });
  await writeFile(join(userSsh, 'authorized_keys'), publicKey, { mode: 0o600 });
  await mustRun('chown', ['-R', `${LAB_UID}:${LAB_UID}`, userSsh]);
  await writeFile(join(state, 'host.json'), JSON.stringify(h));
  return { hostKey: (await readFile(`${keyFile}.pub`, 'utf8')).trim() };
}

function nspawnArgs(h: HostSpec): string[] {
  const args = ['systemd-nspawn', '-q', '-D', hostRoot(h.lab, h.name), '--register=no', '--keep-unit',
    '-M', machineName(h.lab, h.name), `--hostname=${h.name}`, '--tmpfs=/work', '--console=pipe'];
  if (isSysv(h.flavor)) args.push('--kill-signal=SIGTERM', '/usr/local/sbin/remedy-lab-init');
  else args.push('-b');
  return args;
}

/** Starts the host's supervisor (detached, tracked by pid). */
export async function bootHost(h: HostSpec): Promise<number> {
  const state = hostStateDir(h.lab, h.name);
  await rm(join(state, 'stop'), { force: true });
  const child = spawn('/bin/sh', [join(ASSETS, 'supervise.sh'), state, machineName(h.lab, h.name), '--', ...nspawnArgs(h)], {
    detached: true,
    stdio: 'ignore',
  });
  if (child.pid === undefined) throw new Error(`lab: could not start the supervisor of ${h.name}`);
  child.unref();
  await writeFile(join(state, 'supervisor.pid'), `${child.pid}\n`);
  return child.pid;
}

/** Stops the host (clean shutdown, then by force), ends its supervisor, unmounts its overlay. */
export async function stopHost(h: HostSpec, timeoutMs = 10_000): Promise<string[]> {
  const problems: string[] = [];
  const state = hostStateDir(h.lab, h.name);
  if (existsSync(state)) await writeFile(join(state, 'stop'), '');
  const supervisor = await supervisorPid(h);
  const nspawn = await nspawnPid(h);
  const leader = await leaderPid(h);
  if (nspawn) {
    signalPid(nspawn, 'SIGTERM');
    if (!(await waitGone(nspawn, timeoutMs))) {
      if (leader) signalPid(leader, 'SIGKILL'); // ends the host's whole PID namespace
      signalPid(nspawn, 'SIGKILL');
      if (!(await waitGone(nspawn, 5000))) problems.push(`${h.name}: systemd-nspawn ${nspawn} survived SIGKILL`);
    }
  }
  if (leader && !(await waitGone(leader, 3000))) {
    signalPid(leader, 'SIGKILL');
    if (!(await waitGone(leader, 3000))) problems.push(`${h.name}: host PID 1 (${leader}) survived SIGKILL`);
  }
  if (supervisor && !(await waitGone(supervisor, 5000))) {
    signalPid(supervisor, 'SIGKILL');
    await waitGone(supervisor, 2000);
  }
  await rm(`/run/systemd/nspawn/propagate/${machineName(h.lab, h.name)}`, { recursive: true, force: true });
  const root = hostRoot(h.lab, h.name);
  problems.push(...(await unmount(root)));
  return problems;
}

/** Unmounts a mount point if mounted; retries while busy, lazily as a last resort. */
export async function unmount(path: string): Promise<string[]> {
  for (let i = 0; i < 20; i++) {
    const probe = await runCommand('findmnt', ['-n', '-M', path]);
    if (probe.code !== 0) return [];
    const r = await runCommand('umount', [path]);
    if (r.code === 0) continue;
    await sleep(250);
  }
  const lazy = await runCommand('umount', ['-l', path]);
  return lazy.code === 0 ? [`${path} was busy: unmounted lazily`] : [`${path}: ${lazy.stderr.trim()}`];
}
