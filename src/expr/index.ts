/**
 * The safe expression and template language used by playbooks (when, changed_when, failed_when,
 * until, assert.that, and `{{ }}` in strings). No eval: a tokenizer, a parser to an AST and an
 * evaluator over plain values that reads only own properties of plain objects and arrays.
 */
import { ExpressionError } from '../model/errors.js';
import type { Vars } from '../model/playbook.js';
import type { Expr } from './ast.js';
import { checkTemplateText, findUnknownNames, toProblem, type ExpressionProblem } from './check.js';
import { evaluateNode } from './evaluate.js';
import { parseSource } from './parse.js';
import { parseTemplate, renderTemplate as render } from './template.js';
import { isTruthy, lookupVariable } from './values.js';

export type { Expr } from './ast.js';
export type { ExpressionProblem } from './check.js';
export { renderDeep, hasTemplate } from './template.js';
export { VarScope, type VarLayer } from './scope.js';
export { isTruthy, toText } from './values.js';

/** The value of one variable in vars (a plain mapping or a VarScope); undefined when it is not set. */
export function readVariable(vars: object, name: string): unknown {
  return lookupVariable(vars, name).value;
}
export { compareVersions } from './tests.js';
export { MAX_PATTERN_LENGTH, MAX_SUBJECT_LENGTH } from './regex.js';

const CACHE_LIMIT = 4096;
const parsed = new Map<string, Expr>();
const sources = new WeakMap<Expr, string>();

/** Parses an expression; throws ExpressionError for a syntax error or an unknown filter/test/method. */
export function parseExpression(source: string): Expr {
  const hit = parsed.get(source);
  if (hit) return hit;
  const expr = parseSource(source);
  const unknown = findUnknownNames(expr)[0];
  if (unknown) throw new ExpressionError(`${unknown.message} at offset ${unknown.offset}`, source, unknown.offset);
  if (parsed.size >= CACHE_LIMIT) parsed.clear();
  parsed.set(source, expr);
  sources.set(expr, source);
  return expr;
}

/** Evaluates an expression (text or parsed) to a defined value; throws ExpressionError. */
export function evaluate(source: string | Expr, vars: object): unknown {
  const expr = typeof source === 'string' ? parseExpression(source) : source;
  const text = typeof source === 'string' ? source : sources.get(source) ?? '';
  return evaluateNode(expr, vars, text);
}

/**
 * Evaluates a condition to a boolean (Python truthiness). A condition written as a whole
 * template, `"{{ x }}"` (blanks around it allowed), means the same as `x`; a condition that
 * starts with `{{` but holds more than that one template is an ExpressionError (Ansible would
 * template it and evaluate the text again, which remedy never does).
 */
export function evaluateCondition(source: string, vars: object): boolean {
  if (source.trimStart().startsWith('{{')) {
    const parts = parseTemplate(source);
    const exprs = parts.filter((p) => p.kind === 'expr');
    const extra = parts.find((p) => p !== exprs[0] && (p.kind === 'expr' || p.text.trim() !== ''));
    if (extra !== undefined) {
      const offset = extra.kind === 'expr' ? extra.offset : source.indexOf(extra.text.trim(), exprs[0]!.offset);
      throw new ExpressionError(`a condition must be an expression or exactly one {{ }} template at offset ${offset}`, source, offset);
    }
    return isTruthy(evaluateNode(exprs[0]!.expr, vars, source));
  }
  return isTruthy(evaluate(source, vars));
}

/** "{{ x }}" alone returns the native value of x; mixed text returns a string; no braces returns the string unchanged. */
export function renderTemplate(text: string, vars: object): unknown {
  return render(text, vars);
}

/** Syntax-checks every {{ }} in a string without evaluating; returns problems with offsets (for the config loader to report file:line:column). */
export function checkTemplate(text: string): ExpressionProblem[] {
  return checkTemplateText(text);
}

/** Syntax-checks an expression (and its filter/test/method names) without evaluating it. */
export function checkExpression(source: string): ExpressionProblem[] {
  try {
    return findUnknownNames(parseSource(source));
  } catch (err) {
    return [toProblem(err)];
  }
}
