/**
 * remediate: per host, the least disruptive action that clears its verdict (remediate-plan.ts picks
 * it). Apply reuses the other steps' parts: kill_processes ends the stale sessions and applications,
 * restart_services restarts the stale services, daemon_reexec re-executes a stale PID 1, reboot reboots
 * (with its veto, boot id check and test command). One re-scan afterwards judges the lower actions.
 */
import { Type, type Static, type TOptional, type TSchema, type TUnknown } from '@sinclair/typebox';
import type { HostFacts } from '../facts/types.js';
import type { NeverRestartOptions } from '../facts/never-restart.js';
import { verdictEffects } from '../facts/effects.js';
import { processListProbe } from '../facts/process-list.js';
import type { StepEffects } from '../model/results.js';
import { OrNull, Templated } from './args.js';
import type { ResultParts } from './remote-script.js';
import { remediationStep, type Actor, type Decision, type Reader } from './remediation.js';
import { describeRemediation, planRemediation, type RemediatePlan } from './remediate-plan.js';
import { applyRestarts, restartServices, RestartServicesArgs, type RestartApplied } from './restart-services.js';
import { daemonReexec } from './daemon-reexec.js';
import { decideKillProcesses, killProcesses } from './kill-processes.js';
import { reboot, RebootArgs, type RebootOutcome } from './reboot.js';
import type { DaemonReexecOutcome } from '../facts/pid1-state.js';
import type { TerminateOutcome } from './terminate.js';

const flag = (name: string, description: string, dflt: boolean) => Type.Optional(Templated(Type.Boolean({ description, default: dflt, errorMessage: `${name} must be true or false` })));
/** A field of another step's arguments, declared once there (OrNull keeps the object's properties at the top). */
function fieldOf(args: TSchema, name: string): TOptional<TUnknown> {
  const field = (args as { properties?: Record<string, TSchema> }).properties?.[name];
  if (!field) throw new Error(`remediate: no field ${name} to reuse`);
  return field as TOptional<TUnknown>;
}

export const RemediateArgs = OrNull(Type.Object({
  allow_kill: flag('allow_kill', 'End stale login sessions and user applications (TERM, 5 s, then KILL) when they run replaced code. When false they are reported and left running.', false),
  allow_reboot: flag('allow_reboot', 'Reboot (soft or full) when the verdict needs it. When false the lower actions still run and the host stays on the reboot list. May be a {{ template }}.', false),
  soft_reboot: flag('soft_reboot', 'Use `systemctl soft-reboot` instead of a reboot when only user space is old (no newer kernel, firmware or microcode) and systemd is 254 or later.', true),
  never_restart: fieldOf(RestartServicesArgs, 'never_restart'),
  replace_defaults: fieldOf(RestartServicesArgs, 'replace_defaults'),
  reboot_timeout: fieldOf(RebootArgs, 'reboot_timeout'),
  test_command: fieldOf(RebootArgs, 'test_command'),
  veto: fieldOf(RebootArgs, 'veto'),
}, { additionalProperties: false }), {
  description: "Picks, per host, the least disruptive action that clears its verdict: restart the stale services < end stale sessions and applications (allow_kill) < `systemctl daemon-reexec` when PID 1 is stale < `systemctl soft-reboot` when only user space is old and systemd is 254 or later (older: it says so and falls back) < reboot (allow_reboot). A reboot clears everything below it and is then the only action. Each rung considered is in data.decisions with a reason and a sentence; check mode shows the choice and why and touches nothing. Reuses restart_services, kill_processes, daemon_reexec and reboot (veto included) to act, then gathers the facts again. Arguments are optional.",
});
export type RemediateArgs = Static<typeof RemediateArgs>;

const neverOptions = (a: RemediateArgs): NeverRestartOptions => ({ neverRestart: (a?.never_restart as string[] | undefined) ?? [], replaceDefaults: a?.replace_defaults === true });

/** What applying did: each lower action's outcome, or the reboot's. */
export interface RemediateOutcome {
  restart?: RestartApplied;
  kill?: TerminateOutcome & { plan: Parameters<typeof killProcesses.judge>[0] };
  reexec?: DaemonReexecOutcome;
  reboot?: RebootOutcome;
  /** Said when the plan was a soft reboot and a full one was sent instead. */
  note?: string;
}

const rebootArgs = (a: RemediateArgs): RebootArgs => ({
  ...(a?.reboot_timeout !== undefined ? { reboot_timeout: a.reboot_timeout as number } : {}),
  ...(a?.test_command !== undefined ? { test_command: a.test_command as string } : {}),
  ...(a?.veto !== undefined ? { veto: a.veto as string } : {}),
});

