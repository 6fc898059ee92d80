/**
 * restart_services' remote script says `settling` once every restarted service is running and none of
 * its old processes is left, before it waits out its settle second: the controller starts the
 * verifying re-scan then. Run with this machine's sh and a stand-in `service` command (the restart
 * ends the "old process", a sleep this test started, or leaves it running).
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildScriptCommand } from '../../src/facts/script.js';
import { parseRestartOutput, RESTART_SH } from '../../src/steps/restart-script.js';

interface Seen { stdout: string; settlingBeforeEnd: boolean; afterBeforeSettling: boolean }

function run(dir: string, args: string[]): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', buildScriptCommand(RESTART_SH, args)], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
    let stdout = '';
    let settlingBeforeEnd = false;
    let afterBeforeSettling = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (/^settling$/m.test(stdout) && !/^after\t/m.test(stdout)) settlingBeforeEnd = true;
      if (/^after\t/m.test(stdout) && !/^settling$/m.test(stdout)) afterBeforeSettling = true;
    });
    child.on('error', reject);
    child.on('close', () => resolve({ stdout, settlingBeforeEnd, afterBeforeSettling }));
  });
}

describe('steps/restart-script: the settling record', () => {
  const dir = mkdtempSync(join(tmpdir(), 'remedy-settling-'));
  const olds: ChildProcess[] = [];
  const old = (): number => { const c = spawn('sleep', ['60'], { stdio: 'ignore' }); olds.push(c); return c.pid!; };
  // The stand-in: `service NAME restart` ends the pids listed in $dir/NAME.kill; status says running.
  writeFileSync(join(dir, 'service'), `#!/bin/sh\n[ "$2" = restart ] && [ -f "${dir}/$1.kill" ] && kill $(cat "${dir}/$1.kill") && sleep 0.2\nexit 0\n`);
  chmodSync(join(dir, 'service'), 0o755);
  after(() => { for (const c of olds) c.kill(); rmSync(dir, { recursive: true, force: true }); });

  it('every old process gone after the restarts: settling is printed, while the script still runs, before the after records', async () => {
    const a = old();
    const b = old();
    writeFileSync(join(dir, 'one.kill'), `${a}\n`);
    writeFileSync(join(dir, 'two.kill'), `${b}\n`);
    const seen = await run(dir, ['sysv', 'one', '0', String(a), 'sysv', 'two', '0', `${b},${a}`]);
    assert.ok(seen.settlingBeforeEnd, seen.stdout);
    assert.equal(seen.afterBeforeSettling, false);
    assert.deepEqual(parseRestartOutput(seen.stdout).map((o) => [o.name, o.rc, o.after]), [['one', 0, 'active'], ['two', 0, 'active']]);
  });

  it('an old process still there (a restart that left it running): no settling, the re-scan waits for the script', async () => {
    const gone = old();
    const left = old();
    writeFileSync(join(dir, 'three.kill'), `${gone}\n`);
    const seen = await run(dir, ['sysv', 'three', '0', `${gone},${left}`]);
    assert.doesNotMatch(seen.stdout, /^settling$/m);
    assert.match(seen.stdout, /^after\tthree\tactive$/m);
  });
});
