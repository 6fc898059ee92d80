/**
 * The kill script ssh-exec sends to end a command's process group, run here on real process groups:
 * a group that ends on TERM, one whose members ignore TERM (KILL after the grace period), and a group
 * that is already gone. Checked with kill -0 on the group, not with the script's own word. Run by sh
 * (dash here, as on Debian hosts and under sudo's `sh -c`): its kill took `--` for a bad number, so
 * the script used to signal nothing there.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { killScript } from '../../src/transport/ssh-exec.js';

/** A new process group running `body` (its leader's pid is the group id). */
function group(body: string): number {
  const child = spawn('sh', ['-c', body], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}

/** True while kill -0 finds a member of the group (zombies reaped by node count as gone once reaped). */
const exists = (pgid: number): boolean => { try { process.kill(-pgid, 0); return true; } catch { return false; } };

async function gone(pgid: number, ms = 5_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (!exists(pgid)) return true;
  return false;
}

describe('transport/ssh-exec: the kill script on real process groups', function () {
  this.timeout(20_000);

  it('a group that ends on TERM is gone, children included', async () => {
    const pgid = group('sleep 60 & sleep 60 & wait');
    await sleep(100);
    assert.ok(exists(pgid));
    const r = spawnSync('sh', ['-c', killScript(pgid)], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.ok(await gone(pgid));
  });

  it('members that ignore TERM are KILLed after the grace period', async () => {
    const pgid = group("trap '' TERM; sh -c \"trap '' TERM; sleep 60\" & sleep 60; wait");
    await sleep(200);
    const started = Date.now();
    const r = spawnSync('sh', ['-c', killScript(pgid)], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.ok(await gone(pgid), 'KILLed');
    assert.ok(Date.now() - started >= 1_000, 'it waited for the grace period before KILL');
  });

  it('a group already gone: nothing to do, exit 0', async () => {
    const pgid = group('true');
    await sleep(200);
    const r = spawnSync('sh', ['-c', killScript(pgid)], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.equal(exists(pgid), false);
  });
});
