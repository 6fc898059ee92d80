/**
 * The few Python methods playbooks commonly call, e.g. `out.stdout.startswith('x')` or
 * `facts.get('k', 0)`. Only these names, only on strings and mappings; nothing is looked up
 * on a JavaScript object, so no prototype or function is ever reachable.
 */
import { argument as arg, type CallEnv } from './tests.js';
import { FILTERS, type FilterEnv } from './filters.js';
import { isMapping, makeMapping, ownProperty, toText, type Mapping } from './values.js';

type Method<T> = (self: T, args: unknown[], kwargs: Mapping, env: FilterEnv) => unknown;

function prefixes(v: unknown, env: CallEnv): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === 'string')) env.fail('startswith/endswith need a string or a list of strings');
  return list as string[];
}

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  if (chars === null || chars === undefined) {
    return left && right ? s.trim() : left ? s.trimStart() : s.trimEnd();
  }
  const set = toText(chars);
  let a = 0;
  let b = s.length;
  while (left && a < b && set.includes(s[a]!)) a += 1;
  while (right && b > a && set.includes(s[b - 1]!)) b -= 1;
  return s.slice(a, b);
}

function viaFilter(name: string): Method<string> {
  return (self, args, kwargs, env) => FILTERS.get(name)!(self, args, kwargs, env);
}

const STRING_METHODS = new Map<string, Method<string>>([
  ['startswith', (s, args, _k, env) => prefixes(args[0], env).some((p) => s.startsWith(p))],
  ['endswith', (s, args, _k, env) => prefixes(args[0], env).some((p) => s.endsWith(p))],
  ['strip', (s, args) => stripChars(s, args[0], true, true)],
  ['lstrip', (s, args) => stripChars(s, args[0], true, false)],
  ['rstrip', (s, args) => stripChars(s, args[0], false, true)],
  ['lower', (s) => s.toLowerCase()],
  ['upper', (s) => s.toUpperCase()],
  ['split', viaFilter('split')],
  ['splitlines', viaFilter('splitlines')],
  ['replace', viaFilter('replace')],
  ['find', (s, args) => s.indexOf(toText(args[0]))],
  ['count', (s, args) => (toText(args[0]) === '' ? s.length + 1 : s.split(toText(args[0])).length - 1)],
  ['join', (s, args, _k, env) => {
    const list = args[0];
    if (!Array.isArray(list)) return env.fail('join needs a list');
    return list.map(toText).join(s);
  }],
  ['isdigit', (s) => /^\d+$/.test(s)],
]);

const MAPPING_METHODS = new Map<string, Method<Mapping>>([
  ['get', (m, args, kwargs) => {
    const key = arg(args, kwargs, 0, 'key');
    const found = typeof key === 'string' ? ownProperty(m, key) : { found: false, value: undefined };
    return found.found ? found.value : arg(args, kwargs, 1, 'default', null);
  }],
  ['keys', (m) => Object.keys(m)],
  ['values', (m) => Object.keys(m).map((k) => m[k])],
  ['items', (m) => Object.keys(m).map((k) => [k, m[k]])],
  ['copy', (m) => makeMapping(Object.entries(m))],
]);

export const METHOD_NAMES: ReadonlySet<string> = new Set([...STRING_METHODS.keys(), ...MAPPING_METHODS.keys()]);

/** Calls `self.name(args)`; anything not listed above is an error. */
export function callMethod(self: unknown, name: string, args: unknown[], kwargs: Mapping, env: FilterEnv): unknown {
  if (typeof self === 'string') {
    const m = STRING_METHODS.get(name);
    if (m) return m(self, args, kwargs, env);
  } else if (isMapping(self)) {
    const m = MAPPING_METHODS.get(name);
    if (m) return m(self, args, kwargs, env);
  }
  const kind = typeof self === 'string' ? 'string' : isMapping(self) ? 'mapping' : Array.isArray(self) ? 'list' : 'value';
  return env.fail(`unknown method '${name}' of a ${kind}`);
}
