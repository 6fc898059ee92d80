/**
 * A ProxyCommand run as OpenSSH runs it: `$SHELL -c "exec COMMAND"` (tokens already expanded), its
 * stdin and stdout the connection's socket, its stderr kept for error messages. The process is
 * ended when the connection closes (SIGHUP as ssh sends, then SIGTERM and SIGKILL if it lingers)
 * and, whatever happens, when remedy exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Duplex } from 'node:stream';
import { BoundedBuffer } from './bounded-buffer.js';

export interface ProxyProcess {
  /** The connection: writes go to the command's stdin, reads come from its stdout. */
  sock: Duplex;
  pid: number | undefined;
  /** What it wrote on stderr so far (trimmed, at most 8 KiB). */
  stderr(): string;
  /** Exit status, or the signal that ended it; undefined while it runs. */
  status(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Resolves when it has exited (or at once when it has). */
  exited(): Promise<void>;
  /** Ends it: SIGHUP, then SIGTERM after `graceMs`, SIGKILL after twice that. */
  end(graceMs?: number): void;
  /** Whether end() was called (a signal that ended it then came from remedy). */
  ended(): boolean;
}

const running = new Set<ChildProcess>();
let exitHook = false;

/** Ends every ProxyCommand still running when remedy exits (synchronous kill only). */
function hookExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export function startProxyCommand(command: string, env: NodeJS.ProcessEnv = process.env): ProxyProcess {
  hookExit();
  const shell = env.SHELL || '/bin/sh';
  const child = spawn(shell, ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], env });
  running.add(child);
  const err = new BoundedBuffer(8192);
  child.stderr?.on('data', (d: Buffer) => err.push(d));
  let status: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let endCalled = false;
  const exited = new Promise<void>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      status ??= { code, signal };
      running.delete(child);
      resolve();
    };
    child.once('exit', done);
    child.once('error', (e: Error) => {
      err.push(Buffer.from(`${shell}: ${e.message}\n`));
      done(127, null);
    });
  });
  // a write after the command has gone is not an error of its own: the connection closes
  child.stdin?.on('error', () => undefined);
  const sock = Duplex.from({ readable: child.stdout, writable: child.stdin });
  sock.on('error', () => undefined);
  // the command has gone and its output is read: the connection is closed (as a socket would be)
  child.once('close', () => sock.destroy());
  return {
    sock,
    pid: child.pid,
    stderr: () => err.text().trim(),
    status: () => status,
    exited: () => exited,
    ended: () => endCalled,
    end: (graceMs = 2000) => {
      endCalled = true;
      if (status) return;
      sock.destroy();
      child.kill('SIGHUP');
      const term = setTimeout(() => {
        if (!status) child.kill('SIGTERM');
      }, graceMs);
      const kill = setTimeout(() => {
        if (!status) child.kill('SIGKILL');
      }, graceMs * 2);
      term.unref();
      kill.unref();
      void exited.then(() => {
        clearTimeout(term);
        clearTimeout(kill);
      });
    },
  };
}

/** "exit 1", "killed by SIGTERM"… */
export function describeStatus(s: { code: number | null; signal: NodeJS.Signals | null }): string {
  return s.signal ? `killed by ${s.signal}` : `exit ${s.code}`;
}
