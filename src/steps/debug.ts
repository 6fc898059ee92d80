import { Type, type Static } from '@sinclair/typebox';
import type { StepType } from './step.js';
import { stepResult } from './result.js';
import { evaluate } from '../expr/index.js';

/** Exactly one of msg or var (minProperties and maxProperties 1). */
export const DebugArgs = Type.Object({
  msg: Type.Optional(Type.Unknown({ description: 'What to print: any value; strings may use {{ templates }}.' })),
  var: Type.Optional(Type.String({
    description: "The name of a variable whose value to print (dots for fields, e.g. `result.stdout`).",
    pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+|\\[[^\\]]+\\])*$',
    errorMessage: 'var must be a variable name such as result.stdout',
  })),
}, {
  description: "Prints a message or a variable's value in the output (and the report). Exactly one of msg or var.",
  minProperties: 1,
  maxProperties: 1,
  errorMessage: "debug takes exactly one of 'msg' or 'var'",
  additionalProperties: false,
});
export type DebugArgs = Static<typeof DebugArgs>;

export function describeValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** debug: print a message or a variable's value in the run's output. */
export const debugStep: StepType<DebugArgs> = {
  name: 'debug',
  args: DebugArgs,
  supportsCheck: true,
  rawArgs: ['var'],
  async run(ctx, args) {
    if (args.var !== undefined) {
      const value = evaluate(args.var, ctx.vars);
      return stepResult({ status: 'ok', message: `${args.var} = ${describeValue(value)}`, data: { value } });
    }
    return stepResult({ status: 'ok', message: describeValue(args.msg), data: { msg: args.msg } });
  },
};
