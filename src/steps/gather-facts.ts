/**
 * gather_facts: runs the facts probe in one round trip and reports what still runs old code
 * (effects.stale), whether the host needs a reboot and why (effects.rebootRequired/rebootReasons),
 * and the full HostFacts in data.facts. Read-only, so it runs the same in check mode.
 */
import type { StepContext, StepType } from './step.js';
import { readVariable } from '../expr/index.js';
import type { StaleProcess, StepResult } from '../model/results.js';
import { UnreachableError } from '../model/errors.js';
import { gatherFacts } from '../facts/gather.js';
import type { HostFacts } from '../facts/types.js';
import { stepResult } from './result.js';

export interface GatherFactsArgs {
  /** Extra core package names: installed after boot, they require a reboot. */
  core_extra?: string[];
  /** Only files matching this glob count as stale (the guide's `lsof /lib/libwrap.so*`). */
  library_glob?: string;
  /** Path prefixes or globs to ignore; replaces the defaults (/dev/, /tmp/, /run/, memfd:, SYSV…). */
  ignore?: string[];
}

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The plain StaleProcess list the report carries (without the facts-only fields). */
export function toStaleEffects(facts: HostFacts): StaleProcess[] {
  return facts.stale.map((s) => ({ pid: s.pid, command: s.command, user: s.user, owner: { ...s.owner }, files: [...s.files] }));
}

/** One line: what is stale and why a reboot is needed. */
export function summarizeFacts(facts: HostFacts): string {
  const owners = facts.stale.map((s) => `${s.owner.kind} ${s.owner.name}`);
  const stale = owners.length ? `${owners.length} stale: ${owners.slice(0, 6).join(', ')}${owners.length > 6 ? ', …' : ''}` : 'nothing stale';
  const reasons = facts.rebootReasons.filter((r) => r.kind !== 'pid1-stale').map((r) => r.kind);
  const reboot = facts.rebootRequired ? `reboot required (${[...new Set(reasons)].join(', ')})` : 'no reboot needed';
  const unknown = facts.unknown.length ? `; ${facts.unknown.length} unknown` : '';
  return `${stale}; ${reboot}${unknown}`;
}

export const gatherFactsStep: StepType<GatherFactsArgs | null | undefined> = {
  name: 'gather_facts',
  supportsCheck: true,
  async run(ctx: StepContext, args): Promise<StepResult> {
    const a = args ?? {};
    const started = Date.now();
    const coreExtra = [...stringList(a.core_extra), ...stringList(readVariable(ctx.vars, 'remedy_core_extra'))];
    const ignore = a.ignore ?? (Array.isArray(readVariable(ctx.vars, 'remedy_ignore_paths')) ? stringList(readVariable(ctx.vars, 'remedy_ignore_paths')) : undefined);
    let facts: HostFacts;
    try {
      facts = await gatherFacts(ctx.transport, {
        coreExtra,
        ...(a.library_glob ? { libraryGlob: a.library_glob } : {}),
        ...(ignore ? { ignore } : {}),
        ...(ctx.timeout ? { timeoutMs: ctx.timeout * 1000 } : {}),
        signal: ctx.signal,
      });
    } catch (err) {
      if (err instanceof UnreachableError) throw err;
      return stepResult({ status: 'failed', durationMs: Date.now() - started, message: `gather_facts: ${(err as Error).message}`, cause: 'probe-error' });
    }
    const incomplete = facts.unknown.find((u) => u.what === 'probe');
    const effects = {
      stale: toStaleEffects(facts),
      rebootRequired: facts.rebootRequired,
      rebootReasons: facts.rebootReasons.filter((r) => r.kind !== 'pid1-stale'),
    };
    return stepResult({
      status: incomplete ? 'failed' : 'ok',
      changed: false,
      durationMs: Date.now() - started,
      message: incomplete ? `gather_facts: ${incomplete.reason}` : summarizeFacts(facts),
      ...(incomplete ? { cause: 'probe-incomplete' } : {}),
      data: { facts },
      // Later steps (restart_services, reboot…) read the latest facts from the host variable remedy_facts.
      facts: { remedy_facts: facts },
      effects,
    });
  },
};
