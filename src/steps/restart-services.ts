/**
 * restart_services: restart the services that own stale processes (read → plan → apply → verify).
 * Read: the host's latest facts (ctx.facts, gathered when absent). Plan: restart-plan.ts.
 * Apply: every restart in one round trip (restart-script.ts), the sshd last and only when safe,
 * then a fresh connection when sshd was restarted. Verify: one re-scan; each restarted service must
 * be running, with a new main process, and none of its old processes may still be stale.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { HostFacts } from '../facts/types.js';
import type { NeverRestartOptions } from '../facts/never-restart.js';
import { verdictEffects } from '../facts/effects.js';
import type { StepEffects } from '../model/results.js';
import type { ResultParts } from './remote-script.js';
import { remediationStep, type Actor, type Decision, type Remediation } from './remediation.js';
import { OrNull, Templated } from './args.js';
import { SERVICE_NAME_PATTERN, SERVICE_NAME_RULE } from '../model/names.js';
import { describePlan, planRestarts, type PlannedRestart, type RestartPlan, type SkippedOwner } from './restart-plan.js';
import { describeUnitState, parseRestartOutput, RESTART_SH, restartArgs, type RestartOutcome } from './restart-script.js';

const LIST_TEMPLATE = ' (or one {{ template }} that yields a list)';

export const RestartServicesArgs = OrNull(Type.Object({
  services: Type.Optional(Templated(Type.Array(Type.String({
    description: 'A systemd unit or /etc/init.d script name.',
    pattern: SERVICE_NAME_PATTERN,
    errorMessage: `a service name may only hold ${SERVICE_NAME_RULE}`,
  }), {
    description: 'Only these services: unit names (with or without .service) or init script names. A named service that owns no stale process is not restarted (reported as not stale); use the service step to restart one unconditionally. May also be one `{{ template }}` that yields a list, e.g. "{{ services | default([]) }}" for -e vars.',
    errorMessage: 'services must be a list',
  }), LIST_TEMPLATE)),
  library_glob: Type.Optional(Type.String({
    description: 'Only services whose processes are stale because of files matching this glob, e.g. "/usr/lib/*/libwrap.so*" (the guide\'s `lsof /lib/libwrap.so*`). A glob without a slash matches the file name; /lib/x also finds /usr/lib/x. Empty or absent: any replaced file.',
  })),
  never_restart: Type.Optional(Templated(Type.Array(Type.String({
    description: 'A glob on the unit name with or without .service (e.g. postgresql*, getty@*).',
    minLength: 1,
  }), {
    description: 'Globs on unit or script names never to restart, added to the defaults: dbus, dbus-broker, systemd-logind, getty@*, serial-getty@*, console-getty, gdm*, sddm, lightdm, xdm, display-manager, NetworkManager, systemd-networkd, wpa_supplicant, systemd-journald, user@*. May also be one `{{ template }}` that yields a list, e.g. "{{ never_restart | default([]) }}" for -e vars.',
    errorMessage: 'never_restart must be a list',
  }), LIST_TEMPLATE)),
  replace_defaults: Type.Optional(Type.Boolean({
    description: 'When true, never_restart replaces the default list instead of adding to it (an empty never_restart then allows every service).',
    default: false,
  })),
  verify: Type.Optional(Type.Boolean({
    description: 'Gather the facts again after the restarts and fail for each restarted service that still has a stale process (default true). Whether each service runs again is always checked.',
    default: true,
  })),
}, { additionalProperties: false }), {
  description: "Restarts the services that own stale processes (processes still running a replaced executable or library), as the errata guide's `service NAME restart`: with systemctl for systemd units and `service NAME restart` (or /etc/init.d/NAME restart) for init scripts, all in one round trip. Reads the host's latest facts (remedy_facts, from gather_facts; gathers them when absent). Never restarts the services on the never-restart list (a stale one puts the host on the reboot list, reason never-restart), login sessions, user applications, xinetd sessions (xinetd_sessions ends those), containers' processes (their runtime restarts them) or PID 1 (daemon_reexec); lists them in data.skipped with why. The sshd serving this connection is restarted last and only safely (its configuration passes `sshd -t`; on systemd its KillMode is process), then a new connection is opened to prove the host is still reachable. Afterwards it gathers the facts again and fails for each service that is not running, kept its old process, crashed again after the restart or is still stale, with the service's own status (systemctl show: ActiveState, SubState, Result, NRestarts, ExecMainStatus; on SysV the exit codes of restart and status). Each service is restarted once per run: a failed restart is never retried. In check mode it says what it would restart and touches nothing. Arguments are optional.",
});
export type RestartServicesArgs = Static<typeof RestartServicesArgs>;

export interface RestartFailure {
  name: string;
  why: string;
  /** The service's own status after its one restart (systemctl show properties, or StatusExit on SysV). */
  state?: Record<string, string>;
}

