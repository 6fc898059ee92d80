/**
 * Mapping and path filters, as ansible-core 2.14 and Jinja2 3.1 define them: combine (recursive,
 * list_merge), dict2items, items2dict, items, dictsort, groupby, subelements, extract, ternary,
 * basename, dirname, splitext, path_join.
 */
import type { FilterEnv, FilterFn } from './filters.js';
import { attributeOf, defined, items } from './filters-collections.js';
import { pyStr } from './py-text.js';
import { makeTuple } from './py-values.js';
import { argument as arg } from './tests.js';
import { compareValues, deepEqual, getMember, isMapping, isTruthy, makeMapping, Undefined, type Mapping } from './values.js';

const LIST_MERGES = ['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp'];

/** ansible-core's merge_hash: y's keys win; nested mappings merged when recursive; lists per list_merge. */
function mergeHash(x: Mapping, y: Mapping, recursive: boolean, listMerge: string): Mapping {
  const out = makeMapping(Object.keys(x).map((k): [string, unknown] => [k, x[k]]));
  for (const key of Object.keys(y)) {
    const yv = y[key];
    const xv = Object.hasOwn(out, key) ? out[key] : undefined;
    let value: unknown = yv;
    if (xv !== undefined && isMapping(xv) && isMapping(yv)) {
      value = recursive ? mergeHash(xv, yv, recursive, listMerge) : yv;
    } else if (Array.isArray(xv) && Array.isArray(yv)) {
      const notInY = xv.filter((z) => !yv.some((w) => deepEqual(z, w)));
      value = {
        replace: yv, keep: xv, append: [...xv, ...yv], prepend: [...yv, ...xv], append_rp: [...notInY, ...yv], prepend_rp: [...yv, ...notInY],
      }[listMerge];
    }
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const combine: FilterFn = (v, args, kwargs, env) => {
  const unknown = Object.keys(kwargs).filter((k) => k !== 'recursive' && k !== 'list_merge');
  if (unknown.length > 0) env.fail("combine: 'recursive' and 'list_merge' are the only valid keyword arguments");
  const recursive = isTruthy(kwargs.recursive ?? false);
  const listMerge = String(kwargs.list_merge ?? 'replace');
  if (!LIST_MERGES.includes(listMerge)) env.fail(`combine: list_merge must be one of ${LIST_MERGES.join(', ')}`);
  const dicts = [v, ...args].flatMap((t) => (Array.isArray(t) ? t : [t]));
  if (!dicts.every(isMapping)) return env.fail('combine needs mappings');
  if (dicts.length === 0) return makeMapping([]);
  return (dicts as Mapping[]).reduce((acc, d) => mergeHash(acc, d, recursive, listMerge));
};

function dict2items(v: unknown, args: unknown[], kwargs: Mapping, env: FilterEnv): unknown {
  if (!isMapping(v)) return env.fail(`dict2items requires a dictionary, got ${pyStr(v)} instead`);
  const keyName = pyStr(arg(args, kwargs, 0, 'key_name', 'key'));
  const valueName = pyStr(arg(args, kwargs, 1, 'value_name', 'value'));
  return Object.keys(v).map((key) => makeMapping([[keyName, key], [valueName, v[key]]]));
}

function items2dict(v: unknown, args: unknown[], kwargs: Mapping, env: FilterEnv): unknown {
  if (!Array.isArray(v)) return env.fail('items2dict requires a list');
  const keyName = pyStr(arg(args, kwargs, 0, 'key_name', 'key'));
  const valueName = pyStr(arg(args, kwargs, 1, 'value_name', 'value'));
  return makeMapping(v.map((item): [string, unknown] => {
    if (!isMapping(item) || !Object.hasOwn(item, keyName) || !Object.hasOwn(item, valueName)) {
      env.fail(`items2dict requires each item to be a mapping with the keys '${keyName}' and '${valueName}'`);
    }
    return [pyStr(item[keyName]), item[valueName]];
  }));
}

function subelements(v: unknown, args: unknown[], kwargs: Mapping, env: FilterEnv): unknown[] {
  const elements = isMapping(v) ? Object.keys(v).map((k) => v[k]) : Array.isArray(v) ? v : env.fail('subelements: obj must be a list of dicts or a nested dict');
  const path = arg(args, kwargs, 0, 'subelements');
  const parts = Array.isArray(path) ? path.map(String) : typeof path === 'string' ? path.split('.') : env.fail('subelements must be a list or a string');
  const skipMissing = isTruthy(arg(args, kwargs, 1, 'skip_missing', false));
  const out: unknown[] = [];
  for (const element of elements) {
    let values: unknown = element;
    for (const part of parts) {
      if (!isMapping(values)) return env.fail(`subelements: the key ${part} should point to a dictionary, got ${pyStr(values)}`);
      if (!Object.hasOwn(values, part)) {
        if (skipMissing) {
          values = [];
          break;
        }
        return env.fail(`subelements: could not find '${part}' key in iterated item ${pyStr(values)}`);
      }
      values = values[part];
    }
    if (!Array.isArray(values)) return env.fail(`subelements: the key '${parts.join('.')}' should point to a list, got ${pyStr(values)}`);
    for (const value of values) out.push(makeTuple([element, value]));
  }
  return out;
}

function sortedPairs(pairs: Array<[unknown, unknown]>, keyOf: (p: [unknown, unknown]) => unknown, reverse: boolean, env: FilterEnv): unknown[] {
  const keyed = pairs.map((p) => ({ p, k: keyOf(p) }));
  keyed.sort((a, b) => {
    const c = compareValues(a.k, b.k);
    if (c === undefined) env.fail('cannot compare the values to sort');
    return (Number.isNaN(c) ? 0 : c) * (reverse ? -1 : 1);
  });
  return keyed.map((e) => makeTuple([...e.p]));
}

function dictsort(v: unknown, args: unknown[], kwargs: Mapping, env: FilterEnv): unknown[] {
  if (!isMapping(v)) return env.fail('dictsort needs a mapping');
  const caseSensitive = isTruthy(arg(args, kwargs, 0, 'case_sensitive', false));
  const by = arg(args, kwargs, 1, 'by', 'key');
  if (by !== 'key' && by !== 'value') env.fail("dictsort: you can only sort by either 'key' or 'value'");
  const lower = (x: unknown): unknown => (!caseSensitive && typeof x === 'string' ? x.toLowerCase() : x);
  return sortedPairs(Object.keys(v).map((k): [unknown, unknown] => [k, v[k]]), (p) => lower(p[by === 'key' ? 0 : 1]), isTruthy(arg(args, kwargs, 2, 'reverse', false)), env);
}

function groupby(v: unknown, args: unknown[], kwargs: Mapping, env: FilterEnv): unknown[] {
  const attribute = arg(args, kwargs, 0, 'attribute');
  const hasDefault = args.length > 1 || Object.hasOwn(kwargs, 'default');
  const caseSensitive = isTruthy(arg(args, kwargs, 2, 'case_sensitive', false));
  const keyOf = (x: unknown): unknown => {
    const k = attributeOf(x, attribute, env);
    return hasDefault && k instanceof Undefined ? arg(args, kwargs, 1, 'default') : defined(k, env);
  };
  const lower = (k: unknown): unknown => (!caseSensitive && typeof k === 'string' ? k.toLowerCase() : k);
  const sorted = sortedPairs(items(v, 'groupby', env).map((x): [unknown, unknown] => [keyOf(x), x]), (p) => lower(p[0]), false, env) as unknown[][];
  const groups: Array<{ key: unknown; list: unknown[] }> = [];
  for (const [key, item] of sorted) {
    const last = groups[groups.length - 1];
    if (last && deepEqual(lower(last.key), lower(key))) last.list.push(item);
    else groups.push({ key, list: [item] });
  }
  return groups.map((g) => makeTuple([g.key, g.list]));
}

/** posixpath.join: an absolute part starts over. */
function pathJoin(parts: string[]): string {
  let out = '';
  for (const p of parts) {
    if (p.startsWith('/')) out = p;
    else if (out === '' || out.endsWith('/')) out += p;
    else out += `/${p}`;
  }
  return out;
}

function splitext(p: string): [string, string] {
  const base = p.slice(p.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return [p, ''];
  const cut = p.length - base.length + dot;
  return [p.slice(0, cut), p.slice(cut)];
}

export const MAPPING_FILTERS: Array<[string[], FilterFn]> = [
  [['combine'], combine],
  [['dict2items'], dict2items],
  [['items2dict'], items2dict],
  [['items'], (v, _a, _k, env) => (isMapping(v) ? Object.keys(v).map((k) => makeTuple([k, v[k]])) : env.fail('items: can only get item pairs from a mapping'))],
  [['dictsort'], dictsort],
  [['groupby'], groupby],
  [['subelements'], subelements],
  [['extract'], (v, args, kwargs, env) => {
    const more = arg(args, kwargs, 1, 'morekeys', null);
    const keys = [v, ...(more === null ? [] : Array.isArray(more) ? more : [more])];
    let value: unknown = arg(args, kwargs, 0, 'container');
    for (const key of keys) {
      const m = getMember(value, key);
      if (!m.found) return env.undefined(`extract: no item ${pyStr(key)}`);
      value = m.value;
    }
    return value;
  }],
  [['ternary'], (v, args, kwargs, env) => {
    if (args.length + Object.keys(kwargs).length < 2) env.fail('ternary needs true_val and false_val');
    const noneVal = arg(args, kwargs, 2, 'none_val', null);
    if (v === null && noneVal !== null) return noneVal;
    return isTruthy(v) ? arg(args, kwargs, 0, 'true_val') : arg(args, kwargs, 1, 'false_val');
  }],
  [['basename'], (v) => { const p = pyStr(v); return p.slice(p.lastIndexOf('/') + 1); }],
  [['dirname'], (v) => {
    const p = pyStr(v);
    const head = p.slice(0, p.lastIndexOf('/') + 1);
    return /^\/+$/.test(head) ? head : head.replace(/\/+$/, '');
  }],
  [['splitext'], (v) => makeTuple(splitext(pyStr(v)))],
  [['path_join'], (v, _a, _k, env) => {
    if (typeof v === 'string') return v;
    if (!Array.isArray(v)) return env.fail(`path_join expects a string or a list, got ${pyStr(v)}`);
    return pathJoin(v.map((p) => (typeof p === 'string' ? p : env.fail('path_join: every part must be a string'))));
  }],
];
