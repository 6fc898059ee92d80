/** Runs the real `remedy` under a pseudo-terminal (util-linux `script`), as a user at a terminal sees it. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { shellQuote } from '../../src/model/shell-quote.js';
import { repoRoot } from './run-cli.js';

export interface TerminalResult { code: number | null; output: string }

/**
 * `remedy ARGS` on a terminal: its stdin, stdout and stderr are the terminal; `input` is typed into it
 * once `waitFor` appears in the output (a prompt), or at once when no waitFor is given.
 */
export function runOnTerminal(args: string[], opts: { input?: string; waitFor?: RegExp; env?: Record<string, string> } = {}): Promise<TerminalResult> {
  const cmd = [process.execPath, '--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args].map(shellQuote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', TERM: 'xterm', COLUMNS: '160', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let typed = false;
    const type = (): void => {
      if (typed || opts.input === undefined) return;
      typed = true;
      child.stdin.write(opts.input);
    };
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      if (opts.waitFor?.test(output)) type();
    });
    child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    if (!opts.waitFor) type();
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin.destroy();
      resolve({ code, output });
    });
  });
}
