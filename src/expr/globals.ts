/**
 * The functions a template may call by name: Jinja2's `range()` and `namespace()` and the
 * `dict()` ansible-core adds. Ansible's lookup(), query(), q() and now() reach outside the
 * template (files, commands, the clock) and are refused, as are Jinja2's cycler/joiner/lipsum.
 */
import { checkSize, type Fail } from './operators.js';
import { isFloat, isNumeric, markNamespace, numberValue } from './py-values.js';
import { isMapping, makeMapping, type Mapping } from './values.js';

type GlobalFn = (args: unknown[], kwargs: Mapping, fail: Fail) => unknown;

function intArg(v: unknown, fail: Fail): number {
  if (!isNumeric(v) || isFloat(v)) return fail(`range() needs integers, not ${v === null ? 'none' : typeof v}`);
  return numberValue(v);
}

function range(args: unknown[], kwargs: Mapping, fail: Fail): unknown[] {
  if (Object.keys(kwargs).length > 0) fail('range() takes no keyword arguments');
  if (args.length === 0 || args.length > 3) fail(`range() takes 1 to 3 arguments, not ${args.length}`);
  const [start, stop, step] = args.length === 1 ? [0, intArg(args[0], fail), 1] : [intArg(args[0], fail), intArg(args[1], fail), args[2] === undefined ? 1 : intArg(args[2], fail)];
  if (step === 0) fail('range() step must not be zero');
  const length = Math.max(0, Math.ceil((stop - start) / step));
  checkSize(length, true, 'range()', fail);
  return Array.from({ length }, (_, i) => start + i * step);
}

/** dict(a=1), dict(mapping) or dict(list of pairs), with keyword arguments added last. */
function dict(args: unknown[], kwargs: Mapping, fail: Fail): Mapping {
  if (args.length > 1) fail(`dict() takes at most 1 positional argument, not ${args.length}`);
  const entries: Array<[string, unknown]> = [];
  const source = args[0];
  if (isMapping(source)) {
    for (const k of Object.keys(source)) entries.push([k, source[k]]);
  } else if (Array.isArray(source)) {
    for (const pair of source) {
      if (!Array.isArray(pair) || pair.length !== 2) fail('dict() needs a list of pairs');
      const [k, v] = pair as [unknown, unknown];
      if (typeof k !== 'string' && typeof k !== 'number' && typeof k !== 'boolean') fail('a mapping key must be a string or number');
      entries.push([String(k), v]);
    }
  } else if (source !== undefined) {
    fail('dict() needs a mapping or a list of pairs');
  }
  for (const k of Object.keys(kwargs)) entries.push([k, kwargs[k]]);
  return makeMapping(entries);
}

const REFUSED: Record<string, string> = {
  lookup: 'lookup() is not supported: remedy runs no lookup plugins (they read files and run commands on the controller)',
  query: 'query() is not supported: remedy runs no lookup plugins (they read files and run commands on the controller)',
  q: 'q() is not supported: remedy runs no lookup plugins (they read files and run commands on the controller)',
  now: 'now() is not supported: a playbook run does not depend on the controller clock',
  lipsum: 'lipsum() is not supported',
  cycler: 'cycler() is not supported (loop.cycle() is)',
  joiner: 'joiner() is not supported',
};

const GLOBALS: ReadonlyMap<string, GlobalFn> = new Map<string, GlobalFn>([
  ['range', range],
  ['dict', dict],
  ['namespace', (args, kwargs, fail) => markNamespace(dict(args, kwargs, fail))],
]);

export const GLOBAL_NAMES: ReadonlySet<string> = new Set(GLOBALS.keys());

/** Why a function name cannot be called (undefined when it can). */
export function refusedGlobal(name: string): string | undefined {
  if (GLOBALS.has(name)) return undefined;
  return Object.hasOwn(REFUSED, name) ? REFUSED[name] : `unknown function '${name}'`;
}

/** Calls global function `name`. */
export function callGlobal(name: string, args: unknown[], kwargs: Mapping, fail: Fail): unknown {
  const fn = GLOBALS.get(name);
  if (fn === undefined) return fail(refusedGlobal(name)!);
  return fn(args, kwargs, fail);
}
