/**
 * xinetd_sessions: end the per-connection instances of one xinetd service that still run the code
 * from before the update (the guide: kill, wait, kill -9). New connections then get the new binary.
 * read (one script: the service's server, xinetd's children) → plan (pure) → apply (remedy_terminate).
 */
import { Type, type Static } from '@sinclair/typebox';
import { SERVICE_NAME_PATTERN, SERVICE_NAME_RULE } from '../model/names.js';
import { ALL_XINETD_SERVICES, xinetdInstancesProbe, xinetdServicesProbe, type XinetdChild, type XinetdScan } from '../facts/xinetd-instances.js';
import { TERMINATE_SH } from '../facts/script.js';
import type { ResultParts } from './remote-script.js';
import { remediationStep, type Decision } from './remediation.js';
import { parseTerminateOutput, terminateEffects, graceTicks, type TerminateOutcome } from './terminate.js';
import { combineServiceResults } from './xinetd-all.js';

export const XinetdSessionsArgs = Type.Object({
  service: Type.String({
    description: 'The xinetd service name, as on the `service NAME` line of its file in /etc/xinetd.d; or `all`: every service of /etc/xinetd.conf and /etc/xinetd.d that runs a server program (internal services have none), each handled as if named.',
    pattern: SERVICE_NAME_PATTERN,
    errorMessage: `service must be an xinetd service name: ${SERVICE_NAME_RULE}`,
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

/** One service's part of the plan: its server and every instance, the stale ones marked. */
export interface ServiceSessions {
  service: string;
  server: string;
  xinetd: number[];
  instances: XinetdInstance[];
}

export type XinetdPlan = ServiceSessions[];

const targetsOf = (s: ServiceSessions): XinetdInstance[] => s.instances.filter((i) => i.stale);

function sessionData(s: ServiceSessions): Record<string, unknown> {
  return { server: s.server, xinetd: s.xinetd, instances: s.instances.map(({ pid, command, stale, why }) => ({ pid, command, stale, why })) };
}

/** Pure: one service's sessions from its scan, or the reason it has none to end (a failure). */
export function serviceSessions(service: string, scan: XinetdScan, before: string | undefined): ServiceSessions | ResultParts {
  if (scan.server === undefined) {
    return { status: 'failed', cause: 'unknown-service', message: `no xinetd service ${service} in /etc/xinetd.conf or /etc/xinetd.d` };
  }
  if (!scan.server.startsWith('/')) {
    return { status: 'failed', cause: 'unknown-service', message: `xinetd service ${service} has no server program (internal service?)` };
  }
  return { service, server: scan.server, xinetd: scan.xinetd, instances: planXinetdSessions(scan, before) };
}

function nothingOld(s: ServiceSessions): ResultParts {
  const kept = s.instances.length ? `; ${s.instances.length} current session(s) kept` : '';
  return { status: 'ok', message: `no old ${s.service} sessions${kept}`, data: sessionData(s) };
}

const wouldEnd = (s: ServiceSessions): string =>
  `end ${targetsOf(s).length} ${s.service} session(s): ${targetsOf(s).map((t) => `${t.pid} (${t.command || t.exe}: ${t.why})`).join(', ')}`;

/** Pure: the decision for one named service or for all of them. */
export function decideXinetdSessions(scans: Array<{ service: string; scan: XinetdScan }>, args: XinetdSessionsArgs): Decision<XinetdPlan> {
  const all = args.service === ALL_XINETD_SERVICES;
  if (all && scans.length === 0) return { done: { status: 'ok', message: 'no xinetd service with a server program', data: { services: [] } } };
  const parts = scans.map(({ service, scan }) => serviceSessions(service, scan, args.before));
  const plan = parts.filter((p): p is ServiceSessions => 'instances' in p);
  const failed = parts.filter((p): p is ResultParts => !('instances' in p));
  const acting = plan.filter((p) => targetsOf(p).length > 0);
  if (!all) {
    if (failed[0]) return { done: failed[0] };
    if (acting.length === 0) return { done: nothingOld(plan[0]!) };
    return { act: acting, would: wouldEnd(acting[0]!), data: sessionData(acting[0]!) };
  }
  if (acting.length === 0 || failed.length) return { done: combineParts([...failed.map((f, i) => ({ service: `#${i}`, parts: f })), ...plan.map((p) => ({ service: p.service, parts: nothingOld(p) }))]) };
  return { act: acting, would: acting.map(wouldEnd).join('; '), data: { services: plan.map((p) => ({ service: p.service, ...sessionData(p) })) } };
}

/** Pure: what TERM, wait and KILL did to one service's old sessions. */
export function judgeServiceSessions(s: ServiceSessions, outcome: TerminateOutcome): ResultParts {
  const fx = terminateEffects(outcome, targetsOf(s));
  const data = sessionData(s);
  if (outcome.survivors.length || outcome.errors.length) {
    return { status: 'failed', cause: 'kill-failed', message: `${s.service}: could not end ${[...outcome.survivors, ...outcome.errors.map((e) => e.pid)].join(', ')}`, effects: fx, data };
  }
  const summary = (fx.killed ?? []).map((k) => `${k.pid} (${k.signal})`).join(', ');
  return { status: fx.killed?.length ? 'changed' : 'ok', message: `ended ${s.service} sessions: ${summary || 'none left'}`, effects: fx, data };
}

/** Several services' parts as one (combineServiceResults on plain parts). */
function combineParts(items: Array<{ service: string; parts: ResultParts }>): ResultParts {
  const combined = combineServiceResults(items.map(({ service, parts }) => ({ service, result: { changed: parts.status === 'changed', stdout: '', stderr: '', durationMs: 0, ...parts } })));
  const { status, message, cause, effects, data } = combined;
  return { status, ...(message !== undefined ? { message } : {}), ...(cause ? { cause } : {}), ...(effects ? { effects } : {}), ...(data ? { data } : {}) };
}

export const xinetdSessionsStep = remediationStep<XinetdSessionsArgs, Array<{ service: string; scan: XinetdScan }>, XinetdPlan, TerminateOutcome[]>({
  name: 'xinetd_sessions',
  args: XinetdSessionsArgs,
  scan: async (read, args) => {
    const services = args.service === ALL_XINETD_SERVICES ? await read.probe(xinetdServicesProbe, undefined) : [args.service];
    const scans: Array<{ service: string; scan: XinetdScan }> = [];
    for (const service of services) scans.push({ service, scan: await read.probe(xinetdInstancesProbe, service) });
    return scans;
  },
  plan: (scans, args) => decideXinetdSessions(scans, args),
  apply: async (act, plan, args) => {
    const outcomes: TerminateOutcome[] = [];
    for (const s of plan) {
      act.progress(`ending ${targetsOf(s).length} ${s.service} session(s)`);
      const term = await act.script(`xinetd_sessions ${s.service}`, TERMINATE_SH, ['TERM', String(graceTicks(args.grace ?? 5)), '1', ...targetsOf(s).map((t) => `${t.pid}:${t.start}`)]);
      outcomes.push(parseTerminateOutput(term.stdout));
    }
    return outcomes;
  },
  judge: (plan, outcomes, _v, args) => {
    const each = plan.map((s, i) => judgeServiceSessions(s, outcomes[i]!));
    return args.service === ALL_XINETD_SERVICES ? combineParts(plan.map((s, i) => ({ service: s.service, parts: each[i]! }))) : each[0]!;
  },
});
