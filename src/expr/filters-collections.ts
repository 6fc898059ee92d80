/** List filters: first, last, join, unique, sort, min, max, sum, select/reject, selectattr, map… */
import type { FilterEnv, FilterFn } from './filters.js';
import { argument as arg } from './tests.js';
import {
  compareValues, deepEqual, getMember, isMapping, isTruthy, iterableItems, makeMapping, toText, Undefined, type Mapping,
} from './values.js';

function items(v: unknown, filter: string, env: FilterEnv): unknown[] {
  const list = iterableItems(v);
  if (list === undefined) env.fail(`${filter} needs a list, not ${v === null ? 'none' : typeof v}`);
  return list;
}

/** Reads a dotted attribute path ('a.b', 'items.0') of an item; Undefined when missing. */
function attributeOf(item: unknown, path: string, env: FilterEnv): unknown {
  let v = item;
  for (const part of path.split('.')) {
    const m = getMember(v, /^-?\d+$/.test(part) && !isMapping(v) ? Number(part) : part);
    if (!m.found) return env.undefined(`undefined attribute '${path}'`);
    v = m.value;
  }
  return v;
}

function defined(v: unknown, env: FilterEnv): unknown {
  if (v instanceof Undefined) env.fail(v.message);
  return v;
}

function compareOrFail(a: unknown, b: unknown, env: FilterEnv): number {
  const c = compareValues(a, b);
  if (c === undefined) env.fail(`cannot compare ${typeof a} with ${typeof b}`);
  return c;
}

function sortKey(attribute: unknown, caseSensitive: boolean, env: FilterEnv): (x: unknown) => unknown {
  return (x) => {
    const v = typeof attribute === 'string' ? defined(attributeOf(x, attribute, env), env) : x;
    return !caseSensitive && typeof v === 'string' ? v.toLowerCase() : v;
  };
}

function extreme(sign: 1 | -1, name: string): FilterFn {
  return (v, args, kwargs, env) => {
    const list = items(v, name, env);
    if (list.length === 0) return env.undefined(`${name} of an empty list`);
    const key = sortKey(arg(args, kwargs, 0, 'attribute', null), false, env);
    return list.reduce((best, x) => (compareOrFail(key(x), key(best), env) * sign > 0 ? x : best));
  };
}

/** select/reject: keep items for which test (default: truthy) gives `keep`. */
function selector(keep: boolean): FilterFn {
  return (v, args, _kwargs, env) => {
    const list = items(v, keep ? 'select' : 'reject', env);
    const [test, ...rest] = args;
    return list.filter((x) => (test === undefined ? isTruthy(x) : env.test(String(test), x, rest, {})) === keep);
  };
}

function attrSelector(keep: boolean): FilterFn {
  return (v, args, _kwargs, env) => {
    const list = items(v, keep ? 'selectattr' : 'rejectattr', env);
    const [attr, test, ...rest] = args;
    if (typeof attr !== 'string') return env.fail('selectattr/rejectattr need an attribute name');
    return list.filter((x) => {
      const value = attributeOf(x, attr, env);
      if (test === undefined) return isTruthy(value instanceof Undefined ? false : value) === keep;
      const t = String(test);
      const ok = t === 'defined' || t === 'undefined' ? env.test(t, value, rest, {}) : env.test(t, defined(value, env), rest, {});
      return ok === keep;
    });
  };
}

const mapFilter: FilterFn = (v, args, kwargs, env) => {
  const list = items(v, 'map', env);
  // map(attribute='x'), and the positional spelling map('attribute', 'x').
  const attribute = args[0] === 'attribute' ? args[1] : arg([], kwargs, 0, 'attribute');
  if (typeof attribute === 'string') {
    const hasDefault = Object.hasOwn(kwargs, 'default');
    return list.map((x) => {
      const value = attributeOf(x, attribute, env);
      return value instanceof Undefined && hasDefault ? kwargs['default'] : defined(value, env);
    });
  }
  const [name, ...rest] = args;
  if (typeof name !== 'string') return env.fail(`map needs a filter name or attribute='name'`);
  return list.map((x) => env.filter(name, x, rest, {}));
};

function flatten(list: unknown[], levels: number): unknown[] {
  return list.flatMap((x) => (Array.isArray(x) && levels !== 0 ? flatten(x, levels - 1) : [x]));
}

function uniqueOf(list: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of list) if (!out.some((y) => deepEqual(x, y))) out.push(x);
  return out;
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
  [['join'], (v, args, kwargs, env) => {
    const attribute = arg(args, kwargs, 1, 'attribute', null);
    const list = items(v, 'join', env).map((x) => (typeof attribute === 'string' ? defined(attributeOf(x, attribute, env), env) : x));
    return list.map(toText).join(toText(arg(args, kwargs, 0, 'd', '')));
  }],
  [['unique'], (v, _a, _k, env) => uniqueOf(items(v, 'unique', env))],
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
      const n = typeof attribute === 'string' ? defined(attributeOf(x, attribute, env), env) : x;
      if (typeof n === 'number' && typeof total === 'number') total += n;
      else if (Array.isArray(n) && Array.isArray(total)) total = [...total, ...n];
      else env.fail(`sum cannot add ${typeof n} to ${typeof total}`);
    }
    return total;
  }],
  [['select'], selector(true)],
  [['reject'], selector(false)],
  [['selectattr'], attrSelector(true)],
  [['rejectattr'], attrSelector(false)],
  [['map'], mapFilter],
  [['flatten'], (v, args, kwargs, env) => flatten(items(v, 'flatten', env), Number(arg(args, kwargs, 0, 'levels', -1)))],
  [['union'], (v, args, kwargs, env) => uniqueOf([...items(v, 'union', env), ...items(arg(args, kwargs, 0, 'other'), 'union', env)])],
  [['intersect'], (v, args, kwargs, env) => {
    const other = items(arg(args, kwargs, 0, 'other'), 'intersect', env);
    return uniqueOf(items(v, 'intersect', env).filter((x) => other.some((y) => deepEqual(x, y))));
  }],
  [['difference'], (v, args, kwargs, env) => {
    const other = items(arg(args, kwargs, 0, 'other'), 'difference', env);
    return uniqueOf(items(v, 'difference', env).filter((x) => !other.some((y) => deepEqual(x, y))));
  }],
  [['items2dict'], (v, args, kwargs, env) => {
    const keyName = toText(arg(args, kwargs, 0, 'key_name', 'key'));
    const valueName = toText(arg(args, kwargs, 1, 'value_name', 'value'));
    return makeMapping(items(v, 'items2dict', env).map((x): [string, unknown] =>
      [toText(defined(attributeOf(x, keyName, env), env)), defined(attributeOf(x, valueName, env), env)]));
  }],
  [['combine'], (v, args, _kwargs, env) => {
    const maps = [v, ...args];
    if (!maps.every(isMapping)) env.fail('combine needs mappings');
    return makeMapping(maps.flatMap((m) => Object.entries(m as Mapping)));
  }],
];
