/**
 * service: bring one named service to started, stopped, restarted or reloaded, with systemctl when
 * PID 1 is systemd and with `service NAME ACTION` (or /etc/init.d/NAME ACTION) otherwise; verify after.
 */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum, Templated } from './args.js';
import type { ResultParts } from './remote-script.js';
import { parseServiceOutput, SERVICE_SH, serviceStateProbe, type ServiceOutcome } from '../facts/service-state.js';
import { remediationStep, type Decision } from './remediation.js';

/** A systemd unit or init script name: nothing a shell would read as more than a word. */
import { SERVICE_NAME_PATTERN, SERVICE_NAME_RULE } from '../model/names.js';

export { SERVICE_NAME_PATTERN, SERVICE_NAME_RE } from '../model/names.js';

export const ServiceArgs = Type.Object({
  // A template too (`name: "{{ item }}"` in a loop); what it renders to must be a service name.
  name: Templated(Type.String({
    description: 'The service: a systemd unit name (sshd, xinetd.service, getty@tty1) or an /etc/init.d script name. May be a {{ template }}, e.g. "{{ item }}" in a loop; what it renders to must be a service name.',
    pattern: SERVICE_NAME_PATTERN,
    errorMessage: `name must be a service name: ${SERVICE_NAME_RULE}`,
  })),
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

/** Pure: what the outcome means for the step (status, message, effects). */
export function judgeService(args: ServiceArgs, o: ServiceOutcome, check: boolean): ResultParts {
  const data = serviceData(o);
  if (o.before === 'missing') return { status: 'failed', cause: 'unknown-service', message: `service ${args.name} not found (${o.init})`, data };
  if (!o.action) return { status: 'failed', cause: 'script-failed', message: `could not read the state of ${args.name}`, data };
  if (o.action === 'none') return { status: 'ok', message: `${args.name} is ${o.before} (${o.init})`, data };
  if (check) return { status: 'skipped', message: `check mode: would ${wouldDo(args, o)}`, data };
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

/** What the service step will do: the action its scan found the wanted state needs. */
export interface ServicePlan { action: NonNullable<ServiceOutcome['action']>; init?: string; before?: ServiceOutcome['before'] }

/** Pure: act when the state needs an action; otherwise the result (running already, missing, unreadable). */
export function decideService(args: ServiceArgs, o: ServiceOutcome): Decision<ServicePlan> {
  if (o.before === 'missing' || !o.action || o.action === 'none') return { done: judgeService(args, o, false) };
  return { act: { action: o.action, init: o.init, before: o.before }, would: wouldDo(args, o), data: serviceData(o) };
}

const wouldDo = (args: ServiceArgs, o: ServiceOutcome): string => `${o.action} ${args.name} (${o.init}, now ${o.before})`;
const serviceData = (o: ServiceOutcome) => ({ init: o.init, before: o.before, action: o.action, after: o.after, pid: o.pid });

export const serviceStep = remediationStep<ServiceArgs, ServiceOutcome, ServicePlan, ServiceOutcome>({
  name: 'service',
  args: ServiceArgs,
  scan: (read, args) => read.probe(serviceStateProbe, { name: args.name, state: args.state, init: args.init ?? 'auto' }),
  plan: (scan, args) => decideService(args, scan),
  apply: async (act, _plan, args) => parseServiceOutput((await act.script(`service ${args.name}`, SERVICE_SH, [args.name, args.state, args.init ?? 'auto', '0'])).stdout),
  judge: (_plan, outcome, _v, args) => judgeService(args, outcome, false),
});
