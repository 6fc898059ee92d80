/**
 * The lab: N real Linux hosts on this machine (systemd-nspawn over an overlay of /), each with its
 * own sshd on 127.0.1.N:22, for remedy's end-to-end tests. See README.md in this folder.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assignFlavors, type Flavor } from './flavor.js';
import { bootHost, type HostSpec, prepareHost, stopHost, unmount } from './host.js';
import { renderInventory } from './inventory.js';
import { buildLayers } from './layer.js';
import { LAB_RUN_DIR, checkLabName, fsDir, hostRoot, hostStateDir, labDir } from './paths.js';
import { prerequisites, raiseInotifyLimit } from './prerequisites.js';
import { claimAddresses, pruneRunDir, releaseAddresses } from './registry.js';
import { mustRun, signalPid, waitGone } from './run.js';
import { READY_SCRIPT, sshArgsFor, sshExec, waitFor } from './ssh.js';

export type { Flavor } from './flavor.js';
export { FLAVORS } from './flavor.js';

export interface LabHost {
  name: string;
  address: string;
  flavor: Flavor;
  /** The merged overlay dir, readable (and writable) from this machine. */
  root: string;
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Lab {
  name: string;
  hosts: LabHost[];
  inventoryFile: string;
  knownHostsFile: string;
  /** Private key path (the public key is keyFile + '.pub'). */
  keyFile: string;
  /** Arguments for the real ssh client, destination last: [...options, 'root@127.0.1.N']. */
  sshArgs(host: LabHost | string): string[];
  /** Runs a shell script on the host via the real ssh client; failures are values. */
  exec(host: LabHost | string, script: string, opts?: { timeoutMs?: number }): Promise<ExecResult>;
  /** Reboots the host and waits until it is back with a new boot_id and its services ready. */
  reboot(host: LabHost | string, opts?: { timeoutMs?: number }): Promise<void>;
  host(name: string): LabHost;
  down(): Promise<void>;
}

export interface StartOptions {
  name: string;
  count: number;
  flavor?: Flavor | 'mixed' | Flavor[];
  /** How long to wait for all hosts to be ready (default 90 s). */
  bootTimeoutMs?: number;
}

interface LabRecord {
  name: string;
  hosts: { name: string; address: string; flavor: Flavor }[];
  created: string;
}

/**
 * A test suite's lab name: its own base and this process's pid, so that suites run by several engineers
 * (or CI runs) on one machine at the same time never claim the same lab.
 */
export function suiteLabName(base: string): string {
  const name = `${base}-${process.pid}`;
  checkLabName(name);
  return name;
}

export function labPrerequisites(): string[] {
  return prerequisites();
}

function hostName(i: number): string {
  return `h${String(i + 1).padStart(2, '0')}`;
}

function makeLab(record: LabRecord): Lab {
  const dir = labDir(record.name);
  const files = { keyFile: join(dir, 'id_ed25519'), knownHostsFile: join(dir, 'known_hosts') };
  const hosts: LabHost[] = record.hosts.map((h) => ({ ...h, root: hostRoot(record.name, h.name) }));
  const find = (host: LabHost | string): LabHost => {
    const name = typeof host === 'string' ? host : host.name;
    const found = hosts.find((h) => h.name === name || h.address === name);
    if (!found) throw new Error(`lab ${record.name}: no host "${name}" (${hosts.map((h) => h.name).join(', ')})`);
    return found;
  };
  const lab: Lab = {
    name: record.name,
    hosts,
    inventoryFile: join(dir, 'inventory.yml'),
    knownHostsFile: files.knownHostsFile,
    keyFile: files.keyFile,
    sshArgs: (host) => sshArgsFor(files, find(host).address),
    exec: (host, script, opts) => sshExec(files, find(host).address, script, opts?.timeoutMs),
    host: (name) => find(name),
    async reboot(host, opts) {
      const h = find(host);
      const timeoutMs = opts?.timeoutMs ?? 90_000;
      const before = await sshExec(files, h.address, 'cat /proc/sys/kernel/random/boot_id', 15_000);
      if (before.code !== 0) throw new Error(`lab: ${h.name} unreachable before reboot: ${before.stderr.trim()}`);
      await sshExec(files, h.address, "nohup sh -c 'sleep 0.3; reboot' >/dev/null 2>&1 &", 15_000);
      const old = before.stdout.trim();
      const after = await waitFor(files, h.address, READY_SCRIPT, timeoutMs, (r) => r.code === 0 && r.stdout.trim() !== old);
      if (after.code !== 0) throw new Error(`lab: ${h.name} did not come back within ${timeoutMs} ms: ${after.stderr.trim()}`);
    },
    down: () => stopLab(record.name),
  };
  return lab;
}

