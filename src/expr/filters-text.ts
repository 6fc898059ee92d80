/**
 * Text filters, as Jinja2 3.1 and ansible-core 2.14 define them: every input is turned into
 * text with Python's str() first (so `true | lower` is 'true' and `none | string` is 'None').
 */
import type { FilterFn } from './filters.js';
import { checkSize } from './operators.js';
import { formatPercent } from './percent-format.js';
import { pyStr } from './py-text.js';
import { isNumeric, makeTuple, numberValue } from './py-values.js';
import { checkSubject, compileRegex, globalRegex, RegexError, translateReplacement } from './regex.js';
import { argument as arg, type CallEnv } from './tests.js';
import { isMapping, isTruthy, type Mapping } from './values.js';

const text = pyStr;

function str(v: unknown, what: string, env: CallEnv): string {
  if (typeof v !== 'string') env.fail(`${what} must be a string`);
  return v;
}

function int(v: unknown, what: string, env: CallEnv): number {
  if (!isNumeric(v) || !Number.isInteger(numberValue(v))) env.fail(`${what} must be an integer`);
  return numberValue(v);
}

/** Python's str.split: no separator splits on runs of whitespace and drops empty strings. */
function split(v: unknown, args: unknown[], kwargs: Mapping, env: CallEnv): string[] {
  const s = str(v, 'split input', env);
  const sep = arg(args, kwargs, 0, 'sep', null);
  const max = Number(arg(args, kwargs, 1, 'maxsplit', -1));
  let parts: string[];
  if (sep === null || sep === undefined) {
    parts = s.trim() === '' ? [] : s.trim().split(/\s+/);
    if (max >= 0 && parts.length > max + 1) {
      const head = parts.slice(0, max);
      let rest = s.trimStart();
      for (const h of head) rest = rest.slice(h.length).trimStart();
      parts = [...head, rest];
    }
    return parts;
  }
  const separator = str(sep, 'split separator', env);
  if (separator === '') env.fail('split separator must not be empty');
  parts = s.split(separator);
  if (max >= 0 && parts.length > max + 1) parts = [...parts.slice(0, max), parts.slice(max).join(separator)];
  return parts;
}

function withRegex<T>(env: CallEnv, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof RegexError) env.fail(err.message);
    throw err;
  }
}

function regexOptions(args: unknown[], kwargs: Mapping, at: number, names = ['ignorecase', 'multiline']): { ignoreCase: boolean; multiline: boolean } {
  const o = { ignoreCase: false, multiline: false };
  for (const [i, name] of names.entries()) {
    const on = isTruthy(arg(args, kwargs, at + i, name, false));
    if (name === 'ignorecase') o.ignoreCase = on;
    else o.multiline = on;
  }
  return o;
}

/** Fails on a keyword argument the Python function does not take. */
function onlyKwargs(kwargs: Mapping, names: string[], filter: string, env: CallEnv): void {
  const bad = Object.keys(kwargs).find((k) => !names.includes(k));
  if (bad !== undefined) env.fail(`${filter}() got an unexpected keyword argument '${bad}'`);
}

const regexReplace: FilterFn = (v, args, kwargs, env) => {
  onlyKwargs(kwargs, ['value', 'pattern', 'replacement', 'ignorecase', 'multiline'], 'regex_replace', env);
  const subject = checkSubject(text(v));
  const pattern = str(arg(args, kwargs, 0, 'pattern', ''), 'regex_replace pattern', env);
  const replacement = str(arg(args, kwargs, 1, 'replacement', ''), 'regex_replace replacement', env);
  return withRegex(env, () => {
    const re = globalRegex(compileRegex(pattern, regexOptions(args, kwargs, 2)));
    const out = subject.replace(re, translateReplacement(replacement));
    checkSize(out.length, false, 'regex_replace', env.fail);
    return out;
  });
};

