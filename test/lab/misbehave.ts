/**
 * Hosts that misbehave, for remedy's failure handling: sshd stopped (connection refused), an address
 * that accepts TCP and never speaks (timeout), a changed host key, a host that does not come back
 * from a reboot, a connection dropped in the middle of a step. Processes started here are tracked by
 * pid under the lab's state dir and ended by pid (by the returned stop() or by the lab's down).
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Lab, LabHost } from './index.js';
import { hostProcesses, hostShell } from './host-shell.js';
import { labDir, hostStateDir } from './paths.js';
import { claimAddresses, releaseAddresses } from './registry.js';
import { mustRun, signalPid, sleep, waitGone } from './run.js';
import { supervisorPid } from './host.js';

type HostArg = LabHost | string;
const hostOf = (lab: Lab, host: HostArg): LabHost => lab.host(typeof host === 'string' ? host : host.name);

/** Resolves 'refused' | 'open' | 'timeout' for a TCP connect to address:port. */
export function probeTcp(address: string, port = 22, timeoutMs = 2000): Promise<'refused' | 'open' | 'timeout' | 'error'> {
  return new Promise((resolve) => {
    const s = connect({ host: address, port });
    const done = (v: 'refused' | 'open' | 'timeout' | 'error') => { s.destroy(); resolve(v); };
    s.setTimeout(timeoutMs, () => done('timeout'));
    s.once('connect', () => done('open'));
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'refused' : 'error'));
  });
}

async function waitTcp(address: string, want: 'refused' | 'open', timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if ((await probeTcp(address, 22, 1000)) === want) return;
    await sleep(100);
  }
  throw new Error(`lab: ${address}:22 is not ${want} after ${timeoutMs} ms`);
}

/** Stops the host's sshd listener (service ssh stop): new connections are refused. restore() starts it again (via nsenter). */
export async function stopSshd(lab: Lab, host: HostArg): Promise<{ address: string; restore(): Promise<void> }> {
  const h = hostOf(lab, host);
  const r = await hostShell({ lab: lab.name, name: h.name }, 'service ssh stop >/dev/null 2>&1');
  if (r.code !== 0) throw new Error(`lab: could not stop sshd on ${h.name}: ${r.stderr.trim()}`);
  await waitTcp(h.address, 'refused');
  return {
    address: h.address,
    async restore() {
      await hostShell({ lab: lab.name, name: h.name }, 'service ssh start >/dev/null 2>&1');
      await waitTcp(h.address, 'open');
    },
  };
}

export interface SilentListener {
  address: string;
  port: number;
  /** pid on this machine of the listener process */
  pid: number;
  /**
   * Ends the listener and gives its address back to the pool; says whether port 22 refused
   * connections before the address went back (after that, another lab may take it).
   */
  stop(): Promise<'refused' | 'open'>;
}

