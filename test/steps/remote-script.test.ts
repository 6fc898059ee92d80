import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createLocalTransport } from '../../src/transport/local.js';
import { buildScriptCommand, parseRecords, runRemoteScript, parseStatStart, toStepResult } from '../../src/steps/remote-script.js';
import { parseTerminateOutput, terminateEffects, graceTicks } from '../../src/steps/terminate.js';
import type { StepContext } from '../../src/steps/step.js';
import { createFactsAccess, NO_HOST_OPTIONS } from '../../src/steps/facts-access.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function localContext(): StepContext {
  const transport = createLocalTransport({ host: 'local', kind: 'local', address: 'localhost', become: false, extra: {} });
  return {
    host: 'local', connection: { host: 'local', kind: 'local', address: 'localhost', become: false, extra: {} }, transport, vars: {},
    facts: createFactsAccess(transport, NO_HOST_OPTIONS, {}), options: NO_HOST_OPTIONS, check: false, signal: new AbortController().signal,
  };
}

describe('steps/remote-script', () => {
  it('passes hostile arguments to a real sh as positional parameters, byte for byte', async () => {
    const args = ["it's", 'two words', '$(touch /tmp/remedy-pwned)', '`id`', 'a\nb', '', '-e', '__REMEDY_SCRIPT_EOF__', '*'];
    const res = await runRemoteScript(localContext(), 'printf "<%s>" "$@"', args);
    assert.equal(res.exitCode, 0, res.stderr);
    assert.equal(res.stdout, args.map((a) => `<${a}>`).join(''));
  });

  it('keeps the script away from commands that read stdin', async () => {
    const res = await runRemoteScript(localContext(), 'cat\necho "after $1"', ['x']);
    assert.equal(res.exitCode, 0, res.stderr);
    assert.equal(res.stdout, 'after x\n');
  });

  it('refuses a body that contains the heredoc marker on a line of its own', () => {
    assert.throws(() => buildScriptCommand('echo\n__REMEDY_SCRIPT_EOF__\necho', []));
  });

  it('splits tab-separated records and drops blank lines', () => {
    assert.deepEqual(parseRecords('a\t1\t2\n\nb\n'), [{ kind: 'a', fields: ['1', '2'] }, { kind: 'b', fields: [] }]);
  });

  it('reads the starttime of a /proc/PID/stat line whose comm holds spaces and parens', () => {
    const stat = '4242 (my (odd) prog) S 1 4242 4242 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 1135868 2400000 200 18446744073709551615';
    assert.equal(parseStatStart(stat), 1135868);
  });

  it('marks a timed-out exec as failed', () => {
    const r = toStepResult([{ exitCode: null, signal: 'SIGKILL', stdout: '', stderr: '', durationMs: 5, timedOut: true, truncated: false }], { status: 'changed' });
    assert.equal(r.status, 'failed');
    assert.equal(r.timedOut, true);
    assert.equal(r.changed, false);
  });
});

describe('steps/terminate', () => {
  it('reads which signal ended each process (captured on a systemd lab host)', () => {
    const out = parseTerminateOutput(fixture('terminate-systemd.txt'));
    assert.deepEqual(out.vanished, [1487, 99999]);
    assert.deepEqual([...out.sent.entries()], [[600, 'TERM'], [601, 'TERM']]);
    assert.deepEqual(out.gone, [{ pid: 601, signal: 'TERM' }, { pid: 600, signal: 'KILL' }]);
    assert.deepEqual(out.survivors, []);
    const fx = terminateEffects(out, [{ pid: 600, command: 'remedy-victim-b 600' }, { pid: 601, command: '/usr/local/bin/remedy-lab-app' }]);
    assert.deepEqual(fx.killed, [
      { pid: 601, command: '/usr/local/bin/remedy-lab-app', signal: 'TERM' },
      { pid: 600, command: 'remedy-victim-b 600', signal: 'KILL' },
    ]);
  });

  it('reports survivors and kill errors', () => {
    const out = parseTerminateOutput('sent\t5\tTERM\nerror\t6\tkill -s TERM failed\nsurvivor\t5\n');
    assert.deepEqual(out.survivors, [5]);
    assert.deepEqual(out.errors, [{ pid: 6, why: 'kill -s TERM failed' }]);
  });

  it('turns a grace period into 0.2 s polls', () => {
    assert.equal(graceTicks(5), 25);
    assert.equal(graceTicks(0), 0);
    assert.equal(graceTicks(0.3), 2);
  });
});
