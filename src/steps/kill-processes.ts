/**
 * kill_processes: end processes by exact name (comm) or by a regular expression on the command line,
 * optionally only those of one user or only those that still map deleted files: a signal (TERM), a
 * grace period, then KILL for the survivors. Never PID 1, kernel threads, the step's own shell, its
 * parents (the sshd of this very connection) or its children.
 * read (one script lists /proc) → plan (pure, JS regex) → apply (remedy_terminate, pid+starttime).
 */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum, Templated, Types } from './args.js';
import { compileSafeRegex } from '../model/safe-match.js';
import { processListProbe, type ProcEntry, type ProcScan } from '../facts/process-list.js';
import { TERMINATE_SH } from '../facts/script.js';
import type { ResultParts } from './remote-script.js';
import { remediationStep, type Decision, type Remediation } from './remediation.js';
import { parseTerminateOutput, terminateEffects, graceTicks, type TerminateOutcome } from './terminate.js';

export const KILL_SIGNALS = ['TERM', 'KILL', 'HUP', 'INT', 'QUIT', 'USR1', 'USR2'] as const;
export type KillSignal = (typeof KILL_SIGNALS)[number];

export const KillProcessesArgs = Type.Object({
  pids: Type.Optional(Templated(Type.Array(Types([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[1-9][0-9]*$' })], {
    description: 'A process id.',
    errorMessage: 'a process id is a whole number above 0',
  }), {
    description: 'Exactly these process ids, e.g. `"{{ stale_applications | map(attribute=\'pid\') | list }}"` from the facts. The other selectors still apply (user, only_stale), and a pid whose process changed since the scan (another start time) is never signalled; PID 1 never is.',
    errorMessage: 'pids must be a list of process ids',
  }), ' (or a {{ template }} that renders to one)')),
  name: Type.Optional(Type.String({
    description: 'Exact process name (comm, as in `ps -o comm`; the kernel keeps its first 15 characters).',
    pattern: '^[A-Za-z0-9@._:+-][A-Za-z0-9@._:+ -]*$',
    maxLength: 64,
    errorMessage: 'name must be a process name: letters, digits, spaces and @ . _ : + - only',
  })),
  pattern: Type.Optional(Type.String({
    description: 'A regular expression searched in the full command line (arguments joined by spaces), matched by RE2 in linear time: no backreferences or lookaround. A pattern that matches an empty command line would select every process and is refused.',
    format: 'process-pattern',
    minLength: 1,
    errorMessage: 'pattern must be a regular expression RE2 can match (no backreferences or lookaround) that does not match every command line',
  })),
  user: Type.Optional(Templated(Type.String({
    description: 'Only processes whose real user is this account. May be a `{{ template }}` (e.g. of an -e variable); the value it renders to is checked as a user name before anything runs.',
    pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*\\$?$',
    errorMessage: 'user must be a user name',
  }), ' (or a {{ template }} that renders to one)')),
  signal: Type.Optional(StringEnum(KILL_SIGNALS, { description: 'The first signal sent.', default: 'TERM' })),
  grace: Type.Optional(Type.Number({
    description: 'Seconds to wait after the first signal before sending KILL to the survivors.',
    minimum: 0,
    maximum: 3600,
    default: 5,
  })),
  kill_after: Type.Optional(Type.Boolean({
    description: 'Send KILL to the processes still running after the grace period. When false, survivors are reported, not failed (useful with HUP).',
    default: true,
  })),
  only_stale: Type.Optional(Type.Boolean({
    description: 'Only processes that map deleted files (their executable or a library was replaced since they started).',
    default: false,
  })),
}, {
  description: "Ends processes selected by pid, exact name and/or a pattern on the command line, optionally only one user's and only those still mapping deleted (replaced) files: a signal (TERM), a grace period, then KILL for the survivors. Never touches PID 1, kernel threads, or the step's own shell and the sshd processes of the current connection. Each ended pid and the signal that ended it go to the host's killed list. In check mode it lists what it would signal and touches nothing.",
  additionalProperties: false,
  anyOf: [{ required: ['pids'] }, { required: ['name'] }, { required: ['pattern'] }],
  errorMessage: 'kill_processes needs pids, name or pattern',
});
export type KillProcessesArgs = Static<typeof KillProcessesArgs>;

/**
 * The pids a step must never touch: PID 1, its own shell, that shell's parents (up to the sshd of this
 * connection), its descendants, and its siblings (the shell's heredoc writer).
 */
export function protectedPids(scan: ProcScan): Set<number> {
  const byPid = new Map(scan.procs.map((p) => [p.pid, p]));
  const keep = new Set<number>([1, scan.self]);
  const parent = byPid.get(scan.self)?.ppid;
  let cur = byPid.get(scan.self);
  for (let guard = 0; cur && guard < 64; guard += 1) {
    keep.add(cur.pid);
    cur = cur.ppid > 0 && cur.ppid !== cur.pid ? byPid.get(cur.ppid) : undefined;
  }
  for (const p of scan.procs) {
    if (descendsFrom(p.pid, scan.self, byPid)) keep.add(p.pid);
    if (parent !== undefined && parent > 1 && p.ppid === parent) keep.add(p.pid);
  }
  return keep;
}