/** What happened to the planned restarts. */
export interface Judgement {
  restarted: string[];
  failures: RestartFailure[];
  /** Planned but left alone on the host's word (an sshd whose listener is already new). */
  leftAlone: SkippedOwner[];
}

/** What the verification saw after the restarts. */
export interface Verification {
  /** The facts re-gathered after the restarts (absent when verify is false or the re-scan was impossible). */
  facts?: HostFacts;
  /** Why opening a fresh connection after restarting sshd failed. */
  reconnectError?: string;
}

/** Seconds all the restarts of one host may take when the task sets no timeout. */
export const RESTART_TIMEOUT_S = 600;

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Pure: which restarts failed and why, given the script's outcomes and the verification. */
export function judgeRestarts(plan: RestartPlan, outcomes: RestartOutcome[], verify: Verification): Judgement {
  const restarted: string[] = [];
  const failures: RestartFailure[] = [];
  const leftAlone: SkippedOwner[] = [];
  for (const r of plan.restart) {
    const o = outcomes.find((x) => x.name === r.name);
    if (o?.fresh !== undefined) {
      const detail = `its listener (pid ${o.fresh}) runs the new code; the stale pids ${r.pids.join(', ')} are sessions of the old sshd, they end when their users log out`;
      leftAlone.push({ name: r.name, kind: 'session', pids: [...r.pids], reason: 'old-sessions-only', detail });
      continue;
    }
    const why = whyFailed(r, o, verify);
    if (o && o.refused === undefined && o.rc === 0) restarted.push(r.name);
    if (why) failures.push({ name: r.name, why, ...(o?.state ? { state: o.state } : {}) });
  }
  return { restarted, failures, leftAlone };
}

function whyFailed(r: PlannedRestart, o: RestartOutcome | undefined, verify: Verification): string | null {
  if (!o) return 'not attempted (the restart script ended early)';
  if (o.refused !== undefined) return `not restarted: ${o.refused}`;
  const status = describeUnitState(o.state);
  const told = (why: string): string => (status ? `${why}: ${status}` : why);
  if (o.rc !== 0) return told(`restart failed with exit code ${o.rc ?? 'unknown'}`);
  if (o.after !== 'active') return told('not running after the restart');
  const again = Number(o.state?.['NRestarts'] ?? 0);
  if (r.init === 'systemd' && again > 0) return told(`crashed after the restart (systemd started it again ${again} times)`);
  if (o.pidBefore !== undefined && o.pidBefore === o.pidAfter) return `still the same process (pid ${o.pidAfter}) after the restart`;
  if (r.sshd && verify.reconnectError) return `a new connection after the restart failed: ${verify.reconnectError}`;
  if (verify.facts) {
    const watched = new Set([...r.pids, ...(o.pidAfter ? [o.pidAfter] : [])]);
    const still = verify.facts.stale
      .filter((s) => s.owner.name === r.name)
      .flatMap((s) => s.pids)
      .filter((p) => watched.has(p));
    if (still.length) return `still stale after the restart: pid ${still.join(', ')}`;
  }
  return null;
}

/** Pure: the step's status, message and data from the plan and the judgement. */
export function summarizeRestarts(plan: RestartPlan, judged: Judgement): ResultParts {
  const { restarted, failures } = judged;
  const skipped = [...plan.skipped, ...judged.leftAlone];
  const parts: string[] = [];
  if (restarted.length) parts.push(`restarted ${restarted.join(', ')}`);
  if (failures.length) parts.push(`failed: ${failures.map((f) => `${f.name} (${f.why})`).join('; ')} (one restart per run: not retried)`);
  if (!restarted.length && !failures.length) parts.push('nothing to restart');
  if (skipped.length) parts.push(`skipped ${skipped.map((s) => `${s.name}: ${s.reason}`).join(', ')}`);
  if (plan.notStale.length) parts.push(`not stale: ${plan.notStale.join(', ')}`);
  return {
    status: failures.length ? 'failed' : restarted.length ? 'changed' : 'ok',
    message: parts.join('; '),
    ...(failures.length ? { cause: 'restart-failed' } : {}),
    effects: { restarted },
    data: { restarted, failures, skipped, notStale: plan.notStale, planned: plan.restart },
  };
}

/**
 * What applying the plan did: each restart's outcome, whether a fresh connection opened after sshd's,
 * and the reboot verdict of the facts the plan was made from (the report's, when no re-scan follows).
 */
export interface RestartApplied {
  outcomes: RestartOutcome[];
  reconnectError?: string;
  verdict?: StepEffects;
  /** The re-scan, started while the script waited out its settle second (restart_services' own apply). */
  rescan?: Promise<HostFacts>;
}

/** The step's never-restart list, as the facts' verdict takes it. */
function neverOptions(args: RestartServicesArgs): NeverRestartOptions {
  return { neverRestart: args?.never_restart ?? [], replaceDefaults: args?.replace_defaults === true };
}

/**
 * Pure: restart what the facts say, or the result without acting (check mode shows the plan). The
 * reboot verdict comes from the facts judged with this step's never-restart list: a service it leaves
 * alone while it runs replaced code makes the host need a reboot.
 */
