import type { EventListener, RunEvent } from '../model/events.js';
import type { HostReport, RunReport, StepResult } from '../model/results.js';
import { createCiDecorator, type CiKind } from './ci-log.js';
import { describeLockHolder, describeNotReached } from './host-outcome.js';
import { createPaint, formatDuration, listNames, sanitizeLine, splitLines, truncate, type Paint } from './text.js';

export interface PlainReporterOptions {
  color: boolean;
  /** Also print task starts, play ends and the stdout/stderr of every step. */
  verbose?: boolean;
  /** Most lines of output shown under one failed step (default 10; verbose output: 10 times that). */
  maxLines?: number;
  /** Longest line printed, in characters (default 400). */
  maxLineLength?: number;
  /** Fold plays and annotate failed hosts for this CI system's log (ci-log.ts; detectCi reads the environment). */
  ci?: CiKind;
}

interface Limits { lines: number; width: number }

/**
 * One line per event, for CI logs and terminals that are not a TTY:
 *   [web01] ok: restart sshd (0.3s)
 *   [web02] FAILED: restart sshd (exit 1, 0.2s): Job for sshd.service failed
 *   [db1] UNREACHABLE (connection-refused): connect ECONNREFUSED 192.0.2.9:22
 * Output from hosts is sanitized (no escape sequences reach the terminal) and bounded.
 * With `ci`, plays are folded and failed hosts annotated (::group::/::error:: on GitHub, sections on GitLab).
 * Writes to `out` only.
 */
export function createPlainReporter(out: NodeJS.WritableStream, opts: PlainReporterOptions): EventListener {
  const paint = createPaint(opts.color);
  const limits: Limits = { lines: opts.maxLines ?? 10, width: opts.maxLineLength ?? 400 };
  const verbose = opts.verbose ?? false;
  const write = (lines: string[]): void => {
    if (lines.length > 0) out.write(`${lines.join('\n')}\n`);
  };
  const decorate = opts.ci ? createCiDecorator(opts.ci) : undefined;
  return (event: RunEvent): void => {
    const lines = formatEvent(event, paint, limits, verbose);
    write(decorate ? decorate(event, lines) : lines);
  };
}

/** The lines the plain reporter prints for one event. */
function formatEvent(event: RunEvent, paint: Paint, limits: Limits, verbose: boolean): string[] {
  const cut = (s: string): string => truncate(s, limits.width);
  switch (event.type) {
    case 'run-start': {
      const mode = event.check ? ', check mode' : '';
      return [paint('bold', cut(`RUN ${listNames(event.playbooks.map(sanitizeLine))}: ${count(event.hosts.length, 'host')}, forks ${event.forks}${mode}`))];
    }
    case 'play-start':
      return [paint('bold', cut(`PLAY [${sanitizeLine(event.play)}]: ${count(event.hosts.length, 'host')}`))];
    case 'batch-start':
      return [paint('bold', cut(`BATCH ${event.batch} [${sanitizeLine(event.play)}]: ${listNames(event.hosts.map(sanitizeLine))}`))];
    case 'task-start':
      return verbose ? [cut(`${tag(event.host)} start: ${sanitizeLine(taskName(event.task, event.handler))}`)] : [];
    case 'task-result':
      return formatResult(event.host, taskName(event.task, event.handler), event.result, paint, limits, verbose);
    case 'host-unreachable':
      return [cut(`${tag(event.host)} ${paint(['red', 'bold'], 'UNREACHABLE')} (${sanitizeLine(event.kind)}): ${firstLine(event.message)}`)];
    case 'batch-failed': {
      const pct = event.total > 0 ? Math.round((event.failed / event.total) * 100) : 0;
      return [cut(`${paint(['red', 'bold'], `BATCH ${event.batch} [${sanitizeLine(event.play)}] FAILED`)}: ${event.failed} of ${event.total} hosts failed (${pct}%), ${event.maxFailPercentage === undefined ? 'every host of the batch failed' : `more than max_fail_percentage ${event.maxFailPercentage}%`}`)];
    }
    case 'host-locked':
      return [cut(`${tag(event.host)} ${paint(['yellow', 'bold'], 'LOCKED')} by run ${sanitizeLine(event.holder.runId)} from ${sanitizeLine(event.holder.controller)} (pid ${event.holder.pid}) since ${sanitizeLine(event.holder.startedAt)}: left alone`)];
    case 'run-stopped':
      return [paint(['red', 'bold'], cut(`STOPPED (${event.stop.reason}): ${sanitizeLine(event.stop.message)}`)),
        cut(`  not reached: ${count(event.notReached.length, 'host')}: ${listNames(event.notReached.map(sanitizeLine))}`)];
    case 'play-end':
      return verbose ? [cut(`PLAY END [${sanitizeLine(event.play)}]`)] : [];
    case 'host-end':
      return [cut(`${tag(event.host.name)} done: ${describeHost(event.host, paint)}`)];
    case 'warning': {
      const who = event.host !== undefined ? `${tag(event.host)} ` : '';
      return [cut(`${who}${paint(['magenta', 'bold'], 'WARNING')}: ${firstLine(event.message)}`),
        ...continuation(who.trim(), splitLines(event.message).slice(1), '|', limits, paint)];
    }
    case 'interrupted':
      return [paint(['red', 'bold'], cut(`INTERRUPTED (${event.signal}): no new work starts; running steps finish, then the report is written`))];
    case 'run-end':
      return [paint('bold', cut(describeRun(event.report)))];
    default:
      return []; // an event type added later: nothing to say rather than a crash
  }
}

