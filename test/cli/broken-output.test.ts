import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, scratch } from './run-cli.js';

describe('a full stdout (> /dev/full) does not end the run', function () {
  this.timeout(30_000);

  it('the run goes on, the report file is written, the exit code is the run\'s, stderr says why output was lost', async () => {
    const dir = scratch({ 'i.yml': 'all:\n  hosts:\n    h: { ansible_connection: local }\n' });
    await import('node:fs/promises').then((fs) => fs.writeFile(join(dir, 'p.yml'), `- hosts: all\n  tasks:\n    - shell: "echo ran > ${join(dir, 'ran.txt')}"\n`));
    const full = openSync('/dev/full', 'w');
    const json = join(dir, 'r.json');
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '--json', json, '--no-progress'],
        { cwd: repoRoot, stdio: ['ignore', full, 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
      const code = await new Promise<number | null>((r) => child.on('close', r));
      assert.equal(code, 0, stderr);
      assert.match(stderr, /cannot write to stdout \(ENOSPC\): its output is dropped; the run and its report files go on/);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
      assert.equal(readFileSync(join(dir, 'ran.txt'), 'utf8'), 'ran\n');
      assert.equal((JSON.parse(readFileSync(json, 'utf8')) as { summary: { changed: number } }).summary.changed, 1);
    } finally {
      closeSync(full);
    }
  });
});
