/**
 * Filters: `value | name` and `value | name(args, key=value)`. Text and conversion filters live
 * here; list filters (sort, select, map…) in filters-collections.ts. Every filter receives a
 * defined value; `default` is also special-cased by the evaluator for undefined input.
 */
import { shellQuote } from '../model/shell-quote.js';
import { COLLECTION_FILTERS } from './filters-collections.js';
import { checkSubject, compileRegex, globalRegex, RegexError, translateReplacement } from './regex.js';
import { argument, type CallEnv } from './tests.js';
import { isMapping, isTruthy, iterableItems, makeMapping, toText, Undefined, type Mapping } from './values.js';

export interface FilterEnv extends CallEnv {
  /** An undefined result (e.g. first of an empty list) that `default` can still replace. */
  undefined(message: string): Undefined;
  /** Applies another filter (for map). */
  filter(name: string, value: unknown, args: unknown[], kwargs: Mapping): unknown;
  /** Runs a test (for select, reject, selectattr, rejectattr). */
  test(name: string, value: unknown, args: unknown[], kwargs: Mapping): boolean;
}

export type FilterFn = (value: unknown, args: unknown[], kwargs: Mapping, env: FilterEnv) => unknown;

const arg = argument;

function str(v: unknown, what: string, env: CallEnv): string {
  if (typeof v !== 'string') env.fail(`${what} must be a string`);
  return v;
}

function toInt(v: unknown, args: unknown[], kwargs: Mapping): unknown {
  const fallback = arg(args, kwargs, 0, 'default', 0);
  const base = Number(arg(args, kwargs, 1, 'base', 10));
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : fallback;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'string') return fallback;
  const s = v.trim().replace(/_/g, '');
  if (base === 10) {
    if (/^[+-]?\d+$/.test(s)) return parseInt(s, 10);
    return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Math.trunc(Number(s)) : fallback;
  }
  const digits = s.replace(/^([+-]?)0[xob]/i, '$1');
  const n = parseInt(digits, base);
  return Number.isNaN(n) || !/^[+-]?[0-9a-z]+$/i.test(digits) ? fallback : n;
}

function toFloat(v: unknown, args: unknown[], kwargs: Mapping): unknown {
  const fallback = arg(args, kwargs, 0, 'default', 0);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'string') return fallback;
  const s = v.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : fallback;
}

function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return ['yes', 'on', '1', 'true', 'y', 't'].includes(v.trim().toLowerCase());
  return false;
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

function regexOptions(args: unknown[], kwargs: Mapping, at: number): { ignoreCase: boolean; multiline: boolean } {
  return {
    ignoreCase: isTruthy(arg(args, kwargs, at, 'ignorecase', false)),
    multiline: isTruthy(arg(args, kwargs, at + 1, 'multiline', false)),
  };
}

function regexReplace(v: unknown, args: unknown[], kwargs: Mapping, env: CallEnv): string {
  const subject = checkSubject(toText(v));
  const pattern = str(arg(args, kwargs, 0, 'pattern', ''), 'regex_replace pattern', env);
  const replacement = str(arg(args, kwargs, 1, 'replacement', ''), 'regex_replace replacement', env);
  return withRegex(env, () => {
    const re = globalRegex(compileRegex(pattern, regexOptions(args, kwargs, 2)));
    return subject.replace(re, translateReplacement(replacement));
  });
}

/** Ansible's regex_search: the match (or none); with group arguments ('\\1', '\\g<name>') a list. */
function regexSearch(v: unknown, args: unknown[], kwargs: Mapping, env: CallEnv): unknown {
  const subject = checkSubject(toText(v));
  const pattern = str(arg(args, kwargs, 0, 'pattern', ''), 'regex_search pattern', env);
  const groups = args.slice(1).filter((g): g is string => typeof g === 'string');
  return withRegex(env, () => {
    const m = compileRegex(pattern, regexOptions([], kwargs, 0)).exec(subject);
    if (m === null) return null;
    if (groups.length === 0) return m[0];
    return groups.map((g) => {
      const ref = /^\\(\d+)$/.exec(g) ?? /^\\g<(\w+)>$/.exec(g);
      if (ref === null) env.fail(`regex_search group must look like '\\\\1' or '\\\\g<name>', not '${g}'`);
      const key = ref[1]!;
      return (/^\d+$/.test(key) ? m[Number(key)] : m.groups?.[key]) ?? null;
    });
  });
}

