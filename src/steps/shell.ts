import type { StepType } from './step.js';
import { resultFromExec, skippedInCheck } from './result.js';
import { shellQuote } from '../transport/transport.js';

/** shell: a POSIX sh script, with pipes, redirections and variables. */
export type ShellArgs = string | { script: string; chdir?: string; stdin?: string };

export const shellStep: StepType<ShellArgs> = {
  name: 'shell',
  supportsCheck: false,
  async run(ctx, args) {
    const { script, chdir, stdin } = typeof args === 'string' ? { script: args } : args;
    if (ctx.check) return skippedInCheck(`run the script: ${script.trim().split('\n')[0]}`);
    const full = chdir ? `cd ${shellQuote(chdir)} || exit 1\n${script}` : script;
    const timeoutMs = ctx.timeout ? ctx.timeout * 1000 : undefined;
    return resultFromExec(await ctx.transport.exec({ script: full, stdin, timeoutMs, signal: ctx.signal }), ctx.timeout);
  },
};
