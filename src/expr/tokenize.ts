/**
 * Tokenizer for the expression language. Offsets are always positions in the full source
 * string given (for a template: the whole template text), so errors point at the right column.
 */
import { ExpressionError } from '../model/errors.js';

export type TokenKind = 'num' | 'str' | 'name' | 'op' | 'end';

export interface Token {
  kind: TokenKind;
  /** The operator or name as written, the decoded string for 'str', the digits for 'num'. */
  value: string;
  /** The numeric value of a 'num' token. */
  num?: number;
  /** Position of the first character of the token in the source. */
  offset: number;
}

export interface TokenizeResult {
  tokens: Token[];
  /** Position just after the last consumed character (after the closing braces in template mode). */
  end: number;
  /** Template mode only: the expression was closed with '-}}' (trim the whitespace that follows). */
  trimAfter: boolean;
}

/** Longest operators first so that '//' wins over '/'. */
const OPERATORS = [
  '//', '**', '==', '!=', '<=', '>=',
  '(', ')', '[', ']', '{', '}', ',', ':', '.', '|', '+', '-', '*', '/', '%', '~', '<', '>', '=',
];

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"',
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

function readString(source: string, start: number): { value: string; end: number } {
  const quote = source[start];
  let out = '';
  let i = start + 1;
  while (i < source.length) {
    const c = source[i]!;
    if (c === quote) return { value: out, end: i + 1 };
    if (c !== '\\') {
      out += c;
      i += 1;
      continue;
    }
    const e = source[i + 1];
    if (e === undefined) break;
    const simple = SIMPLE_ESCAPES[e];
    const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : 0;
    const hex = hexLen > 0 ? source.slice(i + 2, i + 2 + hexLen) : '';
    if (simple !== undefined && Object.hasOwn(SIMPLE_ESCAPES, e)) {
      out += simple;
      i += 2;
    } else if (hexLen > 0 && hex.length === hexLen && /^[0-9a-fA-F]+$/.test(hex)) {
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2 + hexLen;
    } else {
      // As in Python: an unknown escape keeps its backslash, so '\d+' stays a regex.
      out += `\\${e}`;
      i += 2;
    }
  }
  throw syntaxError(`unterminated string`, source, start);
}

function readNumber(source: string, start: number): { token: Token; end: number } {
  let i = start;
  while (isDigit(source[i]) || (source[i] === '_' && isDigit(source[i + 1]))) i += 1;
  if (source[i] === '.' && isDigit(source[i + 1])) {
    i += 1;
    while (isDigit(source[i])) i += 1;
  }
  if ((source[i] === 'e' || source[i] === 'E') && /^[eE][+-]?\d/.test(source.slice(i, i + 3))) {
    i += source[i + 1] === '+' || source[i + 1] === '-' ? 2 : 1;
    while (isDigit(source[i])) i += 1;
  }
  const text = source.slice(start, i);
  return { token: { kind: 'num', value: text, num: Number(text.replace(/_/g, '')), offset: start }, end: i };
}

/**
 * Tokenizes source from `start`. In 'expression' mode the whole rest of the string is read.
 * In 'template' mode reading stops at a '}}' (or '-}}') that does not close a dict literal; a missing '}}'
 * is a syntax error pointing at `openOffset` (the '{{').
 */
export function tokenize(
  source: string,
  start = 0,
  mode: 'expression' | 'template' = 'expression',
  openOffset = start,
): TokenizeResult {
  const tokens: Token[] = [];
  // Open brackets; '}}' ends a template unless the innermost open bracket is a '{'.
  const open: string[] = [];
  let i = start;
  while (i < source.length) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i += 1;
      continue;
    }
    if (mode === 'template' && open[open.length - 1] !== '{') {
      if (source.startsWith('}}', i)) {
        tokens.push({ kind: 'end', value: '', offset: i });
        return { tokens, end: i + 2, trimAfter: false };
      }
      if (source.startsWith('-}}', i)) {
        tokens.push({ kind: 'end', value: '', offset: i });
        return { tokens, end: i + 3, trimAfter: true };
      }
    }
    if (c === "'" || c === '"') {
      const s = readString(source, i);
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
    if (op === '(' || op === '[' || op === '{') open.push(op);
    if (op === ')' || op === ']' || op === '}') open.pop();
    tokens.push({ kind: 'op', value: op, offset: i });
    i += op.length;
  }
  if (mode === 'template') throw syntaxError(`expected '}}' to close '{{'`, source, openOffset);
  tokens.push({ kind: 'end', value: '', offset: source.length });
  return { tokens, end: source.length, trimAfter: false };
}
