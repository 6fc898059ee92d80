/**
 * xinetd_sessions: end the per-connection instances of one xinetd service that still run the code
 * from before the update (the guide: kill, wait, kill -9). New connections then get the new binary.
 * read (one script: the service's server, xinetd's children) → plan (pure) → apply (remedy_terminate).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { StepType, StepContext } from './step.js';
import type { StepResult } from '../model/results.js';
import type { ExecResult } from '../transport/transport.js';
import {
  PROC_SH, TERMINATE_SH, parseRecords, recordValue, fieldsOf, runRemoteScript, toStepResult, execFailure,
} from './remote-script.js';
import { SERVICE_NAME_PATTERN } from './service.js';
import { parseTerminateOutput, terminateEffects, graceTicks } from './terminate.js';
import { ALL_XINETD_SERVICES, runAllXinetdSessions } from './xinetd-all.js';

export const XinetdSessionsArgs = Type.Object({
  service: Type.String({
    description: 'The xinetd service name, as on the `service NAME` line of its file in /etc/xinetd.d; or `all`: every service of /etc/xinetd.conf and /etc/xinetd.d that runs a server program (internal services have none), each handled as if named.',
    pattern: SERVICE_NAME_PATTERN,
    errorMessage: 'service must be an xinetd service name: letters, digits and @ . _ : - only',
  }),
  grace: Type.Optional(Type.Number({
    description: 'Seconds to wait after TERM before sending KILL to the survivors.',
    minimum: 0,
    maximum: 3600,
    default: 5,
  })),
  before: Type.Optional(Type.String({
    description: 'Which instances to end. binary-replaced (the default): those whose executable was deleted or replaced since they started (or, for a script server, that started before the script changed). now: every instance. An ISO 8601 date-time: those started before it (host clock).',
    anyOf: [{ enum: ['binary-replaced', 'now'] }, { format: 'date-time' }],
    default: 'binary-replaced',
    errorMessage: 'before must be binary-replaced, now, or an ISO date-time such as 2024-05-01T12:00:00Z',
  })),
}, {
  description: "Ends the per-connection instances of one xinetd service (imap, telnet…), or of every service with `service: all`, that still run the code from before the update, as the errata guide says: TERM, wait the grace period, KILL the survivors. The instances are the children of xinetd whose program is the service's `server` (tcpd's first server_args word under TCP wrappers). New connections are then served by the new binary. Each ended pid and the signal that ended it go to the host's killed list. In check mode it lists what it would end and touches nothing.",
  additionalProperties: false,
});
export type XinetdSessionsArgs = Static<typeof XinetdSessionsArgs>;

/**
 * $1 service. Records: server PATH, server_args ARGS, server_ino N, server_ctime EPOCH, btime EPOCH,
 * hz N, xinetd PID, child PID START_TICKS EXE_INO EXE CMDLINE.
 */
