/**
 * Filters that reshape sequences, as Jinja2 3.1 and ansible-core 2.14 define them: reverse,
 * batch, slice, zip, zip_longest, product, permutations, combinations. Anything that builds a
 * list is bounded by MAX_LIST_LENGTH before it is built.
 */
import type { FilterEnv, FilterFn } from './filters.js';
import { intArg, items } from './filters-collections.js';
import { checkSize } from './operators.js';
import { makeTuple } from './py-values.js';
import { argument as arg } from './tests.js';

/** The cartesian product of lists, as itertools.product (a list of tuples), bounded before it is built. */
function product(lists: unknown[][], env: FilterEnv): unknown[] {
  checkSize(lists.reduce((n, l) => n * l.length, 1), true, 'product', env.fail);
  let out: unknown[][] = [[]];
  for (const l of lists) out = out.flatMap((prefix) => l.map((x) => [...prefix, x]));
  return out.map((t) => makeTuple(t));
}

function choose(list: unknown[], r: number, ordered: boolean, env: FilterEnv): unknown[] {
  let count = 1;
  for (let i = 0; i < r; i += 1) count = (count * (list.length - i)) / (ordered ? 1 : i + 1);
  checkSize(r > list.length ? 0 : count, true, ordered ? 'permutations' : 'combinations', env.fail);
  const out: unknown[] = [];
  const walk = (picked: number[]): void => {
    if (picked.length === r) {
      out.push(makeTuple(picked.map((i) => list[i])));
      return;
    }
    const from = ordered ? 0 : (picked[picked.length - 1] ?? -1) + 1;
    for (let i = from; i < list.length; i += 1) if (!picked.includes(i)) walk([...picked, i]);
  };
  if (r <= list.length) walk([]);
  return out;
}

export const SEQUENCE_FILTERS: Array<[string[], FilterFn]> = [
  [['reverse'], (v, _a, _k, env) => (typeof v === 'string' ? [...v].reverse().join('') : [...items(v, 'reverse', env)].reverse())],
  [['batch'], (v, args, kwargs, env) => {
    const size = intArg(arg(args, kwargs, 0, 'linecount'), 'batch size', env);
    if (size <= 0) env.fail('batch size must be positive');
    const fill = arg(args, kwargs, 1, 'fill_with', null);
    const list = items(v, 'batch', env);
    const out: unknown[][] = [];
    for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
    const last = out[out.length - 1];
    if (fill !== null && last && last.length < size) {
      checkSize(size, true, 'batch', env.fail);
      while (last.length < size) last.push(fill);
    }
    return out;
  }],
  [['slice'], (v, args, kwargs, env) => {
    const slices = intArg(arg(args, kwargs, 0, 'slices'), 'slice count', env);
    if (slices <= 0) env.fail('slice count must be positive');
    checkSize(slices, true, 'slice', env.fail);
    const list = items(v, 'slice', env);
    const per = Math.floor(list.length / slices);
    const extra = list.length % slices;
    const fill = arg(args, kwargs, 1, 'fill_with', null);
    const out: unknown[][] = [];
    let offset = 0;
    for (let i = 0; i < slices; i += 1) {
      const n = per + (i < extra ? 1 : 0);
      const part = list.slice(offset, offset + n);
      offset += n;
      if (fill !== null && i >= extra) part.push(fill);
      out.push(part);
    }
    return out;
  }],
  [['zip'], (v, args, _k, env) => {
    const lists = [v, ...args].map((l) => items(l, 'zip', env));
    const n = Math.min(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => makeTuple(lists.map((l) => l[i])));
  }],
  [['zip_longest'], (v, args, kwargs, env) => {
    const lists = [v, ...args].map((l) => items(l, 'zip_longest', env));
    const fill = arg([], kwargs, 0, 'fillvalue', null);
    const n = Math.max(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => makeTuple(lists.map((l) => (i < l.length ? l[i] : fill))));
  }],
  [['product'], (v, args, kwargs, env) => {
    const lists = [v, ...args].map((l) => items(l, 'product', env));
    const repeat = intArg(arg([], kwargs, 0, 'repeat', 1), 'product repeat', env);
    return product(Array.from({ length: Math.max(repeat, 0) }, () => lists).flat(), env);
  }],
  [['permutations'], (v, args, kwargs, env) => {
    const list = items(v, 'permutations', env);
    const r = arg(args, kwargs, 0, 'r', null);
    return choose(list, r === null ? list.length : intArg(r, 'permutations r', env), true, env);
  }],
  [['combinations'], (v, args, kwargs, env) => choose(items(v, 'combinations', env), intArg(arg(args, kwargs, 0, 'r'), 'combinations r', env), false, env)],
];
