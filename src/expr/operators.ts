/**
 * Python's arithmetic on the value model of py-values.ts: int op int stays an int (except `/`),
 * a float operand makes a float, booleans count as 0 and 1; `+` joins strings, lists and tuples,
 * `*` repeats them, `%` on a string formats it. Results are bounded: no string longer than
 * MAX_TEXT_LENGTH, no list longer than MAX_LIST_LENGTH, no int beyond 2**53 (where JavaScript
 * numbers stop being exact; Python's ints are unbounded, so remedy stops with an error instead
 * of printing wrong digits).
 */
import type { BinaryOp } from './ast.js';
import { formatPercent } from './percent-format.js';
import { isFloat, isNumeric, isTuple, makeNumber, makeTuple, MAX_EXACT_INT, numberValue, type PyFloat } from './py-values.js';
import { toText, typeName } from './values.js';

/** Longest string any operator, filter or template may build (16 MiB). */
export const MAX_TEXT_LENGTH = 16 * 1024 * 1024;
/** Longest list any operator, filter or function may build. */
export const MAX_LIST_LENGTH = 1_000_000;

export type Fail = (message: string) => never;

/** Fails unless a string or list about to be built (of `length`) is within the limits. */
export function checkSize(length: number, list: boolean, what: string, fail: Fail): void {
  const max = list ? MAX_LIST_LENGTH : MAX_TEXT_LENGTH;
  if (length > max) fail(`result of ${what} would be longer than ${max}`);
}

/** Checks an int result: exact only up to 2**53. */
export function exactInt(n: number, fail: Fail): number {
  if (Number.isFinite(n) && Math.abs(n) > MAX_EXACT_INT) fail('integer result is too large (remedy computes integers exactly only up to 2**53)');
  return n;
}

function sequenceOp(op: BinaryOp, left: unknown, right: unknown, fail: Fail): unknown {
  if (op === '+') {
    if (typeof left === 'string' && typeof right === 'string') {
      checkSize(left.length + right.length, false, "'+'", fail);
      return left + right;
    }
    if (Array.isArray(left) && Array.isArray(right) && isTuple(left) === isTuple(right)) {
      checkSize(left.length + right.length, true, "'+'", fail);
      const joined = [...left, ...right];
      return isTuple(left) ? makeTuple(joined) : joined;
    }
  }
  if (op === '*') {
    const [seq, times] = typeof left === 'string' || Array.isArray(left) ? [left, right] : [right, left];
    if ((typeof seq === 'string' || Array.isArray(seq)) && (typeof times === 'boolean' || (typeof times === 'number' && Number.isInteger(times)))) {
      const n = Math.max(Number(times), 0);
      checkSize(seq.length * n, Array.isArray(seq), "'*'", fail);
      if (typeof seq === 'string') return seq.repeat(n);
      const out = Array.from({ length: n }, () => seq).flat(1);
      return isTuple(seq) ? makeTuple(out) : out;
    }
  }
  if (op === '%' && typeof left === 'string') return formatPercent(left, right, fail);
  return undefined;
}

function power(a: number, b: number, float: boolean, fail: Fail): number | PyFloat {
  if (a === 0 && b < 0) fail('zero cannot be raised to a negative power');
  if (a < 0 && !Number.isInteger(b)) fail('a negative number raised to a fractional power is complex');
  if (!float && b < 0) return makeNumber(a ** b, true);
  const r = a ** b;
  return float ? makeNumber(r, true) : exactInt(r, fail);
}

/** Applies an arithmetic operator (+ - * / // % ** ~) the way Python does; fails with a clear message. */
export function applyArithmetic(op: BinaryOp, left: unknown, right: unknown, fail: Fail): unknown {
  if (op === '~') {
    const text = toText(left) + toText(right);
    checkSize(text.length, false, "'~'", fail);
    return text;
  }
  const seq = sequenceOp(op, left, right, fail);
  if (seq !== undefined) return seq;
  if (!isNumeric(left) || !isNumeric(right)) {
    return fail(`unsupported operand types for '${op}': ${typeName(left)} and ${typeName(right)}`);
  }
  const a = numberValue(left);
  const b = numberValue(right);
  const float = isFloat(left) || isFloat(right);
  if ((op === '/' || op === '//' || op === '%') && b === 0) fail('division by zero');
  switch (op) {
    case '+': return float ? makeNumber(a + b, true) : exactInt(a + b, fail);
    case '-': return float ? makeNumber(a - b, true) : exactInt(a - b, fail);
    case '*': return float ? makeNumber(a * b, true) : exactInt(a * b, fail);
    case '/': return makeNumber(a / b, true);
    case '//': return makeNumber(Math.floor(a / b), float);
    case '%': {
      const m = a % b;
      return makeNumber(m !== 0 && (m < 0) !== (b < 0) ? m + b : m, float);
    }
    case '**': return power(a, b, float, fail);
    default: return fail(`unknown operator '${op}'`);
  }
}

/** Unary minus and plus: numbers and booleans (`-True` is -1). */
export function applyUnary(op: '-' | '+', v: unknown, fail: Fail): unknown {
  if (!isNumeric(v)) return fail(`unary '${op}' needs a number, not ${typeName(v)}`);
  const n = numberValue(v);
  return makeNumber(op === '-' ? -n : n, isFloat(v));
}
