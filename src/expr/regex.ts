/**
 * Regular expressions written in playbooks (match, search, regex_replace, regex_search…).
 *
 * Python syntax is accepted where it differs cheaply: (?P<name>…), (?P=name), \A, \Z and leading
 * inline flags (?i) (?m) (?s). Replacements use Python's \1 and \g<name>.
 *
 * Guard against catastrophic backtracking (V8's engine backtracks; there is no linear engine by
 * default), kept cheap and predictable:
 *  - a pattern may be at most MAX_PATTERN_LENGTH characters;
 *  - a subject string may be at most MAX_SUBJECT_LENGTH characters (the transport keeps 1 MiB of output);
 *  - nested unbounded quantifiers are refused: a group that contains `*`, `+` or `{n,}` may not
 *    itself be followed by `*`, `+` or `{n,}` — `(a+)+`, `(\w*\s?)*`, `(x+y)+` are errors, while
 *    `(\d+\.){3}` and `(ab)+` are fine. This rejects the classic exponential shapes (star height
 *    above one); overlapping alternations such as `(a|a)*` are not detected.
 */
export const MAX_PATTERN_LENGTH = 500;
export const MAX_SUBJECT_LENGTH = 1024 * 1024;

export class RegexError extends Error {}

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 256;

function unboundedQuantifierAt(p: string, i: number): number {
  const c = p[i];
  if (c === '*' || c === '+') return 1;
  if (c === '{') {
    const m = /^\{\d*,\}/.exec(p.slice(i, i + 12));
    if (m) return m[0].length;
  }
  return 0;
}

/** Translates Python regex syntax and refuses nested unbounded quantifiers. */
function translate(pattern: string): { source: string; flags: string } {
  let flags = '';
  let p = pattern;
  const inline = /^\(\?([ims]+)\)/.exec(p);
  if (inline) {
    flags = [...new Set(inline[1]!)].join('');
    p = p.slice(inline[0].length);
  }
  let out = '';
  const groups: boolean[] = [];
  let inner = false; // does the current group contain an unbounded quantifier?
  for (let i = 0; i < p.length; i += 1) {
    const c = p[i]!;
    if (c === '\\') {
      const e = p[i + 1] ?? '';
      out += e === 'A' ? '^' : e === 'Z' ? '$(?![\\s\\S])' : `\\${e}`;
      i += 1;
    } else if (c === '[') {
      let j = i + 1;
      if (p[j] === '^') j += 1;
      if (p[j] === ']') j += 1;
      while (j < p.length && p[j] !== ']') j += p[j] === '\\' ? 2 : 1;
      out += p.slice(i, j + 1);
      i = j;
    } else if (c === '(') {
      groups.push(inner);
      inner = false;
      if (p.startsWith('(?P<', i)) {
        out += '(?<';
        i += 3;
      } else if (p.startsWith('(?P=', i)) {
        const end = p.indexOf(')', i);
        if (end < 0) throw new RegexError('unterminated (?P=name)');
        out += `\\k<${p.slice(i + 4, end)}>`;
        inner = groups.pop() ?? false;
        i = end;
      } else {
        out += c;
      }
    } else if (c === ')') {
      out += c;
      const q = unboundedQuantifierAt(p, i + 1);
      if (q > 0 && inner) {
        throw new RegexError('nested unbounded quantifiers (such as (a+)+) are not allowed: they can take exponential time');
      }
      inner = (groups.pop() ?? false) || inner || q > 0;
    } else {
      out += c;
      if (unboundedQuantifierAt(p, i) > 0) inner = true;
    }
  }
  return { source: out, flags };
}

/** Compiles a playbook regex (cached); throws RegexError with a readable reason. */
export function compileRegex(pattern: string, options: { ignoreCase?: boolean; multiline?: boolean } = {}): RegExp {
  const key = `${options.ignoreCase ? 'i' : ''}${options.multiline ? 'm' : ''}/${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new RegexError(`regular expression longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  const { source, flags } = translate(pattern);
  let all = flags;
  if (options.ignoreCase && !all.includes('i')) all += 'i';
  if (options.multiline && !all.includes('m')) all += 'm';
  let re: RegExp;
  try {
    re = new RegExp(source, all);
  } catch (err) {
    throw new RegexError(`invalid regular expression: ${(err as Error).message}`);
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, re);
  return re;
}

/** Throws RegexError when the subject is too long to be searched safely. */
export function checkSubject(subject: string): string {
  if (subject.length > MAX_SUBJECT_LENGTH) {
    throw new RegexError(`string of ${subject.length} characters is too long for a regular expression (limit ${MAX_SUBJECT_LENGTH})`);
  }
  return subject;
}

/** The same regex with the global flag, for replace-all and find-all. */
export function globalRegex(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
}

/** Converts a Python replacement (\1, \g<1>, \g<name>) into a JavaScript one ($1, $<name>). */
export function translateReplacement(rep: string): string {
  let out = '';
  for (let i = 0; i < rep.length; i += 1) {
    const c = rep[i]!;
    if (c === '$') {
      out += '$$';
    } else if (c === '\\' && /\d/.test(rep[i + 1] ?? '')) {
      const m = /^\d{1,2}/.exec(rep.slice(i + 1))!;
      out += `$${m[0]}`;
      i += m[0].length;
    } else if (c === '\\' && rep.startsWith('g<', i + 1) && rep.indexOf('>', i) > 0) {
      const end = rep.indexOf('>', i);
      const name = rep.slice(i + 3, end);
      // \g<0> is the whole match: JavaScript spells it $& ($0 would be taken literally).
      out += /^0+$/.test(name) ? '$&' : /^\d+$/.test(name) ? `$${name}` : `$<${name}>`;
      i = end;
    } else if (c === '\\' && rep[i + 1] === '\\') {
      out += '\\';
      i += 1;
    } else if (c === '\\' && rep[i + 1] === 'n') {
      out += '\n';
      i += 1;
    } else {
      out += c;
    }
  }
  return out;
}
