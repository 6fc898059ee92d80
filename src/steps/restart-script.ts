/**
 * The remote half of restart_services: one POSIX sh script that restarts every planned service in
 * one round trip (systemctl for units, `service NAME restart` or /etc/init.d/NAME restart for init
 * scripts), the sshd last and only when safe, then waits for each to be running; and its pure parser.
 */
import { parseRecords } from './remote-script.js';
import type { PlannedRestart } from './restart-plan.js';

/**
 * Arguments: quadruples INIT NAME SSHD PIDS (systemd|sysv, the unit or script name, 1 for the sshd,
 * the stale pids comma-separated). Records (tab separated): refused NAME WHY · fresh NAME PID (an sshd
 * whose listener is not stale: only sessions of the old sshd are, so it is left alone) · before NAME PID ·
 * rc NAME CODE · after NAME active|inactive · pid NAME PID · state NAME KEY=VALUE… (the service's own
 * status once settled: systemctl show's ActiveState, SubState, Result, NRestarts, ExecMainCode,
 * ExecMainStatus; on SysV the init script's `status` exit code) · settling (printed before the settle
 * second when every restarted service is active and none of the old pids is left). PID 0 means unknown.
 * A restart's own output goes to stderr. Each service is restarted once: a restart that fails is not tried again, and a
 * service that crashes afterwards is left to its init system's own policy (Restart=, StartLimitBurst=).
 */
export const RESTART_SH = String.raw`
have_service=0
command -v service >/dev/null 2>&1 && have_service=1
svc_pidfile() {
  _b=${'$'}{1%.service}
  for _f in "/run/$_b.pid" "/var/run/$_b.pid" "/run/$_b/$_b.pid" "/var/run/$_b/$_b.pid" "/run/${'$'}{_b}d.pid"; do
    [ -r "$_f" ] && { read -r _p 2>/dev/null < "$_f"; case "$_p" in ''|*[!0-9]*) continue ;; esac; echo "$_p"; return 0; }
  done
  return 1
}
svc_pid() {
  if [ "$1" = systemd ]; then
    _p=$(systemctl show -p MainPID "$2" 2>/dev/null); _p=${'$'}{_p#MainPID=}
    case "$_p" in ''|*[!0-9]*) _p=0 ;; esac
    echo "$_p"
  else svc_pidfile "$2" || echo 0; fi
}
svc_run() {
  if [ "$1" = systemd ]; then systemctl "$3" "$2"
  elif [ "$have_service" = 1 ]; then service "$2" "$3"
  else "/etc/init.d/$2" "$3"; fi
}
svc_active() {
  if [ "$1" = systemd ]; then systemctl is-active --quiet "$2"; return; fi
  svc_run "$1" "$2" status >/dev/null 2>&1 </dev/null; _rc=$?
  [ "$_rc" = 0 ] && return 0
  [ "$_rc" = 3 ] && return 1
  _p=$(svc_pidfile "$2") || return 1
  kill -0 "$_p" 2>/dev/null
}
sshd_safe() {
  _bin=$(command -v sshd 2>/dev/null) || _bin=/usr/sbin/sshd
  if [ ! -x "$_bin" ]; then printf 'refused\t%s\tno sshd binary to test the configuration with\n' "$2"; return 1; fi
  if ! _out=$("$_bin" -t 2>&1); then
    printf 'refused\t%s\tsshd -t failed: %s\n' "$2" "$(printf '%s' "$_out" | head -n 1)"; return 1
  fi
  if [ "$1" = systemd ]; then
    _km=$(systemctl show -p KillMode "$2" 2>/dev/null); _km=${'$'}{_km#KillMode=}
    if [ "$_km" != process ]; then
      printf 'refused\t%s\tKillMode=%s would end the sessions it serves (this one too)\n' "$2" "${'$'}{_km:-unknown}"; return 1
    fi
  fi
  return 0
}
# The restart's output goes to a file, not a pipe (a daemon that keeps its stdout would hold a pipe
# open); with no room for one (a full /tmp) the restart still runs and its output is dropped.
_log=$(mktemp 2>/dev/null) || { _log=/tmp/remedy-restart.$$; (: >"$_log") 2>/dev/null; } || {
  _log=; echo "remedy: no room for a temporary file (/tmp full?): the restart's own output is not kept" >&2; }
done_list= olds=
while [ "$#" -ge 4 ]; do
  init=$1 name=$2 sshd=$3 stale=$4; shift 4
  if [ "$init" = sysv ] && [ "$have_service" = 0 ] && [ ! -x "/etc/init.d/$name" ]; then
    printf 'refused\t%s\tno service command and no /etc/init.d/%s\n' "$name" "$name"; continue
  fi
  main=$(svc_pid "$init" "$name")
  if [ "$sshd" = 1 ] && [ "$main" != 0 ]; then
    case ",$stale," in *",$main,"*) ;; *) printf 'fresh\t%s\t%s\n' "$name" "$main"; continue ;; esac
  fi
  if [ "$sshd" = 1 ] && ! sshd_safe "$init" "$name"; then continue; fi
  printf 'before\t%s\t%s\n' "$name" "$main"
  olds="$olds,$stale"
  if [ -n "$_log" ]; then svc_run "$init" "$name" restart >"$_log" 2>&1 </dev/null
  else svc_run "$init" "$name" restart >/dev/null 2>&1 </dev/null; fi
  printf 'rc\t%s\t%s\n' "$name" "$?"
  [ -z "$_log" ] || cat "$_log" >&2
  done_list="$done_list $init:$name"
done
[ -z "$_log" ] || rm -f "$_log"
_n=50
left=$done_list
while [ -n "$left" ]; do
  _still=
  for _t in $left; do svc_active "${'$'}{_t%%:*}" "${'$'}{_t#*:}" || _still="$_still $_t"; done
  left=$_still
  [ -z "$left" ] && break
  [ "$_n" -le 0 ] && break
  _n=$((_n - 1)); sleep 0.2 2>/dev/null || sleep 1
done
# Every restarted service is running and none of its old processes is left: the host may be scanned
# again now, while this script waits out the second below (which is only about staying up).
_gone=1 _ifs=$IFS; IFS=,
for _p in $olds; do [ -n "$_p" ] && [ -d "/proc/$_p" ] && { _gone=0; break; }; done
IFS=$_ifs
[ -n "$done_list" ] && [ -z "$left" ] && [ "$_gone" = 1 ] && printf 'settling\n'
# A service that dies just after starting looked active once: look again a second later.
[ -n "$done_list" ] && { sleep 1 2>/dev/null || :; }
for _t in $done_list; do
  _i=${'$'}{_t%%:*} _s=${'$'}{_t#*:}
  if svc_active "$_i" "$_s"; then printf 'after\t%s\tactive\n' "$_s"; else printf 'after\t%s\tinactive\n' "$_s"; fi
  printf 'pid\t%s\t%s\n' "$_s" "$(svc_pid "$_i" "$_s")"
  if [ "$_i" = systemd ]; then
    printf 'state\t%s\t%s\n' "$_s" "$(systemctl show -p ActiveState -p SubState -p Result -p NRestarts -p ExecMainCode -p ExecMainStatus "$_s" 2>/dev/null | tr '\n' ' ')"
  else
    svc_run "$_i" "$_s" status >/dev/null 2>&1 </dev/null
    printf 'state\t%s\tStatusExit=%s\n' "$_s" "$?"
  fi
done
return 0
`;

