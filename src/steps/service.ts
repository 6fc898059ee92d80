/**
 * service: bring one named service to started, stopped, restarted or reloaded, with systemctl when
 * PID 1 is systemd and with `service NAME ACTION` (or /etc/init.d/NAME ACTION) otherwise; verify after.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { StepType, StepContext } from './step.js';
import type { StepResult } from '../model/results.js';
import { StringEnum } from './args.js';
import { parseRecords, recordValue, runRemoteScript, toStepResult, execFailure, type ResultParts } from './remote-script.js';
import type { ExecResult } from '../transport/transport.js';

/** A systemd unit or init script name: nothing a shell would read as more than a word. */
export const SERVICE_NAME_PATTERN = '^[A-Za-z0-9@._:-]+$';
export const SERVICE_NAME_RE = new RegExp(SERVICE_NAME_PATTERN);

export const ServiceArgs = Type.Object({
  name: Type.String({
    description: 'The service: a systemd unit name (sshd, xinetd.service, getty@tty1) or an /etc/init.d script name.',
    pattern: SERVICE_NAME_PATTERN,
    errorMessage: 'name must be a service name: letters, digits and @ . _ : - only',
  }),
  state: StringEnum(['started', 'stopped', 'restarted', 'reloaded'], {
    description: 'started: start it unless running. stopped: stop it unless stopped. restarted: always restart (reported in the host\'s restarted list). reloaded: reload its configuration (start it when it is not running).',
    errorMessage: 'state must be one of started, stopped, restarted, reloaded',
  }),
  init: Type.Optional(StringEnum(['auto', 'systemd', 'sysv'], {
    description: 'Which init system to drive. auto (the default): systemctl when PID 1 is systemd, SysV scripts otherwise.',
    default: 'auto',
  })),
}, {
  description: "Brings one service to a state: with systemctl when PID 1 is systemd, otherwise with `service NAME ACTION` (or /etc/init.d/NAME ACTION), and verifies the state afterwards (systemctl is-active, or `service NAME status` / the pidfile's process). 'started' on a running service and 'stopped' on a stopped one change nothing. In check mode it says what it would do and touches nothing.",
  additionalProperties: false,
});
export type ServiceArgs = Static<typeof ServiceArgs>;
export type ServiceState = ServiceArgs['state'];

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

/** Pure: what the outcome means for the step (status, message, effects). */
export function judgeService(args: ServiceArgs, o: ServiceOutcome, check: boolean): ResultParts {
  const data = { init: o.init, before: o.before, action: o.action, after: o.after, pid: o.pid };
  if (o.before === 'missing') return { status: 'failed', cause: 'unknown-service', message: `service ${args.name} not found (${o.init})`, data };
  if (!o.action) return { status: 'failed', cause: 'script-failed', message: `could not read the state of ${args.name}`, data };
  if (o.action === 'none') return { status: 'ok', message: `${args.name} is ${o.before} (${o.init})`, data };
  if (check) return { status: 'skipped', message: `check mode: would ${o.action} ${args.name} (${o.init}, now ${o.before})`, data };
  const want = o.action === 'stop' ? 'inactive' : 'active';
  if (o.rc !== 0) {
    return { status: 'failed', cause: 'action-failed', message: `${o.action} ${args.name} (${o.init}): exit code ${o.rc ?? 'unknown'}, ${o.after ?? 'unknown'} afterwards`, data };
  }
  if (o.after !== want) {
    const rc = o.rc !== undefined ? `, exit code ${o.rc}` : '';
    return { status: 'failed', cause: 'verify-failed', message: `${o.action} ${args.name}${rc}: ${o.after ?? 'unknown'} afterwards, expected ${want}`, data };
  }
  const res: ResultParts = { status: 'changed', message: `${o.action} ${args.name} (${o.init}): ${o.after}${o.pid ? `, pid ${o.pid}` : ''}`, data };
  if (o.action === 'restart') res.effects = { restarted: [args.name] };
  return res;
}

async function runService(ctx: StepContext, args: ServiceArgs): Promise<StepResult> {
  const init = args.init ?? 'auto';
  const exec: ExecResult = await runRemoteScript(ctx, SERVICE_SH, [args.name, args.state, init, ctx.check ? '1' : '0']);
  if (exec.exitCode !== 0 || exec.timedOut) return execFailure([exec], `service ${args.name}`);
  const judged = judgeService(args, parseServiceOutput(exec.stdout), ctx.check);
  return toStepResult([exec], judged);
}

export const serviceStep: StepType<ServiceArgs> = {
  name: 'service',
  args: ServiceArgs,
  supportsCheck: true,
  run: runService,
};
