/**
 * The Python methods playbooks commonly call, e.g. `out.stdout.startswith('x')`,
 * `facts.get('k', 0)`, `d.items()` or `loop.cycle('odd', 'even')`. Only these names, only on
 * strings, lists and mappings; nothing is looked up on a JavaScript object, so no prototype or
 * function is ever reachable. Methods that change a value in place (append, update…) are refused.
 */
import { argument as arg, type CallEnv } from './tests.js';
import { FILTERS, type FilterEnv } from './filters.js';
import { pyStr } from './py-text.js';
import { isLoop, isNumeric, makeTuple, numberValue } from './py-values.js';
import { deepEqual, isMapping, makeMapping, ownProperty, type Mapping } from './values.js';

type Method<T> = (self: T, args: unknown[], kwargs: Mapping, env: FilterEnv) => unknown;

function prefixes(v: unknown, env: CallEnv): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === 'string')) env.fail('startswith/endswith need a string or a tuple of strings');
  return list as string[];
}

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  if (chars === null || chars === undefined) {
    return left && right ? s.trim() : left ? s.trimStart() : s.trimEnd();
  }
  const set = pyStr(chars);
  let a = 0;
  let b = s.length;
  while (left && a < b && set.includes(s[a]!)) a += 1;
  while (right && b > a && set.includes(s[b - 1]!)) b -= 1;
  return s.slice(a, b);
}

function viaFilter(name: string): Method<string> {
  return (self, args, kwargs, env) => FILTERS.get(name)!(self, args, kwargs, env);
}

function width(v: unknown, env: CallEnv): number {
  if (!isNumeric(v) || numberValue(v) > 4096) env.fail('width must be an integer up to 4096');
  return numberValue(v as number);
}

function fill(s: string, args: unknown[], env: CallEnv, side: 'left' | 'right'): string {
  const w = width(args[0], env);
  const c = args[1] === undefined ? ' ' : pyStr(args[1]);
  const pad = c.repeat(Math.max(0, w - s.length));
  return side === 'left' ? s + pad : pad + s;
}

function partition(s: string, sep: string, env: CallEnv, last: boolean): unknown[] {
  if (sep === '') env.fail('empty separator');
  const i = last ? s.lastIndexOf(sep) : s.indexOf(sep);
  if (i < 0) return makeTuple(last ? ['', '', s] : [s, '', '']);
  return makeTuple([s.slice(0, i), sep, s.slice(i + sep.length)]);
}

const STRING_METHODS = new Map<string, Method<string>>([
  ['startswith', (s, args, _k, env) => prefixes(args[0], env).some((p) => s.startsWith(p))],
  ['endswith', (s, args, _k, env) => prefixes(args[0], env).some((p) => s.endsWith(p))],
  ['strip', (s, args) => stripChars(s, args[0], true, true)],
  ['lstrip', (s, args) => stripChars(s, args[0], true, false)],
  ['rstrip', (s, args) => stripChars(s, args[0], false, true)],
  ['lower', (s) => s.toLowerCase()],
  ['upper', (s) => s.toUpperCase()],
  ['capitalize', viaFilter('capitalize')],
  ['title', viaFilter('title')],
  ['split', viaFilter('split')],
  ['splitlines', viaFilter('splitlines')],
  ['replace', viaFilter('replace')],
  ['center', viaFilter('center')],
  ['ljust', (s, args, _k, env) => fill(s, args, env, 'left')],
  ['rjust', (s, args, _k, env) => fill(s, args, env, 'right')],
  ['zfill', (s, args, _k, env) => {
    const sign = /^[+-]/.test(s) ? s[0]! : '';
    return sign + s.slice(sign.length).padStart(width(args[0], env) - sign.length, '0');
  }],
  ['partition', (s, args, _k, env) => partition(s, pyStr(args[0]), env, false)],
  ['rpartition', (s, args, _k, env) => partition(s, pyStr(args[0]), env, true)],
  ['find', (s, args) => s.indexOf(pyStr(args[0]))],
  ['rfind', (s, args) => s.lastIndexOf(pyStr(args[0]))],
  ['index', (s, args, _k, env) => {
    const i = s.indexOf(pyStr(args[0]));
    return i < 0 ? env.fail('substring not found') : i;
  }],
  ['count', (s, args) => (pyStr(args[0]) === '' ? s.length + 1 : s.split(pyStr(args[0])).length - 1)],
  ['join', (s, args, _k, env) => {
    const list = args[0];
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) return env.fail('join needs a list of strings');
    return list.join(s);
  }],
  ['isdigit', (s) => /^\p{Nd}+$/u.test(s)],
  ['isalpha', (s) => /^\p{L}+$/u.test(s)],
  ['isalnum', (s) => /^[\p{L}\p{N}]+$/u.test(s)],
  ['isspace', (s) => /^\s+$/.test(s)],
  ['islower', (s) => /\p{Ll}/u.test(s) && !/[\p{Lu}\p{Lt}]/u.test(s)],
  ['isupper', (s) => /\p{Lu}/u.test(s) && !/[\p{Ll}\p{Lt}]/u.test(s)],
]);

