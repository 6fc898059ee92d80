/**
 * Tokenizer for the expression language, with Jinja2's lexical rules. Offsets are always
 * positions in the full source string given (for a template: the whole template text), so
 * errors point at the right column.
 */
import { ExpressionError } from '../model/errors.js';
import { PyFloat } from './py-values.js';

export type TokenKind = 'num' | 'str' | 'name' | 'op' | 'end';

export interface Token {
  kind: TokenKind;
  /** The operator or name as written, the decoded string for 'str', the digits for 'num'. */
  value: string;
  /** The value of a 'num' token: a number, or a PyFloat for a whole-valued float literal (`1.0`). */
  num?: number | PyFloat;
  /** Position of the first character of the token in the source. */
  offset: number;
}

/**
 * 'expression': the whole rest of the string. 'variable': inside `{{ }}` (ends at `}}` or `-}}`;
 * string literals are read without escapes, as ansible-core doubles their backslashes).
 * 'block': inside `{% %}` (ends at `%}`, `-%}` or `+%}`).
 */
export type TokenizeMode = 'expression' | 'variable' | 'block';

export interface TokenizeResult {
  tokens: Token[];
  /** Position just after the last consumed character (after the closing delimiter in template modes). */
  end: number;
  /** The closing delimiter had '-': trim the whitespace that follows. */
  trimAfter: boolean;
  /** The closing delimiter was '+%}': keep the newline that follows (no trim_blocks). */
  keepNewline: boolean;
}

/** Longest operators first so that '//' wins over '/'. */
const OPERATORS = [
  '//', '**', '==', '!=', '<=', '>=',
  '(', ')', '[', ']', '{', '}', ',', ':', '.', '|', '+', '-', '*', '/', '%', '~', '<', '>', '=', ';',
];
const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '',
};

/** Builds a syntax error whose message ends with "at offset N" and whose offset field is N. */
export function syntaxError(message: string, source: string, offset: number): ExpressionError {
  return new ExpressionError(`${message} at offset ${offset}`, source, offset);
}

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Decodes one escape at source[i] === '\\' (Python's unicode-escape); returns the text and the length used. */
export function readEscape(source: string, i: number): { text: string; length: number } {
  const e = source[i + 1]!;
  if (Object.hasOwn(SIMPLE_ESCAPES, e)) return { text: SIMPLE_ESCAPES[e]!, length: 2 };
  const octal = /^[0-7]{1,3}/.exec(source.slice(i + 1, i + 4));
  if (octal) return { text: String.fromCharCode(parseInt(octal[0], 8)), length: 1 + octal[0].length };
  const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
  if (hexLen > 0) {
    const hex = source.slice(i + 2, i + 2 + hexLen);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLen) throw syntaxError(`truncated \\${e} escape`, source, i);
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) throw syntaxError(`illegal Unicode character in \\U escape`, source, i);
    return { text: String.fromCodePoint(code), length: 2 + hexLen };
  }
  if (e === 'N') throw syntaxError(`\\N{…} escapes are not supported`, source, i);
  // As in Python: an unknown escape keeps its backslash, so '\d+' stays a regex.
  return { text: `\\${e}`, length: 2 };
}

/** A string literal; raw: backslashes are plain characters and the next quote ends it. */
function readString(source: string, start: number, raw: boolean): { value: string; end: number } {
  const quote = source[start];
  let out = '';
  let i = start + 1;
  while (i < source.length) {
    const c = source[i]!;
    if (c === quote) return { value: out, end: i + 1 };
    if (c !== '\\' || raw) {
      out += c;
      i += 1;
      continue;
    }
    if (i + 1 >= source.length) break;
    const esc = readEscape(source, i);
    out += esc.text;
    i += esc.length;
  }
  throw syntaxError(`unterminated string`, source, start);
}

