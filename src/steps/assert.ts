import type { StepType } from './step.js';
import { stepResult } from './result.js';
import { evaluateCondition, renderTemplate } from '../expr/index.js';

export interface AssertArgs {
  that: string | boolean | Array<string | boolean>;
  fail_msg?: string;
  success_msg?: string;
  quiet?: boolean;
}

/** assert: every expression in `that` must be true, else the host fails with fail_msg. */
export const assertStep: StepType<AssertArgs> = {
  name: 'assert',
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
