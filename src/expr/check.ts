/**
 * Checks expressions and templates without evaluating them: syntax, statement structure, and
 * names of filters, tests, methods and functions. Problems carry the offset (into the checked
 * string) and a message without the trailing "at offset N", for the config loader to report as
 * file:line:column.
 */
import { ExpressionError } from '../model/errors.js';
import { walkExpr, type Expr } from './ast.js';
import { FILTERS, unknownFilter } from './filters.js';
import { refusedGlobal } from './globals.js';
import { METHOD_NAMES, unknownMethod } from './methods.js';
import { lexTemplate } from './template-lex.js';
import { parseStatements, templateExpressions } from './template-parse.js';
import { TESTS } from './tests.js';

export interface ExpressionProblem {
  message: string;
  offset: number;
}

/** Unknown filter, test, method and function names in a parsed expression. */
export function findUnknownNames(expr: Expr): ExpressionProblem[] {
  const problems: ExpressionProblem[] = [];
  walkExpr(expr, (n) => {
    if (n.kind === 'filter' && !FILTERS.has(n.name)) problems.push({ message: unknownFilter(n.name), offset: n.offset });
    if (n.kind === 'test' && !TESTS.has(n.name)) problems.push({ message: `unknown test '${n.name}'`, offset: n.offset });
    if (n.kind === 'call' && !METHOD_NAMES.has(n.method)) problems.push({ message: unknownMethod(n.method), offset: n.offset });
    if (n.kind === 'global') {
      const refused = refusedGlobal(n.name);
      if (refused !== undefined) problems.push({ message: refused, offset: n.offset });
    }
  });
  return problems;
}

/** Converts an ExpressionError into a problem (message without " at offset N"). */
export function toProblem(err: unknown): ExpressionProblem {
  if (err instanceof ExpressionError) {
    return { message: err.message.replace(/ at offset \d+$/, ''), offset: err.offset ?? 0 };
  }
  throw err;
}

/**
 * Every problem of a template: each `{{ }}` or `{% %}` with a syntax error (checking goes on after
 * it), then, when every tag parsed, the statement structure (an unclosed `{% if %}`) and the names.
 */
export function checkTemplateText(text: string): ExpressionProblem[] {
  const problems: ExpressionProblem[] = [];
  const segments = lexTemplate(text, (err) => problems.push(toProblem(err)));
  if (problems.length > 0) {
    for (const s of segments) if (s.kind === 'output') problems.push(...findUnknownNames(s.expr));
    return problems.sort((a, b) => a.offset - b.offset);
  }
  try {
    for (const e of templateExpressions(parseStatements(text, segments))) problems.push(...findUnknownNames(e));
  } catch (err) {
    problems.push(toProblem(err));
  }
  return problems;
}
