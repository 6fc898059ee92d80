/**
 * Value helpers shared by the evaluator, filters and tests: truthiness, text conversion,
 * equality, ordering and the only ways a value's members are ever read.
 */
import { isForbiddenName } from './ast.js';

/** A missing variable, attribute or item: carried until something needs its value, then an error. */
export class Undefined {
  constructor(readonly message: string, readonly offset: number) {}
}

export type Mapping = Record<string, unknown>;

/** Plain objects only (object literals, JSON, YAML maps): no class instances, no functions. */
export function isMapping(v: unknown): v is Mapping {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (Array.isArray(v)) return 'list';
  if (isMapping(v)) return 'mapping';
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return typeof v;
  return 'object';
}

/** Python/Jinja truthiness: '', 0, [], {}, none and false are false. */
export function isTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Number.isNaN(v)) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isMapping(v)) return Object.keys(v).length > 0;
  return true;
}

/**
 * Text of a value inside a string: strings as they are, none as '', booleans as true/false,
 * numbers as JavaScript prints them, lists and mappings as JSON.
 */
export function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? '';
}

/** Deep equality on plain data (lists element-wise, mappings key-wise); 1 == 1.0. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Orders two values like Python: numbers with numbers (booleans count as numbers), strings with
 * strings, lists element by element. Returns undefined when the types cannot be compared.
 */
export function compareValues(a: unknown, b: unknown): number | undefined {
  const na = typeof a === 'boolean' ? Number(a) : a;
  const nb = typeof b === 'boolean' ? Number(b) : b;
  if (typeof na === 'number' && typeof nb === 'number') return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof na === 'string' && typeof nb === 'string') return na < nb ? -1 : na > nb ? 1 : 0;
  if (Array.isArray(na) && Array.isArray(nb)) {
    for (let i = 0; i < Math.min(na.length, nb.length); i += 1) {
      const c = compareValues(na[i], nb[i]);
      if (c === undefined || c !== 0) return c;
    }
    return na.length - nb.length;
  }
  return undefined;
}

/**
 * Reads an own property of a mapping. Absent, forbidden, and present-but-`undefined` (a JS
 * optional field left unset) all count as not found.
 */
export function ownProperty(obj: Mapping, key: string): { found: boolean; value: unknown } {
  if (isForbiddenName(key) || !Object.hasOwn(obj, key) || obj[key] === undefined) return { found: false, value: undefined };
  return { found: true, value: obj[key] };
}

/**
 * Reads `obj.key` / `obj[key]`: own keys of mappings, integer indexes of lists and strings
 * (negative counts from the end), `length` of lists and strings. Nothing else is reachable.
 */
export function getMember(obj: unknown, key: unknown): { found: boolean; value: unknown } {
  const missing = { found: false, value: undefined };
  if (isMapping(obj)) {
    if (typeof key === 'string') return ownProperty(obj, key);
    if (typeof key === 'number' || typeof key === 'boolean') return ownProperty(obj, String(key));
    return missing;
  }
  if (Array.isArray(obj) || typeof obj === 'string') {
    if (key === 'length') return { found: true, value: obj.length };
    if (typeof key !== 'number' || !Number.isInteger(key)) return missing;
    const i = key < 0 ? obj.length + key : key;
    if (i < 0 || i >= obj.length || obj[i] === undefined) return missing;
    return { found: true, value: obj[i] };
  }
  return missing;
}

/** Marks an object that resolves variable names itself (VarScope, in scope.ts). */
export const VARIABLE_SOURCE: unique symbol = Symbol('remedy.variable-source');

export interface VariableSource {
  readonly [VARIABLE_SOURCE]: true;
  lookup(name: string): { found: boolean; value: unknown };
}

function isVariableSource(vars: object): vars is VariableSource {
  return (vars as Partial<VariableSource>)[VARIABLE_SOURCE] === true;
}

/**
 * Lookup of a variable (a VariableSource answers for itself): own properties along the prototype chain of vars (layered vars made with
 * Object.create work), never Object.prototype. A variable whose value is `undefined` is not found.
 */
export function lookupVariable(vars: object, name: string): { found: boolean; value: unknown } {
  if (isForbiddenName(name)) return { found: false, value: undefined };
  if (isVariableSource(vars)) return vars.lookup(name);
  for (let o: object | null = vars; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    if (Object.hasOwn(o, name)) {
      const value = (o as Mapping)[name];
      return value === undefined ? { found: false, value } : { found: true, value };
    }
  }
  return { found: false, value: undefined };
}

/** Creates a mapping from entries without ever touching a prototype (keys are own, enumerable). */
export function makeMapping(entries: Iterable<[string, unknown]>): Mapping {
  const out: Mapping = {};
  for (const [k, v] of entries) {
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The items of something iterable: list items, string characters, mapping keys. */
export function iterableItems(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isMapping(v)) return Object.keys(v);
  return undefined;
}
