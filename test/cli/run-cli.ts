import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = new URL('../../', import.meta.url).pathname;

/** package.json's bin. */
export const builtEntry = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: { remedy: string } }).bin.remedy;

export interface CliResult { code: number | null; stdout: string; stderr: string }

/**
 * Runs the real `remedy` command in its own process, as a user would: from source (tsx), or with
 * `built` the shipped one (package.json's bin: the bundle `npm run build` writes, dist/bundle/main.js).
 */
export function remedy(args: string[], opts: { env?: Record<string, string>; cwd?: string; built?: boolean } = {}): Promise<CliResult> {
  const entry = opts.built ? [join(repoRoot, builtEntry)] : ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts')];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entry, ...args], {
      cwd: opts.cwd ?? repoRoot,
      // Not folded for a CI log nor appended to a step summary unless a test asks: the tests may run inside CI.
      env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', GITLAB_CI: '', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A scratch directory with the given files written into it. */
export function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'remedy-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
