/**
 * kill_processes: end processes by exact name (comm) or by a regular expression on the command line,
 * optionally only those of one user or only those that still map deleted files: a signal (TERM), a
 * grace period, then KILL for the survivors. Never PID 1, kernel threads, the step's own shell, its
 * parents (the sshd of this very connection) or its children.
 * read (one script lists /proc) → plan (pure, JS regex) → apply (remedy_terminate, pid+starttime).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { StepType, StepContext } from './step.js';
import type { StepResult } from '../model/results.js';
import type { ExecResult } from '../transport/transport.js';
import { StringEnum, Templated, Types } from './args.js';
import { PROC_SH, TERMINATE_SH, DELETED_MAPS_SH, parseRecords, recordValue, fieldsOf, runRemoteScript, toStepResult, execFailure } from './remote-script.js';
import { parseTerminateOutput, terminateEffects, graceTicks } from './terminate.js';

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
    description: 'A regular expression (JavaScript syntax) searched in the full command line (arguments joined by spaces).',
    format: 'regex',
    minLength: 1,
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
 * $1 read command lines (1|0), $2 list stale files (1|0), $3 user name or ''.
 * Records: self PID, uid UID (when $3), proc PID PPID UID START STATE KTHREAD COMM CMDLINE, stale PID PATH.
 */
export const KILL_SCAN_SH = String.raw`
want_cmd=$1 want_stale=$2 user=$3
printf 'self\t%s\n' "$$"
if [ -n "$user" ]; then printf 'uid\t%s\n' "$(id -u "$user" 2>/dev/null)"; fi
for _d in /proc/[0-9]*; do
  _p=${'$'}{_d#/proc/}
  proc_info "$_p" || continue
  _uid=
  while read -r _k _v _rest; do [ "$_k" = Uid: ] && { _uid=$_v; break; }; done 2>/dev/null < "$_d/status"
  read -r _comm 2>/dev/null < "$_d/comm" || _comm=
  if [ -e "$_d/exe" ]; then _kt=0; else _kt=1; fi
  _cmd=
  [ "$want_cmd" = 1 ] && _cmd=$(tr '\000\t\n' '   ' 2>/dev/null < "$_d/cmdline")
  printf 'proc\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$_p" "$pppid" "$_uid" "$pstart" "$pstate" "$_kt" "$_comm" "$_cmd"
done
[ "$want_stale" = 1 ] && remedy_deleted_maps /proc/[0-9]*/maps
return 0
`;

export interface ProcEntry {
  pid: number;
  ppid: number;
  uid: number;
  start: number;
  state: string;
  kthread: boolean;
  comm: string;
  cmdline: string;
}

export interface ProcScan {
  self: number;
  /** The uid of the requested user: undefined when none was asked, null when unknown on the host. */
  uid?: number | null;
  procs: ProcEntry[];
  /** pid → deleted files it maps. */
  stale: Map<number, string[]>;
}

/** Pure parser of KILL_SCAN_SH output. */
export function parseProcScan(stdout: string): ProcScan {
  const recs = parseRecords(stdout);
  const scan: ProcScan = { self: Number(recordValue(recs, 'self') ?? NaN), procs: [], stale: new Map() };
  const uidRec = recs.find((r) => r.kind === 'uid');
  if (uidRec) scan.uid = uidRec.fields[0] && /^\d+$/.test(uidRec.fields[0]) ? Number(uidRec.fields[0]) : null;
  for (const r of recs) {
    if (r.kind === 'proc') {
      const [pid, ppid, uid, start, state, kt, comm, cmd] = fieldsOf(r, 8);
      scan.procs.push({
        pid: Number(pid), ppid: Number(ppid), uid: uid ? Number(uid) : -1, start: Number(start),
        state: state ?? '', kthread: kt === '1', comm: comm ?? '', cmdline: (cmd ?? '').trim(),
      });
    } else if (r.kind === 'stale') {
      const pid = Number(r.fields[0]);
      const list = scan.stale.get(pid) ?? [];
      list.push(r.fields.slice(1).join('\t'));
      scan.stale.set(pid, list);
    }
  }
  return scan;
}

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
  const re = args.pattern !== undefined ? new RegExp(args.pattern) : undefined;
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

