import { Type, type Static } from '@sinclair/typebox';
import type { StepType } from './step.js';
import { OrNull } from './args.js';
import { stepResult } from './result.js';

export const FailArgs = OrNull(Type.Object({
  msg: Type.Optional(Type.String({ description: "Why the host fails; may use {{ templates }}. Default: 'failed as requested by the playbook'." })),
}, { additionalProperties: false }), { description: 'Fails the host on purpose, with a message (usually together with `when`).' });
export type FailArgs = Static<typeof FailArgs>;

/** fail: stop this host here with a message. */
export const failStep: StepType<FailArgs> = {
  name: 'fail',
  args: FailArgs,
  supportsCheck: true,
  async run(_ctx, args) {
    return stepResult({ status: 'failed', message: args?.msg ?? 'failed as requested by the playbook', cause: 'fail' });
  },
};
