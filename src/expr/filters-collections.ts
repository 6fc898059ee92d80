/**
 * List filters, as Jinja2 3.1 and ansible-core 2.14 define them: first, last, length, list,
 * join, unique, sort, min, max, sum, select/reject, selectattr/rejectattr, map, flatten and the
 * set operations (reverse, batch, zip, product… are in filters-sequences.ts).
 */
import type { FilterEnv, FilterFn } from './filters.js';
import { applyArithmetic, checkSize } from './operators.js';
import { pyStr } from './py-text.js';
import { isNumeric, isTuple, makeTuple, numberValue } from './py-values.js';
import { argument as arg } from './tests.js';
import { compareValues, deepEqual, getMember, isMapping, isTruthy, iterableItems, typeName, Undefined } from './values.js';

export function items(v: unknown, filter: string, env: FilterEnv): unknown[] {
  const list = iterableItems(v);
  if (list === undefined) env.fail(`${filter} needs a list, not ${typeName(v)}`);
  return list;
}

/** Reads a dotted attribute path ('a.b', 'items.0') of an item; Undefined when missing. */
export function attributeOf(item: unknown, path: unknown, env: FilterEnv): unknown {
  if (typeof path === 'number') return getMember(item, path).found ? getMember(item, path).value : env.undefined(`undefined attribute ${path}`);
  let v = item;
  for (const part of String(path).split('.')) {
    const m = getMember(v, /^-?\d+$/.test(part) && !isMapping(v) ? Number(part) : part);
    if (!m.found) return env.undefined(`undefined attribute '${String(path)}'`);
    v = m.value;
  }
  return v;
}

export function defined(v: unknown, env: FilterEnv): unknown {
  if (v instanceof Undefined) env.fail(v.message);
  return v;
}

function compareOrFail(a: unknown, b: unknown, env: FilterEnv): number {
  const c = compareValues(a, b);
  if (c === undefined) env.fail(`cannot compare ${typeName(a)} with ${typeName(b)}`);
  return Number.isNaN(c) ? 0 : c;
}

/** The key of an item: its attribute(s) (comma-separated names), lowercased when not case sensitive. */
function sortKey(attribute: unknown, caseSensitive: boolean, env: FilterEnv): (x: unknown) => unknown {
  const lower = (v: unknown): unknown => (!caseSensitive && typeof v === 'string' ? v.toLowerCase() : v);
  if (attribute === null || attribute === undefined) return lower;
  const parts = typeof attribute === 'string' ? attribute.split(',') : [attribute];
  if (parts.length === 1) return (x) => lower(defined(attributeOf(x, parts[0], env), env));
  return (x) => makeTuple(parts.map((p) => lower(defined(attributeOf(x, p, env), env))));
}

function extreme(sign: 1 | -1, name: string): FilterFn {
  return (v, args, kwargs, env) => {
    const list = items(v, name, env);
    if (list.length === 0) return env.undefined(`${name} of an empty list`);
    const key = sortKey(arg(args, kwargs, 1, 'attribute', null), isTruthy(arg(args, kwargs, 0, 'case_sensitive', false)), env);
    return list.reduce((best, x) => (compareOrFail(key(x), key(best), env) * sign > 0 ? x : best));
  };
}

/** Items whose key was not seen before (keys equal as Python's ==: 1, 1.0 and true are one). */
function uniqueBy(list: unknown[], key: (x: unknown) => unknown): unknown[] {
  const out: unknown[] = [];
  const seen: unknown[] = [];
  for (const x of list) {
    const k = key(x);
    if (!seen.some((y) => deepEqual(k, y))) {
      seen.push(k);
      out.push(x);
    }
  }
  return out;
}

/**
 * Jinja2's unique: case-insensitive unless asked. When an item is a list or mapping (unhashable
 * in Python), ansible-core falls back to its own case-sensitive version.
 */
export function uniqueOf(list: unknown[], caseSensitive: boolean): unknown[] {
  const hashable = list.every((x) => !(Array.isArray(x) && !isTuple(x)) && !isMapping(x));
  return uniqueBy(list, (x) => (hashable && !caseSensitive && typeof x === 'string' ? x.toLowerCase() : x));
}

/** select/reject: keep items for which test (default: truthy) gives `keep`. */
function selector(keep: boolean): FilterFn {
  return (v, args, kwargs, env) => {
    const list = items(v, keep ? 'select' : 'reject', env);
    const [test, ...rest] = args;
    return list.filter((x) => (test === undefined ? isTruthy(x) : env.test(String(test), x, rest, kwargs)) === keep);
  };
}

function attrSelector(keep: boolean): FilterFn {
  return (v, args, kwargs, env) => {
    const list = items(v, keep ? 'selectattr' : 'rejectattr', env);
    const [attr, test, ...rest] = args;
    if (attr === undefined) return env.fail('selectattr/rejectattr need an attribute name');
    return list.filter((x) => {
      const value = attributeOf(x, attr, env);
      if (test === undefined) return isTruthy(defined(value, env)) === keep;
      const t = String(test);
      const ok = t === 'defined' || t === 'undefined' ? env.test(t, value, rest, kwargs) : env.test(t, defined(value, env), rest, kwargs);
      return ok === keep;
    });
  };
}

