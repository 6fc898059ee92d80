/**
 * recheck: gather the facts again at the end of a play, so the report's stale list and reboot verdict
 * show what still runs old code after remediation. Same arguments and result as gather_facts
 * (data.facts, the host's facts kept for later steps, effects.stale/rebootRequired/rebootReasons); read-only.
 */
import type { Static } from '@sinclair/typebox';
import type { StepType } from './step.js';
import { OrNull } from './args.js';
import { gatherFactsStep, GatherFactsOptions } from './gather-facts.js';

export const RecheckArgs = OrNull(GatherFactsOptions, {
  description: "Gathers the facts again, usually as a play's last task, so that the report's stale list and reboot verdict show what still runs old code after the remediation steps. The same read-only probe and arguments as gather_facts; the latest scan replaces the host's stale list and reboot verdict. Runs the same in check mode. Arguments are optional.",
});

export const recheckStep: StepType<Static<typeof RecheckArgs> | undefined> = {
  name: 'recheck',
  args: RecheckArgs,
  supportsCheck: true,
  async run(ctx, args) {
    const result = await gatherFactsStep.run(ctx, args);
    if (result.message?.startsWith('gather_facts: ')) result.message = `recheck: ${result.message.slice('gather_facts: '.length)}`;
    return result;
  },
};