/** Pure: act on the plan, or the result when there is nothing to do. */
export function decideRemediation(facts: HostFacts, args: RemediateArgs): Decision<RemediatePlan> {
  const plan = planRemediation(facts, {
    ...neverOptions(args), allowKill: args?.allow_kill === true, allowReboot: args?.allow_reboot === true, allowSoftReboot: args?.soft_reboot !== false,
  });
  const data = { action: plan.action, decisions: plan.decisions, left: plan.left };
  const effects = verdictEffects(facts, neverOptions(args));
  if (plan.action === 'none') return { done: { status: 'ok', message: describeRemediation(plan), data, effects } };
  const unless = plan.reboot && args?.veto ? ` (unless \`${args.veto as string}\` vetoes it)` : '';
  return { act: plan, would: `${describeRemediation(plan)}${unless}`, data, effects };
}

async function applyRemediation(act: Actor, plan: RemediatePlan, args: RemediateArgs): Promise<RemediateOutcome> {
  if (plan.reboot) {
    // soft-reboot needs its own wait (the boot id does not change): until remedy has it, a full reboot is sent.
    const note = plan.reboot.soft ? 'soft-reboot is not applied by remedy yet: a full reboot was sent instead' : undefined;
    const out = await reboot.apply(act, { why: plan.reboot.why }, rebootArgs(args));
    return { reboot: out, ...(note ? { note } : {}) };
  }
  const outcome: RemediateOutcome = {};
  if (plan.kill.length) {
    const scan = await act.probe(processListProbe, { commandLines: true, staleFiles: true });
    const decided = decideKillProcesses(scan, { pids: plan.kill.flatMap((k) => k.pids), only_stale: true });
    if ('act' in decided) outcome.kill = { ...(await killProcesses.apply(act, decided.act, { pids: [] })), plan: decided.act };
  }
  if (plan.restart.length) {
    const restartPlan = { restart: plan.restart, skipped: [], notStale: [] };
    outcome.restart = await applyRestarts(act, restartPlan, { ...neverOptionsArgs(args) });
  }
  if (plan.reexec) outcome.reexec = await daemonReexec.apply(act, { stale: [] }, null);
  return outcome;
}

const neverOptionsArgs = (a: RemediateArgs): RestartServicesArgs => ({
  ...(a?.never_restart !== undefined ? { never_restart: a.never_restart as string[] } : {}),
  ...(a?.replace_defaults !== undefined ? { replace_defaults: a.replace_defaults as boolean } : {}),
});

async function verifyRemediation(read: Reader, _plan: RemediatePlan, outcome: RemediateOutcome, args: RemediateArgs): Promise<HostFacts | undefined> {
  if (outcome.reboot && !outcome.reboot.ok) return undefined;
  if (outcome.restart?.reconnectError) return undefined;
  return read.facts.refresh(neverOptions(args));
}

/** Pure: the step's result from each action's own judgement. */
export function judgeRemediation(plan: RemediatePlan, outcome: RemediateOutcome, facts: HostFacts | undefined, args: RemediateArgs): ResultParts {
  const data: Record<string, unknown> = { action: plan.action, decisions: plan.decisions, left: plan.left };
  if (outcome.reboot) {
    const parts = reboot.judge({ why: plan.reboot?.why ?? '' }, outcome.reboot, facts, rebootArgs(args));
    const message = outcome.note ? `${parts.message ?? ''} (${outcome.note})` : parts.message;
    return { ...parts, ...(message !== undefined ? { message } : {}), data: { ...data, ...(parts.data ?? {}) } };
  }
  const parts: ResultParts[] = [];
  if (outcome.kill) parts.push(killProcesses.judge(outcome.kill.plan, outcome.kill, undefined, { pids: [] }));
  if (outcome.restart) parts.push(restartServices.judge({ restart: plan.restart, skipped: [], notStale: [] }, outcome.restart, facts, neverOptionsArgs(args)));
  if (outcome.reexec) parts.push(daemonReexec.judge({ stale: [] }, outcome.reexec, undefined, null));
  const failed = parts.find((p) => p.status === 'failed');
  const changed = parts.some((p) => p.status === 'changed' || p.changed === true);
  const effects: StepEffects = Object.assign({}, ...parts.map((p) => p.effects ?? {}), facts ? verdictEffects(facts, neverOptions(args)) : {});
  const left = plan.left.length ? [`left ${plan.left.map((s) => `${s.name}: ${s.reason}`).join(', ')}`] : [];
  return {
    status: failed ? 'failed' : changed ? 'changed' : 'ok',
    ...(failed?.cause ? { cause: failed.cause } : {}),
    changed,
    message: `${plan.action}: ${[...parts.map((p) => p.message ?? ''), ...left].filter(Boolean).join('; ')}`,
    effects,
    data: { ...data, actions: parts.map((p) => ({ status: p.status, message: p.message, ...(p.data ? { data: p.data } : {}) })) },
  };
}

export const remediateStep = remediationStep<RemediateArgs, HostFacts, RemediatePlan, RemediateOutcome, HostFacts>({
  name: 'remediate',
  args: RemediateArgs,
  scan: async (read, args) => { const facts = await read.facts.get(); return read.facts.judge(neverOptions(args)) ?? facts; },
  plan: (facts, args) => decideRemediation(facts, args),
  apply: applyRemediation,
  verify: verifyRemediation,
  judge: judgeRemediation,
});