export function decideRestarts(facts: HostFacts, args: RestartServicesArgs, check: boolean): Decision<RestartPlan> {
  const plan = planRestarts(facts, { services: args?.services ?? [], libraryGlob: args?.library_glob ?? '', ...neverOptions(args) });
  const verdict = verdictEffects(facts, neverOptions(args));
  const parts = summarizeRestarts(plan, { restarted: [], failures: [], leftAlone: [] });
  if (plan.restart.length === 0) {
    return { done: check ? { ...parts, message: `check mode: ${describePlan(plan)}`, effects: verdict } : { ...parts, effects: { ...parts.effects, ...verdict } } };
  }
  return { act: plan, would: describePlan(plan).replace(/^would /, ''), ...(parts.data ? { data: parts.data } : {}), effects: verdict };
}

/** Every restart in one round trip, then a fresh connection when the sshd serving this one was restarted. */
export async function applyRestarts(act: Actor, plan: RestartPlan, args: RestartServicesArgs, onStdout?: (chunk: string) => void): Promise<RestartApplied> {
  const scanned = act.facts.peek();
  const verdict = scanned ? { verdict: verdictEffects(scanned, neverOptions(args)) } : {};
  act.progress(`restarting ${plan.restart.map((r) => r.name).join(', ')}`);
  // Without a task timeout, a hung init script still ends: 10 minutes for all the restarts.
  const exec = await act.script('restart_services', RESTART_SH, restartArgs(plan.restart), act.ctx.timeout ?? RESTART_TIMEOUT_S, onStdout);
  const outcomes = parseRestartOutput(exec.stdout);
  const sshdRestarted = plan.restart.some((r) => r.sshd && outcomes.find((o) => o.name === r.name)?.rc === 0);
  if (!sshdRestarted || !act.ctx.transport.reconnect) return { outcomes, ...verdict };
  try {
    await act.ctx.transport.reconnect({ timeoutMs: 30_000, initialDelayMs: 200, maxDelayMs: 2000 });
    return { outcomes, ...verdict };
  } catch (err) {
    return { outcomes, reconnectError: (err as Error).message, ...verdict };
  }
}

/**
 * restart_services' apply: the verifying re-scan starts when the script says every service is running
 * again and none of its old processes is left, and runs while the script waits out its settle second
 * (a crash in that second shows in the script's own records: not running, or systemd's NRestarts).
 * Not after an sshd restart: the re-scan waits for the fresh connection.
 */
async function applyAndRescan(act: Actor, plan: RestartPlan, args: RestartServicesArgs): Promise<RestartApplied> {
  if (args?.verify === false || plan.restart.some((r) => r.sshd)) return applyRestarts(act, plan, args);
  let rescan: Promise<HostFacts> | undefined;
  let seen = '';
  const onStdout = (chunk: string): void => {
    if (rescan) return;
    seen += chunk;
    if (!/(?:^|\n)settling\n/.test(seen)) return;
    rescan = act.facts.refresh(neverOptions(args));
    rescan.catch(() => undefined); // awaited by verify, or below when apply fails
  };
  try {
    const applied = await applyRestarts(act, plan, args, onStdout);
    return rescan ? { ...applied, rescan } : applied;
  } catch (err) {
    await rescan?.catch(() => undefined);
    throw err;
  }
}

/** The step's parts, for remediate to reuse (apply, verify, judge). */
export const restartServices: Remediation<RestartServicesArgs, HostFacts, RestartPlan, RestartApplied, HostFacts> = {
  name: 'restart_services',
  args: RestartServicesArgs,
  // The kept facts are judged with this step's never-restart list, kept for later scans (recheck, reboot).
  scan: async (read, args) => { const facts = await read.facts.get(); return read.facts.judge(neverOptions(args)) ?? facts; },
  plan: (facts, args, host) => decideRestarts(facts, args, host.check),
  apply: applyAndRescan,
  // The re-scan judges with this step's never-restart list, so the facts kept for later steps agree.
  verify: (read, _plan, applied, args) => applied.rescan ?? (args?.verify !== false && !applied.reconnectError ? read.facts.refresh(neverOptions(args)) : Promise.resolve(undefined)),
  judge: (plan, applied, facts, args) => {
    const verify: Verification = { ...(facts ? { facts } : {}), ...(applied.reconnectError ? { reconnectError: applied.reconnectError } : {}) };
    const judged = judgeRestarts(plan, applied.outcomes, verify);
    const summary = summarizeRestarts(plan, judged);
    const verdict = facts ? verdictEffects(facts, neverOptions(args)) : applied.verdict ?? {};
    const parts = { ...summary, effects: { ...summary.effects, ...verdict }, changed: judged.restarted.length > 0 };
    return applied.reconnectError ? { ...parts, cause: 'reconnect-failed' } : parts;
  },
};

export const restartServicesStep = remediationStep(restartServices);
