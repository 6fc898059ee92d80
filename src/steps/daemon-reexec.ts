/**
 * daemon_reexec: when PID 1 is systemd and maps deleted (replaced) files, or when forced, run
 * `systemctl daemon-reexec`, then verify that PID 1 is the same systemd process and maps nothing
 * deleted any more. On hosts whose PID 1 is not systemd the step is skipped. One round trip.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { StepType, StepContext } from './step.js';
import type { StepResult } from '../model/results.js';
import { OrNull } from './args.js';
import { PROC_SH, DELETED_MAPS_SH, parseRecords, recordValue, runRemoteScript, toStepResult, execFailure, type ResultParts } from './remote-script.js';

export const DaemonReexecArgs = OrNull(Type.Object({
  force: Type.Optional(Type.Boolean({ description: 'Re-execute even when PID 1 maps no deleted files.', default: false })),
}, { additionalProperties: false }), {
  description: 'Re-executes PID 1 (`systemctl daemon-reexec`) when it is systemd and maps deleted (replaced) files such as an updated libsystemd-shared or glibc, then verifies that PID 1 is still the same systemd and maps nothing deleted. Skipped on hosts whose PID 1 is not systemd (SysV init cannot be re-executed this way; a reboot is the way). In check mode it says whether it would re-execute and touches nothing. Takes no arguments, or force.',
});
export type DaemonReexecArgs = Static<typeof DaemonReexecArgs>;

/**
 * $1 force (1|0), $2 check (1|0).
 * Records: pid1 COMM, start TICKS, stale 1 PATH…, action none|would|reexec, rc N,
 * pid1_after COMM, start_after TICKS, still 1 PATH….
 */
export const DAEMON_REEXEC_SH = String.raw`
force=$1 check=$2
read -r _c 2>/dev/null < /proc/1/comm || _c=
printf 'pid1\t%s\n' "$_c"
[ "$_c" = systemd ] || return 0
proc_info 1; printf 'start\t%s\n' "$pstart"
_before=$(remedy_deleted_maps /proc/1/maps)
[ -n "$_before" ] && printf '%s\n' "$_before"
if [ -z "$_before" ] && [ "$force" != 1 ]; then printf 'action\tnone\n'; return 0; fi
if [ "$check" = 1 ]; then printf 'action\twould\n'; return 0; fi
printf 'action\treexec\n'
systemctl daemon-reexec >&2; printf 'rc\t%s\n' "$?"
_n=150
while :; do
  read -r _c 2>/dev/null < /proc/1/comm || _c=
  if [ "$_c" = systemd ] && systemctl show -p Version >/dev/null 2>&1; then break; fi
  [ "$_n" -le 0 ] && break
  _n=$((_n - 1)); sleep 0.2 2>/dev/null || sleep 1
done
printf 'pid1_after\t%s\n' "$_c"
proc_info 1; printf 'start_after\t%s\n' "$pstart"
remedy_deleted_maps /proc/1/maps | sed 's/^stale/still/'
return 0
`;

export interface DaemonReexecOutcome {
  pid1: string;
  start?: number;
  stale: string[];
  action?: 'none' | 'would' | 'reexec';
  rc?: number;
  pid1After?: string;
  startAfter?: number;
  still: string[];
}

/** Pure parser of DAEMON_REEXEC_SH output. */
export function parseDaemonReexec(stdout: string): DaemonReexecOutcome {
  const recs = parseRecords(stdout);
  const n = (k: string): number | undefined => {
    const v = recordValue(recs, k);
    return v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
  };
  const out: DaemonReexecOutcome = {
    pid1: recordValue(recs, 'pid1') ?? '',
    stale: recs.filter((r) => r.kind === 'stale').map((r) => r.fields.slice(1).join('\t')),
    still: recs.filter((r) => r.kind === 'still').map((r) => r.fields.slice(1).join('\t')),
  };
  const action = recordValue(recs, 'action');
  if (action === 'none' || action === 'would' || action === 'reexec') out.action = action;
  const start = n('start');
  if (start !== undefined) out.start = start;
  const rc = n('rc');
  if (rc !== undefined) out.rc = rc;
  const after = recordValue(recs, 'pid1_after');
  if (after !== undefined) out.pid1After = after;
  const startAfter = n('start_after');
  if (startAfter !== undefined) out.startAfter = startAfter;
  return out;
}

/** Pure: what the outcome means for the step. */
export function judgeDaemonReexec(o: DaemonReexecOutcome): ResultParts {
  const data = { pid1: o.pid1, stale: o.stale, still: o.still };
  const files = (l: string[]): string => `${l.length} deleted file(s): ${l.slice(0, 5).join(', ')}${l.length > 5 ? ', …' : ''}`;
  if (o.pid1 !== 'systemd') return { status: 'skipped', message: `PID 1 is ${o.pid1 || 'unknown'}, not systemd: nothing to re-execute`, data };
  if (o.action === 'none') return { status: 'ok', message: 'PID 1 (systemd) maps no deleted files', data };
  if (o.action === 'would') {
    const why = o.stale.length ? `PID 1 maps ${files(o.stale)}` : 'forced';
    return { status: 'skipped', message: `check mode: would run systemctl daemon-reexec (${why})`, data };
  }
  if (o.action !== 'reexec') return { status: 'failed', cause: 'script-failed', message: 'could not read the state of PID 1', data };
  if (o.rc !== 0) return { status: 'failed', cause: 'reexec-failed', message: `systemctl daemon-reexec: exit code ${o.rc ?? 'unknown'}`, data };
  if (o.pid1After !== 'systemd') return { status: 'failed', cause: 'verify-failed', message: `PID 1 is ${o.pid1After || 'unknown'} after daemon-reexec`, data };
  if (o.start !== undefined && o.startAfter !== undefined && o.start !== o.startAfter) {
    return { status: 'failed', cause: 'verify-failed', message: 'PID 1 is not the same process after daemon-reexec', data };
  }
  if (o.still.length) return { status: 'failed', cause: 'verify-failed', message: `PID 1 still maps ${files(o.still)}`, data };
  const was = o.stale.length ? `, it mapped ${files(o.stale)}` : ' (forced)';
  return { status: 'changed', message: `systemd re-executed${was}`, data };
}

async function runDaemonReexec(ctx: StepContext, args: DaemonReexecArgs): Promise<StepResult> {
  const body = `${PROC_SH}\n${DELETED_MAPS_SH}\n${DAEMON_REEXEC_SH}`;
  const exec = await runRemoteScript(ctx, body, [args?.force ? '1' : '0', ctx.check ? '1' : '0']);
  if (exec.exitCode !== 0 || exec.timedOut) return execFailure([exec], 'daemon_reexec');
  return toStepResult([exec], judgeDaemonReexec(parseDaemonReexec(exec.stdout)));
}

export const daemonReexecStep: StepType<DaemonReexecArgs> = {
  name: 'daemon_reexec',
  args: DaemonReexecArgs,
  supportsCheck: true,
  run: runDaemonReexec,
};
