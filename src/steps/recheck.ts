/**
 * recheck: gather the facts again at the end of a play, so the report's stale list and reboot verdict
 * show what still runs old code after remediation. Same arguments and result as gather_facts
 * (data.facts, facts.remedy_facts, effects.stale/rebootRequired/rebootReasons); read-only.
 */
import type { StepType } from './step.js';
import { gatherFactsStep, type GatherFactsArgs } from './gather-facts.js';

export const recheckStep: StepType<GatherFactsArgs | null | undefined> = {
  name: 'recheck',
  supportsCheck: true,
  async run(ctx, args) {
    const result = await gatherFactsStep.run(ctx, args);
    if (result.message?.startsWith('gather_facts: ')) result.message = `recheck: ${result.message.slice('gather_facts: '.length)}`;
    return result;
  },
};
