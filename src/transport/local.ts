import { spawn } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { BoundedBuffer } from './bounded-buffer.js';
import { userInfo } from 'node:os';
import type { ConnectionSpec } from '../model/inventory.js';
import type { ExecRequest, ExecResult, Transport } from './transport.js';
import { PASSPHRASE_ENV } from './passphrase-env.js';

const DEFAULT_MAX_OUTPUT = 1024 * 1024;
/** After TERM, a process group that ignores it gets KILL this much later. */
const KILL_AFTER_MS = 2000;

/** Builds the argv that runs a request on this machine, through sudo when it asks to become. */
export function localCommand(req: ExecRequest, spec: Pick<ConnectionSpec, 'become' | 'becomeUser'>): string[] {
  const inner = req.argv ? req.argv : ['/bin/sh', '-c', req.script ?? ''];
  const become = req.become ?? spec.become;
  const user = req.becomeUser ?? spec.becomeUser ?? 'root';
  if (!become || userInfo().username === user) return inner;
  return ['sudo', '-n', '-u', user, '--', ...inner];
}

/** This process's environment for a command, without remedy's own secrets (the key passphrase). */
function commandEnv(): NodeJS.ProcessEnv {
  const { [PASSPHRASE_ENV]: _secret, ...env } = process.env;
  return env;
}

/** Runs one command in its own process group; a timeout or abort ends the whole group. */
export function runLocal(argv: string[], req: ExecRequest): Promise<ExecResult> {
  const started = Date.now();
  const limit = req.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const out = new BoundedBuffer(limit);
  const err = new BoundedBuffer(limit);
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    const child = spawn(file ?? '/bin/false', args, {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...commandEnv(), ...req.env },
    });
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const endGroup = (): void => {
      if (child.pid === undefined || child.exitCode !== null) return;
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      killTimer = setTimeout(() => {
        try { if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      }, KILL_AFTER_MS);
    };
    const timer = req.timeoutMs ? setTimeout(() => { timedOut = true; endGroup(); }, req.timeoutMs) : undefined;
    const onAbort = (): void => endGroup();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (c: Buffer) => {
      out.push(c);
      req.onStdout?.(c.toString('utf8'));
    });
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => { /* the command may exit without reading its stdin */ });
    if (!req.keepStdinOpen) child.stdin.end(req.stdin ?? '');
    else if (req.stdin !== undefined) child.stdin.write(req.stdin);
    if (req.keepStdinOpen) req.endStdin?.addEventListener('abort', () => child.stdin.end(), { once: true });
    let spawnError: Error | undefined;
    child.on('error', (e) => { spawnError = e; });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      req.signal?.removeEventListener('abort', onAbort);
      const stderr = spawnError ? `${err.text()}${spawnError.message}\n` : err.text();
      resolve({
        exitCode: spawnError ? 127 : code,
        signal: signal ?? null,
        stdout: out.text(),
        stderr,
        durationMs: Date.now() - started,
        timedOut,
        truncated: out.truncated || err.truncated,
      });
    });
  });
}

/** The `local` connection: commands run on this machine, no network involved. */
export function createLocalTransport(spec: ConnectionSpec): Transport {
  return {
    host: spec.host,
    async connect() { /* nothing to open */ },
    exec(req) { return runLocal(localCommand(req, spec), req); },
    async put(path, content, mode) {
      if (spec.become && userInfo().username !== (spec.becomeUser ?? 'root')) {
        const res = await runLocal(localCommand({ argv: ['tee', path] }, spec), { stdin: content });
        if (res.exitCode !== 0) throw new Error(`cannot write ${path}: ${res.stderr.trim()}`);
        if (mode !== undefined) await runLocal(localCommand({ argv: ['chmod', mode.toString(8), path] }, spec), {});
        return;
      }
      await writeFile(path, content);
      if (mode !== undefined) await chmod(path, mode);
    },
    async close() { /* nothing to close */ },
  };
}
