import { createHash } from 'node:crypto';
import type { HostReport, RunReport } from '../model/results.js';
import { escapeHtml as esc } from './escape.js';
import {
  countHosts, describeProblem, describeStop, hostDurationMs, hostProblem, PROBLEM_TITLES, problemHosts, rebootReasonTexts, rebootState, runDurationMs, runTitle,
} from './host-outcome.js';
import { HTML_SCRIPT } from './html-script.js';
import { HTML_STYLE } from './html-style.js';
import { formatDuration, sanitizeText } from './text.js';

/**
 * The report as ONE self-contained HTML page, for a CI artifact opened offline: summary tiles,
 * the hosts that need attention, the reboot list, and a table of every host that filters while
 * typing and sorts by clicking a header; a host's details open below its row.
 *
 * Safety: host text is escaped where the page is written (escapeHtml) and set with textContent by
 * the script; the hosts travel as a JSON data block with '<', '>' and '&' escaped, so no host text
 * can end it. A Content-Security-Policy allows exactly the page's own script and style (by hash),
 * no other script, no inline event handlers, and no network at all (default-src 'none').
 */
export function renderHtml(report: RunReport): string {
  const title = `remedy: ${runTitle(report)}`;
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(HTML_SCRIPT)}'`,
    `style-src '${sha256(HTML_STYLE)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="remedy">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<style>${HTML_STYLE}</style>
</head>
<body>
<h1>${esc(title)}</h1>
${meta(report)}
${tiles(report)}
${attention(report)}
${rebootList(report)}
<h2>Hosts</h2>
<div class="toolbar"><input id="filter" type="search" placeholder="Filter: words, status:failed, reboot:yes, stale:yes" aria-label="Filter hosts" autocomplete="off" spellcheck="false"><span id="shown"></span></div>
${hostTable(report)}
<script type="application/json" id="remedy-data">${jsonData(report)}</script>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

/** The hosts as JSON safe inside <script>: host text cleaned, and <, >, & and the JS line separators escaped. */
function jsonData(report: RunReport): string {
  const json = JSON.stringify({ hosts: report.hosts }, (_key, value: unknown) => (typeof value === 'string' ? sanitizeText(value) : value));
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function meta(r: RunReport): string {
  const ms = runDurationMs(r);
  const parts = [
    `${r.hosts.length} ${r.hosts.length === 1 ? 'host' : 'hosts'}`,
    `playbooks ${esc(r.playbooks.join(', ') || '(none)')}`,
    `started ${esc(r.startedAt)}`,
    Number.isFinite(ms) ? `took ${formatDuration(ms)}` : '',
    r.check ? '<strong>check mode: nothing was changed</strong>' : '',
    r.interrupted ? '<strong>interrupted: results are partial</strong>' : '',
    r.shard ? `shard ${r.shard.index}/${r.shard.count}` : '',
  ].filter(Boolean);
  const stop = describeStop(r);
  if (stop) return `<p class="meta">${parts.join(' · ')}</p>\n<p class="meta" id="stopped"><strong>not finished</strong>: ${esc(stop)}</p>`;
  return `<p class="meta">${parts.join(' · ')}</p>`;
}

function tiles(r: RunReport): string {
  const c = countHosts(r);
  const tile = (n: number, label: string, filter: string, tone: string): string =>
    `<button type="button" class="tile ${n > 0 ? tone : ''}" data-filter="${filter}"><span class="n">${n}</span><span class="l">${label}</span></button>`;
  return `<div class="tiles">
