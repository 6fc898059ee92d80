/**
 * reboot: reboots the host when its facts say it needs one (a newer kernel, a core library installed
 * after boot, /run/reboot-required) or when forced, and proves it happened: the boot id read before
 * must change. The reboot is sent detached so the command returns cleanly; the connection is then
 * re-established (with backoff) until the host answers with a new boot id, the test command passes,
 * and the facts are gathered again (effects and `remedy_facts` from the fresh scan).
 * read (facts, boot id) → plan (pure: planReboot) → apply (send, wait, test, re-scan).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Type, type Static } from '@sinclair/typebox';
import type { HostFacts } from '../facts/types.js';
import type { ExecResult } from '../transport/transport.js';
import type { StepCause } from '../model/results.js';
import { rebootReasonsOf } from '../facts/effects.js';
import type { ResultParts } from './remote-script.js';
import { remediationStep, type Actor, type Decision, type PlanHost, type Remediation } from './remediation.js';
import { OrNull, Templated } from './args.js';
import { readBootId, runTestCommand, sendReboot, waitForNewBoot } from './reboot-wait.js';
import { runVeto } from './reboot-veto.js';

export const DEFAULT_REBOOT_TIMEOUT = 600;
const DEFAULT_MSG = 'Reboot initiated by remedy (security errata need a reboot)';

const delay = (description: string, name: string) => Type.Optional(Templated(Type.Number({
  description, minimum: 0, maximum: 3600, default: 0, errorMessage: `${name} must be a number of seconds`,
})));

export const RebootArgs = OrNull(Type.Object({
  force: Type.Optional(Templated(Type.Boolean({
    description: 'Reboot even when the facts say no reboot is needed. May be a {{ template }}.',
    default: false,
    errorMessage: 'force must be true or false',
  }))),
  reboot_timeout: Type.Optional(Templated(Type.Number({
    description: 'Seconds to wait, from sending the reboot, for the host to answer with a new boot id and pass the test command. May be a {{ template }}, e.g. "{{ reboot_timeout | default(600) }}".',
    exclusiveMinimum: 0,
    maximum: 86400,
    default: DEFAULT_REBOOT_TIMEOUT,
    errorMessage: 'reboot_timeout must be a number of seconds above 0',
  }))),
  pre_reboot_delay: delay('Seconds between sending the reboot and the host going down (at least 1 is always used, so the command that sends it can return). May be a {{ template }}.', 'pre_reboot_delay'),
  post_reboot_delay: delay('Seconds to wait once the host is back with a new boot id, before the test command (services still starting). May be a {{ template }}.', 'post_reboot_delay'),
  test_command: Type.Optional(Type.String({
    description: 'A shell command run on the host once it is back; it must exit 0, and is retried every second until reboot_timeout (e.g. `systemctl is-active sshd nginx`). Written by the playbook author, it runs as given.',
    minLength: 1,
    default: 'true',
  })),
  msg: Type.Optional(Type.String({
    description: 'The message sent to logged-in users (wall) and to syslog before the reboot.',
    default: DEFAULT_MSG,
  })),
  veto: Type.Optional(Type.String({
    description: 'A shell command run on the host just before the reboot (as kured\'s blockers), e.g. `pgrep -x borg` for "a backup is running". Exit 0 vetoes the reboot: the step is skipped with the reason and the host stays on the reboot list. Exit 1 lets the reboot go on; any other exit, a signal or 60 s without an answer also vetoes it. Not run in check mode.',
    minLength: 1,
  })),
}, { additionalProperties: false }), {
  description: 'Reboots the host when its facts say it needs one (a running kernel older than the newest installed, a core library such as glibc or systemd installed after boot, /run/reboot-required) or when forced; otherwise reports "no reboot needed". The boot id (/proc/sys/kernel/random/boot_id) is read first and must change: the reboot is sent detached (systemctl reboot, else shutdown -r now, else reboot), the connection is re-established with backoff until the host answers with a new boot id, the test command must pass, and the facts are gathered again, so the report shows what is still stale and whether a reboot is still required. A host that is not back within reboot_timeout fails with cause reboot-timeout. The local connection (the controller) is never rebooted unless force is true and the variable remedy_allow_local_reboot is true. In check mode it says whether it would reboot, and why, and touches nothing. Use it with serial and max_fail_percentage so a patch window never takes the whole fleet down at once.',
});
export type RebootArgs = Static<typeof RebootArgs>;

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
  | { action: 'would'; message: string; why: string }
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
  if (input.check) return { action: 'would', message: `check mode: would reboot (${why})`, why };
  return { action: 'reboot', why };
}

const reasonsOf = (facts: HostFacts): string[] => rebootReasonsOf(facts).map((r) => (r.detail ? `${r.kind}: ${r.detail}` : r.kind));

/** remedy_allow_local_reboot as a playbook or -e sets it (true, or "true"/"yes"/"1"/"on"). */
const truthy = (v: unknown): boolean => v === true || (typeof v === 'string' && /^(true|yes|1|on)$/i.test(v.trim()));

/** What sending the reboot and waiting for the host came to. */
export type RebootOutcome =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; vetoed: string; output: ExecResult }
  | { ok: false; cause: StepCause; message: string; data?: Record<string, unknown>; output?: ExecResult };

