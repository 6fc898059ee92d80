/**
 * Python's printf-style string formatting: `'%s-%05.1f' % (name, x)` and the `format` filter.
 * Conversions s r a d i u o x X e E f F g G c %, flags `-+ 0#`, width and precision (also `*`),
 * `%(key)s` with a mapping. Widths and precisions are bounded so that formatting stays cheap.
 */
import { floatRepr, pyRepr, pyStr, toFixedPy } from './py-text.js';
import { isFloat, isNumeric, isTuple, numberValue } from './py-values.js';

type Fail = (message: string) => never;

/** Widest field or precision a format may ask for. */
const MAX_WIDTH = 4096;

const SPEC = /%(?:\(([^)]*)\))?([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.)?/y;

function isMappingArg(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function typeOf(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return isTuple(v) ? 'tuple' : 'list';
  if (isMappingArg(v)) return 'dict';
  return isFloat(v) ? 'float' : typeof v === 'boolean' ? 'bool' : 'int';
}

function pad(body: string, sign: string, width: number, flags: string, numeric: boolean): string {
  const len = [...body].length + sign.length;
  if (len >= width) return sign + body;
  if (flags.includes('-')) return sign + body + ' '.repeat(width - len);
  if (numeric && flags.includes('0')) return sign + '0'.repeat(width - len) + body;
  return ' '.repeat(width - len) + sign + body;
}

/** Python's exponent notation: at least two exponent digits (`1.5e+06`). */
function expForm(n: number, precision: number, upper: boolean): string {
  const [m, e] = n.toExponential(precision).split('e') as [string, string];
  const exp = `${e[0]}${e.slice(1).padStart(2, '0')}`;
  return upper ? `${m}E${exp}` : `${m}e${exp}`;
}

function generalForm(n: number, precision: number, alt: boolean, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (n === 0) return alt ? `0.${'0'.repeat(p - 1)}` : '0';
  const exp = Number(n.toExponential(p - 1).split('e')[1]);
  let text = exp < -4 || exp >= p ? expForm(n, p - 1, upper) : n.toFixed(Math.max(p - 1 - exp, 0));
  if (!alt) text = text.replace(/\.?0+(?=[eE]|$)/, (m) => (m.includes('.') || text.includes('.') ? '' : m));
  return text;
}

function realNumber(v: unknown, conv: string, fail: Fail): number {
  if (!isNumeric(v)) return fail(`%${conv} format: a real number is required, not ${typeOf(v)}`);
  return numberValue(v);
}

function convert(conv: string, v: unknown, flags: string, precision: number | undefined, fail: Fail): { body: string; sign: string; numeric: boolean } {
  const text = (s: string): { body: string; sign: string; numeric: boolean } => ({ body: s, sign: '', numeric: false });
  if (conv === 's') return text(precision === undefined ? pyStr(v) : [...pyStr(v)].slice(0, precision).join(''));
  if (conv === 'r' || conv === 'a') return text(precision === undefined ? pyRepr(v) : [...pyRepr(v)].slice(0, precision).join(''));
  if (conv === 'c') {
    if (typeof v === 'string' && [...v].length === 1) return text(v);
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0x10ffff) return text(String.fromCodePoint(v));
    return fail('%c requires an int or a single character');
  }
  let n: number;
  if ('oxX'.includes(conv)) {
    if (!isNumeric(v) || isFloat(v)) return fail(`%${conv} format: an integer is required, not ${typeOf(v)}`);
    n = numberValue(v);
  } else {
    n = realNumber(v, conv, fail);
  }
  const sign = n < 0 || Object.is(n, -0) ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const a = Math.abs(n);
  if (!Number.isFinite(a)) {
    if ('diuoxX'.includes(conv)) return fail(`cannot convert float ${floatRepr(n)} to integer`);
    const word = Number.isNaN(a) ? 'nan' : 'inf';
    return { body: 'EFG'.includes(conv) ? word.toUpperCase() : word, sign: Number.isNaN(a) ? '' : sign, numeric: false };
  }
  const p = precision ?? 6;
  const alt = flags.includes('#');
  let body: string;
  switch (conv) {
    case 'd': case 'i': case 'u': body = BigInt(Math.trunc(a)).toString(); break;
    case 'o': body = (alt ? '0o' : '') + a.toString(8); break;
    case 'x': body = (alt ? '0x' : '') + a.toString(16); break;
    case 'X': body = (alt ? '0X' : '') + a.toString(16).toUpperCase(); break;
    case 'e': case 'E': body = expForm(a, p, conv === 'E'); break;
    case 'f': case 'F': body = toFixedPy(a, p); break;
    case 'g': case 'G': body = generalForm(a, p, alt, conv === 'G'); break;
    default: return fail(`unsupported format character '${conv}'`);
  }
  return { body, sign, numeric: true };
}

/** `format % args` as Python computes it; fails like Python's TypeError/ValueError, with a message. */
export function formatPercent(format: string, args: unknown, fail: Fail): string {
  const positional = isTuple(args) ? (args as unknown[]) : [args];
  const mapping = isMappingArg(args) ? args : undefined;
  let next = 0;
  let usedMapping = false;
  const take = (): unknown => {
    if (next >= positional.length) fail('not enough arguments for format string');
    return positional[next++];
  };
  const size = (spec: string | undefined): number | undefined => {
    if (spec === undefined || spec === '') return spec === '' ? 0 : undefined;
    const n = spec === '*' ? take() : Number(spec);
    if (typeof n !== 'number' || !Number.isInteger(n)) fail('* wants int');
    if (Math.abs(n) > MAX_WIDTH) fail(`format width or precision above ${MAX_WIDTH}`);
    return n;
  };
  let out = '';
  let i = 0;
  while (i < format.length) {
    const at = format.indexOf('%', i);
    if (at < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, at);
    SPEC.lastIndex = at;
    const m = SPEC.exec(format)!;
    const [, key, flags = '', widthSpec, precSpec, conv] = m;
    i = at + m[0].length;
    if (conv === undefined) fail('incomplete format');
    if (conv === '%') {
      out += '%';
      continue;
    }
    let width = size(widthSpec) ?? 0;
    let allFlags = flags;
    if (width < 0) {
      allFlags += '-';
      width = -width;
    }
    const precision = size(precSpec);
    let value: unknown;
    if (key !== undefined) {
      if (mapping === undefined) fail('format requires a mapping');
      if (!Object.hasOwn(mapping, key)) fail(`format key '${key}' not found`);
      value = mapping[key];
      usedMapping = true;
    } else {
      value = take();
    }
    const c = convert(conv, value, allFlags, precision, fail);
    out += pad(c.body, c.sign, width, allFlags, c.numeric);
  }
  // As in Python, an unused list or mapping argument is no error (both count as mappings there).
  const lenient = !isTuple(args) && (Array.isArray(args) || mapping !== undefined);
  if (!usedMapping && !lenient && next < positional.length) fail('not all arguments converted during string formatting');
  return out;
}
