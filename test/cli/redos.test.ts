/**
 * Regular expressions and globs a user writes run in linear time: each case below backtracks
 * exponentially in V8 (it hung remedy until SIGKILL) and returns at once with RE2. A watchdog ends
 * remedy and fails the test if it hangs.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, scratch } from './run-cli.js';

const LONG = `${'a'.repeat(48)}!`;

function remedyWithin(args: string[], seconds: number): Promise<{ code: number | null; out: string; hung: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let hung = false;
    const watchdog = setTimeout(() => { hung = true; child.kill('SIGKILL'); }, seconds * 1000);
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    child.on('close', (code) => { clearTimeout(watchdog); resolve({ code, out, hung }); });
  });
}

describe('user regexes and globs cannot hang remedy (RE2)', function () {
  this.timeout(120_000);
  const inventory = `all:\n  hosts:\n    localhost: { ansible_connection: local }\n    ${LONG}: { ansible_connection: local }\n`;

  it('a kill_processes pattern against a long command line (check mode)', async () => {
    const victim = spawn('sh', ['-c', 'sleep 60', LONG], { stdio: 'ignore', detached: true });
    try {
      const dir = scratch({ 'i.yml': inventory, 'p.yml': "- hosts: localhost\n  tasks:\n    - kill_processes: { pattern: '(a+)+$' }\n" });
      const r = await remedyWithin(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '--check', '--no-progress'], 60);
      assert.equal(r.hung, false, 'remedy hung on the pattern');
      assert.equal(r.code, 0, r.out);
    } finally {
      if (victim.pid) process.kill(-victim.pid, 'SIGKILL');
    }
  });

  it('a ~regex host pattern against a long host name', async () => {
    const dir = scratch({ 'i.yml': inventory });
    const r = await remedyWithin(['inventory', '-i', join(dir, 'i.yml'), '-l', '~(a+)+$'], 60);
    assert.equal(r.hung, false, 'remedy hung on the host pattern');
    assert.equal(r.code, 5, r.out);
  });

  it('a library glob with many stars against long file names', async () => {
    const glob = `${'*a'.repeat(40)}*b`;
    const dir = scratch({ 'i.yml': inventory, 'p.yml': `- hosts: localhost\n  tasks:\n    - gather_facts: { library_glob: '${glob}' }\n` });
    const r = await remedyWithin(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '--no-progress'], 90);
    assert.equal(r.hung, false, 'remedy hung on the glob');
    assert.equal(r.code, 0, r.out);
  });
});
