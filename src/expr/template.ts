/**
 * Templates: text with `{{ expression }}`, `{% statements %}` and `{# comments #}`, rendered as
 * ansible-core 2.14's Templar renders a string (jinja2_native off):
 *  - a string without `{{`, `{%` or `{#` is returned unchanged;
 *  - `{{ name }}` alone, where name is a variable holding a boolean, a number or none, returns
 *    that value as it is;
 *  - otherwise the output is text (none prints as '', True, [443, 80], 4040.0 as Python prints
 *    them), and text that starts with `[` or `{` or is `True`/`False` is read back as a Python
 *    literal (so `{{ list | sort }}` is a list, `{{ x | bool }}` a boolean, `{{ 1 + 1 }}` '2');
 *  - trailing newlines of the template are kept in a text result.
 * Offsets in errors are offsets into the whole template string (ExpressionError.expression).
 */
import { guardEvaluation } from './evaluate.js';
import { toPlain } from './py-values.js';
import { lexTemplate } from './template-lex.js';
import { parseStatements, type TemplateNode } from './template-parse.js';
import { concatNodes, renderNodes } from './template-render.js';
import { isMapping, lookupVariable, makeMapping } from './values.js';

const CACHE_LIMIT = 4096;
const cache = new Map<string, TemplateNode[]>();

/** ansible-core's shortcut for a template that is one variable name (Python's `$` allows a final newline). */
const SINGLE_VAR = /^\{\{\s*([\p{L}\p{N}_]*)\s*\}\}\n?$/u;

/** Parses a template into its statement tree; throws ExpressionError on the first syntax error. */
export function parseTemplate(text: string): TemplateNode[] {
  const hit = cache.get(text);
  if (hit) return hit;
  const tree = parseStatements(text, lexTemplate(text));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, tree);
  return tree;
}

/** True when the string contains `{{`, `{%` or `{#` (and so is rendered as a template). */
export function hasTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('{#');
}

function trailingNewlines(s: string): number {
  let n = 0;
  while (n < s.length && s[s.length - 1 - n] === '\n') n += 1;
  return n;
}

/** Renders a template to its value, float-ness and all (internal: PyFloats may remain). */
export function renderTemplateValue(text: string, vars: object): unknown {
  if (!hasTemplate(text)) return text;
  const single = SINGLE_VAR.exec(text);
  if (single) {
    const v = lookupVariable(vars, single[1]!);
    if (v.found && (v.value === null || typeof v.value === 'boolean' || typeof v.value === 'number')) return v.value;
  }
  const tree = parseTemplate(text);
  const result = guardEvaluation(text, 0, () => concatNodes(renderNodes(tree, text, vars)));
  if (typeof result !== 'string') return result;
  const missing = trailingNewlines(text) - trailingNewlines(result);
  return missing > 0 ? result + '\n'.repeat(missing) : result;
}

/** Renders a template (see the module comment); the value is plain data (no PyFloat). */
export function renderTemplate(text: string, vars: object): unknown {
  return toPlain(renderTemplateValue(text, vars));
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
