import { Type, type Static } from '@sinclair/typebox';
import type { StepType } from './step.js';
import { Types } from './args.js';
import { stepResult } from './result.js';
import { evaluateCondition, renderTemplate } from '../expr/index.js';

export const AssertArgs = Type.Object({
  that: Types([Type.String(), Type.Boolean(), Type.Array(Types([Type.String(), Type.Boolean()], { description: 'One expression.' }), { minItems: 1 })], {
    description: 'An expression, a boolean, or a list of those; all must be true. Bare expressions, e.g. `result.exitCode == 0`.',
    errorMessage: 'that needs at least one expression',
  }),
  fail_msg: Type.Optional(Type.String({ description: 'Message of the failure when an expression is false; may use {{ templates }}.' })),
  success_msg: Type.Optional(Type.String({ description: 'Message when all expressions are true; may use {{ templates }}.' })),
  quiet: Type.Optional(Type.Boolean({ description: 'When true, say nothing on success.' })),
}, {
  description: 'Checks expressions on the controller: ok when all are true, failed (with fail_msg) otherwise. Runs nothing on the host.',
  additionalProperties: false,
});
export type AssertArgs = Static<typeof AssertArgs>;

/** assert: every expression in `that` must be true, else the host fails with fail_msg. */
export const assertStep: StepType<AssertArgs> = {
  name: 'assert',
  args: AssertArgs,
  supportsCheck: true,
  rawArgs: ['that', 'fail_msg', 'success_msg'],
  async run(ctx, args) {
    const started = Date.now();
    const list = Array.isArray(args.that) ? args.that : [args.that];
    for (const item of list) {
      const expr = String(item);
      if (!evaluateCondition(expr, ctx.vars)) {
        const msg = args.fail_msg !== undefined ? String(renderTemplate(args.fail_msg, ctx.vars)) : `assertion failed: ${expr}`;
        return stepResult({ status: 'failed', message: msg, cause: 'assertion', durationMs: Date.now() - started, data: { assertion: expr } });
      }
    }
    const msg = args.success_msg !== undefined ? String(renderTemplate(args.success_msg, ctx.vars)) : 'all assertions passed';
    return stepResult({ status: 'ok', message: args.quiet ? undefined : msg, durationMs: Date.now() - started });
  },
};
