/**
 * The remediation runner's own rules, with a transport that answers from a script of replies (the
 * lab suites run the real steps): check mode stops after the plan, a failed script fails the step with
 * every exec in it, a lost connection says the phase it was in.
 */
import { strict as assert } from 'node:assert';
import { Type } from '@sinclair/typebox';
import { UnreachableError } from '../../src/model/errors.js';
import { createFactsAccess, NO_HOST_OPTIONS } from '../../src/steps/facts-access.js';
import { runRemediation, type Remediation } from '../../src/steps/remediation.js';
import type { StepContext } from '../../src/steps/step.js';
import type { ExecResult, Transport } from '../../src/transport/transport.js';

type Reply = Partial<ExecResult> | 'lost';

function context(replies: Reply[], check = false): { ctx: StepContext; scripts: string[] } {
  const scripts: string[] = [];
  const transport: Transport = {
    host: 'h', connect: async () => undefined, put: async () => undefined, close: async () => undefined,
    exec: async (req) => {
      scripts.push(req.script ?? '');
      const r = replies.shift() ?? {};
      if (r === 'lost') throw new UnreachableError('h', 'connection-lost', 'the connection to h was lost');
      return { exitCode: 0, signal: null, stdout: '', stderr: '', durationMs: 1, timedOut: false, truncated: false, ...r };
    },
  };
  const ctx: StepContext = {
    host: 'h', connection: { host: 'h', kind: 'ssh', address: 'h', become: false, extra: {} }, transport, vars: {},
    facts: createFactsAccess(transport, NO_HOST_OPTIONS, {}), options: NO_HOST_OPTIONS, check, signal: new AbortController().signal,
  };
  return { ctx, scripts };
}

/** Reads a number, plans to double it, applies by echoing, judges what came back. */
const doubler: Remediation<{ n: number }, number, number, string> = {
  name: 'doubler',
  args: Type.Object({ n: Type.Number() }),
  scan: (read) => read.probe({ name: 'doubler', script: 'echo 21', args: () => [], parse: (s) => Number(s) }, undefined),
  plan: (scan) => (scan === 0 ? { done: { status: 'ok', message: 'nothing to double' } } : { act: scan * 2, would: `write ${scan * 2}` }),
  apply: async (act, plan) => (await act.script('doubler', `echo ${plan}`, [])).stdout.trim(),
  judge: (plan, outcome) => ({ status: outcome === String(plan) ? 'changed' : 'failed', message: `wrote ${outcome}` }),
};

describe('steps/remediation: the runner', () => {
  it('scan → plan → apply → judge; the typed plan is kept in the result', async () => {
    const { ctx, scripts } = context([{ stdout: '21\n' }, { stdout: '42\n' }]);
    const r = await runRemediation(doubler, ctx, { n: 1 });
    assert.deepEqual([r.status, r.message, r.plan, scripts.length], ['changed', 'wrote 42', 42, 2]);
    assert.equal(r.stdout, '21\n42\n', 'every exec of the step is in its output');
  });

  it('check mode stops after the plan and shows it: nothing is applied', async () => {
    const { ctx, scripts } = context([{ stdout: '21\n' }], true);
    const r = await runRemediation(doubler, ctx, { n: 1 });
    assert.deepEqual([r.status, r.message, r.plan, scripts.length], ['skipped', 'check mode: would write 42', 42, 1]);
  });

  it('a plan with nothing to do is its result, without apply', async () => {
    const { ctx, scripts } = context([{ stdout: '0\n' }]);
    const r = await runRemediation(doubler, ctx, { n: 1 });
    assert.deepEqual([r.status, r.message, r.plan, scripts.length], ['ok', 'nothing to double', undefined, 1]);
  });

  it('a script that fails fails the step with its exit code and stderr', async () => {
    const { ctx } = context([{ stdout: '21\n' }, { exitCode: 3, stderr: 'disk full\n' }]);
    const r = await runRemediation(doubler, ctx, { n: 1 });
    assert.deepEqual([r.status, r.cause, r.message], ['failed', 'script-failed', 'doubler: exit code 3: disk full']);
  });

  it('a connection lost says the phase: before changing anything, or while changing the host', async () => {
    await assert.rejects(runRemediation(doubler, context(['lost']).ctx, { n: 1 }),
      (e: unknown) => e instanceof UnreachableError && e.kind === 'connection-lost' && /\(doubler: while reading the host, before changing anything\)$/.test(e.message));
    await assert.rejects(runRemediation(doubler, context([{ stdout: '21\n' }, 'lost']).ctx, { n: 1 }),
      (e: unknown) => e instanceof UnreachableError && /\(doubler: while changing the host: it may be half done, see the host\)$/.test(e.message));
  });

  it('a script ended by the run\'s second stop signal says the phase it was in', async () => {
    const { ctx } = context([{ stdout: '21\n' }, { exitCode: null, signal: 'TERM' }]);
    const kill = new AbortController();
    kill.abort('SIGINT');
    const r = await runRemediation(doubler, { ...ctx, signal: kill.signal }, { n: 1 });
    assert.deepEqual([r.status, r.message], ['failed', 'doubler: killed by TERM; while changing the host: it may be half done, see the host']);
    // the same exit without an interrupt is a plain failure
    const plain = await runRemediation(doubler, context([{ stdout: '21\n' }, { exitCode: null, signal: 'TERM' }]).ctx, { n: 1 });
    assert.equal(plain.message, 'doubler: killed by TERM');
  });
});
