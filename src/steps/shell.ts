import { Type, type Static } from '@sinclair/typebox';
import type { StepType } from './step.js';
import { Types } from './args.js';
import { resultFromExec, skippedInCheck } from './result.js';
import { shellQuote } from '../transport/transport.js';

/** shell: a POSIX sh script, with pipes, redirections and variables. */
export const ShellArgs = Types([
  Type.String({ minLength: 1 }),
  Type.Object({
    script: Type.String({ minLength: 1, description: 'The POSIX sh script to run.', errorMessage: 'script must be a non-empty string' }),
    chdir: Type.Optional(Type.String({ minLength: 1, description: 'Directory to run the script in.' })),
    stdin: Type.Optional(Type.String({ description: "Text written to the script's standard input." })),
  }, { additionalProperties: false }),
], {
  description: 'Runs a POSIX sh script on the host (`sh -c`): pipes, redirections and globs work. A string is the script; a mapping adds chdir and stdin. Exit code 0 is ok (changed unless changed_when says otherwise), anything else failed.',
  errorMessage: 'shell needs a non-empty script',
});
export type ShellArgs = Static<typeof ShellArgs>;

export const shellStep: StepType<ShellArgs> = {
  name: 'shell',
  args: ShellArgs,
  supportsCheck: false,
  async run(ctx, args) {
    const { script, chdir, stdin } = typeof args === 'string' ? { script: args } : args;
    if (ctx.check) return skippedInCheck(`run the script: ${script.trim().split('\n')[0]}`);
    const full = chdir ? `cd ${shellQuote(chdir)} || exit 1\n${script}` : script;
    const timeoutMs = ctx.timeout ? ctx.timeout * 1000 : undefined;
    return resultFromExec(await ctx.transport.exec({ script: full, stdin, timeoutMs, signal: ctx.signal }), ctx.timeout);
  },
};
