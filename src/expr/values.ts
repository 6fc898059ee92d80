/**
 * Value helpers shared by the evaluator, filters and tests: truthiness, text conversion,
 * equality, ordering and the only ways a value's members are ever read.
 */
import { isForbiddenName } from './ast.js';
import { pyStr } from './py-text.js';
import { isNumeric, isTuple, numberValue, PyFloat } from './py-values.js';

/**
 * A missing variable, attribute or item: carried until something needs its value, then an error.
 * A lenient one (`x if c` without else, when c is false) prints as '' as in Jinja.
 */
export class Undefined {
  constructor(readonly message: string, readonly offset: number, readonly lenient = false) {}
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
  if (typeof v === 'number' || v instanceof PyFloat) return 'number';
  if (typeof v === 'string' || typeof v === 'boolean') return typeof v;
  return 'object';
}

/** Python/Jinja truthiness: '', 0, 0.0, [], (), {}, none and false are false (nan is true). */
export function isTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isMapping(v)) return Object.keys(v).length > 0;
  return true;
}

/** Python's str() of a value: strings as they are, `None`, `True`, `[443, 80]`, `{'a': 1}`, `4040.0`. */
export function toText(v: unknown): string {
  return pyStr(v);
}

/** Python's ==: lists element-wise (a list never equals a tuple), mappings key-wise; 1 == 1.0 == True. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return !Number.isNaN(a);
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (isNumeric(a) && isNumeric(b)) return numberValue(a) === numberValue(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return isTuple(a) === isTuple(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Orders two values like Python: numbers with numbers (booleans count as numbers), strings with
 * strings (by code point), lists with lists and tuples with tuples element by element. Returns
 * undefined when the types cannot be compared. A comparison with nan is never true: NaN results.
 */
export function compareValues(a: unknown, b: unknown): number | undefined {
  if (isNumeric(a) && isNumeric(b)) {
    const x = numberValue(a);
    const y = numberValue(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  }
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  const na = a;
  const nb = b;
  if (Array.isArray(na) && Array.isArray(nb) && isTuple(na) === isTuple(nb)) {
    for (let i = 0; i < Math.min(na.length, nb.length); i += 1) {
      const c = compareValues(na[i], nb[i]);
      if (c === undefined || c !== 0) return c;
    }
    return na.length - nb.length;
  }
  return undefined;
}

/** Compares strings by code point, as Python does (JS compares UTF-16 units). */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  if (!/[\uD800-\uDFFF]/.test(a + b)) return a < b ? -1 : 1;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    if (x[i] !== y[i]) return x[i]!.codePointAt(0)! < y[i]!.codePointAt(0)! ? -1 : 1;
  }
  return x.length - y.length;
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
    const seq = typeof obj === 'string' ? characters(obj) : obj;
    if (key === 'length') return { found: true, value: seq.length };
    const n = typeof key === 'boolean' ? Number(key) : key;
    if (typeof n !== 'number' || !Number.isInteger(n)) return missing;
    const i = n < 0 ? seq.length + n : n;
    if (i < 0 || i >= seq.length || seq[i] === undefined) return missing;
    return { found: true, value: seq[i] };
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

/** The characters of a string as Python counts them (code points; a string without surrogates as it is). */
export function characters(s: string): string | string[] {
  return /[\uD800-\uDFFF]/.test(s) ? [...s] : s;
}

/** Creates a mapping from entries without ever touching a prototype (keys are own, enumerable). */
export function makeMapping(entries: Iterable<[string, unknown]>): Mapping {
  const out: Mapping = {};
  for (const [k, v] of entries) {
    // Only '__proto__' is a setter on Object.prototype: it gets an own property; plain assignment
    // is safe (and much faster) for every other key.
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
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
