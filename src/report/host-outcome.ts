import type { HostReport, RunReport, StaleProcess, StepRecord } from '../model/results.js';

/**
 * What the report renderers (JUnit, Markdown, HTML, metrics) say about one host, read from the
 * final report only: pure functions, no host text is interpreted.
 */

/**
 * Why a host needs attention: it could not be reached, it failed, a reboot never came back, another
 * run held its lock (this run left it alone), or the run stopped before its turn (not reached).
 */
export type ProblemKind = 'unreachable' | 'lost-in-reboot' | 'failed' | 'locked' | 'not-reached';

export interface HostProblem {
  kind: ProblemKind;
  /** The machine-readable reason: the unreachable kind, the failed step's cause, 'locked', or why the run stopped. */
  cause: string;
  message: string;
  /** The task that failed (absent for a host unreachable before any task). */
  task?: string;
  play?: string;
}

/**
 * Causes of a reboot step whose host never came back: the wait ran out (reboot-timeout), or the
 * transport said the host is gone. A reboot step that failed for another reason (the host came
 * back but its test command failed) is an ordinary failure.
 */
export const REBOOT_LOST_CAUSES: ReadonlySet<string> = new Set(['reboot-timeout', 'host-gone']);

const LOST_MESSAGE = /^the host did not come back\b/;

function firstFailedStep(h: HostReport): StepRecord | undefined {
  return h.steps.find((s) => s.status === 'failed' && !s.ignored);
}

function unreachableStep(h: HostReport): StepRecord | undefined {
  return h.steps.find((s) => s.status === 'unreachable');
}

/** "run ID from CONTROLLER (pid N) since TIME": the run that held a locked host. */
export function describeLockHolder(h: HostReport): string {
  const l = h.locked;
  return l ? `run ${l.runId} from ${l.controller} (pid ${l.pid}) since ${l.startedAt}` : 'another run';
}

const STOP_WORDS: Record<string, string> = {
  deadline: 'the --deadline passed',
  'max-fail': 'the --max-fail budget was crossed',
  'batch-failed': 'a batch failed as a whole',
  'health-gate': "the play's health gate did not pass",
  interrupted: 'the run was interrupted',
};

/** "the --deadline passed before play 'X'" for a host not reached. */
export function describeNotReached(h: HostReport): string {
  const n = h.notReached;
  if (!n) return 'the run stopped before this host was reached';
  return `${STOP_WORDS[n.reason] ?? n.reason} before play '${n.play}' reached this host`;
}

/** The problem of a host, or undefined for a host that is ok, changed or skipped. */
export function hostProblem(h: HostReport): HostProblem | undefined {
  if (h.status === 'locked') {
    return { kind: 'locked', cause: 'locked', message: `held by ${describeLockHolder(h)}; left alone` };
  }
  if (h.status === 'not-reached') return { kind: 'not-reached', cause: h.notReached?.reason ?? 'stopped', message: describeNotReached(h), play: h.notReached?.play };
  if (h.status === 'unreachable') {
    const step = unreachableStep(h);
    return {
      kind: 'unreachable',
      cause: h.unreachable?.kind ?? step?.cause ?? 'other',
      message: h.unreachable?.message ?? step?.message ?? '',
      ...(step ? { task: step.task, play: step.play } : {}),
    };
  }
  if (h.status !== 'failed') return undefined;
  const step = firstFailedStep(h);
  if (!step) return { kind: 'failed', cause: 'failed', message: '' };
  const lost = REBOOT_LOST_CAUSES.has(step.cause ?? '') || LOST_MESSAGE.test(step.message);
  return { kind: lost ? 'lost-in-reboot' : 'failed', cause: step.cause ?? 'failed', message: step.message, task: step.task, play: step.play };
}

/** Words for a problem kind, as the reports print them. */
export const PROBLEM_TITLES: Record<ProblemKind, string> = {
  unreachable: 'unreachable',
  'lost-in-reboot': 'never came back from reboot',
  failed: 'failed',
  locked: 'locked by another run',
  'not-reached': 'not reached',
};

/** "task: cause: message", the one-line reason of a problem (host text not yet escaped). */
export function describeProblem(p: HostProblem): string {
  return [p.task, p.cause, p.message.trim()].filter((x) => x !== undefined && x !== '').join(': ');
}

/** Statuses of hosts this run may never have checked: "no reboot needed" would be a claim nobody made. */
const UNCHECKED: ReadonlySet<string> = new Set(['unreachable', 'locked', 'not-reached']);

