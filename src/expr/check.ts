/**
 * Checks expressions and templates without evaluating them: syntax, and names of filters,
 * tests and methods. Problems carry the offset (into the checked string) and a message
 * without the trailing "at offset N", for the config loader to report as file:line:column.
 */
import { ExpressionError } from '../model/errors.js';
import { walkExpr, type Expr } from './ast.js';
import { FILTERS } from './filters.js';
import { METHOD_NAMES } from './methods.js';
import { parseTemplateExpression } from './template.js';
import { TESTS } from './tests.js';

export interface ExpressionProblem {
  message: string;
  offset: number;
}

/** Unknown filter, test and method names in a parsed expression. */
export function findUnknownNames(expr: Expr): ExpressionProblem[] {
  const problems: ExpressionProblem[] = [];
  walkExpr(expr, (n) => {
    if (n.kind === 'filter' && !FILTERS.has(n.name)) problems.push({ message: `unknown filter '${n.name}'`, offset: n.offset });
    if (n.kind === 'test' && !TESTS.has(n.name)) problems.push({ message: `unknown test '${n.name}'`, offset: n.offset });
    if (n.kind === 'call' && !METHOD_NAMES.has(n.method)) problems.push({ message: `unknown method '${n.method}'`, offset: n.offset });
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

/** Every problem of each `{{ }}` in text; after a syntax error, checking resumes at the next `{{`. */
export function checkTemplateText(text: string): ExpressionProblem[] {
  const problems: ExpressionProblem[] = [];
  let pos = 0;
  for (let open = text.indexOf('{{', pos); open >= 0; open = text.indexOf('{{', pos)) {
    try {
      const e = parseTemplateExpression(text, open);
      problems.push(...findUnknownNames(e.expr));
      pos = e.end;
    } catch (err) {
      problems.push(toProblem(err));
      pos = open + 2;
    }
  }
  return problems;
}