/** Ansible's regex_search: the match (or none); with group arguments ('\\1', '\\g<name>') a list. */
const regexSearch: FilterFn = (v, args, kwargs, env) => {
  const subject = checkSubject(text(v));
  const pattern = str(arg(args, kwargs, 0, 'regex', ''), 'regex_search pattern', env);
  const groups = args.slice(1).map((g) => {
    const ref = typeof g === 'string' ? /^\\(\d+)/.exec(g) ?? /^\\g<(\S+)>/.exec(g) : null;
    if (ref === null) return env.fail(`regex_search: unknown argument ${pyStr(g)} (groups look like '\\\\1' or '\\\\g<name>')`);
    return ref[1]!;
  });
  return withRegex(env, () => {
    const m = compileRegex(pattern, regexOptions([], kwargs, 0)).exec(subject);
    if (m === null) return null;
    if (groups.length === 0) return m[0];
    return groups.map((key) => (/^\d+$/.test(key) ? m[Number(key)] : m.groups?.[key]) ?? null);
  });
};

const regexFindall: FilterFn = (v, args, kwargs, env) => {
  onlyKwargs(kwargs, ['value', 'regex', 'multiline', 'ignorecase'], 'regex_findall', env);
  const subject = checkSubject(text(v));
  const pattern = str(arg(args, kwargs, 0, 'regex', ''), 'regex_findall pattern', env);
  return withRegex(env, () => {
    const re = globalRegex(compileRegex(pattern, regexOptions(args, kwargs, 1, ['multiline', 'ignorecase'])));
    return [...subject.matchAll(re)].map((m) =>
      m.length === 1 ? m[0] : m.length === 2 ? (m[1] ?? '') : makeTuple(m.slice(1).map((g) => g ?? '')));
  });
};

/** Python's re.escape: every character of `()[]{}?*+-|^$\.&~# \t\n\r\v\f` gets a backslash. */
function regexEscape(v: unknown, args: unknown[], kwargs: Mapping, env: CallEnv): string {
  const type = arg(args, kwargs, 0, 're_type', 'python');
  const s = text(v);
  if (type === 'python') return s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => `\\${c}`);
  if (type === 'posix_basic') return s.replace(/[\].[^$*\\]/g, (c) => `\\${c}`);
  return env.fail(`regex_escape: invalid regex type (${pyStr(type)})`);
}

