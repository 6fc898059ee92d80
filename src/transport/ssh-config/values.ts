/**
 * Reading one keyword's arguments as OpenSSH 9.2's process_config_line does: the same checks and
 * messages (they apply to inactive lines too), then the value is kept when the line is active and
 * the option is not set yet.
 */
import type { Keyword } from './keywords.js';
import type { ConfigLine } from './lexer.js';
import { parseJump, toPort } from './jump.js';
import type { OptionSet } from './options.js';
import { checkDollarSyntax } from './tokens.js';
import { convtime, parseInteger } from './time.js';

const FLAGS: Record<string, string> = { yes: 'yes', true: 'yes', no: 'no', false: 'no' };

/** Where a line comes from: the user's files or the system's, or the command line. */
export interface LineSource {
  services: (name: string) => number | undefined;
  /** The user's configuration (or the command line), not the system's. */
  userConfig: boolean;
  commandLine: boolean;
}

/** Applies one line of a value keyword; the problem's message or undefined. */
export function applyValue(entry: ConfigLine, kw: Keyword, opts: OptionSet, active: boolean, src: LineSource): string | undefined {
  const { services, userConfig } = src;
  const args = entry.args ?? [];
  const arg = args[0];
  const where = { file: entry.file, line: entry.line };
  const set = (value: string, words?: string[]) => {
    if (active) opts.setFirst(kw.option, { ...where, value, ...(words ? { words } : {}) });
  };
  const extra = () => (args.length > 1 ? `keyword ${entry.keyword} extra arguments at end of line` : undefined);
  switch (kw.kind) {
    case 'string':
    case 'one': {
      if (!arg) return 'Missing argument.';
      const problem = kw.check?.(arg);
      if (problem) return problem;
      set(arg);
      return extra();
    }
    case 'many':
      set(args.join(' '), args);
      return undefined;
    case 'flag':
    case 'multistate': {
      if (!arg) return 'missing argument.';
      const lower = arg.toLowerCase();
      const value = kw.kind === 'flag' ? FLAGS[lower] : kw.states?.includes(lower) ? lower : undefined;
      if (value === undefined) return `unsupported option "${arg}".`;
      set(value);
      return extra();
    }
    case 'time': {
      if (!arg) return 'missing time value.';
      const value = arg === 'none' ? -1 : convtime(arg);
      if (value === -1 && arg !== 'none') return 'invalid time value.';
      // -1 is also OpenSSH's "not set": a later line may still set it
      if (value !== -1) set(String(value));
      return extra();
    }
    case 'int': {
      const n = parseInteger(arg);
      if (typeof n === 'string') return `integer value ${n}.`;
      set(String(n));
      return extra();
    }
    case 'port': {
      if (!arg) return 'Missing argument.';
      const port = toPort(arg, services);
      if (port <= 0) return `Bad port '${arg}'.`;
      set(String(port));
      return extra();
    }
    case 'identity':
      if (!arg) return 'Missing argument.';
      if (active) {
        const list = kw.option === 'certificatefile' ? opts.certificateFiles : opts.identityFiles;
        opts.addFile(list, { ...where, path: arg, userProvided: userConfig });
      }
      return extra();
    case 'files': {
      const fresh = !opts.has(kw.option);
      for (let i = 0; i < args.length; i++) {
        if (args[i] === '') return `keyword ${entry.keyword} empty argument`;
        if (args[i]?.toLowerCase() === 'none' && args.length > 1) return `keyword ${entry.keyword} "none" argument must appear alone.`;
      }
      if (args.length > 16) return `too many ${entry.keyword} entries.`;
      if (fresh) set(args.join(' '), args);
      return undefined;
    }
    case 'command':
      // a ProxyJump set before has set ProxyCommand to none: the first of the two wins
      set(entry.rest.replace(/^[ \t\r\n=]+/, ''));
      return undefined;
    case 'jump': {
      const text = entry.rest.replace(/^[ \t\r\n=]+/, '');
      const jump = parseJump(text, services, src.commandLine);
      if (!jump) return `Invalid ProxyJump "${text}"`;
      if (jump.none) {
        if (active && !opts.jump) opts.jump = { ...jump, ...where };
      } else if (active && !opts.has('proxycommand') && !opts.jump) {
        opts.jump = { ...jump, ...where };
        opts.setFirst('proxycommand', { ...where, value: 'none' });
      }
      return undefined;
    }
    case 'agent': {
      if (!arg) return 'Missing argument.';
      if (checkDollarSyntax(arg)) return `Invalid environment expansion ${arg}.`;
      if (arg.startsWith('$') && arg[1] !== '{' && !/^[A-Za-z0-9_]+$/.test(arg.slice(1))) return `Invalid environment name ${arg}.`;
      set(arg);
      return extra();
    }
    default:
      return undefined;
  }
}