export const XINETD_SCAN_SH = String.raw`
_conf=$(cat /etc/xinetd.conf /etc/xinetd.d/* 2>/dev/null | SVC=$1 awk '
  BEGIN { s = ENVIRON["SVC"] }
  $1 == "service" && $2 == s { inb = 1; found = 1; next }
  inb && /^[ \t]*}/ { inb = 0; next }
  inb && /^[ \t]*server[ \t]*=/ { v = $0; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]+$/, "", v); server = v }
  inb && /^[ \t]*server_args[ \t]*=/ { v = $0; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]+$/, "", v); args = v }
  END {
    if (!found) exit
    eff = server
    if (server ~ /\/tcpd$/ && args != "") { split(args, w, /[ \t]+/); eff = w[1] }
    printf "server\t%s\nserver_args\t%s\neffective\t%s\n", server, args, eff
  }')
printf '%s\n' "$_conf"
server=${'$'}{_conf##*effective	}
case "$_conf" in *effective*) ;; *) server= ;; esac
case "$server" in /*)
  printf 'server_ino\t%s\n' "$(stat -L -c %i "$server" 2>/dev/null)"
  printf 'server_ctime\t%s\n' "$(stat -L -c %Z "$server" 2>/dev/null)" ;;
esac
while read -r _k _v _rest; do [ "$_k" = btime ] && printf 'btime\t%s\n' "$_v" && break; done < /proc/stat
printf 'hz\t%s\n' "$(getconf CLK_TCK 2>/dev/null || echo 100)"
printf 'now\t%s\n' "$(date +%s)"
xpids=
for _d in /proc/[0-9]*; do
  read -r _c 2>/dev/null < "$_d/comm" || continue
  [ "$_c" = xinetd ] && { xpids="$xpids ${'$'}{_d#/proc/} "; printf 'xinetd\t%s\n' "${'$'}{_d#/proc/}"; }
done
[ -n "$xpids" ] || return 0
for _d in /proc/[0-9]*; do
  _p=${'$'}{_d#/proc/}
  proc_info "$_p" || continue
  case "$xpids" in *" $pppid "*) ;; *) continue ;; esac
  [ "$pstate" = Z ] && continue
  _exe=$(readlink "$_d/exe" 2>/dev/null)
  _ino=$(stat -L -c %i "$_d/exe" 2>/dev/null)
  _cmd=$(tr '\000\t\n' '   ' 2>/dev/null < "$_d/cmdline")
  printf 'child\t%s\t%s\t%s\t%s\t%s\n' "$_p" "$pstart" "$_ino" "$_exe" "$_cmd"
done
`;

export interface XinetdChild {
  pid: number;
  start: number;
  exeIno?: number;
  exe: string;
  command: string;
}

