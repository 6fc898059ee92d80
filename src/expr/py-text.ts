/**
 * How values print, as Python prints them: str() for text inside a template (`True`, `None`,
 * `[443, 80]`, `{'a': 1}`, `4040.0`) and repr() for the items of lists and mappings.
 */
import { isNamespace, isTuple, PyFloat } from './py-values.js';

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's repr() of a float: the shortest digits that read back, `1e+16` and `1e-05` style exponents. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  const [mantissa, expText] = Math.abs(n).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  return `${sign}${whole}.${digits.slice(exp + 1) || '0'}`;
}

/**
 * x.toFixed(digits) rounded as Python rounds (half to even on the exact binary value, where
 * JavaScript rounds a tie away from zero). For `round()` and `'%.2f'`.
 */
export function toFixedPy(x: number, digits: number): string {
  const text = x.toFixed(digits);
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21 || digits > 60) return text;
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 30));
  if (!/^50*$/.test(exact.slice(exact.indexOf('.') + 1 + digits))) return text;
  // An exact tie, which toFixed took away from zero: when that made the last digit odd, the even
  // neighbour is one unit less in magnitude (an odd digit never borrows).
  const lastDigit = Number(text.slice(-1));
  return lastDigit % 2 === 0 ? text : text.slice(0, -1) + String(lastDigit - 1);
}

/** An int as Python prints it (whole numbers beyond 2**53 print all their digits). */
export function intRepr(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** Python's repr() of a str: single quotes unless the text has one and no double quote. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code < 0x7f || !NOT_PRINTABLE.test(ch)) out += ch;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out + quote;
}

/** Python's repr(). */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (typeof v === 'number') return Number.isInteger(v) ? intRepr(v) : floatRepr(v);
  if (typeof v === 'string') return strRepr(v);
  if (Array.isArray(v)) {
    const items = v.map(pyRepr).join(', ');
    if (!isTuple(v)) return `[${items}]`;
    return v.length === 1 ? `(${items},)` : `(${items})`;
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const m = v as Record<string, unknown>;
    const text = `{${Object.keys(m).map((k) => `${strRepr(k)}: ${pyRepr(m[k])}`).join(', ')}}`;
    return isNamespace(v) ? `<Namespace ${text}>` : text;
  }
  return `<${typeof v}>`;
}

/** Python's str(): strings as they are, everything else as repr() shows it. */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}
