/**
 * gather_facts: runs the facts probe in one round trip and reports what still runs old code
 * (effects.stale), whether the host needs a reboot and why (effects.rebootRequired/rebootReasons),
 * and the full HostFacts in data.facts. Read-only, so it runs the same in check mode.
 */
import type { StepContext, StepType } from './step.js';
import type { StepResult } from '../model/results.js';
import { UnreachableError } from '../model/errors.js';
import { factsEffects, summarizeFacts } from '../facts/effects.js';
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

export const gatherFactsStep: StepType<GatherFactsArgs | null | undefined> = {
  name: 'gather_facts',
  supportsCheck: true,
  async run(ctx: StepContext, args): Promise<StepResult> {
    const a = args ?? {};
    const started = Date.now();
    let facts: HostFacts;
    try {
      facts = await ctx.facts.refresh({
        coreExtra: stringList(a.core_extra),
        ...(a.library_glob ? { libraryGlob: a.library_glob } : {}),
        ...(a.ignore ? { ignore: a.ignore } : {}),
      });
    } catch (err) {
      if (err instanceof UnreachableError) throw err;
      return stepResult({ status: 'failed', durationMs: Date.now() - started, message: `gather_facts: ${(err as Error).message}`, cause: 'probe-error' });
    }
    const incomplete = facts.unknown.find((u) => u.what === 'probe');
    return stepResult({
      status: incomplete ? 'failed' : 'ok',
      changed: false,
      durationMs: Date.now() - started,
      message: incomplete ? `gather_facts: ${incomplete.reason}` : summarizeFacts(facts),
      ...(incomplete ? { cause: 'probe-incomplete' } : {}),
      // Later steps read the latest facts through ctx.facts; playbooks through remedy_facts.
      data: { facts },
      effects: factsEffects(facts),
    });
  },
};
