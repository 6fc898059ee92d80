/**
 * The scale harness: N "hosts" on this machine, each a loopback address from 127.0.3.1 on (250 a /24,
 * never 127.0.2.x, outside the lab's 127.0.1.x), all served by this machine's sshd through one listener
 * process (scale-sshd-worker.ts). They log in as `remedy-scale`, whose shell is /bin/sh (dash reads
 * no rc file; root's bash would run .bashrc, which here runs `pyenv rehash` behind a lock). Keys,
 * sshd_config, known_hosts and an inventory live in /run/remedy-scale. known_hosts has a line per
 * address, as a fleet's does (one wildcard line hid that each connection scanned the whole file).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const SCALE_DIR = '/run/remedy-scale';
export const SCALE_USER = 'remedy-scale';

export interface ScaleHarness {
  addresses: string[];
  inventoryFile: string;
  keyFile: string;
  knownHostsFile: string;
  /** ssh's options for a harness host (destination not included). */
  sshOptions: string[];
  stop(): Promise<void>;
}

/** The i-th harness address (0-based): 127.0.3.1 … 127.0.3.250, 127.0.4.1 …; at most 250 × 250. */
export function scaleAddress(i: number): string {
  return `127.0.${3 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

function must(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error?.message}`);
}

function ensureUserAndKeys(): void {
  if (spawnSync('id', [SCALE_USER]).status !== 0) {
    must('useradd', ['--system', '--shell', '/bin/sh', '--home-dir', join(SCALE_DIR, 'home'), '--no-create-home', SCALE_USER]);
  }
  // No password, but not locked ('!'): sshd without PAM refuses a locked account even with a key.
  must('usermod', ['-p', '*', SCALE_USER]);
  mkdirSync(join(SCALE_DIR, 'home', '.ssh'), { recursive: true });
  mkdirSync('/run/sshd', { recursive: true });
  for (const [file, type] of [['id_ed25519', 'client'], ['host_ed25519', 'host']] as const) {
    if (!existsSync(join(SCALE_DIR, file))) must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `remedy-scale-${type}`, '-f', join(SCALE_DIR, file)]);
  }
  writeFileSync(join(SCALE_DIR, 'home', '.ssh', 'authorized_keys'), readFileSync(join(SCALE_DIR, 'id_ed25519.pub')));
  must('chown', ['-R', `${SCALE_USER}:`, join(SCALE_DIR, 'home')]);
  writeFileSync(join(SCALE_DIR, 'sshd_config'), [
    `HostKey ${join(SCALE_DIR, 'host_ed25519')}`, `AllowUsers ${SCALE_USER}`, 'PermitRootLogin no', 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'UsePAM no', 'UseDNS no', 'PrintMotd no', 'PrintLastLog no', 'StrictModes no',
    'LogLevel ERROR', 'MaxSessions 64', 'Subsystem sftp internal-sftp', '',
  ].join('\n'));
}

function writeInventory(addresses: string[], keyFile: string, knownHosts: string): string {
  const file = join(SCALE_DIR, `inventory-${addresses.length}.yml`);
  const hosts = addresses.map((a, i) => `    s${String(i + 1).padStart(5, '0')}: { ansible_host: ${a} }`);
  writeFileSync(file, [
    'all:', '  vars:', `    ansible_user: ${SCALE_USER}`, `    ansible_ssh_private_key_file: ${keyFile}`,
    `    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes -o GlobalKnownHostsFile=/dev/null`,
    '  hosts:', ...hosts, '',
  ].join('\n'));
  return file;
}

/** Sets the harness up for `count` hosts and starts its listener; stop() ends it (by its pid). */
export async function startScaleHarness(count: number): Promise<ScaleHarness> {
  mkdirSync(SCALE_DIR, { recursive: true });
  ensureUserAndKeys();
  const addresses = Array.from({ length: count }, (_, i) => scaleAddress(i));
  const addressesFile = join(SCALE_DIR, `addresses-${count}`);
  writeFileSync(addressesFile, `${addresses.join('\n')}\n`);
  const keyFile = join(SCALE_DIR, 'id_ed25519');
  const knownHostsFile = join(SCALE_DIR, `known_hosts-${count}`);
  const hostKey = readFileSync(join(SCALE_DIR, 'host_ed25519.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  writeFileSync(knownHostsFile, addresses.map((a) => `${a} ${hostKey}\n`).join(''));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'scale-sshd-worker.ts'), join(SCALE_DIR, 'sshd_config'), addressesFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('ready')) resolve(); });
    child.once('exit', (code) => reject(new Error(`the harness listener ended (${code}) before it was ready`)));
  });
  return {
    addresses,
    inventoryFile: writeInventory(addresses, keyFile, knownHostsFile),
    keyFile,
    knownHostsFile,
    sshOptions: ['-i', keyFile, '-o', `UserKnownHostsFile=${knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-F', '/dev/null', '-l', SCALE_USER],
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(addressesFile, { force: true });
    },
  };
}
