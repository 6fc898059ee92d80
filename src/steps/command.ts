import { Type, type Static } from '@sinclair/typebox';
import type { StepType } from './step.js';
import { Types } from './args.js';
import { resultFromExec, skippedInCheck } from './result.js';
import { splitWords } from './split-words.js';
import { shellJoin, shellQuote } from '../transport/transport.js';

/** command: a program and its arguments, run without a shell. */
export const CommandArgs = Types([
  Type.String({ minLength: 1 }),
  Type.Array(Type.String({ description: 'One argument; the first is the program (looked up in PATH).' }), { minItems: 1 }),
  Type.Object({
    argv: Types([Type.String({ minLength: 1 }), Type.Array(Type.String({ description: 'One argument.' }), { minItems: 1 })], {
      description: 'The command line: a string split into words as a shell would (quotes respected, nothing expanded), or a list of arguments.',
      errorMessage: 'argv must be a non-empty string or list of strings',
    }),
    chdir: Type.Optional(Type.String({ minLength: 1, description: 'Directory to run the program in.' })),
    stdin: Type.Optional(Type.String({ description: "Text written to the program's standard input." })),
  }, { additionalProperties: false }),
], {
  description: 'Runs a program directly, without a shell: no pipes, redirections, globs or variable expansion. A string is split into words as a shell would (quotes respected, nothing expanded); a list gives the argv as is; a mapping adds chdir and stdin. Exit code 0 is ok (changed unless changed_when says otherwise), anything else failed.',
  errorMessage: 'command needs a program to run: a non-empty string, a non-empty list of strings, or {argv: …}',
});
export type CommandArgs = Static<typeof CommandArgs>;

export function commandArgv(args: CommandArgs): { argv: string[]; chdir?: string; stdin?: string } {
  if (typeof args === 'string') return { argv: splitWords(args) };
  if (Array.isArray(args)) return { argv: args.map(String) };
  const argv = typeof args.argv === 'string' ? splitWords(args.argv) : args.argv.map(String);
  return { argv, chdir: args.chdir, stdin: args.stdin };
}

export const commandStep: StepType<CommandArgs> = {
  name: 'command',
  args: CommandArgs,
  supportsCheck: false,
  async run(ctx, args) {
    const { argv, chdir, stdin } = commandArgv(args);
    if (ctx.check) return skippedInCheck(`run ${shellJoin(argv)}`);
    const timeoutMs = ctx.timeout ? ctx.timeout * 1000 : undefined;
    const req = chdir
      ? { script: `cd ${shellQuote(chdir)} && exec ${shellJoin(argv)}`, stdin, timeoutMs, signal: ctx.signal }
      : { argv, stdin, timeoutMs, signal: ctx.signal };
    return resultFromExec(await ctx.transport.exec(req), ctx.timeout);
  },
};
