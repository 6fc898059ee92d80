/**
 * The shell plumbing every host script shares (probes in src/facts, remediation scripts in src/steps):
 * a POSIX sh body run with its arguments as quoted positional parameters (`sh -s -- ARGS`, never
 * interpolated into the script), its tab-separated output records, and the /proc helpers in sh.
 */
import { shellQuote } from '../model/shell-quote.js';

const EOF_MARK = '__REMEDY_SCRIPT_EOF__';

/**
 * The command line that runs `body` with `args` as $1.. on the host.
 * The body is wrapped in a function called with stdin from /dev/null, so nothing it runs
 * (init scripts, systemctl) can read the rest of the script from sh's stdin.
 */
export function buildScriptCommand(body: string, args: string[]): string {
  if (body.split('\n').some((l) => l === EOF_MARK)) throw new Error('script body contains the heredoc marker');
  const wrapped = `remedy_main() {\n${body}\n}\nremedy_main "$@" </dev/null\n`;
  return `sh -s -- ${args.map(shellQuote).join(' ')} <<'${EOF_MARK}'\n${wrapped}${EOF_MARK}\n`;
}

/** One output line: `kind<TAB>field<TAB>field…`. */
export interface ScriptRecord {
  kind: string;
  fields: string[];
}

/** Splits script output into records; blank lines are dropped. */
export function parseRecords(stdout: string): ScriptRecord[] {
  const out: ScriptRecord[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const [kind, ...fields] = line.split('\t');
    out.push({ kind: kind ?? '', fields });
  }
  return out;
}

/** The first field of the first record of a kind, if any. */
export function recordValue(records: ScriptRecord[], kind: string): string | undefined {
  return records.find((r) => r.kind === kind)?.fields[0];
}

/** Fields of the record, the last one re-joined when it held tabs (command lines). */
export function fieldsOf(rec: ScriptRecord, count: number): string[] {
  const head = rec.fields.slice(0, count - 1);
  const tail = rec.fields.slice(count - 1).join('\t');
  return [...head, tail];
}

/** The starttime of /proc/PID/stat (clock ticks since boot), or undefined when unparsable. */
export function parseStatStart(stat: string): number | undefined {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const v = Number(rest[19]);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * sh functions the scripts share.
 * proc_info PID: sets pstate, pppid, pstart from /proc/PID/stat (returns 1 when the process is gone).
 * proc_alive PID START: true while that very process (same starttime) exists and is not a zombie.
 * remedy_terminate SIGNAL TICKS KILL_AFTER PID:START…: signal each, wait up to TICKS×0.2 s for them
 * to end, then KILL the survivors when KILL_AFTER is 1; prints `sent`, `vanished`, `gone PID SIGNAL`,
 * `survivor PID` and `error PID why` records.
 */
export const PROC_SH = String.raw`
proc_info() {
  pstate= pppid= pstart=
  case "$1" in ''|*[!0-9]*) return 1 ;; esac
  read -r _st 2>/dev/null < "/proc/$1/stat" || return 1
  set -- ${'$'}{_st##*) }
  [ "$#" -ge 20 ] || return 1
  pstate=$1; pppid=$2
  shift 19
  pstart=$1
}
proc_alive() {
  proc_info "$1" || return 1
  [ "$pstart" = "$2" ] || return 1
  [ "$pstate" != Z ] && [ "$pstate" != X ]
}
remedy_nap() { sleep 0.2 2>/dev/null || sleep 1; }
remedy_wait_gone() {
  _ws=$1 _wn=$2; shift 2
  left="$*"
  while :; do
    _still=
    for _wt in $left; do
      if proc_alive "${'$'}{_wt%%:*}" "${'$'}{_wt#*:}"; then _still="$_still $_wt"
      else printf 'gone\t%s\t%s\n' "${'$'}{_wt%%:*}" "$_ws"; fi
    done
    left=$_still
    [ -z "$left" ] && return 0
    [ "$_wn" -le 0 ] && return 0
    _wn=$((_wn - 1))
    remedy_nap
  done
}
remedy_terminate() {
  _sig=$1 _ticks=$2 _kill_after=$3; shift 3
  _sent=
  for _t in "$@"; do
    _p=${'$'}{_t%%:*}
    if ! proc_alive "$_p" "${'$'}{_t#*:}"; then printf 'vanished\t%s\n' "$_p"; continue; fi
    if kill -s "$_sig" "$_p" 2>/dev/null; then printf 'sent\t%s\t%s\n' "$_p" "$_sig"; _sent="$_sent $_t"
    else printf 'error\t%s\tkill -s %s failed\n' "$_p" "$_sig"; fi
  done
  remedy_wait_gone "$_sig" "$_ticks" $_sent
  if [ -n "$left" ] && [ "$_kill_after" = 1 ] && [ "$_sig" != KILL ]; then
    _rest=$left
    for _t in $_rest; do kill -s KILL "${'$'}{_t%%:*}" 2>/dev/null; done
    remedy_wait_gone KILL 25 $_rest
  fi
  for _t in $left; do printf 'survivor\t%s\n' "${'$'}{_t%%:*}"; done
}
`;

/** A whole script: `remedy_terminate SIGNAL TICKS KILL_AFTER PID:START…` with its arguments. */
export const TERMINATE_SH = `${PROC_SH}\nremedy_terminate "$@"\n`;

/** An awk filter over `grep -H ' (deleted)$' /proc/PID/maps` lines: prints `stale PID PATH` once per file. */
export const DELETED_MAPS_SH = String.raw`
remedy_deleted_maps() {
  grep -sH ' (deleted)$' "$@" 2>/dev/null | awk '{
    split($1, a, "/"); pid = a[3]
    path = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ [^ ]+ [^ ]+ +/, "", path); sub(/ \(deleted\)$/, "", path)
    if (path !~ /^\// || path ~ /^\/(dev\/shm\/|memfd:|SYSV|\[)/ || path ~ /^\/dev\/zero/) next
    if (!seen[pid, path]++) printf "stale\t%s\t%s\n", pid, path
  }'
}
`;
