import { Type } from '@sinclair/typebox';
import type { StepType } from './step.js';
import { stepResult } from './result.js';

export const SetFactArgs = Type.Unsafe<Record<string, unknown>>({
  description: 'Sets host variables for the rest of the run: a map of variable name to value. String values may use {{ templates }}, evaluated when the task runs.',
  type: 'object',
  minProperties: 1,
  errorMessage: 'set_fact needs at least one variable',
  propertyNames: Type.String({
    description: 'A variable name: a letter or underscore, then letters, digits or underscores.',
    pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
    errorMessage: 'expected a variable name (letters, digits and _, not starting with a digit)',
  }),
  additionalProperties: Type.Unknown({ description: 'The value: any YAML value; strings may use {{ templates }}.' }),
});

/** set_fact: variables for this host from here on (already templated by the engine). */
export const setFactStep: StepType<Record<string, unknown>> = {
  name: 'set_fact',
  args: SetFactArgs,
  supportsCheck: true,
  async run(_ctx, args) {
    return stepResult({ status: 'ok', facts: { ...args } });
  },
};