${tile(c.hosts, 'hosts', '', '')}
${tile(c.ok, 'ok', 'status:ok', 'good')}
${tile(c.changed, 'changed', 'status:changed', 'good')}
${tile(c.failed - c.lostInReboot, 'failed', 'status:failed', 'bad')}
${tile(c.lostInReboot, 'never came back from reboot', 'status:lost', 'bad')}
${tile(c.unreachable, 'unreachable', 'status:unreachable', 'bad')}
${c.locked > 0 ? `${tile(c.locked, 'locked by another run', 'status:locked', 'warn')}\n` : ''}${c.notReached > 0 ? `${tile(c.notReached, 'not reached', 'status:not-reached', 'bad')}\n` : ''}${tile(c.rebootRequired, 'reboot required', 'reboot:yes', 'warn')}
${tile(c.staleProcesses, 'stale processes', 'stale:yes', 'warn')}
</div>`;
}

function attention(r: RunReport): string {
  const problems = problemHosts(r);
  if (problems.length === 0) return '<h2>Needs attention</h2>\n<p class="muted">No host failed, none was unreachable, every reboot came back.</p>';
  const rows = problems.map(({ host, problem }) => `<tr><td>${esc(host.name)}</td><td><span class="st st-${esc(statusClass(host))}">${PROBLEM_TITLES[problem.kind]}</span></td><td>${esc(describeProblem(problem))}</td></tr>`);
  return `<h2>Needs attention (${problems.length})</h2>
<div class="scroll"><table id="attention"><thead><tr><th>host</th><th>problem</th><th>reason</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

function rebootList(r: RunReport): string {
  const hosts = r.hosts.filter((h) => h.rebootRequired);
  if (hosts.length === 0) return '<h2>Reboot required</h2>\n<p class="muted">No host that was checked needs a reboot.</p>';
  const rows = hosts.map((h) => `<tr><td>${esc(h.name)}</td><td><ul class="reasons">${rebootReasonTexts(h).map((t) => `<li>${esc(t)}</li>`).join('') || '<li>no reason given</li>'}</ul></td></tr>`);
  return `<h2>Reboot required (${hosts.length})</h2>
<div class="scroll"><table id="reboot"><thead><tr><th>host</th><th>reasons</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

/** "lost" for a host that never came back from a reboot, else its status. */
function statusClass(h: HostReport): string {
  return hostProblem(h)?.kind === 'lost-in-reboot' ? 'lost' : h.status;
}

const COLUMNS: Array<[string, 'text' | 'number']> = [
  ['host', 'text'], ['status', 'text'], ['reason', 'text'], ['reboot', 'text'],
  ['stale', 'number'], ['restarted', 'number'], ['killed', 'number'], ['steps', 'number'], ['time', 'number'],
];

function hostTable(r: RunReport): string {
  const head = COLUMNS.map(([name, type]) => `<th data-type="${type}"${type === 'number' ? ' class="num"' : ''}><button type="button">${name}</button></th>`).join('');
  const rows = r.hosts.map((h, i) => hostRow(h, i));
  return `<table id="hosts"><thead><tr>${head}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

function hostRow(h: HostReport, i: number): string {
  const problem = hostProblem(h);
  const status = statusClass(h);
  const label = problem ? PROBLEM_TITLES[problem.kind] : h.status;
  const reason = problem ? describeProblem(problem) : '';
  const reboot = rebootState(h);
  const kinds = [...new Set(h.rebootReasons.map((x) => x.kind))].join(', ');
  const rebootText = reboot === 'yes' ? `yes: ${kinds}` : reboot === 'no' && kinds ? `no, can wait: ${kinds}` : reboot;
  const ms = hostDurationMs(h);
  const num = (n: number, text = String(n)): string => `<td class="num" data-v="${n}">${text}</td>`;
  return `<tr data-i="${i}" data-status="${esc(status)}" data-reboot="${reboot}" data-stale="${h.stale.length > 0 ? 'yes' : 'no'}">`
    + `<td><button type="button" class="host" aria-expanded="false">${esc(h.name)}</button></td>`
    + `<td><span class="st st-${esc(status)}">${esc(label)}</span></td>`
    + `<td>${esc(reason)}</td>`
    + `<td class="${reboot === 'yes' ? 'reboot-yes' : 'muted'}">${esc(rebootText)}</td>`
    + num(h.stale.length) + num(h.restarted.length) + num(h.killed.length) + num(h.steps.length)
    + num(Math.round(ms), formatDuration(ms))
    + '</tr>';
}