const LIST_METHODS = new Map<string, Method<unknown[]>>([
  ['index', (l, args, _k, env) => {
    const i = l.findIndex((x) => deepEqual(x, args[0]));
    return i < 0 ? env.fail(`${pyStr(args[0])} is not in list`) : i;
  }],
  ['count', (l, args) => l.filter((x) => deepEqual(x, args[0])).length],
]);

const MAPPING_METHODS = new Map<string, Method<Mapping>>([
  ['get', (m, args, kwargs) => {
    const key = arg(args, kwargs, 0, 'key');
    const found = typeof key === 'string' || typeof key === 'number' ? ownProperty(m, String(key)) : { found: false, value: undefined };
    return found.found ? found.value : arg(args, kwargs, 1, 'default', null);
  }],
  ['keys', (m) => Object.keys(m)],
  ['values', (m) => Object.keys(m).map((k) => m[k])],
  ['items', (m) => Object.keys(m).map((k) => makeTuple([k, m[k]]))],
  ['copy', (m) => makeMapping(Object.keys(m).map((k): [string, unknown] => [k, m[k]]))],
]);

const LOOP_METHODS = new Map<string, Method<Mapping>>([
  ['cycle', (m, args, _k, env) => {
    if (args.length === 0) return env.fail('loop.cycle() needs at least one value');
    return args[numberValue(m.index0 as number) % args.length];
  }],
]);

const IN_PLACE = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'clear', 'update', 'setdefault', 'popitem', 'sort', 'reverse']);

/** The message for a method name remedy does not call (checked before anything runs). */
export function unknownMethod(name: string, kind?: string): string {
  if (IN_PLACE.has(name)) return `'${name}()' changes a value in place, which remedy does not allow (build a new value with filters, or use namespace())`;
  if (name === 'format') return "str.format() is not supported: use the format filter or '%s' % value";
  return kind === undefined ? `unknown method '${name}'` : `unknown method '${name}' of a ${kind}`;
}

export const METHOD_NAMES: ReadonlySet<string> = new Set([
  ...STRING_METHODS.keys(), ...LIST_METHODS.keys(), ...MAPPING_METHODS.keys(), ...LOOP_METHODS.keys(),
]);

/** Calls `self.name(args)`; anything not listed above is an error. */
export function callMethod(self: unknown, name: string, args: unknown[], kwargs: Mapping, env: FilterEnv): unknown {
  if (typeof self === 'string') {
    const m = STRING_METHODS.get(name);
    if (m) return m(self, args, kwargs, env);
  } else if (Array.isArray(self)) {
    const m = LIST_METHODS.get(name);
    if (m) return m(self, args, kwargs, env);
  } else if (isMapping(self)) {
    const m = (isLoop(self) ? LOOP_METHODS.get(name) : undefined) ?? MAPPING_METHODS.get(name);
    if (m) return m(self, args, kwargs, env);
  }
  const kind = typeof self === 'string' ? 'string' : isMapping(self) ? 'mapping' : Array.isArray(self) ? 'list' : 'value';
  return env.fail(unknownMethod(name, kind));
}
