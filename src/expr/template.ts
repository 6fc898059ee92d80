/**
 * `{{ expression }}` templates inside strings. `{{-` and `-}}` trim the whitespace before/after,
 * as in Jinja. `{%`, `{#` and a lone `{` are plain text. Offsets in errors are offsets into the
 * whole template string (ExpressionError.expression is that string).
 */
import type { Expr } from './ast.js';
import { evaluateNode } from './evaluate.js';
import { parseTokens } from './parse.js';
import { tokenize } from './tokenize.js';
import { isMapping, makeMapping, toText } from './values.js';

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'expr'; expr: Expr; offset: number };

const CACHE_LIMIT = 4096;
const cache = new Map<string, TemplatePart[]>();

/** Parses one `{{ … }}` starting at `open` (the first brace); returns the expression and where it ends. */
export function parseTemplateExpression(text: string, open: number): { expr: Expr; end: number; trimBefore: boolean; trimAfter: boolean } {
  const trimBefore = text[open + 2] === '-';
  const start = open + (trimBefore ? 3 : 2);
  const r = tokenize(text, start, 'template', open);
  return { expr: parseTokens(text, r.tokens), end: r.end, trimBefore, trimAfter: r.trimAfter };
}

/** Splits a string into text and expressions; throws ExpressionError on the first syntax error. */
export function parseTemplate(text: string): TemplatePart[] {
  const hit = cache.get(text);
  if (hit) return hit;
  const parts: TemplatePart[] = [];
  let pos = 0;
  let trimNext = false;
  for (;;) {
    const open = text.indexOf('{{', pos);
    let literal = text.slice(pos, open < 0 ? text.length : open);
    if (trimNext) literal = literal.trimStart();
    if (open < 0) {
      if (literal !== '') parts.push({ kind: 'text', text: literal });
      break;
    }
    const e = parseTemplateExpression(text, open);
    if (e.trimBefore) literal = literal.trimEnd();
    if (literal !== '') parts.push({ kind: 'text', text: literal });
    parts.push({ kind: 'expr', expr: e.expr, offset: open });
    pos = e.end;
    trimNext = e.trimAfter;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, parts);
  return parts;
}

/** True when the string contains `{{` (and so may need rendering). */
export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/**
 * Renders a template. A string that is exactly one `{{ x }}` returns the native value of x
 * (a list stays a list); text mixed with expressions returns a string (none renders as '',
 * lists and mappings as JSON); a string without `{{` is returned unchanged.
 */
export function renderTemplate(text: string, vars: object): unknown {
  if (!hasTemplate(text)) return text;
  const parts = parseTemplate(text);
  if (parts.length === 1 && parts[0]!.kind === 'expr') return evaluateNode(parts[0]!.expr, vars, text);
  let out = '';
  for (const p of parts) out += p.kind === 'text' ? p.text : toText(evaluateNode(p.expr, vars, text));
  return out;
}

/**
 * Renders every string inside arrays and plain objects (a new structure is returned; keys are
 * not templated). Keys in skipKeys are copied as written, at the top level only.
 */
export function renderDeep(value: unknown, vars: object, skipKeys: string[] = []): unknown {
  if (typeof value === 'string') return renderTemplate(value, vars);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, vars));
  if (isMapping(value)) {
    return makeMapping(Object.keys(value).map((k): [string, unknown] =>
      [k, skipKeys.includes(k) ? value[k] : renderDeep(value[k], vars)]));
  }
  return value;
}