function formatResult(host: string, task: string, r: StepResult, paint: Paint, limits: Limits, verbose: boolean): string[] {
  const cut = (s: string): string => truncate(s, limits.width);
  const name = sanitizeLine(task);
  const timing = [formatDuration(r.durationMs)];
  if (r.attempts !== undefined && r.attempts > 1) timing.push(`${r.attempts} attempts`);
  const lines: string[] = [];
  let body: string[] = [];
  switch (r.status) {
    case 'failed': {
      const why: string[] = [];
      if (r.timedOut) why.push('timed out');
      else if (r.signal) why.push(`signal ${r.signal}`);
      else if (r.exitCode !== undefined && r.exitCode !== null) why.push(`exit ${r.exitCode}`);
      body = failureBody(r);
      const detail = body.length > 0 ? `: ${body.shift()}` : '';
      lines.push(cut(`${tag(host)} ${paint(['red', 'bold'], 'FAILED')}: ${name} (${[...why, ...timing].join(', ')})${detail}`));
      lines.push(...continuation(tag(host), body, '|', limits, paint));
      break;
    }
    case 'unreachable': {
      body = splitLines(r.message ?? r.stderr);
      const detail = body.length > 0 ? `: ${body.shift()}` : '';
      lines.push(cut(`${tag(host)} ${paint(['red', 'bold'], 'UNREACHABLE')} (${sanitizeLine(r.cause ?? 'other')}) at ${name}${detail}`));
      lines.push(...continuation(tag(host), body, '|', limits, paint));
      break;
    }
    default: {
      const word = r.status === 'ok' ? paint('green', 'ok') : r.status === 'changed' ? paint('yellow', 'changed') : paint('cyan', 'skipped');
      body = splitLines(r.message);
      const detail = body.length > 0 ? `: ${body.shift()}` : '';
      lines.push(cut(`${tag(host)} ${word}: ${name} (${timing.join(', ')})${detail}`));
      lines.push(...continuation(tag(host), body, '|', limits, paint));
    }
  }
  if (verbose) {
    const big = { ...limits, lines: limits.lines * 10 };
    lines.push(...continuation(tag(host), splitLines(r.stdout), '>', big, paint));
    if (r.status !== 'failed') lines.push(...continuation(tag(host), splitLines(r.stderr), '!', big, paint));
  }
  return lines;
}

/** stderr first (what the program said), then remedy's own message, then stdout if nothing else. */
function failureBody(r: StepResult): string[] {
  const stderr = splitLines(r.stderr);
  const message = splitLines(r.message).filter((line) => !stderr.includes(line));
  const body = [...stderr, ...message];
  return body.length > 0 ? body : splitLines(r.stdout);
}

function continuation(prefix: string, lines: string[], mark: string, limits: Limits, paint: Paint): string[] {
  const lead = prefix === '' ? '' : `${prefix} `;
  const shown = lines.slice(0, limits.lines).map((line) => truncate(`${lead}  ${paint('dim', mark)} ${line}`, limits.width));
  if (lines.length > limits.lines) {
    shown.push(`${lead}  ${paint('dim', `${mark} … ${lines.length - limits.lines} more lines`)}`);
  }
  return shown;
}

function describeHost(h: HostReport, paint: Paint): string {
  if (h.status === 'locked') return `${paint(['yellow', 'bold'], 'locked')} by ${sanitizeLine(describeLockHolder(h))}, left alone`;
  if (h.status === 'not-reached') return `${paint(['red', 'bold'], 'not reached')}: ${sanitizeLine(describeNotReached(h))}`;
  const status = h.status === 'failed' || h.status === 'unreachable'
    ? paint(['red', 'bold'], h.status)
    : h.status === 'changed' ? paint('yellow', h.status) : h.status === 'ok' ? paint('green', h.status) : h.status;
  const parts = [h.unreachable ? `${status} (${sanitizeLine(h.unreachable.kind)})` : status];
  if (h.restarted.length > 0) parts.push(`restarted ${listNames(h.restarted.map(sanitizeLine), 5)}`);
  if (h.killed.length > 0) parts.push(`killed ${count(h.killed.length, 'process', 'processes')}`);
  if (h.stale.length > 0) parts.push(`${count(h.stale.length, 'stale process', 'stale processes')}`);
  const kinds = [...new Set(h.rebootReasons.map((r) => sanitizeLine(r.kind)))];
  if (h.rebootRequired) parts.push(paint('yellow', `reboot required${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`));
  else if (kinds.length > 0 && h.status !== 'unreachable') parts.push(`reboot can wait (${kinds.join(', ')})`);
  return parts.join(', ');
}

function describeRun(r: RunReport): string {
  const s = r.summary;
  const ms = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
  const took = Number.isFinite(ms) ? ` in ${formatDuration(ms)}` : '';
  const reboot = s.rebootRequired.length > 0 ? `; reboot required: ${listNames(s.rebootRequired.map(sanitizeLine))}` : '';
  const stopped = r.interrupted ? ' (interrupted)' : '';
  const left = `${(s.locked ?? 0) > 0 ? `, ${s.locked} locked` : ''}${(s.notReached ?? 0) > 0 ? `, ${s.notReached} not reached` : ''}`;
  const why = !r.interrupted && r.stopped ? ` (stopped: ${r.stopped.reason})` : '';
  return `END${stopped}${why}: ${count(s.hosts, 'host')}: ${s.ok} ok, ${s.changed} changed, ${s.failed} failed, ${s.unreachable} unreachable${left}${took}${reboot}`;
}

function tag(host: string): string {
  return `[${sanitizeLine(host)}]`;
}

function taskName(task: string, handler: boolean): string {
  return handler ? `handler ${task}` : task;
}

function firstLine(text: string): string {
  return splitLines(text)[0] ?? '';
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