export interface XinetdScan {
  server?: string;
  serverArgs?: string;
  serverIno?: number;
  serverCtime?: number;
  btime: number;
  hz: number;
  now: number;
  xinetd: number[];
  children: XinetdChild[];
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Pure parser of the scan script's output. */
export function parseXinetdScan(stdout: string): XinetdScan {
  const recs = parseRecords(stdout);
  const scan: XinetdScan = {
    btime: num(recordValue(recs, 'btime')) ?? 0,
    hz: num(recordValue(recs, 'hz')) ?? 100,
    now: num(recordValue(recs, 'now')) ?? 0,
    xinetd: recs.filter((r) => r.kind === 'xinetd').map((r) => Number(r.fields[0])),
    children: [],
  };
  const server = recordValue(recs, 'server');
  if (server !== undefined) {
    scan.server = server;
    const args = recordValue(recs, 'server_args') ?? '';
    scan.serverArgs = args;
    // tcp wrappers: the real daemon is the first word of server_args (the script's `effective`).
    const effective = recordValue(recs, 'effective');
    if (effective) scan.server = effective;
  }
  const ino = num(recordValue(recs, 'server_ino'));
  if (ino !== undefined) scan.serverIno = ino;
  const ctime = num(recordValue(recs, 'server_ctime'));
  if (ctime !== undefined) scan.serverCtime = ctime;
  for (const r of recs.filter((x) => x.kind === 'child')) {
    const [pid, start, exeIno, exe, command] = fieldsOf(r, 5);
    const child: XinetdChild = { pid: Number(pid), start: Number(start), exe: exe ?? '', command: (command ?? '').trim() };
    const n = num(exeIno);
    if (n !== undefined) child.exeIno = n;
    scan.children.push(child);
  }
  return scan;
}

export interface XinetdInstance extends XinetdChild {
  startedAt: number;
  stale: boolean;
  why: string;
}

/** Pure: the instances of the service among xinetd's children, and which of them to end. */
export function planXinetdSessions(scan: XinetdScan, before: string | undefined): XinetdInstance[] {
  const server = scan.server;
  if (!server) return [];
  const beforeEpoch = before && before !== 'now' && before !== 'binary-replaced' ? Date.parse(before) / 1000 : undefined;
  const out: XinetdInstance[] = [];
  for (const c of scan.children) {
    const exePath = c.exe.replace(/ \(deleted\)$/, '');
    const deleted = c.exe.endsWith(' (deleted)');
    const words = c.command.split(/\s+/).slice(0, 2);
    const byExe = exePath === server;
    const byScript = !byExe && words.includes(server);
    if (!byExe && !byScript) continue;
    const startedAt = scan.btime + c.start / scan.hz;
    let stale: boolean;
    let why: string;
    if (before === 'now') { stale = true; why = 'all instances'; }
    else if (beforeEpoch !== undefined) { stale = startedAt < beforeEpoch; why = `started before ${before}`; }
    else if (byExe && deleted) { stale = true; why = 'executable deleted'; }
    else if (byExe && c.exeIno !== undefined && scan.serverIno !== undefined && c.exeIno !== scan.serverIno) { stale = true; why = 'executable replaced'; }
    else if (byScript && scan.serverCtime !== undefined && startedAt < scan.serverCtime) { stale = true; why = 'started before the server changed'; }
    else { stale = false; why = 'runs the current server'; }
    out.push({ ...c, startedAt, stale, why });
  }
  return out;
}

async function runXinetdSessions(ctx: StepContext, args: XinetdSessionsArgs): Promise<StepResult> {
  if (args.service === ALL_XINETD_SERVICES) return runAllXinetdSessions(ctx, args, runXinetdSessions);
  const execs: ExecResult[] = [];
  const scanExec = await runRemoteScript(ctx, `${PROC_SH}\n${XINETD_SCAN_SH}`, [args.service]);
  execs.push(scanExec);
  if (scanExec.exitCode !== 0 || scanExec.timedOut) return execFailure(execs, `xinetd_sessions ${args.service}`);
  const scan = parseXinetdScan(scanExec.stdout);
  if (scan.server === undefined) {
    return toStepResult(execs, { status: 'failed', cause: 'unknown-service', message: `no xinetd service ${args.service} in /etc/xinetd.conf or /etc/xinetd.d` });
  }
  if (!scan.server.startsWith('/')) {
    return toStepResult(execs, { status: 'failed', cause: 'unknown-service', message: `xinetd service ${args.service} has no server program (internal service?)` });
  }
  const instances = planXinetdSessions(scan, args.before);
  const targets = instances.filter((i) => i.stale);
  const data = { server: scan.server, xinetd: scan.xinetd, instances: instances.map(({ pid, command, stale, why }) => ({ pid, command, stale, why })) };
  if (targets.length === 0) {
    const kept = instances.length ? `; ${instances.length} current session(s) kept` : '';
    return toStepResult(execs, { status: 'ok', message: `no old ${args.service} sessions${kept}`, data });
  }
  const list = targets.map((t) => `${t.pid} (${t.command || t.exe}: ${t.why})`).join(', ');
  if (ctx.check) {
    return toStepResult(execs, { status: 'skipped', message: `check mode: would end ${targets.length} ${args.service} session(s): ${list}`, data });
  }
  ctx.progress?.(`ending ${targets.length} ${args.service} session(s)`);
  const termArgs = ['TERM', String(graceTicks(args.grace ?? 5)), '1', ...targets.map((t) => `${t.pid}:${t.start}`)];
  const termExec = await runRemoteScript(ctx, TERMINATE_SH, termArgs);
  execs.push(termExec);
  if (termExec.exitCode !== 0 || termExec.timedOut) return execFailure(execs, `xinetd_sessions ${args.service}`);
  const outcome = parseTerminateOutput(termExec.stdout);
  const fx = terminateEffects(outcome, targets);
  if (outcome.survivors.length || outcome.errors.length) {
    return toStepResult(execs, { status: 'failed', cause: 'kill-failed', message: `${args.service}: could not end ${[...outcome.survivors, ...outcome.errors.map((e) => e.pid)].join(', ')}`, effects: fx, data });
  }
  const summary = (fx.killed ?? []).map((k) => `${k.pid} (${k.signal})`).join(', ');
  return toStepResult(execs, { status: fx.killed?.length ? 'changed' : 'ok', message: `ended ${args.service} sessions: ${summary || 'none left'}`, effects: fx, data });
}

export const xinetdSessionsStep: StepType<XinetdSessionsArgs> = {
  name: 'xinetd_sessions',
  args: XinetdSessionsArgs,
  supportsCheck: true,
  run: runXinetdSessions,
};
