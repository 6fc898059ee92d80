/**
 * A service's state, and the one script that brings it to a wanted state. With check=1 the script only
 * reads (which init drives the service, whether it runs, the action the wanted state needs): that is the
 * service step's probe. The step then runs it with check=0 to act, deciding again against the state
 * at that moment, and verifies the state afterwards.
 */
import type { Probe } from './probe.js';
import { parseRecords, recordValue } from './script.js';

/**
 * $1 name, $2 state, $3 init (auto|systemd|sysv), $4 check (1|0).
 * Records: init, before (active|inactive|missing), action (none|start|stop|restart|reload),
 * rc (the action's exit code), after (active|inactive), pid (main pid after, when known).
 */
export const SERVICE_SH = String.raw`
name=$1 state=$2 init=$3 check=$4
if [ "$init" = auto ]; then
  read -r _c 2>/dev/null < /proc/1/comm || _c=
  if [ "$_c" = systemd ]; then init=systemd; else init=sysv; fi
fi
printf 'init\t%s\n' "$init"
svc_pidfile() {
  for _f in "/run/$name.pid" "/var/run/$name.pid" "/run/$name/$name.pid" "/var/run/$name/$name.pid"; do
    [ -r "$_f" ] && { read -r _p 2>/dev/null < "$_f"; echo "$_p"; return 0; }
  done
  return 1
}
if [ "$init" = systemd ]; then
  _ls=$(systemctl show -p LoadState "$name" 2>/dev/null); _ls=${'$'}{_ls#LoadState=}
  if [ "$_ls" = not-found ] || [ -z "$_ls" ]; then printf 'before\tmissing\n'; return 0; fi
  svc_status() { systemctl is-active --quiet "$name"; }
  svc_do() { systemctl "$1" "$name" >&2; }
  svc_pid() { _p=$(systemctl show -p MainPID "$name" 2>/dev/null); _p=${'$'}{_p#MainPID=}; [ "$_p" != 0 ] || _p=$(svc_pidfile) || _p=0; echo "$_p"; }
else
  if [ -x "/etc/init.d/$name" ]; then :; else printf 'before\tmissing\n'; return 0; fi
  if command -v service >/dev/null 2>&1; then svc_do() { service "$name" "$1" >&2 2>&1; }
  else svc_do() { "/etc/init.d/$name" "$1" >&2 2>&1; }; fi
  svc_pid() { svc_pidfile || echo 0; }
  svc_status() {
    svc_do status >/dev/null 2>&1; _rc=$?
    [ "$_rc" = 0 ] && return 0
    [ "$_rc" = 3 ] && return 1
    _p=$(svc_pidfile) || return 1
    [ -n "$_p" ] && kill -0 "$_p" 2>/dev/null
  }
fi
if svc_status; then before=active; else before=inactive; fi
printf 'before\t%s\n' "$before"
case "$state" in
  started) if [ "$before" = active ]; then action=none; else action=start; fi ;;
  stopped) if [ "$before" = active ]; then action=stop; else action=none; fi ;;
  restarted) action=restart ;;
  reloaded) if [ "$before" = active ]; then action=reload; else action=start; fi ;;
esac
printf 'action\t%s\n' "$action"
[ "$action" = none ] && return 0
[ "$check" = 1 ] && return 0
svc_do "$action"; printf 'rc\t%s\n' "$?"
if [ "$action" = stop ]; then want=inactive; else want=active; fi
_n=50
while :; do
  if svc_status; then after=active; else after=inactive; fi
  [ "$after" = "$want" ] && break
  [ "$_n" -le 0 ] && break
  _n=$((_n - 1)); sleep 0.2 2>/dev/null || sleep 1
done
printf 'after\t%s\n' "$after"
[ "$after" = active ] && printf 'pid\t%s\n' "$(svc_pid)"
return 0
`;

export interface ServiceOutcome {
  init?: string;
  before?: 'active' | 'inactive' | 'missing';
  action?: 'none' | 'start' | 'stop' | 'restart' | 'reload';
  rc?: number;
  after?: 'active' | 'inactive';
  pid?: number;
}

/** Pure parser of SERVICE_SH output. */
export function parseServiceOutput(stdout: string): ServiceOutcome {
  const recs = parseRecords(stdout);
  const out: ServiceOutcome = {};
  const init = recordValue(recs, 'init');
  if (init) out.init = init;
  const before = recordValue(recs, 'before');
  if (before === 'active' || before === 'inactive' || before === 'missing') out.before = before;
  const action = recordValue(recs, 'action');
  if (action === 'none' || action === 'start' || action === 'stop' || action === 'restart' || action === 'reload') out.action = action;
  const rc = recordValue(recs, 'rc');
  if (rc !== undefined && rc !== '') out.rc = Number(rc);
  const after = recordValue(recs, 'after');
  if (after === 'active' || after === 'inactive') out.after = after;
  const pid = Number(recordValue(recs, 'pid'));
  if (Number.isInteger(pid) && pid > 0) out.pid = pid;
  return out;
}

export interface ServiceStateInput { name: string; state: 'started' | 'stopped' | 'restarted' | 'reloaded'; init: 'auto' | 'systemd' | 'sysv' }

/** SERVICE_SH with check=1: reads the service's state and the action it needs, changes nothing. */
export const serviceStateProbe: Probe<ServiceStateInput, ServiceOutcome> = {
  name: 'service',
  script: SERVICE_SH,
  args: (i) => [i.name, i.state, i.init, '1'],
  parse: parseServiceOutput,
};