/** Pure: reboot when the facts (or force) say so; the local connection only when explicitly allowed. */
export function decideReboot(facts: HostFacts, args: RebootArgs, host: PlanHost): Decision<RebootPlanned> {
  const plan = planReboot({
    rebootRequired: facts.rebootRequired,
    reasons: reasonsOf(facts),
    force: args?.force === true,
    check: host.check,
    local: host.connection.kind === 'local',
    allowLocal: host.options.allowLocalReboot,
  });
  if (plan.action === 'none') return { done: { status: 'ok', message: plan.message } };
  if (plan.action === 'refuse') return { done: { status: 'failed', cause: 'local-reboot-refused', message: plan.message } };
  const unless = args?.veto ? ` unless \`${args.veto}\` vetoes it` : '';
  return { act: { why: plan.why }, would: `reboot (${plan.why})${unless}` };
}

export interface RebootPlanned { why: string }

/** Read the boot id, send the reboot detached, wait for a new boot id, run the test command. */
async function sendAndWait(act: Actor, plan: RebootPlanned, args: RebootArgs): Promise<RebootOutcome> {
  const ctx = act.ctx;
  const a = args ?? {};
  const timeout = a.reboot_timeout ?? DEFAULT_REBOOT_TIMEOUT;
  const before = await readBootId(ctx);
  if (!before.bootId) {
    return { ok: false, cause: 'boot-id-unreadable', message: `cannot read the boot id before rebooting: ${before.exec.stderr.trim() || `exit ${before.exec.exitCode}`}` };
  }
  if (a.veto) {
    const veto = await runVeto(ctx, a.veto);
    if (veto.verdict.veto) return { ok: false, vetoed: veto.verdict.why, output: veto.exec };
  }
  act.progress(`rebooting (${plan.why})`);
  const sent = await sendReboot(ctx, a.pre_reboot_delay ?? 0, a.msg ?? DEFAULT_MSG);
  if (sent.exitCode !== 0 || sent.timedOut) {
    return { ok: false, cause: 'reboot-not-sent', message: `could not send the reboot: ${sent.stderr.trim() || `exit ${sent.exitCode}`}` };
  }
  const sentAt = Date.now();
  const deadline = sentAt + timeout * 1000;
  act.progress(`waiting up to ${timeout}s for the host to come back`);
  const back = await waitForNewBoot(ctx, before.bootId, deadline);
  const downSeconds = Math.round((Date.now() - sentAt) / 100) / 10;
  const data: Record<string, unknown> = { bootIdBefore: before.bootId, reasons: plan.why, downSeconds };
  if (!back.ok) {
    const message = back.cause === 'reboot-timeout'
      ? `the host did not come back within ${timeout}s after the reboot (last: ${back.why})`
      : `the host did not come back after the reboot: ${back.why}`;
    return { ok: false, cause: back.cause, message, data };
  }
  data['bootIdAfter'] = back.bootId;
  const post = a.post_reboot_delay ?? 0;
  if (post > 0) await sleep(post * 1000, undefined, { signal: ctx.signal }).catch(() => undefined);
  const testCommand = a.test_command ?? 'true';
  const test = await runTestCommand(ctx, testCommand, Math.max(deadline, Date.now() + 1000));
  if (!test.ok) {
    return {
      ok: false, cause: 'test-command-failed', data, output: test.exec,
      message: `rebooted (new boot id), but the test command \`${testCommand}\` did not pass within ${timeout}s (${test.tries} tries; last exit ${test.exec.exitCode ?? 'none'})`,
    };
  }
  return { ok: true, data };
}

/** Pure: the result from the outcome and the facts gathered after the boot. */
export function judgeReboot(plan: RebootPlanned, outcome: RebootOutcome, after: HostFacts | undefined): ResultParts {
  if ('vetoed' in outcome) {
    const data = { vetoed: outcome.vetoed, reasons: plan.why };
    return { status: 'skipped', message: `reboot skipped: ${outcome.vetoed}; the host still needs a reboot (${plan.why})`, data, output: outcome.output };
  }
  if (!outcome.ok) {
    const { cause, message, data, output } = outcome;
    return { status: 'failed', cause, message, ...(data ? { data } : {}), ...(output ? { output } : {}) };
  }
  const still = !after ? '' : after.rebootRequired ? `; still needs a reboot (${reasonsOf(after).join('; ')})` : '; no reboot needed any more';
  return { status: 'changed', message: `rebooted in ${String(outcome.data['downSeconds'])}s (${plan.why})${still}`, data: outcome.data };
}

/** The step's parts, for remediate to reuse. */
export const reboot: Remediation<RebootArgs, HostFacts, RebootPlanned, RebootOutcome, HostFacts> = {
  name: 'reboot',
  args: RebootArgs,
  scan: (read) => read.facts.get(),
  plan: (facts, args, host) => decideReboot(facts, args, host),
  apply: sendAndWait,
  verify: (read, _plan, outcome) => (outcome.ok ? read.facts.refresh() : Promise.resolve(undefined)),
  judge: (plan, outcome, after) => judgeReboot(plan, outcome, after),
};

export const rebootStep = remediationStep(reboot);
