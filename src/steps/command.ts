import type { StepType } from './step.js';
import { resultFromExec, skippedInCheck } from './result.js';
import { splitWords } from './split-words.js';
import { shellJoin, shellQuote } from '../transport/transport.js';

/** command: a program and its arguments, run without a shell. */
export type CommandArgs = string | string[] | { argv: string | string[]; chdir?: string; stdin?: string };

export function commandArgv(args: CommandArgs): { argv: string[]; chdir?: string; stdin?: string } {
  if (typeof args === 'string') return { argv: splitWords(args) };
  if (Array.isArray(args)) return { argv: args.map(String) };
  const argv = typeof args.argv === 'string' ? splitWords(args.argv) : args.argv.map(String);
  return { argv, chdir: args.chdir, stdin: args.stdin };
}

export const commandStep: StepType<CommandArgs> = {
  name: 'command',
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
