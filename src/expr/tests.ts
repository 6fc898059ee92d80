/**
 * Jinja2 and ansible-core "tests": `x is NAME`, `x is NAME(args)`, `x is NAME arg`, `x is not
 * NAME`, and the names select()/reject() take. `defined` and `undefined` receive the raw value
 * (possibly Undefined); every other test receives a defined value. The registered-result tests
 * read remedy's results (`status`) as well as Ansible's `failed`/`changed`/`skipped` fields.
 */
import { pyStr } from './py-text.js';
import { isFloat, isNumber, isNumeric, numberValue } from './py-values.js';
import { checkSubject, compileRegex, RegexError } from './regex.js';
import {
  compareValues, deepEqual, isMapping, isTruthy, iterableItems, ownProperty, Undefined, type Mapping,
} from './values.js';
import { versionTest } from './version.js';

export { compareVersions } from './version.js';

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
  if (!isMapping(value)) env.fail(`the '${test}' test expects a dictionary (a registered result)`);
  return value;
}

function field(r: Mapping, name: string): unknown {
  return ownProperty(r, name).value;
}

const isFailed = (r: Mapping): boolean => isTruthy(field(r, 'failed')) || field(r, 'status') === 'failed';
const isChanged = (r: Mapping): boolean => isTruthy(field(r, 'changed')) || field(r, 'status') === 'changed';
const isSkipped = (r: Mapping): boolean => isTruthy(field(r, 'skipped')) || field(r, 'status') === 'skipped';
const isUnreachable = (r: Mapping): boolean => isTruthy(field(r, 'unreachable')) || field(r, 'status') === 'unreachable';

function regexTest(mode: 'match' | 'search'): TestFn {
  return (value, args, kwargs, env) => {
    const pattern = pyStr(argument(args, kwargs, 0, 'pattern', ''));
    const subject = pyStr(value);
    const type = mode === 'search' ? String(argument(args, kwargs, 3, 'match_type', 'search')) : mode;
    try {
      const re = compileRegex(pattern, {
        ignoreCase: isTruthy(argument(args, kwargs, 1, 'ignorecase', false)),
        multiline: isTruthy(argument(args, kwargs, 2, 'multiline', false)),
      });
      checkSubject(subject);
      if (type === 'search') return re.test(subject);
      const anchored = new RegExp(type === 'fullmatch' ? `(?:${re.source})$` : re.source, `${re.flags}y`);
      return anchored.test(subject);
    } catch (err) {
      if (err instanceof RegexError) env.fail(err.message);
      throw err;
    }
  };
}

function ordered(pred: (c: number) => boolean): TestFn {
  return (value, args, kwargs, env) => {
    const other = argument(args, kwargs, 0, 'other');
    const c = compareValues(value, other);
    if (c === undefined) return env.fail(`cannot compare ${pyStr(value)} with ${pyStr(other)}`);
    return pred(c);
  };
}

/** Python's `in`: substring of a string, element of a list (==), own key of a mapping. */
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

const eq: TestFn = (v, args, kwargs) => deepEqual(v, argument(args, kwargs, 0, 'other'));
const ne: TestFn = (v, args, kwargs) => !deepEqual(v, argument(args, kwargs, 0, 'other'));

function modulo(v: unknown, by: unknown, env: CallEnv): number {
  if (!isNumeric(v) || !isNumeric(by)) return env.fail('needs numbers');
  const b = numberValue(by);
  if (b === 0) env.fail('division by zero');
  const m = numberValue(v) % b;
  return m !== 0 && (m < 0) !== (b < 0) ? m + b : m;
}

/** Python's str.islower()/isupper(): at least one cased character, all of them in that case. */
function caseTest(v: unknown, upper: boolean): boolean {
  const s = pyStr(v);
  if (!/[\p{Lu}\p{Ll}\p{Lt}]/u.test(s)) return false;
  return upper ? s === s.toUpperCase() && !/\p{Ll}/u.test(s) : s === s.toLowerCase() && !/[\p{Lu}\p{Lt}]/u.test(s);
}

