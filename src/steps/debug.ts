import type { StepType } from './step.js';
import { stepResult } from './result.js';
import { evaluate } from '../expr/index.js';

export type DebugArgs = { msg: unknown } | { var: string };

export function describeValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** debug: print a message or a variable's value in the run's output. */
export const debugStep: StepType<DebugArgs> = {
  name: 'debug',
  supportsCheck: true,
  rawArgs: ['var'],
  async run(ctx, args) {
    if ('var' in args) {
      const value = evaluate(args.var, ctx.vars);
      return stepResult({ status: 'ok', message: `${args.var} = ${describeValue(value)}`, data: { value } });
    }
    return stepResult({ status: 'ok', message: describeValue(args.msg), data: { msg: args.msg } });
  },
};