/** The script's positional arguments for a plan's restarts, in order. */
export function restartArgs(restarts: PlannedRestart[]): string[] {
  return restarts.flatMap((r) => [r.init, r.name, r.sshd ? '1' : '0', r.pids.join(',')]);
}

/** What the script reports for one service. */
export interface RestartOutcome {
  name: string;
  refused?: string;
  /** An sshd whose listener (this pid) is not stale: only old sessions are, so it was not restarted. */
  fresh?: number;
  pidBefore?: number;
  rc?: number;
  after?: 'active' | 'inactive';
  pidAfter?: number;
  /** The service's own status after the restart (systemctl show properties, or StatusExit on SysV). */
  state?: Record<string, string>;
}

/** `ActiveState=failed SubState=failed Result=exit-code` → a map (unknown keys kept, empty values dropped). */
export function parseUnitState(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of text.trim().split(/\s+/)) {
    const i = word.indexOf('=');
    if (i > 0 && i < word.length - 1 && /^[A-Za-z]+$/.test(word.slice(0, i))) out[word.slice(0, i)] = word.slice(i + 1);
  }
  return out;
}

const STATE_ORDER = ['ActiveState', 'SubState', 'Result', 'NRestarts', 'ExecMainCode', 'ExecMainStatus', 'StatusExit'];

/** The status in one line, as systemctl show prints it, in a fixed order: `ActiveState=failed SubState=failed Result=start-limit-hit …`. */
export function describeUnitState(state: Record<string, string> | undefined): string {
  const rank = (k: string): number => (STATE_ORDER.includes(k) ? STATE_ORDER.indexOf(k) : STATE_ORDER.length);
  return state ? Object.entries(state).sort(([a], [b]) => rank(a) - rank(b)).map(([k, v]) => `${k}=${v}`).join(' ') : '';
}

/** Pure parser of RESTART_SH output: one outcome per service named in any record, in order of appearance. */
export function parseRestartOutput(stdout: string): RestartOutcome[] {
  const out = new Map<string, RestartOutcome>();
  const get = (name: string): RestartOutcome => {
    let o = out.get(name);
    if (!o) { o = { name }; out.set(name, o); }
    return o;
  };
  const num = (v: string | undefined): number | undefined => {
    const n = Number(v);
    return v !== undefined && v !== '' && Number.isInteger(n) && n > 0 ? n : undefined;
  };
  for (const rec of parseRecords(stdout)) {
    const [name, value] = [rec.fields[0], rec.fields.slice(1).join('\t')];
    if (!name) continue;
    const o = get(name);
    switch (rec.kind) {
      case 'refused': o.refused = value; break;
      case 'fresh': { const p = num(value); if (p !== undefined) o.fresh = p; break; }
      case 'before': { const p = num(value); if (p !== undefined) o.pidBefore = p; break; }
      case 'rc': if (value !== '' && Number.isInteger(Number(value))) o.rc = Number(value); break;
      case 'after': if (value === 'active' || value === 'inactive') o.after = value; break;
      case 'pid': { const p = num(value); if (p !== undefined) o.pidAfter = p; break; }
      case 'state': { const st = parseUnitState(value); if (Object.keys(st).length) o.state = st; break; }
      default: break;
    }
  }
  return [...out.values()];
}
