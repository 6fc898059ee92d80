/**
 * The process list the kill_processes step plans from: every process with its parent, real uid, start
 * time (clock ticks, for signalling by pid AND start time), state, kernel-thread flag, name and, when
 * asked, its command line and the deleted files it maps. One round trip, /proc only.
 */
import type { Probe } from './probe.js';
import { DELETED_MAPS_SH, fieldsOf, parseRecords, PROC_SH, recordValue } from './script.js';

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

export interface ProcessListInput {
  /** Read each command line (a pattern needs them; chosen pids are reported by them). */
  commandLines: boolean;
  /** List the deleted files each process maps. */
  staleFiles: boolean;
  /** Resolve this user's uid on the host. */
  user?: string;
}

export const processListProbe: Probe<ProcessListInput, ProcScan> = {
  name: 'kill_processes',
  script: `${PROC_SH}\n${DELETED_MAPS_SH}\n${KILL_SCAN_SH}`,
  args: (i) => [i.commandLines ? '1' : '0', i.staleFiles ? '1' : '0', i.user ?? ''],
  parse: parseProcScan,
};
