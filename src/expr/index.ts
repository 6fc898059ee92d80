/**
 * The safe expression and template language used by playbooks (when, changed_when, failed_when,
 * until, assert.that, and `{{ }}` in strings). No eval: a tokenizer, a parser to an AST and an
 * evaluator over plain values that reads only own properties of plain objects and arrays.
 */
import { ExpressionError } from '../model/errors.js';
import { walkExpr, type Expr } from './ast.js';
import { checkTemplateText, findUnknownNames, toProblem, type ExpressionProblem } from './check.js';
import { evaluateNode } from './evaluate.js';
import { parseSource } from './parse.js';
import { toPlain } from './py-values.js';
import { lexTemplate } from './template-lex.js';
import { renderTemplate as render } from './template.js';
import { isTruthy, lookupVariable } from './values.js';

export type { Expr } from './ast.js';
export type { ExpressionProblem } from './check.js';
export { renderDeep, hasTemplate } from './template.js';
export { VarScope, type VarLayer } from './var-scope.js';
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

/** Evaluates an expression (text or parsed) to a defined value (plain data); throws ExpressionError. */
export function evaluate(source: string | Expr, vars: object): unknown {
  const expr = typeof source === 'string' ? parseExpression(source) : source;
  const text = typeof source === 'string' ? source : sources.get(source) ?? '';
  return toPlain(evaluateNode(expr, vars, text));
}

/** Expression nodes that read no variable and call nothing: evaluating them cannot reach data. */
const CONSTANT_KINDS = new Set<Expr['kind']>(['literal', 'list', 'dict', 'unary', 'binary', 'compare', 'cond']);

/**
 * The truthiness of text a condition's template produced, when that text is a constant
 * expression (`0`, `true`, `none`, `()`): ansible-core evaluates the text again, which remedy
 * does only for constants.
 */
function literalTruth(text: string, source: string): boolean {
  const t = text.trim();
  if (t === '') return false;
  let expr: Expr | undefined;
  try {
    expr = parseSource(t);
  } catch {
    expr = undefined;
  }
  let constant = expr !== undefined;
  if (expr) walkExpr(expr, (n) => { if (!CONSTANT_KINDS.has(n.kind)) constant = false; });
  if (!constant) {
    throw new ExpressionError(
      `the condition's template gave the text '${t}'; Ansible would evaluate that text again as an expression, remedy never evaluates rendered text`,
      source, 0);
  }
  return isTruthy(evaluateNode(expr!, {}, t));
}

/**
 * Evaluates a condition to a boolean (Python truthiness), as ansible-core evaluates `when`: an
 * empty condition is true; a bare expression is evaluated; a condition written as one template,
 * `"{{ x }}"` (blanks around it allowed), is rendered and its value's truthiness taken. If that
 * value is text, Ansible evaluates the text again as an expression: remedy accepts only a
 * literal there (`0`, `true`, `none`…) and refuses anything else, as it does a condition that
 * holds more than one template or text beside it.
 */
export function evaluateCondition(source: string, vars: object): boolean {
  if (source.trim() === '') return true;
  if (!/^\s*\{[{%#]/.test(source)) return isTruthy(evaluate(source, vars));
  const segments = lexTemplate(source);
  const outputs = segments.filter((p) => p.kind === 'output');
  const extra = segments.find((p) => p !== outputs[0] && (p.kind !== 'text' || p.text.trim() !== ''));
  if (extra !== undefined || outputs.length === 0) {
    const offset = extra === undefined ? 0 : extra.kind === 'text' ? source.indexOf(extra.text.trim(), outputs[0]?.offset ?? 0) : extra.offset;
    throw new ExpressionError(`a condition must be an expression or exactly one {{ }} template at offset ${offset}`, source, offset);
  }
  const value = render(source, vars);
  return typeof value === 'string' ? literalTruth(value, source) : isTruthy(value);
}

/**
 * Renders a template as ansible-core does (see template.ts): `{{ x }}` alone keeps a boolean,
 * number or none; other output is text, read back as a list, mapping or boolean when it looks
 * like one; a string without `{{`, `{%` or `{#` is returned unchanged.
 */
export function renderTemplate(text: string, vars: object): unknown {
  return render(text, vars);
}

/** Syntax-checks a template ({{ }}, {% %} and their structure) without evaluating; returns problems with offsets (for the config loader to report file:line:column). */
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