/** Starts a named lab of `count` hosts and waits until every host is ready. */
export async function startLab(opts: StartOptions): Promise<Lab> {
  checkLabName(opts.name);
  const missing = prerequisites();
  if (missing.length > 0) throw new Error(`lab: cannot start: ${missing.join('; ')}`);
  if (!Number.isInteger(opts.count) || opts.count < 1) throw new Error(`lab: bad host count ${opts.count}`);
  const flavors = assignFlavors(opts.count, opts.flavor);
  await mkdir(LAB_RUN_DIR, { recursive: true });
  try {
    await mkdir(labDir(opts.name)); // atomic: one lab per name
  } catch {
    throw new Error(`lab: a lab named "${opts.name}" already exists (${labDir(opts.name)}); findLab or stopLab it`);
  }
  try {
    await raiseInotifyLimit();
    const addresses = await claimAddresses(opts.name, opts.count);
    const record: LabRecord = {
      name: opts.name,
      created: new Date().toISOString(),
      hosts: flavors.map((flavor, i) => ({ name: hostName(i), address: addresses[i] as string, flavor })),
    };
    const dir = labDir(opts.name);
    await writeFile(join(dir, 'lab.json'), `${JSON.stringify(record, null, 2)}\n`);
    await mkdir(fsDir(opts.name), { recursive: true });
    await mustRun('mount', ['-t', 'tmpfs', '-o', 'size=8g,mode=0755', `remedy-lab-${opts.name}`, fsDir(opts.name)]);
    const keyFile = join(dir, 'id_ed25519');
    await mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `remedy-lab-${opts.name}`, '-f', keyFile]);
    const publicKey = await readFile(`${keyFile}.pub`, 'utf8');
    await buildLayers(opts.name, flavors);
    const specs: HostSpec[] = record.hosts.map((h) => ({ lab: opts.name, ...h }));
    await Promise.all(specs.map((s) => mkdir(hostStateDir(s.lab, s.name), { recursive: true })));
    const known = await Promise.all(specs.map(async (s) => `${s.address} ${(await prepareHost(s, publicKey)).hostKey}`));
    await writeFile(join(dir, 'known_hosts'), `${known.join('\n')}\n`);
    await writeFile(join(dir, 'inventory.yml'), renderInventory(record.hosts, { keyFile, knownHostsFile: join(dir, 'known_hosts') }));
    for (const s of specs) await bootHost(s);
    const lab = makeLab(record);
    const timeoutMs = opts.bootTimeoutMs ?? 90_000;
    const results = await Promise.all(lab.hosts.map((h) => waitFor({ keyFile, knownHostsFile: lab.knownHostsFile }, h.address, READY_SCRIPT, timeoutMs)));
    const failed = lab.hosts.filter((_, i) => results[i]?.code !== 0);
    if (failed.length > 0) {
      const why = await Promise.all(failed.map(async (h) => {
        const consoleLog = await readFile(join(hostStateDir(opts.name, h.name), 'console.log'), 'utf8').catch(() => '');
        const tail = consoleLog.trim().split('\n').slice(-8).join('\n    ');
        return `${h.name} (${h.flavor}, ${h.address}): ${results[lab.hosts.indexOf(h)]?.stderr.trim() || 'not ready'}\n  console:\n    ${tail}`;
      }));
      throw new Error(`lab: hosts not ready within ${timeoutMs} ms:\n${why.join('\n')}`);
    }
    return lab;
  } catch (err) {
    await stopLab(opts.name).catch(() => undefined);
    throw err;
  }
}

async function readRecord(name: string): Promise<LabRecord | undefined> {
  try {
    return JSON.parse(await readFile(join(labDir(name), 'lab.json'), 'utf8')) as LabRecord;
  } catch {
    return undefined;
  }
}

/** Attaches to a running lab by name (undefined when there is none). */
export async function findLab(name: string): Promise<Lab | undefined> {
  checkLabName(name);
  const record = await readRecord(name);
  return record ? makeLab(record) : undefined;
}

/** Names of the labs that have state on this machine. */
export async function listLabs(): Promise<string[]> {
  if (!existsSync(LAB_RUN_DIR)) return [];
  const names = await readdir(LAB_RUN_DIR);
  return names.filter((n) => n !== 'addresses' && existsSync(join(LAB_RUN_DIR, n, 'lab.json'))).sort();
}

/** Ends the lab's extra processes (listeners started by scenarios), by the pids recorded for them. */
async function stopExtraProcesses(name: string): Promise<void> {
  const dir = join(labDir(name), 'pids');
  if (!existsSync(dir)) return;
  for (const f of await readdir(dir)) {
    const pid = Number.parseInt(f, 10);
    if (!Number.isInteger(pid) || pid <= 1) continue;
    signalPid(pid, 'SIGTERM');
    if (!(await waitGone(pid, 3000))) signalPid(pid, 'SIGKILL');
    await waitGone(pid, 2000);
  }
}

/** Stops a lab: hosts, supervisors, extra processes, mounts, files, address claims. Never touches another lab. */
export async function stopLab(name: string): Promise<void> {
  checkLabName(name);
  const dir = labDir(name);
  const problems: string[] = [];
  const record = await readRecord(name);
  if (record) {
    const results = await Promise.all(record.hosts.map((h) => stopHost({ lab: name, ...h })));
    problems.push(...results.flat());
  } else if (existsSync(join(dir, 'hosts'))) {
    // started but never recorded its hosts: unmount whatever roots exist
    for (const h of await readdir(join(dir, 'hosts'))) problems.push(...(await unmount(hostRoot(name, h))));
  }
  await stopExtraProcesses(name);
  problems.push(...(await unmount(fsDir(name))));
  await rm(dir, { recursive: true, force: true });
  await releaseAddresses(name);
  await pruneRunDir(LAB_RUN_DIR);
  const serious = problems.filter((p) => !p.includes('unmounted lazily'));
  if (serious.length > 0) throw new Error(`lab ${name}: down left problems: ${serious.join('; ')}`);
}