const mapFilter: FilterFn = (v, args, kwargs, env) => {
  const list = items(v, 'map', env);
  const attribute = args.length === 0 ? arg([], kwargs, 0, 'attribute') : undefined;
  if (attribute !== undefined) {
    const hasDefault = Object.hasOwn(kwargs, 'default');
    return list.map((x) => {
      const value = attributeOf(x, attribute, env);
      return value instanceof Undefined && hasDefault ? kwargs.default : defined(value, env);
    });
  }
  const [name, ...rest] = args;
  if (typeof name !== 'string') return env.fail(`map needs a filter name or attribute='name'`);
  return list.map((x) => env.filter(name, x, rest, kwargs));
};

/** ansible-core's flatten: lists and tuples are opened `levels` deep; none, 'None' and 'null' are dropped. */
function flatten(list: unknown[], levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const x of list) {
    if (skipNulls && (x === null || x === 'None' || x === 'null')) continue;
    if (Array.isArray(x) && (levels === null || levels >= 1)) out.push(...flatten(x, levels === null ? null : levels - 1, skipNulls));
    else out.push(x);
  }
  return out;
}

function setOp(name: string, pick: (a: unknown[], b: unknown[]) => unknown[]): FilterFn {
  return (v, args, kwargs, env) => uniqueOf(pick(items(v, name, env), items(arg(args, kwargs, 0, 'b'), name, env)), true);
}

const has = (list: unknown[], x: unknown): boolean => list.some((y) => deepEqual(x, y));

export function intArg(v: unknown, what: string, env: FilterEnv): number {
  if (!isNumeric(v) || !Number.isInteger(numberValue(v))) env.fail(`${what} must be an integer`);
  return numberValue(v);
}

export const COLLECTION_FILTERS: Array<[string[], FilterFn]> = [
  [['first'], (v, _a, _k, env) => {
    const list = items(v, 'first', env);
    return list.length > 0 ? list[0] : env.undefined('first of an empty list');
  }],
  [['last'], (v, _a, _k, env) => {
    const list = items(v, 'last', env);
    return list.length > 0 ? list[list.length - 1] : env.undefined('last of an empty list');
  }],
  [['length', 'count'], (v, _a, _k, env) => {
    if (typeof v === 'string') return [...v].length;
    if (Array.isArray(v)) return v.length;
    if (isMapping(v)) return Object.keys(v).length;
    return env.fail(`length needs a string, list or mapping, not ${typeName(v)}`);
  }],
  [['list'], (v, _a, _k, env) => [...items(v, 'list', env)]],
  [['join'], (v, args, kwargs, env) => {
    const attribute = arg(args, kwargs, 1, 'attribute', null);
    const list = items(v, 'join', env).map((x) => (attribute === null ? x : defined(attributeOf(x, attribute, env), env)));
    const out = list.map(pyStr).join(pyStr(arg(args, kwargs, 0, 'd', '')));
    checkSize(out.length, false, 'join', env.fail);
    return out;
  }],
  [['unique'], (v, args, kwargs, env) => {
    const attribute = arg(args, kwargs, 1, 'attribute', null);
    const caseSensitive = isTruthy(arg(args, kwargs, 0, 'case_sensitive', false));
    const list = items(v, 'unique', env);
    return attribute === null ? uniqueOf(list, caseSensitive) : uniqueBy(list, sortKey(attribute, caseSensitive, env));
  }],
  [['sort'], (v, args, kwargs, env) => {
    const reverse = isTruthy(arg(args, kwargs, 0, 'reverse', false));
    const key = sortKey(arg(args, kwargs, 2, 'attribute', null), isTruthy(arg(args, kwargs, 1, 'case_sensitive', false)), env);
    const keyed = items(v, 'sort', env).map((x) => ({ x, k: key(x) }));
    keyed.sort((a, b) => compareOrFail(a.k, b.k, env) * (reverse ? -1 : 1));
    return keyed.map((e) => e.x);
  }],
  [['min'], extreme(-1, 'min')],
  [['max'], extreme(1, 'max')],
  [['sum'], (v, args, kwargs, env) => {
    const attribute = arg(args, kwargs, 0, 'attribute', null);
    let total = arg(args, kwargs, 1, 'start', 0);
    for (const x of items(v, 'sum', env)) {
      const n = attribute === null ? x : defined(attributeOf(x, attribute, env), env);
      if (typeof n === 'string') env.fail("sum can't add strings (use join)");
      total = applyArithmetic('+', total, n, env.fail);
    }
    return total;
  }],
  [['select'], selector(true)],
  [['reject'], selector(false)],
  [['selectattr'], attrSelector(true)],
  [['rejectattr'], attrSelector(false)],
  [['map'], mapFilter],
  [['flatten'], (v, args, kwargs, env) => {
    const levels = arg(args, kwargs, 0, 'levels', null);
    return flatten(items(v, 'flatten', env), levels === null ? null : intArg(levels, 'flatten levels', env), isTruthy(arg(args, kwargs, 1, 'skip_nulls', true)));
  }],
  [['union'], setOp('union', (a, b) => [...a, ...b])],
  [['intersect'], setOp('intersect', (a, b) => a.filter((x) => has(b, x)))],
  [['difference'], setOp('difference', (a, b) => a.filter((x) => !has(b, x)))],
  [['symmetric_difference'], setOp('symmetric_difference', (a, b) => [...a, ...b].filter((x) => has(a, x) !== has(b, x)))],
];
