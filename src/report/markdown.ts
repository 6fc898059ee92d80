import type { HostReport, RunReport } from '../model/results.js';
import { clip, escapeHtml, escapeMarkdown } from './escape.js';
import {
  countHosts, describeProblem, describeStop, hostProblem, PROBLEM_TITLES, problemHosts, rebootReasonTexts, rebootState, runDurationMs, runTitle,
} from './host-outcome.js';
import { formatDuration } from './text.js';

export interface MarkdownOptions {
  /**
   * Most bytes (UTF-8) the summary may take. Default 1,000,000: under GitHub's 1 MiB limit of a
   * step summary (1,048,576 bytes) with room to spare. Per-host details are left out, and said so,
   * once the next one would not fit; the counts and the lists of problems come first and stay.
   */
  maxBytes?: number;
}

export const MARKDOWN_MAX_BYTES = 1_000_000;
const MAX_MESSAGE = 300;
const MAX_STEPS = 60;
const MAX_STALE = 20;
const MAX_FILES = 3;

const md = escapeMarkdown;
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * A summary a person reads in ten seconds (GitHub step summary, a merge request comment):
 * a headline, the counts, the hosts that need attention (never came back from a reboot, failed,
 * unreachable) with their reasons, the hosts that still need a reboot with the reasons, then
 * each host's details folded in <details> (problem hosts first). Host text is escaped for Markdown
 * (and for HTML inside <summary>). Stays within maxBytes, saying what was left out.
 */
export function renderMarkdown(report: RunReport, opts: MarkdownOptions = {}): string {
  const budget = opts.maxBytes ?? MARKDOWN_MAX_BYTES;
  const out = new Writer(budget - 400); // room for the closing note
  out.add(head(report));
  const problems = problemHosts(report);
  if (problems.length > 0) {
    out.add(`\n### Needs attention (${problems.length})\n\n| host | problem | reason |\n|---|---|---|\n`);
    const left = out.addRows(problems.length, (i) => {
      const { host, problem } = problems[i]!;
      return `| ${md(host.name)} | ${PROBLEM_TITLES[problem.kind]} | ${md(clip(describeProblem(problem), MAX_MESSAGE))} |\n`;
    });
    if (left > 0) out.add(`\n_${left} more hosts need attention: see the HTML or JSON report._\n`);
  }
  const reboot = report.hosts.filter((h) => h.rebootRequired);
  if (reboot.length > 0) {
    out.add(`\n### Reboot required (${reboot.length})\n\n| host | reasons |\n|---|---|\n`);
    const left = out.addRows(reboot.length, (i) => `| ${md(reboot[i]!.name)} | ${md(reasonsLine(reboot[i]!))} |\n`);
    if (left > 0) out.add(`\n_${left} more hosts need a reboot: see the HTML or JSON report._\n`);
  }
  if (report.hosts.length > 0) {
    out.add('\n### Hosts\n\n');
    const order = detailsOrder(report);
    const left = out.addRows(order.length, (i) => hostDetails(order[i]!));
    if (left > 0) {
      out.add(`\n_Details of ${left} more ${left === 1 ? 'host were' : 'hosts were'} left out to stay under GitHub's 1 MiB step-summary limit: see the HTML or JSON report._\n`);
    }
  }
  return out.text();
}

/** Collects text up to a byte budget. */
class Writer {
  private parts: string[] = [];
  private used = 0;
  constructor(private readonly budget: number) {}
  add(text: string): void {
    this.parts.push(text);
    this.used += bytes(text);
  }
  /** Adds rows (rendered one by one) while they fit; returns how many were left out. */
  addRows(count: number, row: (i: number) => string): number {
    for (let i = 0; i < count; i++) {
      const text = row(i);
      if (this.used + bytes(text) > this.budget) return count - i;
      this.add(text);
    }
    return 0;
  }
  text(): string { return this.parts.join(''); }
}

function head(r: RunReport): string {
  const c = countHosts(r);
  const bad = [
    c.failed - c.lostInReboot > 0 ? `${c.failed - c.lostInReboot} failed` : '',
    c.lostInReboot > 0 ? `${c.lostInReboot} never came back from reboot` : '',
    c.unreachable > 0 ? `${c.unreachable} unreachable` : '',
    c.locked > 0 ? `${c.locked} locked by another run` : '',
    c.notReached > 0 ? `${c.notReached} not reached` : '',
  ].filter(Boolean);
  const verdict = bad.length > 0 ? bad.join(', ') : c.hosts === 0 ? 'no hosts' : `all ${c.hosts} ${c.hosts === 1 ? 'host' : 'hosts'} ok`;
  const rebootWord = c.rebootRequired > 0 ? `; ${c.rebootRequired} ${c.rebootRequired === 1 ? 'needs' : 'need'} a reboot` : '';
  const ms = runDurationMs(r);
  const notes = [
    `started ${r.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}`,
    Number.isFinite(ms) ? `took ${formatDuration(ms)}` : '',
    r.check ? '**check mode**: nothing was changed' : '',
    r.interrupted ? '**interrupted**: results are partial' : '',
  ].filter(Boolean).join(' · ');
  const stop = describeStop(r);
  // Locked and not-reached columns only when a host is: the table of an ordinary run stays as it was.
  const left: Array<[string, number]> = [['locked', c.locked], ['not reached', c.notReached]].filter(([, n]) => (n as number) > 0) as Array<[string, number]>;
  return [
    `## remedy: ${md(runTitle(r))}: ${verdict}${rebootWord}\n\n`,
    `${notes}\n\n`,
    stop ? `**Not finished**: ${md(stop)}\n\n` : '',
    `| hosts | ok | changed | failed | never came back | unreachable |${left.map(([k]) => ` ${k} |`).join('')} skipped | reboot required | stale processes |\n`,
    `|---:|---:|---:|---:|---:|---:|${left.map(() => '---:|').join('')}---:|---:|---:|\n`,
    `| ${c.hosts} | ${c.ok} | ${c.changed} | ${c.failed - c.lostInReboot} | ${c.lostInReboot} | ${c.unreachable} |${left.map(([, n]) => ` ${n} |`).join('')} ${c.skipped} | ${c.rebootRequired} | ${c.staleProcesses} |\n`,
  ].join('');
}