/** Python's shlex.quote. */
export function pythonQuote(s: string): string {
  if (s === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

/** Jinja2's title: the first letter of each word (after -, blanks and opening brackets) upper, the rest lower. */
function title(s: string): string {
  return s.split(/([-\s({[<]+)/).map((w) => (w === '' ? w : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('');
}

function capitalize(s: string): string {
  return s === '' ? s : s[0]!.toUpperCase() + s.slice(1).toLowerCase();
}

/** Python's str.center: the extra space goes right when the padding is odd and the length even, else left. */
function center(s: string, width: number): string {
  const pad = width - s.length;
  if (pad <= 0) return s;
  const left = Math.floor(pad / 2) + (pad & width & 1);
  return ' '.repeat(left) + s + ' '.repeat(pad - left);
}

function truncate(v: unknown, args: unknown[], kwargs: Mapping, env: CallEnv): string {
  const s = text(v);
  const length = int(arg(args, kwargs, 0, 'length', 255), 'truncate length', env);
  const killwords = isTruthy(arg(args, kwargs, 1, 'killwords', false));
  const end = text(arg(args, kwargs, 2, 'end', '...'));
  const leeway = int(arg(args, kwargs, 3, 'leeway', 5), 'truncate leeway', env);
  if (length < end.length) env.fail(`truncate: expected length >= ${end.length}, got ${length}`);
  if (leeway < 0) env.fail(`truncate: expected leeway >= 0, got ${leeway}`);
  if (s.length <= length + leeway) return s;
  const head = s.slice(0, length - end.length);
  if (killwords) return head + end;
  const cut = head.lastIndexOf(' ');
  return (cut < 0 ? head : head.slice(0, cut)) + end;
}

function indent(v: unknown, args: unknown[], kwargs: Mapping, env: CallEnv): string {
  const w = arg(args, kwargs, 0, 'width', 4);
  const prefix = typeof w === 'string' ? w : ' '.repeat(int(w, 'indent width', env));
  const first = isTruthy(arg(args, kwargs, 1, 'first', false));
  const blank = isTruthy(arg(args, kwargs, 2, 'blank', false));
  let s = text(v);
  let tail = '';
  if (s.endsWith('\n')) {
    s = s.slice(0, -1);
    tail = '\n';
  }
  const lines = s.split('\n');
  const out = lines.map((line, i) => (i === 0 && !first) || (!blank && line.trim() === '') ? line : prefix + line).join('\n');
  checkSize(out.length, false, 'indent', env.fail);
  return out + tail;
}

/** Jinja2's urlencode: a string quoted (keeping '/'), a mapping or list of pairs as a query string. */
function urlencode(v: unknown, env: CallEnv): string {
  const quote = (x: unknown, forQuery: boolean): string => {
    const q = encodeURIComponent(text(x)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    return forQuery ? q.replace(/%20/g, '+') : q.replace(/%2F/g, '/');
  };
  if (typeof v === 'string') return quote(v, false);
  const pairs = isMapping(v) ? Object.keys(v).map((k) => [k, v[k]]) : Array.isArray(v) ? v : undefined;
  if (pairs === undefined) return quote(v, false);
  return pairs.map((p) => {
    if (!Array.isArray(p) || p.length !== 2) env.fail('urlencode needs a string, a mapping or a list of pairs');
    return `${quote(p[0], true)}=${quote(p[1], true)}`;
  }).join('&');
}

export const TEXT_FILTERS: Array<[string[], FilterFn]> = [
  [['string'], (v) => text(v)],
  [['lower'], (v) => text(v).toLowerCase()],
  [['upper'], (v) => text(v).toUpperCase()],
  [['capitalize'], (v) => capitalize(text(v))],
  [['title'], (v) => title(text(v))],
  [['trim'], (v, args, kwargs) => {
    const chars = arg(args, kwargs, 0, 'chars', null);
    const s = text(v);
    if (chars === null) return s.trim();
    const set = text(chars);
    let a = 0;
    let b = s.length;
    while (a < b && set.includes(s[a]!)) a += 1;
    while (b > a && set.includes(s[b - 1]!)) b -= 1;
    return s.slice(a, b);
  }],
  [['center'], (v, args, kwargs, env) => {
    const width = int(arg(args, kwargs, 0, 'width', 80), 'center width', env);
    checkSize(width, false, 'center', env.fail);
    return center(text(v), width);
  }],
  [['truncate'], truncate],
  [['wordcount'], (v) => (text(v).match(/[\p{L}\p{N}_]+/gu) ?? []).length],
  [['indent'], indent],
  [['split'], split],
  [['splitlines'], (v) => text(v).split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/).filter((l, i, all) => i < all.length - 1 || l !== '')],
  [['replace'], (v, args, kwargs, env) => {
    const s = text(v);
    if (args.length + Object.keys(kwargs).length < 2) env.fail('replace needs old and new');
    const from = text(arg(args, kwargs, 0, 'old'));
    const to = text(arg(args, kwargs, 1, 'new'));
    const count = Number(arg(args, kwargs, 2, 'count', -1));
    // Python's str.replace; an empty `old` matches before every character and at the end.
    const parts = from === '' ? ['', ...s, ''] : s.split(from);
    const joins = count < 0 ? parts.length - 1 : Math.min(count, parts.length - 1);
    checkSize(s.length + joins * (to.length - from.length), false, 'replace', env.fail);
    const rest = parts.slice(joins + 1);
    return parts.slice(0, joins + 1).join(to) + (rest.length === 0 ? '' : from + rest.join(from));
  }],
  [['format'], (v, args, kwargs, env) => {
    if (args.length > 0 && Object.keys(kwargs).length > 0) env.fail("format can't handle positional and keyword arguments at the same time");
    return formatPercent(text(v), Object.keys(kwargs).length > 0 ? kwargs : makeTuple([...args]), env.fail);
  }],
  [['regex_replace'], regexReplace],
  [['regex_search'], regexSearch],
  [['regex_findall'], regexFindall],
  [['regex_escape'], regexEscape],
  [['quote'], (v) => pythonQuote(v === null ? '' : text(v))],
  [['urlencode'], (v, _a, _k, env) => urlencode(v, env)],
  [['urldecode'], (v, _a, _k, env) => {
    try {
      return decodeURIComponent(text(v).replace(/\+/g, ' '));
    } catch {
      return env.fail('urldecode: invalid percent-encoding');
    }
  }],
];