function descendsFrom(pid: number, ancestor: number, byPid: Map<number, ProcEntry>): boolean {
  let cur = byPid.get(pid);
  for (let guard = 0; cur && guard < 64; guard += 1) {
    if (cur.pid === ancestor) return true;
    cur = byPid.get(cur.ppid);
  }
  return false;
}

export interface KillTarget { pid: number; start: number; command: string; user: number; files: string[] }

/** Pure: the processes the arguments select, minus the protected ones. Throws on a bad pattern. */
export function planKillProcesses(scan: ProcScan, args: KillProcessesArgs): KillTarget[] {
  const re = args.pattern !== undefined ? compileSafeRegex(args.pattern) : undefined;
  const only = args.pids !== undefined ? new Set(args.pids.map(Number)) : undefined;
  const keep = protectedPids(scan);
  const out: KillTarget[] = [];
  for (const p of scan.procs) {
    if (keep.has(p.pid) || p.kthread || p.state === 'Z' || p.state === 'X') continue;
    if (only && !only.has(p.pid)) continue;
    if (args.name !== undefined && p.comm !== args.name.slice(0, 15)) continue;
    if (re && !re.test(p.cmdline)) continue;
    if (args.user !== undefined && p.uid !== scan.uid) continue;
    const files = scan.stale.get(p.pid) ?? [];
    if (args.only_stale && files.length === 0) continue;
    out.push({ pid: p.pid, start: p.start, command: p.cmdline || p.comm, user: p.uid, files });
  }
  return out;
}

/** What kill_processes decided: the exact processes, and how to end them. */
export interface KillPlan {
  signal: KillSignal;
  graceTicks: number;
  killAfter: boolean;
  targets: KillTarget[];
}

/** "pids 1,2, name x, pattern /y/, user z, stale only": what the arguments select, for messages. */
function selection(args: KillProcessesArgs): string {
  return [args.pids && `pids ${args.pids.join(',')}`, args.name && `name ${args.name}`, args.pattern && `pattern /${args.pattern}/`, args.user && `user ${args.user}`, args.only_stale && 'stale only']
    .filter(Boolean).join(', ');
}

const targetData = (targets: KillTarget[]) => ({ targets: targets.map(({ pid, command, files }) => ({ pid, command, files })) });

/** Pure: the decision from the process list (plan, or a result without acting). */
export function decideKillProcesses(scan: ProcScan | null, args: KillProcessesArgs): Decision<KillPlan> {
  if (scan === null) return { done: { status: 'ok', message: 'no pids given: nothing to end' } };
  if (args.user !== undefined && scan.uid === null) return { done: { status: 'failed', cause: 'unknown-user', message: `no user ${args.user} on the host` } };
  const targets = planKillProcesses(scan, args);
  const data = targetData(targets);
  if (targets.length === 0) return { done: { status: 'ok', message: `no process matches (${selection(args)})`, data } };
  const signal = args.signal ?? 'TERM';
  const list = targets.map((t) => `${t.pid} (${t.command.slice(0, 80)})`).join(', ');
  return {
    act: { signal, graceTicks: graceTicks(args.grace ?? 5), killAfter: args.kill_after ?? true, targets },
    would: `send ${signal} to ${targets.length} process(es): ${list}`,
    data,
  };
}

/** Pure: what ending the processes did. */
export function judgeKillProcesses(plan: KillPlan, outcome: TerminateOutcome): ResultParts {
  const effects = terminateEffects(outcome, plan.targets);
  const data = targetData(plan.targets);
  const summary = (effects.killed ?? []).map((k) => `${k.pid} (${k.signal})`).join(', ') || 'none';
  if (outcome.errors.length || (plan.killAfter && outcome.survivors.length)) {
    const bad = [...outcome.survivors, ...outcome.errors.map((e) => e.pid)].join(', ');
    return { status: 'failed', cause: 'kill-failed', message: `could not end ${bad}; ended ${summary}`, effects, data };
  }
  const signalled = [...outcome.sent.keys()];
  const still = outcome.survivors.length ? `; ${outcome.survivors.length} still running after ${plan.signal}: ${outcome.survivors.join(', ')}` : '';
  return { status: signalled.length ? 'changed' : 'ok', message: `ended ${summary}${still}`, effects, data: { ...data, signalled, survivors: outcome.survivors } };
}

/** The step's parts, for remediate to reuse. */
export const killProcesses: Remediation<KillProcessesArgs, ProcScan | null, KillPlan, TerminateOutcome> = {
  name: 'kill_processes',
  args: KillProcessesArgs,
  // Command lines are read when a pattern needs them, or to report the few chosen pids by their full command.
  scan: async (read, args) => (args.pids !== undefined && args.pids.length === 0 ? null : read.probe(processListProbe, {
    commandLines: args.pattern !== undefined || args.pids !== undefined, staleFiles: args.only_stale === true, ...(args.user !== undefined ? { user: args.user } : {}),
  })),
  plan: (scan, args) => decideKillProcesses(scan, args),
  apply: async (act, plan) => parseTerminateOutput((await act.script('kill_processes', TERMINATE_SH,
    [plan.signal, String(plan.graceTicks), plan.killAfter ? '1' : '0', ...plan.targets.map((t) => `${t.pid}:${t.start}`)])).stdout),
  judge: (plan, outcome) => judgeKillProcesses(plan, outcome),
};

export const killProcessesStep = remediationStep(killProcesses);
