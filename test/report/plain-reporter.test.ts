import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import type { RunEvent } from '../../src/model/events.js';
import { createPlainReporter, type PlainReporterOptions } from '../../src/report/plain-reporter.js';
import { db1, report, scriptedEvents, step } from './fixtures.js';

function run(events: RunEvent[], opts: PlainReporterOptions): string[] {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  const listener = createPlainReporter(out, opts);
  for (const e of events) listener(e);
  out.end();
  assert.ok(text === '' || text.endsWith('\n'), 'every line ends with a newline');
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

const ESC = '\u001b';

describe('plain reporter', () => {
  it('prints one line per event of a scripted run, exactly', () => {
    assert.deepEqual(run(scriptedEvents(), { color: false }), [
      'RUN playbooks/services.yml: 3 hosts, forks 20',
      'PLAY [services]: 3 hosts',
      'BATCH 1 [services]: web01, web02, db1',
      '[db1] UNREACHABLE (connection-refused): connect ECONNREFUSED 192.0.2.3:22',
      '[web01] ok: scan (0.1s)',
      '[web02] ok: scan (0.1s)',
      '[web01] changed: restart sshd (0.3s)',
      '[web02] FAILED: restart sshd (exit 1, 0.2s): Job for sshd.service failed.',
      '[web02]   | See "systemctl status sshd.service" for details.',
      '[web02]   | exit code 1',
      '[web01] skipped: only on db (0.0s): when: false',
      '[web02] WARNING: stale process 777 (java) has no owner to restart',
      '[web01] changed: handler reload (0.1s)',
      '[web01] done: changed, restarted sshd.service',
      '[web02] done: failed, killed 1 process, 1 stale process, reboot required (kernel, core-package)',
      '[db1] done: unreachable (connection-refused)',
      'WARNING: no playbook restarted xinetd',
      'END: 3 hosts: 0 ok, 1 changed, 1 failed, 1 unreachable in 12.3s; reboot required: web02',
    ]);
  });

  it('verbose adds task starts, play ends and every step\'s stdout', () => {
    const lines = run(scriptedEvents(), { color: false, verbose: true });
    assert.ok(lines.includes('[web01] start: scan'));
    assert.ok(lines.includes('PLAY END [services]'));
    const i = lines.indexOf('[web01] ok: scan (0.1s)');
    assert.equal(lines[i + 1], '[web01]   > sshd 812');
    assert.ok(!run(scriptedEvents(), { color: false }).some((l) => l.includes('sshd 812')), 'stdout only when verbose');
  });

  it('colors only when asked, and the words stay the same', () => {
    const colored = run(scriptedEvents(), { color: true });
    const plain = run(scriptedEvents(), { color: false });
    assert.ok(colored.some((l) => l.includes(ESC)));
    assert.ok(!plain.some((l) => l.includes(ESC)));
    assert.deepEqual(colored.map((l) => l.replace(/\u001b\[[0-9;]*m/g, '')), plain);
    assert.ok(colored.includes(`[web02] ${ESC}[1m${ESC}[31mFAILED${ESC}[39m${ESC}[22m: restart sshd (exit 1, 0.2s): Job for sshd.service failed.`));
  });

  it('bounds what a failed step prints', () => {
    const stderr = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n');
    const lines = run([{ type: 'task-result', play: 'p', host: 'h', task: 't', handler: false, result: step('failed', { exitCode: 2, stderr }) }],
      { color: false, maxLines: 3 });
    assert.deepEqual(lines, [
      '[h] FAILED: t (exit 2, 0.3s): line 1',
      '[h]   | line 2',
      '[h]   | line 3',
      '[h]   | line 4',
      '[h]   | … 46 more lines',
    ]);
    const long = run([{ type: 'task-result', play: 'p', host: 'h', task: 't', handler: false, result: step('failed', { stderr: 'x'.repeat(5000) }) }],
      { color: false, maxLineLength: 80 });
    assert.equal(long.length, 1);
    assert.equal(long[0]!.length, 80);
    assert.ok(long[0]!.endsWith('x…'));
  });

  it('says why a step failed: timeout, signal, remedy\'s message, attempts', () => {
    const ev = (result: ReturnType<typeof step>): RunEvent => ({ type: 'task-result', play: 'p', host: 'h', task: 't', handler: false, result });
    assert.deepEqual(run([
      ev(step('failed', { timedOut: true, durationMs: 30000, message: 'timed out after 30s' })),
      ev(step('failed', { signal: 'SIGKILL', exitCode: null })),
      ev(step('failed', { message: 'assertion failed: kernel_ok', attempts: 3, durationMs: 1500 })),
      ev(step('failed', { stdout: 'only stdout said something\n' })),
    ], { color: false }), [
      '[h] FAILED: t (timed out, 30.0s): timed out after 30s',
      '[h] FAILED: t (signal SIGKILL, 0.3s)',
      '[h] FAILED: t (1.5s, 3 attempts): assertion failed: kernel_ok',
      '[h] FAILED: t (0.3s): only stdout said something',
    ]);
  });

  it('never lets host output drive the terminal', () => {
    const evil = 'boom\u001b]0;pwned\u0007\u001b[2J\u001b[31mred\rprogress 100%\u0000';
    const lines = run([
      { type: 'task-result', play: 'p', host: 'h', task: 't', handler: false, result: step('failed', { stderr: evil, exitCode: 1 }) },
      { type: 'warning', message: 'bad\u001b[1A name', host: 'h' },
    ], { color: false, verbose: true });
    for (const l of lines) assert.ok(!l.includes(ESC) && !l.includes('\u0007') && !l.includes('\r'), JSON.stringify(l));
    assert.equal(lines[0], '[h] FAILED: t (exit 1, 0.3s): progress 100%?');
    assert.equal(lines[1], '[h] WARNING: bad name');
  });

  it('prints unreachable step results, batch failures, interrupts and check mode', () => {
    assert.deepEqual(run([
      { type: 'run-start', playbooks: ['a.yml', 'b.yml'], hosts: ['h'], check: true, forks: 5 },
      { type: 'task-result', play: 'p', host: 'h', task: 'reboot', handler: false, result: step('unreachable', { cause: 'connection-lost', message: 'socket closed' }) },
      { type: 'batch-failed', play: 'p', batch: 2, failed: 3, total: 10, maxFailPercentage: 20 },
      { type: 'batch-failed', play: 'p', batch: 3, failed: 4, total: 4 },
      { type: 'interrupted', signal: 'SIGINT' },
      { type: 'host-end', host: db1 },
      { type: 'play-end', play: 'p' },
      { type: 'run-end', report: report([db1], { interrupted: true }) },
    ], { color: false }), [
      'RUN a.yml, b.yml: 1 host, forks 5, check mode',
      '[h] UNREACHABLE (connection-lost) at reboot: socket closed',
      'BATCH 2 [p] FAILED: 3 of 10 hosts failed (30%), more than max_fail_percentage 20%',
      'BATCH 3 [p] FAILED: 4 of 4 hosts failed (100%), every host of the batch failed',
      'INTERRUPTED (SIGINT): no new work starts; running steps finish, then the report is written',
      '[db1] done: unreachable (connection-refused)',
      'END (interrupted): 1 host: 0 ok, 0 changed, 0 failed, 1 unreachable in 12.3s',
    ]);
  });

  it('prints nothing for an event type it does not know', () => {
    assert.deepEqual(run([{ type: 'from-the-future' } as unknown as RunEvent], { color: false }), []);
  });

  it('shortens long host lists in batch headers', () => {
    const hosts = Array.from({ length: 25 }, (_, i) => `web${String(i + 1).padStart(2, '0')}`);
    const [line] = run([{ type: 'batch-start', play: 'p', batch: 1, hosts }], { color: false });
    assert.equal(line, 'BATCH 1 [p]: web01, web02, web03, web04, web05, web06, web07, web08, web09, web10 … (+15 more)');
  });
});