async function runKillProcesses(ctx: StepContext, args: KillProcessesArgs): Promise<StepResult> {
  const signal = args.signal ?? 'TERM';
  if (args.pids !== undefined && args.pids.length === 0) return toStepResult([], { status: 'ok', message: 'no pids given: nothing to end' });
  const execs: ExecResult[] = [];
  // Command lines are read when a pattern needs them, or to report the few chosen pids by their full command.
  const scanArgs = [args.pattern !== undefined || args.pids !== undefined ? '1' : '0', args.only_stale ? '1' : '0', args.user ?? ''];
  const scanExec = await runRemoteScript(ctx, `${PROC_SH}\n${DELETED_MAPS_SH}\n${KILL_SCAN_SH}`, scanArgs);
  execs.push(scanExec);
  if (scanExec.exitCode !== 0 || scanExec.timedOut) return execFailure(execs, 'kill_processes');
  const scan = parseProcScan(scanExec.stdout);
  if (args.user !== undefined && scan.uid === null) {
    return toStepResult(execs, { status: 'failed', cause: 'unknown-user', message: `no user ${args.user} on the host` });
  }
  const targets = planKillProcesses(scan, args);
  const what = [args.pids && `pids ${args.pids.join(',')}`, args.name && `name ${args.name}`, args.pattern && `pattern /${args.pattern}/`, args.user && `user ${args.user}`, args.only_stale && 'stale only']
    .filter(Boolean).join(', ');
  const data = { targets: targets.map(({ pid, command, files }) => ({ pid, command, files })) };
  if (targets.length === 0) return toStepResult(execs, { status: 'ok', message: `no process matches (${what})`, data });
  const list = targets.map((t) => `${t.pid} (${t.command.slice(0, 80)})`).join(', ');
  if (ctx.check) {
    return toStepResult(execs, { status: 'skipped', message: `check mode: would send ${signal} to ${targets.length} process(es): ${list}`, data });
  }
  const killAfter = args.kill_after ?? true;
  const termArgs = [signal, String(graceTicks(args.grace ?? 5)), killAfter ? '1' : '0', ...targets.map((t) => `${t.pid}:${t.start}`)];
  const termExec = await runRemoteScript(ctx, TERMINATE_SH, termArgs);
  execs.push(termExec);
  if (termExec.exitCode !== 0 || termExec.timedOut) return execFailure(execs, 'kill_processes');
  const outcome = parseTerminateOutput(termExec.stdout);
  const effects = terminateEffects(outcome, targets);
  const killed = effects.killed ?? [];
  const summary = killed.map((k) => `${k.pid} (${k.signal})`).join(', ') || 'none';
  if (outcome.errors.length || (killAfter && outcome.survivors.length)) {
    const bad = [...outcome.survivors, ...outcome.errors.map((e) => e.pid)].join(', ');
    return toStepResult(execs, { status: 'failed', cause: 'kill-failed', message: `could not end ${bad}; ended ${summary}`, effects, data });
  }
  const signalled = [...outcome.sent.keys()];
  const still = outcome.survivors.length ? `; ${outcome.survivors.length} still running after ${signal}: ${outcome.survivors.join(', ')}` : '';
  return toStepResult(execs, {
    status: signalled.length ? 'changed' : 'ok',
    message: `ended ${summary}${still}`,
    effects,
    data: { ...data, signalled, survivors: outcome.survivors },
  });
}

export const killProcessesStep: StepType<KillProcessesArgs> = {
  name: 'kill_processes',
  args: KillProcessesArgs,
  supportsCheck: true,
  run: runKillProcesses,
};
