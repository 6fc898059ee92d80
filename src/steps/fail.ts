import type { StepType } from './step.js';
import { stepResult } from './result.js';

/** fail: stop this host here with a message. */
export const failStep: StepType<{ msg?: string } | null> = {
  name: 'fail',
  supportsCheck: true,
  async run(_ctx, args) {
    return stepResult({ status: 'failed', message: args?.msg ?? 'failed as requested by the playbook', cause: 'fail' });
  },
};
