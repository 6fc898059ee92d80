/**
 * Filters: `value | name` and `value | name(args, key=value)`. The registry of every filter;
 * text filters live in filters-text.ts, conversions and data formats in filters-data.ts, base64 and hashes in filters-encode.ts, lists
 * in filters-collections.ts and filters-sequences.ts, mappings and paths in filters-mappings.ts. Every filter receives a
 * defined value; `default` and `mandatory` are special-cased by the evaluator for undefined input.
 * Filters that reach the controller (files, clock, randomness, secrets) are refused by name.
 */
import { COLLECTION_FILTERS } from './filters-collections.js';
import { DATA_FILTERS } from './filters-data.js';
import { ENCODE_FILTERS } from './filters-encode.js';
import { MAPPING_FILTERS } from './filters-mappings.js';
import { SEQUENCE_FILTERS } from './filters-sequences.js';
import { TEXT_FILTERS } from './filters-text.js';
import { pyStr } from './py-text.js';
import { argument as arg, type CallEnv } from './tests.js';
import { isTruthy, Undefined, type Mapping } from './values.js';

export interface FilterEnv extends CallEnv {
  /** An undefined result (e.g. first of an empty list) that `default` can still replace. */
  undefined(message: string): Undefined;
  /** Applies another filter (for map). */
  filter(name: string, value: unknown, args: unknown[], kwargs: Mapping): unknown;
  /** Runs a test (for select, reject, selectattr, rejectattr). */
  test(name: string, value: unknown, args: unknown[], kwargs: Mapping): boolean;
}

export type FilterFn = (value: unknown, args: unknown[], kwargs: Mapping, env: FilterEnv) => unknown;

const CORE: Array<[string[], FilterFn]> = [
  [['default', 'd'], (v, args, kwargs) =>
    isTruthy(arg(args, kwargs, 1, 'boolean', false)) && !isTruthy(v) ? arg(args, kwargs, 0, 'default_value', '') : v],
  [['mandatory'], (v) => v],
  [['safe'], (v) => v],
  [['escape', 'e', 'forceescape'], (v) => pyStr(v).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)],
];

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

const REFUSED: Record<string, string> = {
  random: 'the random filter is not supported: a playbook run must not depend on chance',
  shuffle: 'the shuffle filter is not supported: a playbook run must not depend on chance',
  expanduser: "expanduser is not supported: the controller's home directory means nothing on the hosts",
  expandvars: "expandvars is not supported: the controller's environment means nothing on the hosts",
  realpath: 'realpath is not supported: it reads the controller file system',
  relpath: 'relpath is not supported: it reads the controller file system',
  fileglob: 'fileglob is not supported: it reads the controller file system',
  strftime: 'strftime is not supported: a playbook run does not depend on the controller clock',
  to_datetime: 'to_datetime is not supported',
  password_hash: 'password_hash is not supported',
  vault: 'vault is not supported',
  unvault: 'unvault is not supported',
};

export const FILTERS: ReadonlyMap<string, FilterFn> = new Map(
  [...CORE, ...TEXT_FILTERS, ...DATA_FILTERS, ...ENCODE_FILTERS, ...COLLECTION_FILTERS, ...SEQUENCE_FILTERS, ...MAPPING_FILTERS]
    .flatMap(([names, fn]) => names.map((n): [string, FilterFn] => [n, fn])),
);

/** Why a filter name cannot be used: unknown, or refused with a reason. */
export function unknownFilter(name: string): string {
  return Object.hasOwn(REFUSED, name) ? REFUSED[name]! : `unknown filter '${name}'`;
}

/** Applies filter `name`; throws through env.fail for an unknown name. */
export function runFilter(name: string, value: unknown, args: unknown[], kwargs: Mapping, env: FilterEnv): unknown {
  const fn = FILTERS.get(name);
  if (fn === undefined) env.fail(unknownFilter(name));
  return fn(value, args, kwargs, env);
}
