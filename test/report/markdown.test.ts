import { strict as assert } from 'node:assert';
import { renderMarkdown, MARKDOWN_MAX_BYTES } from '../../src/report/markdown.js';
import { escapeMarkdown } from '../../src/report/escape.js';
import { sanitizeLine } from '../../src/report/text.js';
import { parseMarkdown, type MarkdownShape } from './consumers.js';
import { hostile, HOSTILE_TEXT, report, web01, windowReport } from './fixtures.js';
import { fleetReport } from './fleet.js';

const GITHUB_STEP_SUMMARY_LIMIT = 1024 * 1024;

function balanced(shape: MarkdownShape): void {
  assert.equal(shape.detailsOpen, shape.detailsClose, 'every <details> is closed');
}

describe('Markdown summary (renderMarkdown), read by markdown-it', function () {
  this.timeout(30_000);
  it('reads in ten seconds: a headline with the verdict, the counts, then attention, reboot list and details', () => {
    const text = renderMarkdown(windowReport());
    const shape = parseMarkdown(text);
    assert.deepEqual(shape.headings, [
      'remedy: services.yml, kernel.yml: 1 failed, 1 never came back from reboot, 1 unreachable; 2 need a reboot',
      'Needs attention (3)', 'Reboot required (2)', 'Hosts',
    ]);
    assert.match(shape.paragraphs[0]!, /^started 2026-11-21 20:00:00 UTC · took 12\.3s$/);
    const [counts, attention, reboot] = shape.tables;
    assert.deepEqual(counts!.header, ['hosts', 'ok', 'changed', 'failed', 'never came back', 'unreachable', 'skipped', 'reboot required', 'stale processes']);
    assert.deepEqual(counts!.rows, [['4', '0', '1', '1', '1', '1', '0', '2', '3']]);
    assert.deepEqual(attention!.rows, [
      ['web03', 'never came back from reboot', 'Reboot and wait for a new boot id: reboot-timeout: the host did not come back within 30s after the reboot (last: connect ECONNREFUSED 192.0.2.4:22)'],
      ['web02', 'failed', 'restart sshd: exit-code: exit code 1'],
      ['db1', 'unreachable', 'connection-refused: connect ECONNREFUSED 192.0.2.3:22'],
    ]);
    assert.deepEqual(reboot!.rows, [
      ['web02', 'kernel: running 6.1.0-1, newest installed 6.1.0-9; core-package: glibc updated after boot'],
      ['web03', 'kernel: running 6.1.0-1, newest installed 6.1.0-9'],
    ]);
    balanced(shape);
    assert.equal(shape.detailsOpen, 4);
    // problem hosts first in the details too
    assert.deepEqual([...text.matchAll(/<summary>\S+ ([^:]+):/g)].map((m) => m[1]), ['web03', 'web02', 'db1', 'web01']);
  });

  it('per-host details: stale processes with owners and files, restarted, killed, steps with durations and messages', () => {
    const shape = parseMarkdown(renderMarkdown(windowReport()));
    const stale = shape.tables.find((t) => t.header[0] === 'pid' && t.rows.some((r) => r[1] === 'sshd'));
    assert.deepEqual(stale?.rows, [
      ['812', 'sshd', 'root', 'systemd-unit ssh.service', '/usr/lib/x86_64-linux-gnu/libcrypto.so.3 (deleted), /usr/sbin/sshd (deleted)'],
      ['990', 'in.imapd', 'nobody', 'xinetd imap', '/usr/lib/libwrap.so.0 (deleted)'],
    ]);
    const steps = shape.tables.filter((t) => t.header[0] === 'step');
    assert.deepEqual(steps[0]!.rows[1], ['kernel / Reboot and wait for a new boot id', 'failed (reboot-timeout)', '30.0s', 'the host did not come back within 30s after the reboot (last: connect ECONNREFUSED 192.0.2.4:22)']);
    assert.ok(shape.paragraphs.includes('Restarted: sshd.service'));
    assert.ok(shape.paragraphs.includes('Killed: 4242 in.telnetd (KILL)'));
  });

  it('a clean run says so in its headline', () => {
    const shape = parseMarkdown(renderMarkdown(report([web01])));
    assert.equal(shape.headings[0], 'remedy: services.yml: all 1 host ok');
    assert.deepEqual(shape.headings.slice(1), ['Hosts']);
    assert.match(renderMarkdown(report([], { check: true, interrupted: true })), /\*\*check mode\*\*: nothing was changed · \*\*interrupted\*\*: results are partial/);
  });

  it('host text stays text: no HTML, link, emphasis or table cell it did not have; it reads back as written', () => {
    const text = renderMarkdown(report([hostile]));
    const shape = parseMarkdown(text);
    balanced(shape);
    assert.doesNotMatch(shape.html, /<script|<img|<a |<em>|<strong>x|<code>|onerror=alert\(2\)>/);
    const cleaned = sanitizeLine(HOSTILE_TEXT);
    const reboot = shape.tables.find((t) => t.header[1] === 'reasons')!;
    assert.deepEqual(reboot.rows, [['evil"<01>', `kernel"<x>: ${cleaned}`]], 'the cell reads back as the text, in one cell');
    assert.ok(shape.tables.every((t) => t.rows.every((r) => r.length === t.header.length)), 'no | in host text made a new cell');
    // in the HTML of <summary>, escaped for HTML
    assert.match(text, /<summary>❌ evil&quot;&lt;01&gt;: failed/);
  });

  it('escapeMarkdown: mentions, issue references, math and autolinks of GitHub are escaped too', () => {
    assert.equal(escapeMarkdown('@team #12 $x$ http://a.example www.b.example'), '\\@team \\#12 \\$x\\$ http\\://a.example www\\.b.example');
    assert.equal(escapeMarkdown('a\nb\r\nc'), 'a b c');
    const html = parseMarkdown(`x ${escapeMarkdown('see http://evil.example and www.evil.example')}`).html;
    assert.doesNotMatch(html, /<a /, 'markdown-it with linkify (as GitHub) makes no link');
  });

  it('1,000 hosts: under GitHub\'s 1 MiB step-summary limit, lists every problem and reboot, says which details were left out', () => {
    const r = fleetReport(1000);
    const text = renderMarkdown(r);
    const size = Buffer.byteLength(text, 'utf8');
    assert.ok(size <= MARKDOWN_MAX_BYTES && size < GITHUB_STEP_SUMMARY_LIMIT, `${size} bytes`);
    const shape = parseMarkdown(text);
    balanced(shape);
    const problems = r.hosts.filter((h) => h.status === 'failed' || h.status === 'unreachable').length;
    assert.equal(shape.tables[1]!.rows.length, problems);
    assert.equal(shape.tables[2]!.rows.length, r.summary.rebootRequired.length);
    const note = /_Details of (\d+) more hosts were left out to stay under GitHub's 1 MiB step-summary limit: see the HTML or JSON report._/.exec(text);
    assert.ok(note, text.slice(-400));
    assert.equal(shape.detailsOpen + Number(note[1]), 1000);
  });

  it('a smaller budget still keeps the headline and counts, and says what was left out', () => {
    const text = renderMarkdown(fleetReport(200), { maxBytes: 8000 });
    assert.ok(Buffer.byteLength(text) <= 8000, String(Buffer.byteLength(text)));
    const shape = parseMarkdown(text);
    assert.match(shape.headings[0]!, /^remedy: apply-errata\.yml: /);
    assert.match(text, /_\d+ more hosts need attention: see the HTML or JSON report._|_\d+ more hosts need a reboot/);
    balanced(shape);
  });
});
