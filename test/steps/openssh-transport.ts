/**
 * A test-only Transport that runs each command through the real OpenSSH client (one `ssh` process per
 * exec, with the lab's key and known_hosts). It is a real transport, not a mock: the commands run on the
 * lab host's real sshd. Used until src/transport/ssh lands.
 */
import { spawn } from 'node:child_process';
import type { ExecRequest, ExecResult, Transport } from '../../src/transport/transport.js';
import { shellJoin } from '../../src/transport/transport.js';

export function createOpensshTransport(host: string, sshArgs: string[]): Transport {
  return {
    host,
    async connect() { /* every exec opens its own connection */ },
    exec(req: ExecRequest): Promise<ExecResult> {
      const command = req.argv ? shellJoin(req.argv) : (req.script ?? '');
      const started = Date.now();
      return new Promise((resolve) => {
        const child = spawn('ssh', [...sshArgs, command], { stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        const timer = req.timeoutMs ? setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, req.timeoutMs) : undefined;
        child.on('close', (code, signal) => {
          if (timer) clearTimeout(timer);
          resolve({ exitCode: code, signal, stdout, stderr, durationMs: Date.now() - started, timedOut, truncated: false });
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(req.stdin ?? '');
      });
    },
    async put() { throw new Error('openssh test transport: put is not implemented'); },
    async close() { /* nothing kept open */ },
  };
}