function regexFindall(v: unknown, args: unknown[], kwargs: Mapping, env: CallEnv): unknown[] {
  const subject = checkSubject(toText(v));
  const pattern = str(arg(args, kwargs, 0, 'pattern', ''), 'regex_findall pattern', env);
  return withRegex(env, () => {
    const re = globalRegex(compileRegex(pattern, regexOptions(args, kwargs, 1)));
    return [...subject.matchAll(re)].map((m) =>
      m.length === 1 ? m[0] : m.length === 2 ? (m[1] ?? '') : m.slice(1).map((g) => g ?? ''));
  });
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function dirname(p: string): string {
  const head = p.slice(0, p.lastIndexOf('/') + 1);
  return /^\/+$/.test(head) ? head : head.replace(/\/+$/, '');
}

function fromJson(v: unknown, env: CallEnv): unknown {
  try {
    return JSON.parse(str(v, 'from_json input', env));
  } catch (err) {
    return env.fail(`from_json: ${(err as Error).message}`);
  }
}

function length(v: unknown, env: CallEnv): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isMapping(v)) return Object.keys(v).length;
  return env.fail(`length needs a string, list or mapping, not ${v === null ? 'none' : typeof v}`);
}

const CORE: Array<[string[], FilterFn]> = [
  [['default', 'd'], (v, args, kwargs) =>
    isTruthy(arg(args, kwargs, 1, 'boolean', false)) && !isTruthy(v) ? arg(args, kwargs, 0, 'default_value', '') : v],
  [['length', 'count'], (v, _a, _k, env) => length(v, env)],
  [['int'], (v, args, kwargs) => toInt(v, args, kwargs)],
  [['float'], (v, args, kwargs) => toFloat(v, args, kwargs)],
  [['string'], (v) => toText(v)],
  [['bool'], (v) => toBool(v)],
  [['lower'], (v) => toText(v).toLowerCase()],
  [['upper'], (v) => toText(v).toUpperCase()],
  [['capitalize'], (v) => { const s = toText(v); return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(); }],
  [['trim', 'strip'], (v) => toText(v).trim()],
  [['split'], split],
  [['splitlines'], (v) => toText(v).split(/\r?\n/).filter((l, i, all) => i < all.length - 1 || l !== '')],
  [['replace'], (v, args, kwargs, env) => {
    const from = str(arg(args, kwargs, 0, 'old'), 'replace: old', env);
    const to = toText(arg(args, kwargs, 1, 'new', ''));
    const count = Number(arg(args, kwargs, 2, 'count', -1));
    const parts = toText(v).split(from);
    if (count < 0 || parts.length - 1 <= count) return parts.join(to);
    return parts.slice(0, count + 1).join(to) + from + parts.slice(count + 1).join(from);
  }],
  [['regex_replace'], regexReplace],
  [['regex_search'], regexSearch],
  [['regex_findall'], regexFindall],
  [['basename'], (v) => basename(toText(v))],
  [['dirname'], (v) => dirname(toText(v))],
  [['to_json'], (v) => JSON.stringify(v) ?? 'null'],
  [['to_nice_json'], (v, args, kwargs) => JSON.stringify(v, null, Number(arg(args, kwargs, 0, 'indent', 4))) ?? 'null'],
  [['from_json'], (v, _a, _k, env) => fromJson(v, env)],
  [['quote'], (v) => shellQuote(toText(v))],
  [['ternary'], (v, args, kwargs) =>
    isTruthy(v) ? arg(args, kwargs, 0, 'true_val') : arg(args, kwargs, 1, 'false_val')],
  [['abs'], (v, _a, _k, env) => (typeof v === 'number' ? Math.abs(v) : env.fail('abs needs a number'))],
  [['round'], (v, args, kwargs, env) => {
    if (typeof v !== 'number') return env.fail('round needs a number');
    const f = 10 ** Number(arg(args, kwargs, 0, 'precision', 0));
    const method = String(arg(args, kwargs, 1, 'method', 'common'));
    const fn = method === 'floor' ? Math.floor : method === 'ceil' ? Math.ceil : Math.round;
    return fn(v * f) / f;
  }],
  [['list'], (v, _a, _k, env) => {
    const items = iterableItems(v);
    return items === undefined ? env.fail(`list needs a string, list or mapping`) : [...items];
  }],
  [['dict2items'], (v, _a, _k, env) => {
    if (!isMapping(v)) return env.fail('dict2items needs a mapping');
    return Object.keys(v).map((key) => makeMapping([['key', key], ['value', v[key]]]));
  }],
];

export const FILTERS: ReadonlyMap<string, FilterFn> = new Map(
  [...CORE, ...COLLECTION_FILTERS].flatMap(([names, fn]) => names.map((n): [string, FilterFn] => [n, fn])),
);

/** Applies filter `name`; throws through env.fail for an unknown name. */
export function runFilter(name: string, value: unknown, args: unknown[], kwargs: Mapping, env: FilterEnv): unknown {
  const fn = FILTERS.get(name);
  if (fn === undefined) env.fail(`unknown filter '${name}'`);
  return fn(value, args, kwargs, env);
}
