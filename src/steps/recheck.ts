/**
 * recheck: gather the facts again at the end of a play, so the report's stale list and reboot verdict
 * show what still runs old code after remediation. Same arguments and result as gather_facts
 * (data.facts, the host's facts kept for later steps, effects.stale/rebootRequired/rebootReasons); read-only.
 */
import type { Static } from '@sinclair/typebox';
import type { StepType } from './step.js';
import { OrNull } from './args.js';
import { GatherFactsOptions, runScan } from './gather-facts.js';

export const RecheckArgs = OrNull(GatherFactsOptions, {
  description: "Gathers the facts again, usually as a play's last task, so that the report's stale list and reboot verdict show what still runs old code after the remediation steps. The same read-only probe and arguments as gather_facts; the latest scan replaces the host's stale list and reboot verdict. When no step has changed the host (or may have: a changed or failed task) since the last scan with the same settings, that scan is kept instead of probing the host again (data.reused is true). Runs the same in check mode. Arguments are optional.",
});

export const recheckStep: StepType<Static<typeof RecheckArgs> | undefined> = {
  name: 'recheck',
  args: RecheckArgs,
  supportsCheck: true,
  run: (ctx, args) => runScan('recheck', ctx, args, (facts, o) => facts.current(o)),
};
