/**
 * restart_services starts its verifying re-scan when the restart script says `settling` (every service
 * running again, no old process left), while the script waits out its settle second; verify then uses
 * that scan. Driven through the step's own apply and verify with an Actor whose script replays the
 * records a lab host prints (test/steps/restart-script-settling.test.ts runs the script itself).
 */
import { strict as assert } from 'node:assert';
import type { HostFacts } from '../../src/facts/types.js';
import type { Actor } from '../../src/steps/remediation.js';
import type { RestartPlan } from '../../src/steps/restart-plan.js';
import { restartServices, type RestartServicesArgs } from '../../src/steps/restart-services.js';
import type { ExecResult } from '../../src/transport/transport.js';

const facts = { stale: [], unknown: [] } as unknown as HostFacts;
const plan = (sshd = false): RestartPlan => ({ restart: [{ name: 'labd.service', init: 'systemd', sshd, pids: [24], files: ['/usr/lib/x.so'] }], skipped: [], notStale: [] });
const RECORDS = ['before\tlabd.service\t24\n', 'rc\tlabd.service\t0\n', 'settling\n', 'after\tlabd.service\tactive\npid\tlabd.service\t31\n'];

/** An Actor whose script prints `chunks` one by one, then ends (or fails); the log says what happened when. */
function actor(chunks: string[], log: string[], fail?: Error): Actor {
  const result = (stdout: string): ExecResult => ({ exitCode: 0, signal: null, stdout, stderr: '', durationMs: 1000, timedOut: false, truncated: false });
  return {
    facts: {
      peek: () => undefined,
      refresh: async () => { log.push('rescan starts'); await new Promise((r) => setTimeout(r, 20)); log.push('rescan ends'); return facts; },
    },
    script: async (_what: string, _body: string, _args: string[], _t?: number, onStdout?: (c: string) => void) => {
      log.push('script starts');
      for (const c of chunks) { onStdout?.(c); await new Promise((r) => setImmediate(r)); }
      log.push('script ends');
      if (fail) throw fail;
      return result(chunks.join(''));
    },
    progress: () => undefined,
    ctx: { transport: {} },
  } as unknown as Actor;
}

async function step(chunks: string[], args: RestartServicesArgs = {}, sshd = false) {
  const log: string[] = [];
  const act = actor(chunks, log);
  const applied = await restartServices.apply(act, plan(sshd), args);
  log.push('applied');
  const verified = await restartServices.verify!(act, plan(sshd), applied, args);
  return { log, applied, verified };
}

describe('steps/restart_services: the re-scan overlaps the settle second', () => {
  it('settling: the re-scan starts before the script ends, and verify uses it', async () => {
    const { log, applied, verified } = await step(RECORDS);
    assert.deepEqual(log.slice(0, 3), ['script starts', 'rescan starts', 'script ends']);
    assert.equal(log.filter((l) => l === 'rescan starts').length, 1);
    assert.ok(applied.rescan);
    assert.equal(verified, facts);
    assert.deepEqual(applied.outcomes.map((o) => [o.name, o.after, o.pidAfter]), [['labd.service', 'active', 31]]);
  });

  it('no settling record (an old process was left): the re-scan runs after the script, as verify', async () => {
    const { log, applied } = await step(RECORDS.filter((c) => c !== 'settling\n'));
    assert.equal(applied.rescan, undefined);
    assert.deepEqual(log, ['script starts', 'script ends', 'applied', 'rescan starts', 'rescan ends']);
  });

  it('the sshd among the restarts, or verify: false: never early (the sshd\'s re-scan waits for a fresh connection)', async () => {
    assert.equal((await step(RECORDS, {}, true)).applied.rescan, undefined);
    const off = await step(RECORDS, { verify: false });
    assert.equal(off.applied.rescan, undefined);
    assert.equal(off.verified, undefined);
    assert.ok(!off.log.includes('rescan starts'));
  });

  it('a script that fails after settling: apply fails only once the re-scan has ended (nothing runs on behind the step)', async () => {
    const log: string[] = [];
    await assert.rejects(restartServices.apply(actor(RECORDS, log, new Error('timed out')), plan(), {}), /timed out/);
    assert.deepEqual(log, ['script starts', 'rescan starts', 'script ends', 'rescan ends']);
  });
});
