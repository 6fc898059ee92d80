import { createRequire } from 'node:module';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { HostReport, RunReport } from '../model/results.js';
import { describeProblem, describeStop, hostDurationMs, hostProblem, PROBLEM_TITLES, rebootReasonTexts, rebootState, runDurationMs, runTitle } from './host-outcome.js';
import { formatDuration, sanitizeLine, sanitizeText } from './text.js';

/** xmlbuilder2 (and its DOM, about 45 ms to load) only when a JUnit report is written. */
const require = createRequire(import.meta.url);
const xmlbuilder = (): typeof import('xmlbuilder2') => require('xmlbuilder2') as typeof import('xmlbuilder2');

export interface JunitOptions {
  /** A host that still needs a reboot is a failing case (as --fail-on-reboot makes it exit 3). */
  failOnReboot?: boolean;
}

/**
 * JUnit XML of a run, as GitLab, Jenkins and the GitHub test-report actions read it.
 *
 * One testsuite for the whole run, one testcase per host of the run. A host is one case, not one
 * per play: its status, reboot verdict and stale processes are the run's outcome for that host
 * (the report keeps no per-play status), a host unreachable before the first play belongs to no
 * play, and CI pages then count hosts, not host×play pairs. Per case:
 * - unreachable: <error type="KIND"> (the host could not be checked at all);
 * - failed, or never came back from a reboot: <failure type="CAUSE"> with the task and message;
 * - still needs a reboot: properties reboot-required and reboot-reason, and a <failure
 *   type="reboot-required"> only with failOnReboot;
 * - locked by another run, or not reached (the run stopped early): <skipped> with the holder or the reason;
 * - no step ran on it: <skipped>;
 * - every step (status, duration, message) in <system-out>.
 * Host text is cleaned of escape sequences and characters XML cannot hold, and escaped by the builder.
 */
export function renderJunit(report: RunReport, opts: JunitOptions = {}): string {
  const cases = report.hosts.map((h) => ({ host: h, verdict: verdictOf(h, opts) }));
  const failures = cases.filter((c) => c.verdict?.element === 'failure').length;
  const errors = cases.filter((c) => c.verdict?.element === 'error').length;
  const skipped = cases.filter((c) => c.verdict?.element === 'skipped').length;
  const name = `remedy: ${clean(runTitle(report))}`;
  const seconds = runDurationMs(report) / 1000;
  const totals = {
    tests: String(report.hosts.length), failures: String(failures), errors: String(errors),
    skipped: String(skipped), time: Number.isFinite(seconds) ? seconds.toFixed(3) : '0',
  };
  const doc = xmlbuilder().create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });
  const root = doc.ele('testsuites', { name, ...totals });
  const suite = root.ele('testsuite', { name, ...totals, timestamp: report.startedAt.replace(/Z$/, '') });
  const props = suite.ele('properties');
  const suiteProps: Array<[string, string]> = [
    ['playbooks', report.playbooks.join(', ')],
    ['check-mode', String(report.check)],
    ['interrupted', String(report.interrupted)],
    ['started-at', report.startedAt],
    ['finished-at', report.finishedAt],
    ['reboot-required', report.summary.rebootRequired.join(', ')],
  ];
  const stop = describeStop(report);
  if (stop !== undefined) suiteProps.push(['stopped', stop]);
  if (report.runId !== undefined) suiteProps.push(['run-id', report.runId]);
  if (report.shard) suiteProps.push(['shard', `${report.shard.index}/${report.shard.count}`]);
  for (const [key, value] of suiteProps) props.ele('property', { name: key, value: clean(value) });
  const classname = `remedy.${report.playbooks.map((p) => p.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '').replace(/\./g, '_')).join('+') || 'run'}`;
  for (const { host, verdict } of cases) addCase(suite, host, verdict, clean(classname));
  return `${doc.end({ prettyPrint: true, wellFormed: true })}\n`;
}

interface Verdict { element: 'failure' | 'error' | 'skipped'; type: string; message: string; text: string }

function verdictOf(h: HostReport, opts: JunitOptions): Verdict | undefined {
  const problem = hostProblem(h);
  const reboot = h.rebootRequired ? `reboot required: ${rebootReasonTexts(h).join('; ') || 'no reason given'}` : '';
  if (problem) {
    const what = `${PROBLEM_TITLES[problem.kind]}: ${describeProblem(problem)}`;
    const where = problem.play !== undefined ? `play: ${problem.play}\n` : '';
    if (problem.kind === 'locked' || problem.kind === 'not-reached') {
      const what = `${PROBLEM_TITLES[problem.kind]}: ${describeProblem(problem)}`;
      return { element: 'skipped', type: problem.cause, message: what, text: '' };
    }
    return {
      element: problem.kind === 'unreachable' ? 'error' : 'failure',
      type: problem.cause,
      message: what,
      text: `${where}${what}${reboot ? `\n${reboot}` : ''}`,
    };
  }
  if (h.rebootRequired && opts.failOnReboot) return { element: 'failure', type: 'reboot-required', message: reboot, text: reboot };
  if (h.status === 'skipped') return { element: 'skipped', type: 'skipped', message: 'no step ran on this host', text: '' };
  return undefined;
}

function addCase(suite: XMLBuilder, h: HostReport, verdict: Verdict | undefined, classname: string): void {
  const seconds = hostDurationMs(h) / 1000;
  const tc = suite.ele('testcase', { name: clean(h.name), classname, time: seconds.toFixed(3) });
  const props = tc.ele('properties');
  const add = (name: string, value: string): void => { props.ele('property', { name, value: clean(value) }); };
  add('address', h.address);
  add('status', h.status);
  const problem = hostProblem(h);
  if (problem) add('problem', PROBLEM_TITLES[problem.kind]);
  add('reboot-required', rebootState(h) === 'yes' ? 'true' : rebootState(h) === 'no' ? 'false' : 'unknown');
  for (const reason of rebootReasonTexts(h)) add('reboot-reason', reason);
  if (h.restarted.length > 0) add('restarted', h.restarted.join(', '));
  if (h.killed.length > 0) add('killed', h.killed.map((k) => `${k.pid} ${k.command} (${k.signal})`).join(', '));
  add('stale-processes', String(h.stale.length));
  if (verdict) {
    const attrs = verdict.element === 'skipped' ? { message: cleanLine(verdict.message) } : { type: clean(verdict.type), message: cleanLine(verdict.message) };
    const el = tc.ele(verdict.element, attrs);
    if (verdict.text) el.txt(clean(verdict.text));
  }
  const out = stepLines(h);
  if (out) tc.ele('system-out').txt(clean(out));
}

function stepLines(h: HostReport): string {
  const lines = h.steps.map((s) => {
    const why = s.cause ? ` [${s.cause}]` : '';
    const ignored = s.ignored ? ' (ignored)' : '';
    const message = s.message.trim() ? `: ${s.message.trim()}` : '';
    return `${s.status}${ignored}${why}: ${s.play} / ${s.task} (${formatDuration(s.durationMs)})${message}`;
  });
  if (h.stale.length > 0) lines.push(`stale processes: ${h.stale.map((p) => `${p.pid} ${p.command} (${p.owner.kind} ${p.owner.name})`).join(', ')}`);
  return lines.join('\n');
}

/** Host text without escape sequences or control characters (line breaks kept). */
function clean(text: string): string {
  return sanitizeText(text);
}

/** An attribute value on one line, cut to a length CI pages show whole. */
function cleanLine(text: string): string {
  const line = sanitizeLine(text.replace(/\s*\n\s*/g, ' '));
  return line.length > 1000 ? `${line.slice(0, 999)}…` : line;
}