/** Problem hosts first (most urgent first), then hosts that need a reboot, then the rest; report order within. */
function detailsOrder(r: RunReport): HostReport[] {
  const first = problemHosts(r).map((p) => p.host);
  const seen = new Set(first);
  const reboot = r.hosts.filter((h) => !seen.has(h) && h.rebootRequired);
  for (const h of reboot) seen.add(h);
  return [...first, ...reboot, ...r.hosts.filter((h) => !seen.has(h))];
}

/** Every reason of a host on one line, each cut on its own so that every kind shows. */
function reasonsLine(h: HostReport): string {
  const texts = rebootReasonTexts(h);
  if (texts.length === 0) return 'no reason given';
  const each = Math.max(80, Math.floor((MAX_MESSAGE * 2) / texts.length));
  return clip(texts.map((t) => clip(t, each)).join('; '), MAX_MESSAGE * 3);
}

const MARKS: Record<string, string> = { failed: '❌', 'lost-in-reboot': '❌', unreachable: '⛔', locked: '🔒', 'not-reached': '⏸️', reboot: '🔁', changed: '✏️', ok: '✅', skipped: '➖' };

function hostDetails(h: HostReport): string {
  const problem = hostProblem(h);
  const state = problem ? PROBLEM_TITLES[problem.kind] : h.status;
  const mark = MARKS[problem?.kind ?? (h.rebootRequired ? 'reboot' : h.status)] ?? '';
  const extra = [h.rebootRequired ? 'reboot required' : '', h.stale.length > 0 ? `${h.stale.length} stale` : ''].filter(Boolean).join(', ');
  const summary = `${mark} ${escapeHtml(h.name)}: ${escapeHtml(state)}${extra ? ` (${extra})` : ''}`;
  const lines = [`<details><summary>${summary}</summary>`, ''];
  lines.push(`Address ${md(h.address)} · status ${h.status} · reboot required: ${rebootState(h)}`, '');
  if (problem) lines.push(`**${PROBLEM_TITLES[problem.kind]}**: ${md(clip(describeProblem(problem), MAX_MESSAGE * 2))}`, '');
  if (h.rebootRequired) lines.push(`**Reboot required**: ${md(reasonsLine(h))}`, '');
  else if (h.rebootReasons.length > 0 && h.status !== 'unreachable') lines.push(`**Reboot can wait**: ${md(reasonsLine(h))}`, '');
  if (h.restarted.length > 0) lines.push(`**Restarted**: ${md(h.restarted.join(', '))}`, '');
  if (h.killed.length > 0) lines.push(`**Killed**: ${md(h.killed.map((k) => `${k.pid} ${k.command} (${k.signal})`).join(', '))}`, '');
  if (h.stale.length > 0) {
    lines.push('| pid | command | user | owner | files |', '|---:|---|---|---|---|');
    for (const p of h.stale.slice(0, MAX_STALE)) {
      const files = p.files.slice(0, MAX_FILES).join(', ') + (p.files.length > MAX_FILES ? ` and ${p.files.length - MAX_FILES} more` : '');
      lines.push(`| ${p.pid} | ${md(p.command)} | ${md(p.user)} | ${md(`${p.owner.kind} ${p.owner.name}`)} | ${md(clip(files, MAX_MESSAGE))} |`);
    }
    if (h.stale.length > MAX_STALE) lines.push('', `_and ${h.stale.length - MAX_STALE} more stale processes_`);
    lines.push('');
  }
  if (h.steps.length > 0) {
    lines.push('| step | status | time | message |', '|---|---|---:|---|');
    for (const s of h.steps.slice(0, MAX_STEPS)) {
      const status = `${s.status}${s.ignored ? ' (ignored)' : ''}${s.cause ? ` (${s.cause})` : ''}`;
      lines.push(`| ${md(`${s.play} / ${s.task}`)} | ${md(status)} | ${formatDuration(s.durationMs)} | ${md(clip(s.message.trim(), MAX_MESSAGE))} |`);
    }
    if (h.steps.length > MAX_STEPS) lines.push('', `_and ${h.steps.length - MAX_STEPS} more steps_`);
    lines.push('');
  }
  lines.push('</details>', '', '');
  return lines.join('\n');
}
