/**
 * Reaching a lab host without ssh: nsenter into its namespaces (for scenarios that break sshd),
 * and finding its processes from this machine's /proc (the host's PID namespace is a child of ours).
 */
import { readFile, readdir, readlink } from 'node:fs/promises';
import { leaderPid } from './host.js';
import { runCommand, type RunResult } from './run.js';

export interface HostRef {
  lab: string;
  name: string;
}

/** Runs a script inside the host through nsenter (all namespaces of its PID 1). */
export async function hostShell(h: HostRef, script: string, timeoutMs = 30_000): Promise<RunResult> {
  const leader = await leaderPid({ ...h, address: '', flavor: 'systemd' });
  if (!leader) return { code: null, stdout: '', stderr: `lab: host ${h.name} is not running` };
  return runCommand('nsenter', ['-t', String(leader), '-m', '-u', '-i', '-n', '-p', '-r', '-w', '--', '/bin/sh', '-c', script], { timeoutMs });
}

export interface MachineProcess {
  pid: number; // on this machine
  ppid: number;
  comm: string;
  cmdline: string;
}

async function readProcess(pid: number): Promise<MachineProcess | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const ppid = Number.parseInt(stat.slice(close + 2).split(' ')[1] ?? '0', 10);
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim();
    return { pid, ppid, comm, cmdline };
  } catch {
    return undefined;
  }
}

/** Processes of the host (pids as this machine sees them). */
export async function hostProcesses(h: HostRef): Promise<MachineProcess[]> {
  const leader = await leaderPid({ ...h, address: '', flavor: 'systemd' });
  if (!leader) return [];
  const ns = await readlink(`/proc/${leader}/ns/pid`);
  const out: MachineProcess[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number.parseInt(entry, 10);
    try {
      if ((await readlink(`/proc/${pid}/ns/pid`)) !== ns) continue;
    } catch {
      continue;
    }
    const p = await readProcess(pid);
    if (p) out.push(p);
  }
  return out;
}

/** A text snapshot of a host for failure reports: its processes (as this machine sees them) and its console's tail. */
export async function describeHost(h: HostRef): Promise<string> {
  const { readFile: read } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { hostStateDir } = await import('./paths.js');
  const procs = await hostProcesses(h);
  const consoleLog = await read(join(hostStateDir(h.lab, h.name), 'console.log'), 'utf8').catch(() => '(no console.log)');
  const supervise = await read(join(hostStateDir(h.lab, h.name), 'supervise.log'), 'utf8').catch(() => '');
  return [
    `--- ${h.name}: ${procs.length} processes`,
    ...procs.map((p) => `  ${p.pid} ${p.ppid} ${p.comm} ${p.cmdline.slice(0, 120)}`),
    '  console (tail):',
    ...consoleLog.trim().split('\n').slice(-10).map((l) => `    ${l}`),
    ...(supervise ? ['  supervisor:', ...supervise.trim().split('\n').map((l) => `    ${l}`)] : []),
  ].join('\n');
}
