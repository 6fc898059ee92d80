/**
 * The fault catalogue's tools: remedy started as a user would (its output readable while it runs,
 * signals sent to it, its own peak memory), an inventory of lab hosts as the lab writes it with a few
 * vars changed per host, the reports it wrote, and files read on a host through its root.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import type { Lab, LabHost } from '../lab/index.js';
import type { HostReport, RunReport } from '../../src/model/results.js';
import { repoRoot, type CliResult } from '../cli/run-cli.js';

export interface Finished extends CliResult {
  signal: NodeJS.Signals | null;
  /** The process's own peak resident set in kB (VmHWM at exit), when asked for. */
  peakKb?: number;
}

export interface Running {
  child: ChildProcess;
  pid: number;
  /** stdout and stderr so far, interleaved as they came. */
  output(): string;
  /** Resolves once the output matches; fails with the output after timeoutMs. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<Finished>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Read the process's peak memory at exit (Finished.peakKb). */
  measure?: boolean;
  /**
   * The controller user's home directory as remedy sees it (~/.ssh/config, ~/.ssh/known_hosts): this
   * directory is bind-mounted over the user's home in a mount namespace of remedy's own (unshare), so
   * the machine's real home is never touched.
   */
  home?: string;
}

/** Starts `remedy ARGS` from source in its own process; with measure, its peak memory is read at exit. */
export function startRemedy(args: string[], opts: StartOptions = {}): Running {
  const peakFile = opts.measure ? join(mkdtempSync(join(tmpdir(), 'remedy-peak-')), 'kb') : undefined;
  const preload = peakFile ? ['--import', join(repoRoot, 'test/faults/peak-memory.ts')] : [];
  const argv = [process.execPath, '--import', 'tsx', ...preload, join(repoRoot, 'src/cli/main.ts'), ...args];
  const wrapped = opts.home
    ? ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', 'mount --bind "$1" "$2" && shift 2 && exec "$@"', 'sh', opts.home, homedir(), ...argv]
    : argv;
  const child = spawn(wrapped[0]!, wrapped.slice(1), {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', GITLAB_CI: '', ...(peakFile ? { REMEDY_TEST_PEAK_FILE: peakFile } : {}), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let all = '';
  child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); all += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); all += c.toString(); });
  const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => {
    const peak = peakFile && existsSync(peakFile) ? Number(readFileSync(peakFile, 'utf8')) : undefined;
    resolve({ code, signal, stdout, stderr, ...(peak ? { peakKb: peak } : {}) });
  }));
  let ended = false;
  void done.then(() => { ended = true; });
  return {
    child,
    pid: child.pid!,
    output: () => all,
    async waitFor(pattern, timeoutMs = 60_000) {
      const end = Date.now() + timeoutMs;
      while (!pattern.test(all)) {
        if (ended || Date.now() > end) assert.fail(`remedy ${ended ? 'ended' : 'still running'} without printing ${pattern}:\n${all}`);
        await sleep(50);
      }
    },
    done,
  };
}

/** Runs remedy to its end. */
export function runRemedy(args: string[], opts: StartOptions = {}): Promise<Finished> {
  return startRemedy(args, opts).done;
}

/** Polls until check() holds; fails naming what it waited for (and the running remedy's output, when given). */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000, run?: Running): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}${run ? `; remedy printed:\n${run.output()}` : ''}`);
    await sleep(50);
  }
}

/** A scratch directory: file(name, text) writes, file(name) only names. */
export function scratchDir(prefix: string): { dir: string; file(name: string, text?: string): string } {
  const dir = mkdtempSync(join(tmpdir(), `remedy-${prefix}-`));
  return {
    dir,
    file(name, text) {
      const path = join(dir, name);
      if (text !== undefined) writeFileSync(path, text);
      return path;
    },
  };
}

export type HostVars = Record<string, string | number | boolean>;

/**
 * An inventory of lab hosts as the lab writes its own (root, the lab's key, its known_hosts, strict
 * checking), each host given as name → vars (ansible_host at least); `common` adds vars for all.
 */
export function labInventory(lab: Lab, hosts: Record<string, HostVars>, common: HostVars = {}): string {
  return stringify({
    all: {
      vars: {
        ansible_user: 'root',
        ansible_ssh_private_key_file: lab.keyFile,
        ansible_ssh_common_args: `-o UserKnownHostsFile=${lab.knownHostsFile} -o StrictHostKeyChecking=yes`,
        ...common,
      },
      hosts,
    },
  });
}

/** ssh args as the lab's inventory has them, with more options after. */
export function labSshArgs(lab: Lab, more: string): string {
  return `-o UserKnownHostsFile=${lab.knownHostsFile} -o StrictHostKeyChecking=yes ${more}`;
}

export interface ReadReport extends RunReport {
  host(name: string): HostReport;
}

/** Reads a JSON report remedy wrote (fails saying so when there is none or it does not parse). */
export function readReport(path: string, context = ''): ReadReport {
  assert.ok(existsSync(path), `no report at ${path}${context ? `:\n${context}` : ''}`);
  const report = JSON.parse(readFileSync(path, 'utf8')) as RunReport;
  return {
    ...report,
    host(name) {
      const h = report.hosts.find((x) => x.name === name);
      assert.ok(h, `no host ${name} in the report`);
      return h;
    },
  };
}

/** A file on the host, read through its root from this machine (also while its sshd is away). */
export function fileOnHost(h: LabHost, path: string): string | undefined {
  const p = join(h.root, path);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

/** Writes a file on the host through its root. */
export function writeOnHost(h: LabHost, path: string, text = ''): void {
  writeFileSync(join(h.root, path), text);
}

/** Each host's status in the report, by name. */
export function statuses(r: RunReport): Record<string, string> {
  return Object.fromEntries(r.hosts.map((h) => [h.name, h.status]));
}

/** The processes of a process group still on the host (not zombies), as the host's own ps lists them. */
export async function groupOnHost(lab: Lab, h: LabHost, pgid: number): Promise<string[]> {
  assert.ok(Number.isInteger(pgid) && pgid > 1, `not a process group: ${pgid}`);
  const r = await lab.exec(h, 'ps -eo pgid=,stat=,pid=,args=');
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => Number(f[0]) === pgid && !f[1]!.startsWith('Z')).map((f) => f.slice(2).join(' '));
}