function items(v: unknown, env: CallEnv): unknown[] {
  return iterableItems(v) ?? env.fail(`${pyStr(v)} is not iterable`);
}

const ENTRIES: Array<[string[], TestFn]> = [
  [['defined'], (v) => !(v instanceof Undefined)],
  [['undefined'], (v) => v instanceof Undefined],
  [['none'], (v) => v === null || v === undefined],
  [['true'], (v) => v === true],
  [['false'], (v) => v === false],
  [['boolean'], (v) => typeof v === 'boolean'],
  [['number'], (v) => isNumeric(v)],
  [['integer'], (v) => isNumber(v) && !isFloat(v)],
  [['float'], (v) => isFloat(v)],
  [['string'], (v) => typeof v === 'string'],
  [['mapping'], (v) => isMapping(v)],
  [['iterable'], (v) => iterableItems(v) !== undefined],
  [['sequence'], (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v)],
  [['callable'], () => false],
  [['escaped'], () => false],
  [['truthy'], (v) => isTruthy(v)],
  [['falsy'], (v) => !isTruthy(v)],
  [['nan', 'isnan'], (v) => isNumeric(v) && Number.isNaN(numberValue(v))],
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
  [['search'], regexTest('search')],
  [['regex'], regexTest('search')],
  [['eq', 'equalto', '=='], eq],
  [['ne', '!='], ne],
  [['lt', 'lessthan', '<'], ordered((c) => c < 0)],
  [['le', '<='], ordered((c) => c <= 0)],
  [['gt', 'greaterthan', '>'], ordered((c) => c > 0)],
  [['ge', '>='], ordered((c) => c >= 0)],
  [['in'], (v, args, kwargs, env) => contains(argument(args, kwargs, 0, 'seq'), v, env)],
  [['contains'], (v, args, kwargs, env) => contains(v, argument(args, kwargs, 0, 'value'), env)],
  [['sameas'], (v, args, kwargs) => {
    const other = argument(args, kwargs, 0, 'other');
    return v === other || (isNumeric(v) && isNumeric(other) && typeof v === typeof other && numberValue(v) === numberValue(other) && isFloat(v) === isFloat(other));
  }],
  [['even'], (v, _a, _k, env) => modulo(v, 2, env) === 0],
  [['odd'], (v, _a, _k, env) => modulo(v, 2, env) === 1],
  [['divisibleby'], (v, args, kwargs, env) => modulo(v, argument(args, kwargs, 0, 'num'), env) === 0],
  [['lower'], (v) => caseTest(v, false)],
  [['upper'], (v) => caseTest(v, true)],
  [['any'], (v, _a, _k, env) => items(v, env).some(isTruthy)],
  [['all'], (v, _a, _k, env) => items(v, env).every(isTruthy)],
  [['subset', 'issubset'], (v, args, kwargs, env) => {
    const b = items(argument(args, kwargs, 0, 'b'), env);
    return items(v, env).every((x) => b.some((y) => deepEqual(x, y)));
  }],
  [['superset', 'issuperset'], (v, args, kwargs, env) => {
    const a = items(v, env);
    return items(argument(args, kwargs, 0, 'b'), env).every((x) => a.some((y) => deepEqual(x, y)));
  }],
  [['abs', 'is_abs'], (v) => pyStr(v).startsWith('/')],
  [['version', 'version_compare'], (v, args, kwargs, env) => {
    const strictArg = argument(args, kwargs, 2, 'strict');
    const typeArg = argument(args, kwargs, 3, 'version_type');
    return versionTest(pyStr(v), pyStr(argument(args, kwargs, 0, 'version', '')), pyStr(argument(args, kwargs, 1, 'operator', 'eq')),
      strictArg === undefined || strictArg === null ? undefined : isTruthy(strictArg), typeArg === undefined || typeArg === null ? undefined : pyStr(typeArg), env.fail);
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
