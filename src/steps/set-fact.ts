import type { StepType } from './step.js';
import { stepResult } from './result.js';

/** set_fact: variables for this host from here on (already templated by the engine). */
export const setFactStep: StepType<Record<string, unknown>> = {
  name: 'set_fact',
  supportsCheck: true,
  async run(_ctx, args) {
    return stepResult({ status: 'ok', facts: { ...args } });
  },
};
