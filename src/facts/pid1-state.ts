/**
 * PID 1's state for daemon_reexec, and the one script that re-executes it. With check=1 the script only
 * reads (PID 1's name and start time, the deleted files it maps, whether it would act): that is the
 * step's probe. With check=0 it runs `systemctl daemon-reexec` and reads PID 1 again.
 */
import type { Probe } from './probe.js';
import { DELETED_MAPS_SH, parseRecords, PROC_SH, recordValue } from './script.js';

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

/** The script with the /proc helpers it needs. */
export const PID1_SCRIPT = `${PROC_SH}\n${DELETED_MAPS_SH}\n${DAEMON_REEXEC_SH}`;

/** DAEMON_REEXEC_SH with check=1: PID 1's state and whether it needs re-executing; changes nothing. */
export const pid1StateProbe: Probe<{ force: boolean }, DaemonReexecOutcome> = {
  name: 'daemon_reexec',
  script: PID1_SCRIPT,
  args: (i) => [i.force ? '1' : '0', '1'],
  parse: parseDaemonReexec,
};
