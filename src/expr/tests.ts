/**
 * Jinja/Ansible "tests": `x is NAME`, `x is NAME(args)`, `x is not NAME`, and the names that
 * select()/reject() take. `defined` and `undefined` receive the raw value (possibly Undefined);
 * every other test receives a defined value.
 */
import { checkSubject, compileRegex, RegexError } from './regex.js';
import {
  compareValues, deepEqual, isMapping, isTruthy, iterableItems, ownProperty, Undefined, type Mapping,
} from './values.js';

export interface CallEnv {
  /** Throws an ExpressionError pointing at the test or filter name. */
  fail(message: string): never;
}

export type TestFn = (value: unknown, args: unknown[], kwargs: Mapping, env: CallEnv) => boolean;

/** Positional argument i, or the keyword argument `name`, or the fallback. */
export function argument(args: unknown[], kwargs: Mapping, i: number, name: string, fallback?: unknown): unknown {
  if (i < args.length) return args[i];
  const kw = ownProperty(kwargs, name);
  return kw.found ? kw.value : fallback;
}

function registered(value: unknown, test: string, env: CallEnv): Mapping {
  if (!isMapping(value)) env.fail(`the '${test}' test needs a registered result (a mapping)`);
  return value;
}

function field(r: Mapping, name: string): unknown {
  return ownProperty(r, name).value;
}

const isFailed = (r: Mapping): boolean => field(r, 'failed') === true || field(r, 'status') === 'failed';
const isChanged = (r: Mapping): boolean => field(r, 'changed') === true || field(r, 'status') === 'changed';
const isSkipped = (r: Mapping): boolean => field(r, 'skipped') === true || field(r, 'status') === 'skipped';
const isUnreachable = (r: Mapping): boolean =>
  field(r, 'unreachable') === true || field(r, 'status') === 'unreachable';

function regexTest(mode: 'match' | 'search'): TestFn {
  return (value, args, kwargs, env) => {
    const pattern = argument(args, kwargs, 0, 'pattern');
    if (typeof pattern !== 'string') return env.fail(`'${mode}' needs a pattern string`);
    if (typeof value !== 'string') return env.fail(`'${mode}' needs a string, not ${value === null ? 'none' : typeof value}`);
    try {
      const re = compileRegex(pattern, {
        ignoreCase: isTruthy(argument(args, kwargs, 1, 'ignorecase', false)),
        multiline: isTruthy(argument(args, kwargs, 2, 'multiline', false)),
      });
      checkSubject(value);
      if (mode === 'search') return re.test(value);
      const anchored = new RegExp(re.source, `${re.flags}y`);
      return anchored.test(value);
    } catch (err) {
      if (err instanceof RegexError) env.fail(err.message);
      throw err;
    }
  };
}

/** Compares loose version strings: runs of digits numerically, runs of letters as text (digits win). */
export function compareVersions(a: string, b: string): number {
  const pa = a.match(/\d+|[A-Za-z]+/g) ?? [];
  const pb = b.match(/\d+|[A-Za-z]+/g) ?? [];
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return Math.sign(d);
    } else if (nx !== ny) {
      return nx ? 1 : -1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

const VERSION_OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0, lt: (c) => c < 0, '<=': (c) => c <= 0, le: (c) => c <= 0,
  '>': (c) => c > 0, gt: (c) => c > 0, '>=': (c) => c >= 0, ge: (c) => c >= 0,
  '==': (c) => c === 0, '=': (c) => c === 0, eq: (c) => c === 0, '!=': (c) => c !== 0, ne: (c) => c !== 0,
};

function ordered(pred: (c: number) => boolean): TestFn {
  return (value, args, kwargs, env) => {
    const other = argument(args, kwargs, 0, 'other');
    const c = compareValues(value, other);
    if (c === undefined) return env.fail(`cannot compare ${typeof value} with ${typeof other}`);
    return pred(c);
  };
}

/** Python's `in`: substring of a string, element of a list (deep equality), own key of a mapping. */
export function contains(container: unknown, item: unknown, env: CallEnv): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') env.fail(`'in <string>' needs a string on the left`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => deepEqual(x, item));
  if (isMapping(container)) {
    return (typeof item === 'string' || typeof item === 'number') && ownProperty(container, String(item)).found;
  }
  return env.fail(`'in' needs a string, list or mapping on the right`);
}

