/**
 * Regular expressions and globs a user writes (kill_processes patterns, ~regex host patterns, library
 * and never-restart globs, ignore globs) are matched by RE2 (re2js): linear time in the text, whatever
 * the pattern, so `(a+)+$` against a long process name cannot hang the controller. RE2 has no
 * backreferences and no lookaround; such a pattern is refused with the reason.
 */
import { RE2JS } from 're2js';

export interface SafeRegex {
  /** True when the pattern matches somewhere in text (anchors in the pattern are honoured). */
  test(text: string): boolean;
}

export interface RegexFlags { ignoreCase?: boolean; multiline?: boolean; dotAll?: boolean }

/** Compiled expressions by flags and source: the same globs are compiled for every host and scan. */
const compiled = new Map<string, RE2JS>();
const COMPILED_MAX = 512;

/** Compiles a regular expression for RE2; throws an Error whose message says what RE2 refused. */
export function compileSafeRegex(source: string, flags: RegexFlags = {}): SafeRegex {
  const f = (flags.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) | (flags.multiline ? RE2JS.MULTILINE : 0) | (flags.dotAll ? RE2JS.DOTALL : 0);
  const key = `${f}:${source}`;
  let re = compiled.get(key);
  if (!re) {
    try {
      re = RE2JS.compile(source, f);
    } catch (err) {
      const why = (err as Error).message.replace(/^error parsing regexp: /, '');
      throw new Error(`${why} (regular expressions are matched by RE2: no backreferences or lookaround)`);
    }
    if (compiled.size >= COMPILED_MAX) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, re);
  }
  const matcher = re;
  return { test: (text) => matcher.matcher(text).find() };
}

const SPECIAL = /[\\.+*?()|[\]{}^$]/g;
const quote = (s: string): string => s.replace(SPECIAL, '\\$&');

/** Matches nothing (Python's fnmatch turns an empty class into this). */
const NEVER = '[^\\x00-\\x{10FFFF}]';

/**
 * The [...] class that starts after index i: RE2 source and where it ends; undefined when it never
 * closes. `!` negates; a leading `^` negates in path globs and is literal in fnmatch.
 */
function readClass(glob: string, i: number, mode: 'path' | 'fnmatch'): { re: string; end: number } | undefined {
  let j = i;
  if (glob[j] === '!' || (mode === 'path' && glob[j] === '^')) j++;
  if (glob[j] === ']') j++;
  while (j < glob.length && glob[j] !== ']') j++;
  if (j >= glob.length) return undefined;
  let body = glob.slice(i, j).replace(/\\/g, '\\\\').replace(/\[/g, '\\[');
  if (body.startsWith('!') || (mode === 'path' && body.startsWith('^'))) body = `^${body.slice(1)}`;
  else if (body.startsWith('^')) body = `\\${body}`;
  return { re: body === '' ? NEVER : body === '^' ? '.' : `[${body}]`, end: j };
}

/**
 * A glob as RE2 source, anchored at both ends. `path` semantics: `*` and `?` stop at '/', `**` crosses
 * it, `{a,b}` alternates; otherwise (Python's fnmatch, for host patterns) `*` matches anything.
 */
export function globToRe2(glob: string, mode: 'path' | 'fnmatch'): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      const double = glob[i + 1] === '*';
      if (double) i++;
      out += mode === 'path' && !double ? '[^/]*' : '.*';
    } else if (c === '?') out += mode === 'path' ? '[^/]' : '.';
    else if (c === '[') {
      const cls = readClass(glob, i + 1, mode);
      if (!cls) out += '\\[';
      else { out += cls.re; i = cls.end; }
    } else if (mode === 'path' && c === '{') { out += '(?:'; braces++; }
    else if (mode === 'path' && c === '}' && braces > 0) { out += ')'; braces--; }
    else if (mode === 'path' && c === ',' && braces > 0) out += '|';
    else if (mode === 'path' && c === '\\' && i + 1 < glob.length) out += quote(glob[++i] as string);
    else out += quote(c);
  }
  if (braces > 0) throw new Error(`unclosed '{' in the glob ${JSON.stringify(glob)}`);
  return `^(?:${out})$`;
}

/**
 * A path glob as a predicate (dot files match, as picomatch with dot: true). With basename, a glob
 * without a slash is matched against the last part of the path.
 */
export function compileGlob(glob: string, opts: { basename?: boolean } = {}): (path: string) => boolean {
  const test = globTest(glob);
  if (!opts.basename || glob.includes('/')) return test;
  return (path) => test(path.slice(path.lastIndexOf('/') + 1));
}

/**
 * A path glob's test: plain string comparisons for the common shapes (a literal, a literal then one
 * `*`: most never-restart and ignore globs), RE2 for the rest. Same answers, without a regex per path.
 */
function globTest(glob: string): (path: string) => boolean {
  const star = glob.endsWith('*') && !glob.endsWith('\\*') && !glob.endsWith('**');
  const literal = literalOf(star ? glob.slice(0, -1) : glob);
  if (literal !== undefined && !star) return (path) => path === literal;
  if (literal !== undefined) return (path) => path.startsWith(literal) && !path.includes('/', literal.length);
  const re = compileSafeRegex(globToRe2(glob, 'path'), { dotAll: true });
  return (path) => re.test(path);
}

/** The text a path glob without wildcards matches (backslash escapes undone); undefined when it has any. */
function literalOf(glob: string): string | undefined {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '\\' && i + 1 < glob.length) out += glob[++i];
    else if ('*?[{}'.includes(c)) return undefined;
    else out += c;
  }
  return out;
}

/**
 * Why a pattern may not select processes (kill_processes): RE2 refuses it, or it matches every command
 * line (it matches an empty one: "all" is never a selection). Undefined when it may.
 */
export function refuseProcessPattern(pattern: string): string | undefined {
  let re: SafeRegex;
  try {
    re = compileSafeRegex(pattern);
  } catch (err) {
    return (err as Error).message;
  }
  return re.test('') ? 'it matches every command line (it matches an empty one): narrow it' : undefined;
}

/** JSON Schema formats for ajv: `process-pattern` checks a kill_processes pattern as above. */
export const SAFE_MATCH_FORMATS = {
  'process-pattern': (s: string): boolean => refuseProcessPattern(s) === undefined,
};
