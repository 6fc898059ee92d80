/**
 * reboot: reboots the host when its facts say it needs one (a newer kernel, a core library installed
 * after boot, /run/reboot-required) or when forced, and proves it happened: the boot id read before
 * must change. The reboot is sent detached so the command returns cleanly; the connection is then
 * re-established (with backoff) until the host answers with a new boot id, the test command passes,
 * and the facts are gathered again (effects and `remedy_facts` from the fresh scan).
 * read (facts, boot id) → plan (pure: planReboot) → apply (send, wait, test, re-scan).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { StepContext, StepType } from './step.js';
import type { StepResult } from '../model/results.js';
import { UnreachableError } from '../model/errors.js';
import type { HostFacts } from '../facts/types.js';
import { factsEffects, rebootReasonsOf } from '../facts/effects.js';
import { stepResult } from './result.js';
import { readBootId, runTestCommand, sendReboot, waitForNewBoot } from './reboot-wait.js';

export interface RebootArgs {
  /** Reboot even when the facts say no reboot is needed. */
  force?: boolean;
  /** Seconds to wait for the host to come back with a new boot id (default 600). */
  reboot_timeout?: number;
  /** Seconds between sending the reboot and the host going down (default 0; at least 1 is used). */
  pre_reboot_delay?: number;
  /** Seconds to wait once the host is back, before the test command (default 0). */
  post_reboot_delay?: number;
  /** Shell command that must exit 0 once the host is back (retried until reboot_timeout; default "true"). */
  test_command?: string;
  /** Told to logged-in users (wall) and syslog before the reboot. */
  msg?: string;
}

export const DEFAULT_REBOOT_TIMEOUT = 600;
const DEFAULT_MSG = 'Reboot initiated by remedy (security errata need a reboot)';

/** What the planner needs to know, read from the facts and the connection. */
export interface RebootInput {
  rebootRequired: boolean;
  reasons: string[];
  force: boolean;
  check: boolean;
  local: boolean;
  allowLocal: boolean;
}

export type RebootPlan =
  | { action: 'none'; message: string }
  | { action: 'refuse'; message: string }
  | { action: 'would'; message: string }
  | { action: 'reboot'; why: string };

/** Pure: whether to reboot, and the words for it. */
export function planReboot(input: RebootInput): RebootPlan {
  const why = input.rebootRequired
    ? input.reasons.length ? input.reasons.join('; ') : 'the facts say a reboot is required'
    : 'forced';
  if (!input.rebootRequired && !input.force) return { action: 'none', message: 'no reboot needed' };
  if (input.local && !(input.force && input.allowLocal)) {
    return {
      action: 'refuse',
      message: `refusing to reboot the local machine (the controller) (${why}): set force: true and the variable remedy_allow_local_reboot=true to allow it`,
    };
  }
  if (input.check) return { action: 'would', message: `check mode: would reboot (${why})` };
  return { action: 'reboot', why };
}

const reasonsOf = (facts: HostFacts): string[] => rebootReasonsOf(facts).map((r) => (r.detail ? `${r.kind}: ${r.detail}` : r.kind));

/** A positive number of seconds from an argument that may arrive as a templated string. */
function seconds(v: unknown, fallback: number): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : fallback;
}

const truthy = (v: unknown): boolean => v === true || (typeof v === 'string' && /^(true|yes|1|on)$/i.test(v.trim()));

async function runReboot(ctx: StepContext, rawArgs: RebootArgs | null | undefined): Promise<StepResult> {
  const args = rawArgs ?? {};
  const started = Date.now();
  const took = (): number => Date.now() - started;
  const facts = await ctx.facts.get();
  const plan = planReboot({
    rebootRequired: facts.rebootRequired,
    reasons: reasonsOf(facts),
    force: truthy(args.force),
    check: ctx.check,
    local: ctx.connection.kind === 'local',
    allowLocal: ctx.options.allowLocalReboot,
  });
  if (plan.action === 'none') return stepResult({ status: 'ok', message: plan.message, durationMs: took() });
  if (plan.action === 'would') return stepResult({ status: 'skipped', message: plan.message, durationMs: took() });
  if (plan.action === 'refuse') return stepResult({ status: 'failed', cause: 'local-reboot-refused', message: plan.message, durationMs: took() });

  const timeout = seconds(args.reboot_timeout, DEFAULT_REBOOT_TIMEOUT);
  const before = await readBootId(ctx);
  if (!before.bootId) {
    return stepResult({ status: 'failed', cause: 'boot-id-unreadable', durationMs: took(), message: `cannot read the boot id before rebooting: ${before.exec.stderr.trim() || `exit ${before.exec.exitCode}`}` });
  }
  const bootIdBefore = before.bootId;
  ctx.progress?.(`rebooting (${plan.why})`);
  const sent = await sendReboot(ctx, seconds(args.pre_reboot_delay, 0), args.msg ?? DEFAULT_MSG);
  if (sent.exitCode !== 0 || sent.timedOut) {
    return stepResult({ status: 'failed', cause: 'reboot-not-sent', durationMs: took(), message: `could not send the reboot: ${sent.stderr.trim() || `exit ${sent.exitCode}`}` });
  }
  const sentAt = Date.now();
  const deadline = sentAt + timeout * 1000;
  ctx.progress?.(`waiting up to ${timeout}s for the host to come back`);
  const back = await waitForNewBoot(ctx, bootIdBefore, deadline);
  const downSeconds = Math.round((Date.now() - sentAt) / 100) / 10;
  const data: Record<string, unknown> = { bootIdBefore, reasons: plan.why, downSeconds };
  if (!back.ok) {
    const message = back.cause === 'reboot-timeout'
      ? `the host did not come back within ${timeout}s after the reboot (last: ${back.why})`
      : `the host did not come back after the reboot: ${back.why}`;
    return stepResult({ status: 'failed', cause: back.cause, durationMs: took(), message, data });
  }
  data['bootIdAfter'] = back.bootId;
  const post = seconds(args.post_reboot_delay, 0);
  if (post > 0) await sleep(post * 1000, undefined, { signal: ctx.signal }).catch(() => undefined);
  const testCommand = args.test_command ?? 'true';
  const test = await runTestCommand(ctx, testCommand, Math.max(deadline, Date.now() + 1000));
  if (!test.ok) {
    return stepResult({
      status: 'failed', cause: 'test-command-failed', durationMs: took(), data, stdout: test.exec.stdout, stderr: test.exec.stderr,
      exitCode: test.exec.exitCode,
      message: `rebooted (new boot id), but the test command \`${testCommand}\` did not pass within ${timeout}s (${test.tries} tries; last exit ${test.exec.exitCode ?? 'none'})`,
    });
  }
  let after: HostFacts;
  try {
    after = await ctx.facts.refresh();
  } catch (err) {
    if (err instanceof UnreachableError) throw err;
    return stepResult({ status: 'failed', cause: 'probe-error', durationMs: took(), data, message: `rebooted, but gathering the facts again failed: ${(err as Error).message}` });
  }
  const still = after.rebootRequired ? `; still needs a reboot (${reasonsOf(after).join('; ')})` : '; no reboot needed any more';
  return stepResult({
    status: 'changed',
    durationMs: took(),
    message: `rebooted in ${downSeconds}s (${plan.why})${still}`,
    data,
    effects: factsEffects(after),
  });
}

export const rebootStep: StepType<RebootArgs | null | undefined> = {
  name: 'reboot',
  supportsCheck: true,
  run: runReboot,
};