/** 'yes', 'no', or 'unknown' for a host that was never checked (unreachable, locked, not reached). */
export function rebootState(h: HostReport): 'yes' | 'no' | 'unknown' {
  if (h.rebootRequired) return 'yes';
  return UNCHECKED.has(h.status) ? 'unknown' : 'no';
}

/** "kind: detail" for each reason a host needs a reboot (and each note, kernel-livepatched, that it can wait). */
export function rebootReasonTexts(h: HostReport): string[] {
  return h.rebootReasons.map((r) => (r.detail ? `${r.kind}: ${r.detail}` : r.kind));
}

/** Stale processes counted by owner kind, kinds in first-seen order. */
export function staleByOwnerKind(stale: readonly StaleProcess[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of stale) counts.set(p.owner.kind, (counts.get(p.owner.kind) ?? 0) + 1);
  return counts;
}

/** Sum of the host's step durations, in milliseconds. */
export function hostDurationMs(h: HostReport): number {
  return h.steps.reduce((sum, s) => sum + (Number.isFinite(s.durationMs) ? s.durationMs : 0), 0);
}

/** Run length in milliseconds (NaN when a date is missing or malformed). */
export function runDurationMs(r: RunReport): number {
  return Date.parse(r.finishedAt) - Date.parse(r.startedAt);
}

export interface RunCounts {
  hosts: number;
  ok: number;
  changed: number;
  skipped: number;
  failed: number;
  unreachable: number;
  locked: number;
  notReached: number;
  /** Counted in failed too (their status is failed): the reboot step's host never came back. */
  lostInReboot: number;
  rebootRequired: number;
  staleProcesses: number;
}

/** Counts per host status, from the hosts themselves (the summary is written by the same engine). */
export function countHosts(r: RunReport): RunCounts {
  const c: RunCounts = { hosts: r.hosts.length, ok: 0, changed: 0, skipped: 0, failed: 0, unreachable: 0, locked: 0, notReached: 0, lostInReboot: 0, rebootRequired: 0, staleProcesses: 0 };
  for (const h of r.hosts) {
    if (h.status === 'not-reached') c.notReached++;
    else if (h.status in c) c[h.status as 'ok' | 'changed' | 'skipped' | 'failed' | 'unreachable' | 'locked']++;
    if (hostProblem(h)?.kind === 'lost-in-reboot') c.lostInReboot++;
    if (h.rebootRequired) c.rebootRequired++;
    c.staleProcesses += h.stale.length;
  }
  return c;
}

const PROBLEM_ORDER: Record<ProblemKind, number> = { 'lost-in-reboot': 0, failed: 1, unreachable: 2, locked: 3, 'not-reached': 4 };

/** The hosts that need attention, most urgent first (never came back, failed, unreachable, locked, not reached), then in report order. */
export function problemHosts(r: RunReport): Array<{ host: HostReport; problem: HostProblem }> {
  const out: Array<{ host: HostReport; problem: HostProblem; i: number }> = [];
  r.hosts.forEach((host, i) => {
    const problem = hostProblem(host);
    if (problem) out.push({ host, problem, i });
  });
  out.sort((a, b) => PROBLEM_ORDER[a.problem.kind] - PROBLEM_ORDER[b.problem.kind] || a.i - b.i);
  return out.map(({ host, problem }) => ({ host, problem }));
}

/** The shards a merged report misses, e.g. [2] for shards 1 and 3 of 3. */
export function missingShards(r: RunReport): number[] {
  if (!r.shards) return [];
  const present = new Set(r.shards.present);
  return Array.from({ length: r.shards.count }, (_, i) => i + 1).filter((i) => !present.has(i));
}

/** Why the run stopped before every host was reached, in one line (undefined when it did not). */
export function describeStop(r: RunReport): string | undefined {
  const parts: string[] = [];
  if (r.stopped) parts.push(`stopped (${r.stopped.reason}): ${r.stopped.message}`);
  const missing = missingShards(r);
  if (missing.length > 0) parts.push(`shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${r.shards!.count} missing from this merged report`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** A short name for the run: "check" or the playbooks' base names ("kernel.yml, services.yml"). */
export function runTitle(r: RunReport): string {
  const names = r.playbooks.map((p) => p.replace(/^.*[\\/]/, ''));
  return names.length > 0 ? names.join(', ') : 'remedy';
}
