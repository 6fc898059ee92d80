import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import type { RunEvent } from '../../src/model/events.js';
import { createLiveReporter, FRAME_MS, type LiveReporterOptions } from '../../src/report/live-reporter.js';
import type { HostReport } from '../../src/model/results.js';
import { db1, report, scriptedEvents, web01, web02 } from './fixtures.js';

/** A stream that is not a TTY and keeps what was written. */
function fakeOut(): { out: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  return { out: stream as unknown as NodeJS.WriteStream, text: () => text };
}

const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function drive(events: RunEvent[], opts: Omit<LiveReporterOptions, 'out'>): Promise<string> {
  const { out, text } = fakeOut();
  const live = createLiveReporter({ ...opts, out });
  for (const e of events) {
    live.listener(e);
    // Longer than listr2's 80 ms redraw interval, so every intermediate state is drawn at least once
    // even on a loaded machine (5 ms made the "current task" frame depend on timing).
    await tick(100);
  }
  await live.done();
  return text();
}

/** The last frame the default renderer drew: what stays on the screen. */
function lastFrame(text: string): string[] {
  const frames = text.replace(/\u001b\[\?25[hl]/g, '').split(/(?:\u001b\[2K\u001b\[1A)*\u001b\[2K\u001b\[G/);
  return (frames.at(-1) ?? '').trimEnd().split('\n');
}

describe('live reporter (listr2)', () => {
  it('draws one row per host with the default renderer forced on a non-TTY stream, and ends', async () => {
    const text = await drive(scriptedEvents(), { color: false, renderer: 'default' });
    assert.deepEqual(lastFrame(text), [
      '✔ web01  changed  ok 1 · changed 2 · failed 0 · skipped 1',
      '✖ web02  failed  ok 1 · changed 0 · failed 1  reboot required',
      '✖ db1    unreachable (connection-refused): connect ECONNREFUSED 192.0.2.3:22',
    ]);
    assert.match(text, /web02 {2}services › scan {2}ok 1 · changed 0 · failed 1/, 'the row showed the current task and counts');
    assert.ok(!/\u001b\[[0-9;]*m/.test(text), 'no color codes when color is false');
  });

  it('uses color codes when asked', async () => {
    const text = await drive(scriptedEvents(), { color: true, renderer: 'default' });
    assert.match(text, /\u001b\[3[0-9]m/);
  });

  it('works with the simple renderer, and picks it by itself for a non-TTY stream', async () => {
    const text = await drive(scriptedEvents(), { color: false });
    assert.match(text, /✔ web01 {2}changed {2}ok 1 · changed 2/);
    assert.match(text, /✖ db1 {4}unreachable \(connection-refused\)/);
  });

  it('done() ends rows still running, and resolves without a run-start', async () => {
    const events: RunEvent[] = [
      { type: 'run-start', playbooks: ['p.yml'], hosts: ['web01', 'slow'], check: false, forks: 2 },
      { type: 'task-start', play: 'p', host: 'slow', task: 'wait', handler: false },
      { type: 'interrupted', signal: 'SIGINT' },
      { type: 'host-end', host: web01 },
    ];
    const text = await drive(events, { color: false, renderer: 'default' });
    const frame = lastFrame(text);
    assert.equal(frame.length, 2);
    assert.match(frame[1]!, /slow {3}interrupted {2}ok 0/);
    const empty = createLiveReporter({ out: fakeOut().out, color: false, renderer: 'default' });
    await empty.done();
  });

  it('finishes rows from run-end when host-end never came', async () => {
    const events: RunEvent[] = [
      { type: 'run-start', playbooks: ['p.yml'], hosts: ['web01'], check: false, forks: 1 },
      { type: 'run-end', report: report([web01]) },
    ];
    const frame = lastFrame(await drive(events, { color: false, renderer: 'default' }));
    assert.deepEqual(frame, ['✔ web01  changed  ok 1 · changed 2 · failed 0 · skipped 1']);
  });

  it('ignores events for hosts it does not know and never throws', async () => {
    const { out } = fakeOut();
    const live = createLiveReporter({ out, color: false, renderer: 'silent' });
    live.listener({ type: 'task-result', play: 'p', host: 'ghost', task: 't', handler: false, result: { status: 'ok', changed: false, stdout: '', stderr: '', durationMs: 1 } });
    for (const e of scriptedEvents()) live.listener(e);
    live.listener({ type: 'run-start', playbooks: [], hosts: ['again'], check: false, forks: 1 });
    await live.done();
  });
});

describe('live reporter, a fleet taller than the terminal', () => {
  it('shows a summary row and the hosts most worth seeing, failures first', async () => {
    const hosts = Array.from({ length: 12 }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);
    const ok = (name: string): HostReport => ({ ...web01, name, steps: [] , status: 'ok' });
    const events: RunEvent[] = [
      { type: 'run-start', playbooks: ['p.yml'], hosts, check: false, forks: 4 },
      ...hosts.slice(0, 8).map((h): RunEvent => ({ type: 'task-start', play: 'p', host: h, task: 'scan', handler: false })),
      { type: 'host-unreachable', host: 'h03', kind: 'timeout', message: 'timed out' },
      { type: 'host-end', host: { ...db1, name: 'h03', unreachable: { kind: 'timeout', message: 'timed out' } } },
      ...['h01', 'h02', 'h04', 'h05'].map((h): RunEvent => ({ type: 'host-end', host: ok(h) })),
      { type: 'host-end', host: { ...web02, name: 'h06' } },
    ];
    const { out, text } = fakeOut();
    const live = createLiveReporter({ out, color: false, renderer: 'default', maxRows: 5 });
    for (const e of events) live.listener(e);
    await tick(FRAME_MS + 200); // the compact view's 100 ms, then a frame
    const during = lastFrame(text());
    assert.equal(during.length, 5, during.join('\n'));
    assert.match(during[0]!, /6\/12 hosts done · 1 failed · 1 unreachable · 2 running · 4 waiting$/);
    assert.match(during[1]!, /h06 {2}failed/);
    assert.match(during[2]!, /h03 {2}unreachable \(timeout\): timed out/);
    assert.match(during[3]!, /h08 {2}p › scan/);
    assert.match(during[4]!, /h07 {2}p › scan/);
    await live.done();
    const after = lastFrame(text());
    assert.equal(after.length, 5, after.join('\n'));
    assert.match(after[0]!, /^✔ 6\/12 hosts done · 1 failed · 1 unreachable · 6 not finished$/);
    assert.match(after[1]!, /^✖ h06 {2}failed/);
    assert.match(after[2]!, /^✖ h03 {2}unreachable/);
  });
});
