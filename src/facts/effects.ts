/** What a host's facts put in its report: the stale processes and the reboot verdict (one place). */
import type { RebootReason, StaleProcess, StepEffects } from '../model/results.js';
import type { NeverRestartOptions } from './never-restart.js';
import { verdictOf } from './reboot-verdict.js';
import type { HostFacts } from './types.js';

/** The plain StaleProcess list the report carries (without the facts-only fields). */
export function toStaleEffects(facts: HostFacts): StaleProcess[] {
  return facts.stale.map((s) => ({ pid: s.pid, command: s.command, user: s.user, owner: { ...s.owner }, files: [...s.files] }));
}

/**
 * The reasons the report carries: those that need a reboot and the kernel-livepatched note (a pending
 * kernel that can wait, shown even when no reboot is needed); a stale PID 1 is left out (daemon_reexec).
 */
export function rebootReasonsOf(facts: Pick<HostFacts, 'rebootReasons'>): RebootReason[] {
  return facts.rebootReasons.filter((r) => r.kind !== 'pid1-stale');
}

/** The report's reboot verdict of facts judged with a step's own never-restart list (restart_services). */
export function verdictEffects(facts: HostFacts, opts: NeverRestartOptions): StepEffects {
  const v = verdictOf(facts, opts);
  return { rebootRequired: v.rebootRequired, rebootReasons: rebootReasonsOf({ rebootReasons: v.reasons }) };
}

/** The report's view of fresh facts: replaces the host's stale list and reboot verdict. */
export function factsEffects(facts: HostFacts): StepEffects {
  return { stale: toStaleEffects(facts), rebootRequired: facts.rebootRequired, rebootReasons: rebootReasonsOf(facts) };
}

/** One line: what is stale and why a reboot is needed. */
export function summarizeFacts(facts: HostFacts): string {
  const owners = facts.stale.map((s) => `${s.owner.kind} ${s.owner.name}`);
  const stale = owners.length ? `${owners.length} stale: ${owners.slice(0, 6).join(', ')}${owners.length > 6 ? ', …' : ''}` : 'nothing stale';
  const reasons = rebootReasonsOf(facts).map((r) => r.kind);
  const waits = reasons.includes('kernel-livepatched') ? ' (kernel-livepatched: the reboot can wait)' : '';
  const reboot = facts.rebootRequired ? `reboot required (${[...new Set(reasons)].join(', ')})` : `no reboot needed${waits}`;
  // A process scan that did not finish makes "nothing stale" unreliable: say why, not only how many.
  const blind = facts.unknown.find((u) => u.what === 'processes');
  const unknown = facts.unknown.length ? `; ${facts.unknown.length} unknown${blind ? ` (${blind.reason})` : ''}` : '';
  return `${stale}; ${reboot}${unknown}`;
}
