/**
 * Hosts a run did not get to, in every format, read by the real consumers: locked by another run
 * (with the holder) and not reached (the run stopped early, with why). The final table and the log
 * say it too.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderMetrics } from '../../src/report/metrics.js';
import { renderHtml } from '../../src/report/html.js';
import { renderSummaryTable } from '../../src/report/summary-table.js';
import { createPlainReporter } from '../../src/report/plain-reporter.js';
import { compiledSchema } from '../../src/config/schema.js';
import type { RunEvent } from '../../src/model/events.js';
import { parseJunit, parseMarkdown, promtoolCheck, xmllint } from './consumers.js';
import { launchBrowser } from './browser.js';
import { stoppedReport } from './fixtures.js';

const HOLDER = 'run 0b5d7f4e-1111-4c2a-9d1e-5a7e2b9c0001 from ci-runner-7 (pid 4242) since 2026-11-21T19:58:00.000Z';
const WHY = "the --deadline passed before play 'services' reached this host";

describe('locked and not-reached hosts in every format', function () {
  this.timeout(60_000);
  const r = stoppedReport();
  const dir = mkdtempSync(join(tmpdir(), 'remedy-left-'));

  it('the report is valid against the schema', () => {
    const validate = compiledSchema('report');
    assert.ok(validate(r), JSON.stringify(validate.errors));
  });

  it('JUnit (junitparser, xmllint): skipped cases with the holder and the reason; the stop is a suite property', async () => {
    const file = join(dir, 'r.xml');
    writeFileSync(file, renderJunit(r));
    await xmllint([file]);
    const suite = (await parseJunit([file]))[0]![0]!;
    assert.deepEqual([suite.tests, suite.failures, suite.errors, suite.skipped], [5, 1, 0, 3]);
    const result = (name: string) => suite.cases.find((c) => c.name === name)!.results.map((x) => [x.tag, x.message]);
    assert.deepEqual(result('web04'), [['skipped', `locked by another run: locked: held by ${HOLDER}; left alone`]]);
    assert.deepEqual(result('web05'), [['skipped', `not reached: deadline: ${WHY}`]]);
    const prop = (k: string) => suite.properties.find(([n]) => n === k)?.[1];
    assert.equal(prop('stopped'), `stopped (deadline): ${r.stopped!.message}`);
    assert.equal(prop('run-id'), r.runId);
  });

  it('Markdown (markdown-it): not finished and why; locked and not reached counted and listed with reasons', () => {
    const shape = parseMarkdown(renderMarkdown(r));
    assert.match(shape.headings[0]!, /: 1 failed, 1 locked by another run, 2 not reached; 1 needs a reboot$/);
    assert.ok(shape.paragraphs.some((p) => p.startsWith('Not finished: stopped (deadline): --deadline')), shape.paragraphs.join('\n'));
    const counts = shape.tables[0]!;
    assert.deepEqual(counts.header, ['hosts', 'ok', 'changed', 'failed', 'never came back', 'unreachable', 'locked', 'not reached', 'skipped', 'reboot required', 'stale processes']);
    assert.deepEqual(counts.rows, [['5', '0', '1', '1', '0', '0', '1', '2', '0', '1', '1']]);
    const attention = shape.tables.find((t) => t.header.join() === 'host,problem,reason')!;
    assert.deepEqual(attention.rows, [
      ['web02', 'failed', 'restart sshd: exit-code: exit code 1'],
      ['web04', 'locked by another run', `locked: held by ${HOLDER}; left alone`],
      ['web05', 'not reached', `deadline: ${WHY}`],
      ['web06', 'not reached', `deadline: ${WHY}`],
    ]);
  });

  it('metrics (promtool): locked and not reached per host, the stop, success 0, reboot unknown for hosts never checked', async () => {
    const text = renderMetrics(r);
    await promtoolCheck(text);
    assert.match(text, /^remedy_last_run_stopped\{playbooks="services\.yml",reason="deadline"\} 1$/m);
    assert.match(text, /^remedy_last_run_success\{playbooks="services\.yml"\} 0$/m);
    assert.match(text, /^remedy_hosts\{playbooks="services\.yml",status="not-reached"\} 2$/m);
    assert.match(text, /^remedy_host_locked\{playbooks="services\.yml",host="web04"\} 1$/m);
    assert.match(text, /^remedy_host_not_reached\{playbooks="services\.yml",host="web05",reason="deadline"\} 1$/m);
    assert.doesNotMatch(text, /^remedy_host_reboot_required\{[^}]*host="web0[456]"/m);
  });

  it('HTML (Chromium): a tile for each, filtering by status, the stop under the title', async () => {
    const browser = await launchBrowser();
    try {
      const file = join(dir, 'r.html');
      writeFileSync(file, renderHtml(r));
      const o = await browser.openPage(file);
      await o.page.waitForSelector('body[data-ready="true"]');
      const tiles = await o.page.$$eval('.tile', (els) => els.map((e) => `${e.querySelector('.l')!.textContent}=${e.querySelector('.n')!.textContent}`));
      assert.ok(tiles.includes('locked by another run=1') && tiles.includes('not reached=2'), tiles.join());
      assert.match((await o.page.textContent('#stopped')) ?? '', /^not finished: stopped \(deadline\): --deadline/);
      await o.page.click('.tile[data-filter="status:not-reached"]');
      assert.deepEqual(await o.page.$$eval('#hosts > tbody > tr:not([hidden]) button.host', (b) => b.map((x) => x.textContent)), ['web05', 'web06']);
      await o.page.fill('#filter', 'status:locked');
      const row = await o.page.$$eval('#hosts > tbody > tr:not([hidden])', (rows) => rows.map((x) => x.textContent));
      assert.equal(row.length, 1);
      assert.match(row[0]!, /web04locked by another run.*ci-runner-7/);
      assert.deepEqual(o.errors, []);
    } finally {
      await browser.close();
    }
  });

  it('the final table: reboot unknown, the stop, the hosts not reached grouped by why, the locked host with its holder, the totals', () => {
    const table = renderSummaryTable(r, { color: false, width: 400 });
    const lines = table.trimEnd().split('\n');
    assert.match(lines.find((l) => l.startsWith('web05'))!, /unknown$/);
    assert.deepEqual(lines.slice(-4), [
      `not finished: stopped (deadline): ${r.stopped!.message}`,
      `not reached (${WHY}): 2 hosts: web05, web06`,
      `locked: web04 by ${HOLDER}, left alone`,
      'TOTAL 5 hosts, 0 ok, 1 changed, 1 failed, 0 unreachable, 1 locked, 2 not reached; reboot required: web02',
    ]);
  });

  it('the plain log: LOCKED when it happens, STOPPED with the hosts left, each host\'s outcome', () => {
    let out = '';
    const log = createPlainReporter({ write: (s: string) => { out += s; return true; } } as NodeJS.WritableStream, { color: false });
    const events: RunEvent[] = [
      { type: 'host-locked', host: 'web04', holder: r.hosts[2]!.locked! },
      { type: 'run-stopped', stop: r.stopped!, notReached: ['web05', 'web06'] },
      ...r.hosts.slice(2).map((host) => ({ type: 'host-end' as const, host })),
      { type: 'run-end', report: r },
    ];
    for (const e of events) log(e);
    assert.deepEqual(out.split('\n').slice(0, 6), [
      `[web04] LOCKED by ${HOLDER}: left alone`,
      `STOPPED (deadline): ${r.stopped!.message}`,
      '  not reached: 2 hosts: web05, web06',
      `[web04] done: locked by ${HOLDER}, left alone`,
      `[web05] done: not reached: ${WHY}`,
      `[web06] done: not reached: ${WHY}`,
    ]);
    assert.match(out, /^END \(stopped: deadline\): 5 hosts: 0 ok, 1 changed, 1 failed, 0 unreachable, 1 locked, 2 not reached in 12\.3s; reboot required: web02$/m);
  });

  it('under GitHub Actions: one ::error:: for the stop (with the hosts left), a ::warning:: for a locked host, none per host not reached', () => {
    let out = '';
    const log = createPlainReporter({ write: (x: string) => { out += x; return true; } } as NodeJS.WritableStream, { color: false, ci: 'github' });
    log({ type: 'run-stopped', stop: r.stopped!, notReached: ['web05', 'web06'] });
    for (const host of r.hosts.slice(2)) log({ type: 'host-end', host });
    const annotations = out.split('\n').filter((l) => l.startsWith('::'));
    assert.deepEqual(annotations.map((l) => l.slice(0, l.indexOf('::', 2))), [
      '::error title=remedy%3A run stopped (deadline)',
      '::warning title=remedy%3A web04 locked',
    ]);
    assert.match(annotations[0]!, /did not start; not reached: web05, web06$/);
  });
});