const eq: TestFn = (v, args, kwargs) => deepEqual(v, argument(args, kwargs, 0, 'value'));
const ne: TestFn = (v, args, kwargs) => !deepEqual(v, argument(args, kwargs, 0, 'value'));
const integerOf = (v: unknown, env: CallEnv): number => {
  if (typeof v !== 'number' || !Number.isInteger(v)) env.fail('needs an integer');
  return v;
};

const ENTRIES: Array<[string[], TestFn]> = [
  [['defined'], (v) => !(v instanceof Undefined)],
  [['undefined'], (v) => v instanceof Undefined],
  [['none'], (v) => v === null || v === undefined],
  [['number'], (v) => typeof v === 'number'],
  [['integer'], (v) => typeof v === 'number' && Number.isInteger(v)],
  [['float'], (v) => typeof v === 'number' && !Number.isInteger(v)],
  [['string'], (v) => typeof v === 'string'],
  [['boolean'], (v) => typeof v === 'boolean'],
  [['mapping'], (v) => isMapping(v)],
  [['iterable'], (v) => iterableItems(v) !== undefined],
  [['sequence'], (v) => typeof v === 'string' || Array.isArray(v)],
  [['truthy'], (v) => isTruthy(v)],
  [['falsy'], (v) => !isTruthy(v)],
  [['failed', 'failure'], (v, _a, _k, env) => isFailed(registered(v, 'failed', env))],
  [['succeeded', 'success', 'successful'], (v, _a, _k, env) => {
    const r = registered(v, 'succeeded', env);
    return !isFailed(r) && !isUnreachable(r);
  }],
  [['changed', 'change'], (v, _a, _k, env) => isChanged(registered(v, 'changed', env))],
  [['skipped', 'skip'], (v, _a, _k, env) => isSkipped(registered(v, 'skipped', env))],
  [['unreachable'], (v, _a, _k, env) => isUnreachable(registered(v, 'unreachable', env))],
  [['reachable'], (v, _a, _k, env) => !isUnreachable(registered(v, 'reachable', env))],
  [['match'], regexTest('match')],
  [['search', 'regex'], regexTest('search')],
  [['eq', 'equalto', '=='], eq],
  [['ne', '!='], ne],
  [['lt', 'lessthan', '<'], ordered((c) => c < 0)],
  [['le', '<='], ordered((c) => c <= 0)],
  [['gt', 'greaterthan', '>'], ordered((c) => c > 0)],
  [['ge', '>='], ordered((c) => c >= 0)],
  [['in'], (v, args, kwargs, env) => contains(argument(args, kwargs, 0, 'seq'), v, env)],
  [['contains'], (v, args, kwargs, env) => contains(v, argument(args, kwargs, 0, 'value'), env)],
  [['sameas'], (v, args, kwargs) => v === argument(args, kwargs, 0, 'other')],
  [['even'], (v, _a, _k, env) => integerOf(v, env) % 2 === 0],
  [['odd'], (v, _a, _k, env) => Math.abs(integerOf(v, env) % 2) === 1],
  [['divisibleby'], (v, args, kwargs, env) => integerOf(v, env) % integerOf(argument(args, kwargs, 0, 'num'), env) === 0],
  [['lower'], (v) => typeof v === 'string' && v === v.toLowerCase()],
  [['upper'], (v) => typeof v === 'string' && v === v.toUpperCase()],
  [['version', 'version_compare'], (v, args, kwargs, env) => {
    const other = argument(args, kwargs, 0, 'version');
    const op = String(argument(args, kwargs, 1, 'operator', 'eq'));
    if (!Object.hasOwn(VERSION_OPS, op)) env.fail(`unknown version operator '${op}'`);
    if (typeof v !== 'string' && typeof v !== 'number') env.fail(`'version' needs a version string`);
    return VERSION_OPS[op]!(compareVersions(String(v), String(other)));
  }],
];

export const TESTS: ReadonlyMap<string, TestFn> = new Map(
  ENTRIES.flatMap(([names, fn]) => names.map((n): [string, TestFn] => [n, fn])),
);

/** Runs test `name`; throws through env.fail for an unknown name. */
export function runTest(name: string, value: unknown, args: unknown[], kwargs: Mapping, env: CallEnv): boolean {
  const fn = TESTS.get(name);
  if (fn === undefined) env.fail(`unknown test '${name}'`);
  return fn(value, args, kwargs, env);
}
