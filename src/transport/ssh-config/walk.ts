/**
 * Walks loaded config files for one host as OpenSSH 9.2's read_config_file does: every line is
 * checked, Host and Match switch the lines after them on or off, an Include is read in place (its
 * files only parsed when the Include itself is off, and its own Host/Match lines never leaking out),
 * and an active line sets its option unless it is set already.
 */
import type { ConfigProblem } from '../../model/errors.js';
import { lookupKeyword } from './keywords.js';
import type { ConfigLine } from './lexer.js';
import type { ConfigEntry, ConfigFile } from './load.js';
import { evaluateMatch, type MatchInput } from './match.js';
import { matchPattern, matchPatternList } from './patterns.js';
import { applyValue } from './values.js';
import { expandValue, type LocalIdentity } from './tokens.js';
import type { OptionSet } from './options.js';

export interface WalkContext {
  /** What Host patterns are matched against: the host as given (the final pass: the final host name). */
  host: string;
  /** The host as given on the command line (or the inventory's address). */
  hostArg: string;
  final: boolean;
  local: LocalIdentity;
  services: (name: string) => number | undefined;
  exec?: (command: string) => number | null;
  /** Set when a `Match final` was read: OpenSSH then walks the files a second time. */
  wantFinal: boolean;
}

/** The problems of one file, as OpenSSH reports them when it terminates at its end. */
export class ConfigFileError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n'));
  }
}

interface State {
  active: boolean;
}

/** Walks one file; throws ConfigFileError with every bad line of the first file that has any. */
export function walkFile(file: ConfigFile, opts: OptionSet, ctx: WalkContext, state: State, neverMatch: boolean): void {
  if (file.error) throw new ConfigFileError([{ file: file.path, message: file.error }]);
  const problems: ConfigProblem[] = [];
  for (const entry of file.entries) {
    const message = processEntry(entry, file, opts, ctx, state, neverMatch);
    if (message) problems.push({ file: entry.file, line: entry.line, message });
  }
  if (problems.length > 0) throw new ConfigFileError(problems);
}

/** One line; the problem's message or undefined. */
function processEntry(entry: ConfigEntry, file: ConfigFile, opts: OptionSet, ctx: WalkContext, state: State, neverMatch: boolean): string | undefined {
  if (!('keyword' in entry)) return `no argument after keyword "${entry.missing}"`;
  const kw = lookupKeyword(entry.keyword);
  if (!kw) {
    const ignored = opts.get('ignoreunknown');
    if (ignored && matchPatternList(entry.keyword, ignored.value, true) === 1) return undefined;
    return `Bad configuration option: ${entry.keyword}`;
  }
  if (entry.args === null) return 'invalid quotes';
  switch (kw.kind) {
    case 'host':
      return processHost(entry.args, ctx, state, neverMatch);
    case 'match': {
      const r = evaluateMatch(entry.rest, matchInput(opts, ctx), ctx.exec);
      if ('error' in r) return `${r.error}: Bad Match condition`;
      if (r.wantFinal) ctx.wantFinal = true;
      state.active = neverMatch ? false : r.matched;
      return undefined;
    }
    case 'include':
      return processInclude(entry, file, opts, ctx, state);
    default:
      return applyValue(entry, kw, opts, state.active, { services: ctx.services, userConfig: file.user, commandLine: false });
  }
}

function processHost(args: string[], ctx: WalkContext, state: State, neverMatch: boolean): string | undefined {
  state.active = false;
  for (const arg of args) {
    if (arg === '') return 'keyword host empty argument';
    if (neverMatch) break;
    const negated = arg.startsWith('!');
    if (matchPattern(ctx.host, negated ? arg.slice(1) : arg)) {
      if (negated) {
        state.active = false;
        break;
      }
      state.active = true;
    }
  }
  return undefined;
}

function processInclude(entry: ConfigLine, file: ConfigFile, opts: OptionSet, ctx: WalkContext, state: State): string | undefined {
  for (const target of file.includes.get(entry.line) ?? []) {
    if (target.error) return target.error;
    const before = state.active;
    for (const included of target.files) {
      walkFile(included, opts, ctx, state, !before);
      // an included file's Host and Match lines do not change the including file's state
      state.active = before;
    }
  }
  return undefined;
}

/** What Match criteria see at this point: HostName so far (with %h), User so far, Port so far. */
function matchInput(opts: OptionSet, ctx: WalkContext): MatchInput {
  const hostName = opts.get('hostname');
  let host = ctx.hostArg;
  if (ctx.final) host = hostName?.value ?? ctx.hostArg;
  else if (hostName) {
    try {
      host = expandValue(hostName.value, { h: ctx.hostArg }, null);
    } catch {
      host = hostName.value;
    }
  }
  const port = Number(opts.get('port')?.value ?? 0);
  return {
    host,
    originalHost: ctx.hostArg,
    user: opts.get('user')?.value ?? ctx.local.user,
    port: port > 0 ? port : 22,
    hostKeyAlias: opts.get('hostkeyalias')?.value,
    final: ctx.final,
    local: ctx.local,
  };
}

/** `-o Keyword=value` options (always active, first value wins over the files); Host, Match and Include are refused. */
export function walkCommandLine(lines: ConfigLine[], opts: OptionSet, ctx: WalkContext): void {
  for (const entry of lines) {
    const kw = lookupKeyword(entry.keyword);
    let message: string | undefined;
    if (kw?.kind === 'host' || kw?.kind === 'match') message = 'Host directive not supported as a command-line option';
    else if (kw?.kind === 'include') message = 'Include directive not supported as a command-line option';
    else if (!kw) message = `Bad configuration option: ${entry.keyword}`;
    else if (entry.args === null) message = 'invalid quotes';
    else message = applyValue(entry, kw, opts, true, { services: ctx.services, userConfig: true, commandLine: true });
    if (message) throw new ConfigFileError([{ file: entry.file, line: entry.line, message }]);
  }
}