const INTEGER = /^(?:0b(?:_?[01])+|0o(?:_?[0-7])+|0x(?:_?[\da-f])+|[1-9](?:_?\d)*|0(?:_?0)*)/i;
const FLOAT = /^(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?e[+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/i;

/** A number literal as Jinja reads it: ints in 0b/0o/0x/decimal, floats with a fraction or exponent. */
function readNumber(source: string, start: number): { token: Token; end: number } {
  const rest = source.slice(start, start + 400);
  const float = source[start - 1] === '.' ? null : FLOAT.exec(rest);
  if (float) {
    const n = Number(float[0].replace(/_/g, ''));
    return { token: { kind: 'num', value: float[0], num: Number.isInteger(n) ? new PyFloat(n) : n, offset: start }, end: start + float[0].length };
  }
  const int = INTEGER.exec(rest)!;
  const text = int[0].replace(/_/g, '');
  const prefix = text.slice(0, 2).toLowerCase();
  const base = prefix === '0x' ? 16 : prefix === '0o' ? 8 : prefix === '0b' ? 2 : 10;
  const n = base === 10 ? Number(text) : parseInt(text.slice(2), base);
  return { token: { kind: 'num', value: int[0], num: n, offset: start }, end: start + int[0].length };
}

/** The closing delimiter of a template tag at position i, if there is one. */
function closing(source: string, i: number, mode: TokenizeMode): { length: number; trim: boolean; keep: boolean } | undefined {
  const close = mode === 'variable' ? '}}' : '%}';
  if (source.startsWith(close, i)) return { length: 2, trim: false, keep: false };
  if (source.startsWith(`-${close}`, i)) return { length: 3, trim: true, keep: false };
  if (mode === 'block' && source.startsWith(`+${close}`, i)) return { length: 3, trim: false, keep: true };
  return undefined;
}

/**
 * Tokenizes source from `start`. In 'expression' mode the whole rest of the string is read. In
 * the template modes reading stops at the closing delimiter when no bracket is open (as Jinja's
 * lexer balances brackets); a missing one is a syntax error pointing at `openOffset`.
 */
export function tokenize(source: string, start = 0, mode: TokenizeMode = 'expression', openOffset = start): TokenizeResult {
  const tokens: Token[] = [];
  const open: Array<{ closer: string; offset: number }> = [];
  let i = start;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (mode !== 'expression' && open.length === 0) {
      const end = closing(source, i, mode);
      if (end) {
        tokens.push({ kind: 'end', value: '', offset: i });
        return { tokens, end: i + end.length, trimAfter: end.trim, keepNewline: end.keep };
      }
    }
    if (c === "'" || c === '"') {
      const s = readString(source, i, mode === 'variable');
      tokens.push({ kind: 'str', value: s.value, offset: i });
      i = s.end;
      continue;
    }
    if (isDigit(c)) {
      const n = readNumber(source, i);
      tokens.push(n.token);
      i = n.end;
      continue;
    }
    if (isNameStart(c)) {
      let j = i + 1;
      while (j < source.length && (isNameStart(source[j]!) || isDigit(source[j]))) j += 1;
      tokens.push({ kind: 'name', value: source.slice(i, j), offset: i });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op === undefined) throw syntaxError(`unexpected character '${c}'`, source, i);
    if (Object.hasOwn(CLOSERS, op)) open.push({ closer: CLOSERS[op]!, offset: i });
    if (op === ')' || op === ']' || op === '}') {
      const expected = open.pop();
      if (expected === undefined) throw syntaxError(`unexpected '${op}'`, source, i);
      if (expected.closer !== op) throw syntaxError(`unexpected '${op}', expected '${expected.closer}'`, source, i);
    }
    tokens.push({ kind: 'op', value: op, offset: i });
    i += op.length;
  }
  if (mode === 'variable') throw syntaxError(`expected '}}' to close '{{'`, source, openOffset);
  if (mode === 'block') throw syntaxError(`expected '%}' to close '{%'`, source, openOffset);
  tokens.push({ kind: 'end', value: '', offset: source.length });
  return { tokens, end: source.length, trimAfter: false, keepNewline: false };
}