/** A new lab address whose port 22 accepts TCP connections and never sends a byte (an SSH timeout). */
export async function listenSilently(lab: Lab): Promise<SilentListener> {
  const [address] = await claimAddresses(lab.name, 1);
  const code = `const s=require('net').createServer(c=>{c.on('error',()=>{})});s.listen(22,${JSON.stringify(address)});`;
  const child = spawn(process.execPath, ['-e', code], { detached: true, stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('lab: could not start the silent listener');
  child.unref();
  const pid = child.pid;
  const pidsDir = join(labDir(lab.name), 'pids');
  await mkdir(pidsDir, { recursive: true });
  await writeFile(join(pidsDir, String(pid)), `silent listener on ${address}:22\n`);
  await waitTcp(address!, 'open', 10_000);
  return {
    address: address!,
    port: 22,
    pid,
    async stop() {
      signalPid(pid, 'SIGTERM');
      if (!(await waitGone(pid, 3000))) signalPid(pid, 'SIGKILL');
      await rm(join(pidsDir, String(pid)), { force: true });
      const closed = await waitTcp(address!, 'refused', 3000).then(() => 'refused' as const, () => 'open' as const);
      await releaseAddresses(lab.name, [address!]);
      return closed;
    },
  };
}

/** Gives the host a new host key and restarts sshd; the lab's known_hosts keeps the old one. */
export async function changeHostKey(lab: Lab, host: HostArg): Promise<{ oldKey: string; newKey: string }> {
  const h = hostOf(lab, host);
  const keyFile = join(h.root, 'etc/ssh/ssh_host_ed25519_key');
  const oldKey = (await readFile(`${keyFile}.pub`, 'utf8')).trim();
  await rm(keyFile, { force: true });
  await rm(`${keyFile}.pub`, { force: true });
  await mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${h.name}-new`, '-f', keyFile]);
  const r = await hostShell({ lab: lab.name, name: h.name }, 'service ssh restart >/dev/null 2>&1');
  if (r.code !== 0) throw new Error(`lab: could not restart sshd on ${h.name}: ${r.stderr.trim()}`);
  await waitTcp(h.address, 'open');
  return { oldKey, newKey: (await readFile(`${keyFile}.pub`, 'utf8')).trim() };
}

/**
 * Arms the host so that its next reboot never comes back (its supervisor does not start it again;
 * the address then refuses connections). With { rebootNow: true } it also reboots it and waits until it is gone.
 */
export async function hostThatDoesNotComeBack(lab: Lab, host: HostArg, opts: { rebootNow?: boolean } = {}): Promise<{ address: string }> {
  const h = hostOf(lab, host);
  await writeFile(join(hostStateDir(lab.name, h.name), 'no-return'), '');
  if (opts.rebootNow) {
    const supervisor = await supervisorPid({ lab: lab.name, ...h });
    await lab.exec(h, "nohup sh -c 'sleep 0.3; reboot' >/dev/null 2>&1 &");
    if (supervisor && !(await waitGone(supervisor, 30_000))) throw new Error(`lab: ${h.name} is still running after its reboot`);
  }
  return { address: h.address };
}

/**
 * Waits for a process whose command line contains `marker` on the host (a step running over ssh, or
 * a command its script ran), then kills the per-connection sshd processes above it with SIGKILL: the client sees its connection
 * drop mid-step (delayMs after the process appeared). Returns the pids (on this machine) it killed.
 */
export async function dropConnectionMidStep(lab: Lab, host: HostArg, marker: string, opts: { timeoutMs?: number; delayMs?: number } = {}): Promise<{ killed: number[] }> {
  const h = hostOf(lab, host);
  const end = Date.now() + (opts.timeoutMs ?? 20_000);
  while (Date.now() < end) {
    const procs = await hostProcesses({ lab: lab.name, name: h.name });
    const byPid = new Map(procs.map((p) => [p.pid, p]));
    const target = procs.find((p) => p.cmdline.includes(marker) && p.comm !== 'sshd');
    if (target) {
      const killed: number[] = [];
      // up through the step's own shells (a command the step's script ran) to its session's sshd
      let above = byPid.get(target.ppid);
      while (above && above.comm !== 'sshd') above = byPid.get(above.ppid);
      for (let p = above; p && p.comm === 'sshd' && !p.cmdline.includes('[listener]') && !p.cmdline.startsWith('/usr/sbin/sshd'); p = byPid.get(p.ppid)) {
        killed.push(p.pid);
      }
      if (killed.length === 0) throw new Error(`lab: the process with "${marker}" on ${h.name} is not under a per-connection sshd`);
      if (opts.delayMs) await sleep(opts.delayMs);
      for (const pid of killed) signalPid(pid, 'SIGKILL');
      return { killed };
    }
    await sleep(50);
  }
  throw new Error(`lab: no process with "${marker}" appeared on ${h.name}`);
}

/**
 * The host's sshd goes away entirely, as when a jump host is shut down: the listener is stopped (new
 * connections refused) and every open session is ended (SIGKILL to each per-connection sshd, by pid),
 * so connections forwarded through it drop. restore() starts the listener again.
 */
export async function sshdGoesAway(lab: Lab, host: HostArg): Promise<{ killed: number[]; restore(): Promise<void> }> {
  const h = hostOf(lab, host);
  const stopped = await stopSshd(lab, h);
  const sessions = (await hostProcesses({ lab: lab.name, name: h.name })).filter((p) => p.comm === 'sshd');
  for (const p of sessions) signalPid(p.pid, 'SIGKILL');
  return { killed: sessions.map((p) => p.pid), restore: () => stopped.restore() };
}

/**
 * Every SSH connection to the host drops at once while sshd keeps listening (each per-connection sshd
 * SIGKILLed, by pid; the listener is left): for a connection lost between two steps. Returns the pids.
 */
export async function endSshSessions(lab: Lab, host: HostArg): Promise<{ killed: number[] }> {
  const h = hostOf(lab, host);
  const sessions = (await hostProcesses({ lab: lab.name, name: h.name }))
    .filter((p) => p.comm === 'sshd' && !p.cmdline.includes('[listener]') && !p.cmdline.startsWith('/usr/sbin/sshd'));
  for (const p of sessions) signalPid(p.pid, 'SIGKILL');
  return { killed: sessions.map((p) => p.pid) };
}
