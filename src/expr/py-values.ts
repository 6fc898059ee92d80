/**
 * Python's value model on plain JavaScript data, as far as Jinja2 can tell the difference:
 *  - int and float: a JS number that is a whole number is an int; one that is not is a float;
 *    a float whose value is whole (4040.0, what `4040 / 1` gives) is a PyFloat while an
 *    expression is evaluated. PyFloats never leave the language: `toPlain` turns them back
 *    into numbers, so registered results, set_fact values and the report stay plain JSON.
 *  - tuple: a plain array remembered in a WeakSet (so it prints as `(1, 2)` and `(1,) != [1]`).
 *  - namespace(): a plain mapping remembered in a WeakSet (`{% set ns.x = … %}` may write it).
 * Everything else is a plain JS value: string, boolean, null (None), array (list), mapping (dict).
 */

/** A float whose value is a whole number, such as 4040.0; other floats are plain numbers. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** The largest integer remedy computes exactly (Python's ints have no limit). */
export const MAX_EXACT_INT = Number.MAX_SAFE_INTEGER;

const tuples = new WeakSet<object>();
const namespaces = new WeakSet<object>();

/** Marks an array as a tuple and returns it. */
export function makeTuple<T extends unknown[]>(items: T): T {
  tuples.add(items);
  return items;
}

export function isTuple(v: unknown): boolean {
  return Array.isArray(v) && tuples.has(v);
}

/** Marks a mapping as a namespace() object (the only mapping a template may assign attributes to). */
export function markNamespace<T extends object>(m: T): T {
  namespaces.add(m);
  return m;
}

export function isNamespace(v: unknown): boolean {
  return typeof v === 'object' && v !== null && namespaces.has(v);
}

/** int or float (booleans are not numbers here, although Python lets them take part in arithmetic). */
export function isNumber(v: unknown): v is number | PyFloat {
  return typeof v === 'number' || v instanceof PyFloat;
}

/** int, float or bool: what Python's arithmetic accepts. */
export function isNumeric(v: unknown): v is number | PyFloat | boolean {
  return isNumber(v) || typeof v === 'boolean';
}

/** The JS number of an int, float or bool. */
export function numberValue(v: number | PyFloat | boolean): number {
  if (v instanceof PyFloat) return v.value;
  return typeof v === 'boolean' ? Number(v) : v;
}

export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** A float with value n (a PyFloat when n is whole, so that it still prints as `n.0`). */
export function makeFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

/** A float when either operand is one, an int otherwise. */
export function makeNumber(n: number, float: boolean): number | PyFloat {
  return float ? makeFloat(n) : n;
}

/**
 * The value with every PyFloat turned back into a JS number (copy on write: structures without
 * one are returned as they are). Tuples stay tuples.
 */
export function toPlain(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i += 1) {
      const p = toPlain(v[i]);
      if (p !== v[i] && out === undefined) out = v.slice(0, i);
      if (out !== undefined) out.push(p);
    }
    if (out === undefined) return v;
    return isTuple(v) ? makeTuple(out) : out;
  }
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    const m = v as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    const keys = Object.keys(m);
    for (const [i, k] of keys.entries()) {
      const p = toPlain(m[k]);
      if (p !== m[k] && out === undefined) {
        out = {};
        for (const before of keys.slice(0, i)) define(out, before, m[before]);
      }
      if (out !== undefined) define(out, k, p);
    }
    return out ?? v;
  }
  return v;
}

function define(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** A symbol key: invisible to Object.keys, JSON and member access, so the mapping stays plain data. */
const LOOP = Symbol('loop');

/** Marks a mapping as a for loop's `loop` variable (which has the cycle() method). */
export function markLoop<T extends object>(m: T): T {
  (m as Record<symbol, boolean>)[LOOP] = true;
  return m;
}

export function isLoop(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[LOOP] === true;
}
