/**
 * restart_services: restart the services that own stale processes (read → plan → apply → verify).
 * Read: the host's latest facts (`remedy_facts`, gathered when absent). Plan: restart-plan.ts.
 * Apply: every restart in one round trip (restart-script.ts), the sshd last and only when safe,
 * then a fresh connection when sshd was restarted. Verify: one re-scan; each restarted service must
 * be running, with a new main process, and none of its old processes may still be stale.
 */
import type { StepContext, StepType } from './step.js';
import type { StepResult } from '../model/results.js';
import { UnreachableError } from '../model/errors.js';
import type { HostFacts } from '../facts/types.js';
import { factsEffects } from '../facts/effects.js';
import { execFailure, runRemoteScript, toStepResult, type ResultParts } from './remote-script.js';
import { describePlan, planRestarts, RESTARTABLE_NAME_RE, type PlannedRestart, type RestartPlan, type SkippedOwner } from './restart-plan.js';
import { parseRestartOutput, RESTART_SH, restartArgs, type RestartOutcome } from './restart-script.js';
import { stepResult } from './result.js';

export interface RestartServicesArgs {
  services?: string[];
  library_glob?: string;
  never_restart?: string[];
  replace_defaults?: boolean;
  verify?: boolean;
}

export interface RestartFailure { name: string; why: string }

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
    if (why) failures.push({ name: r.name, why });
  }
  return { restarted, failures, leftAlone };
}

function whyFailed(r: PlannedRestart, o: RestartOutcome | undefined, verify: Verification): string | null {
  if (!o) return 'not attempted (the restart script ended early)';
  if (o.refused !== undefined) return `not restarted: ${o.refused}`;
  if (o.rc !== 0) return `restart failed with exit code ${o.rc ?? 'unknown'}`;
  if (o.after !== 'active') return 'not running after the restart';
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
  if (failures.length) parts.push(`failed: ${failures.map((f) => `${f.name} (${f.why})`).join('; ')}`);
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

/** A step that gathered facts reports them (the report's stale list and reboot verdict come from them). */
function withFacts(result: StepResult, facts: HostFacts | undefined): StepResult {
  if (facts) result.effects = { ...(result.effects ?? {}), ...factsEffects(facts) };
  return result;
}

function badArgs(args: RestartServicesArgs): string | null {
  const bad = stringList(args.services).find((s) => !RESTARTABLE_NAME_RE.test(s));
  if (bad !== undefined) return `invalid service name: ${JSON.stringify(bad)}`;
  if (args.services !== undefined && !Array.isArray(args.services)) return 'services must be a list of names';
  if (args.never_restart !== undefined && !Array.isArray(args.never_restart)) return 'never_restart must be a list of globs';
  return null;
}

async function runRestartServices(ctx: StepContext, rawArgs: RestartServicesArgs | null | undefined): Promise<StepResult> {
  const args = rawArgs ?? {};
  const started = Date.now();
  const invalid = badArgs(args);
  if (invalid) return stepResult({ status: 'failed', cause: 'bad-argument', message: invalid });
  const fresh = ctx.facts.peek() === undefined;
  const facts = await ctx.facts.get();
  const plan = planRestarts(facts, {
    services: stringList(args.services),
    libraryGlob: args.library_glob ?? '',
    neverRestart: stringList(args.never_restart),
    replaceDefaults: args.replace_defaults === true,
  });
  const durationMs = (): number => Date.now() - started;
  if (ctx.check || plan.restart.length === 0) {
    const parts = summarizeRestarts(plan, { restarted: [], failures: [], leftAlone: [] });
    const message = ctx.check ? `check mode: ${describePlan(plan)}` : parts.message;
    const status = ctx.check && plan.restart.length ? 'skipped' : 'ok';
    return withFacts(stepResult({ status, changed: false, message, durationMs: durationMs(), data: parts.data }), fresh ? facts : undefined);
  }
  ctx.progress?.(`restarting ${plan.restart.map((r) => r.name).join(', ')}`);
  // Without a task timeout, a hung init script still ends: 10 minutes for all the restarts.
  const exec = await runRemoteScript({ ...ctx, timeout: ctx.timeout ?? RESTART_TIMEOUT_S }, RESTART_SH, restartArgs(plan.restart));
  if (exec.exitCode !== 0 || exec.timedOut) return execFailure([exec], 'restart_services');
  const outcomes = parseRestartOutput(exec.stdout);
  const verify: Verification = {};
  const sshdRestarted = plan.restart.some((r) => r.sshd && outcomes.find((o) => o.name === r.name)?.rc === 0);
  if (sshdRestarted && ctx.transport.reconnect) {
    try {
      await ctx.transport.reconnect({ timeoutMs: 30_000, initialDelayMs: 200, maxDelayMs: 2000 });
    } catch (err) {
      verify.reconnectError = (err as Error).message;
    }
  }
  if (args.verify !== false && !verify.reconnectError) verify.facts = await ctx.facts.refresh();
  const judged = judgeRestarts(plan, outcomes, verify);
  const result = toStepResult([exec], summarizeRestarts(plan, judged));
  result.changed = judged.restarted.length > 0;
  result.durationMs = durationMs();
  if (verify.reconnectError) result.cause = 'reconnect-failed';
  return withFacts(result, verify.facts);
}

export const restartServicesStep: StepType<RestartServicesArgs | null | undefined> = {
  name: 'restart_services',
  supportsCheck: true,
  run: async (ctx, args) => {
    try {
      return await runRestartServices(ctx, args);
    } catch (err) {
      if (err instanceof UnreachableError) throw err;
      return stepResult({ status: 'failed', cause: 'probe-error', message: `restart_services: ${(err as Error).message}` });
    }
  },
};
