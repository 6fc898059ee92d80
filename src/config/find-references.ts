/**
 * The variables an expression or a template reads, found without evaluating it, for `remedy
 * validate`'s undefined-name warnings. A name is left out when the text itself guards it
 * (`x is defined`, `x is undefined`, `x | default(…)`) or binds it (`{% for x in … %}`,
 * `{% set x = … %}`, `{% with %}`, the `loop` of a for). An attribute read on a name is kept
 * with it (`r.stdout`), to check fields of registered results.
 */
import { parseExpression } from '../expr/index.js';
import { walkExpr, type Expr } from '../expr/ast.js';
import { parseTemplate } from '../expr/template.js';
import { templateExpressions, type Target, type TemplateNode } from '../expr/template-parse.js';

export interface Reference {
  name: string;
  /** The first attribute read on it, if any (`stdout` of `r.stdout`, `r['stdout']`). */
  attribute?: string;
  /** Offset of the name in the text. */
  offset: number;
}

const GUARD_TESTS = new Set(['defined', 'undefined']);
const GUARD_FILTERS = new Set(['default', 'd']);

/** The name an expression reads at its root (`a` of `a.b[0]`), if it is a plain name or an attribute chain on one. */
function rootName(e: Expr): string | undefined {
  if (e.kind === 'name') return e.name;
  if (e.kind === 'attr' || e.kind === 'index' || e.kind === 'slice') return rootName(e.object);
  return undefined;
}

function literalKey(e: Expr): string | undefined {
  return e.kind === 'literal' && typeof e.value === 'string' ? e.value : undefined;
}

/** Adds the names that the expressions guard (`x is defined`, `x | default(…)`). */
function addGuards(exprs: Expr[], guarded: Set<string>): void {
  for (const expr of exprs) {
    walkExpr(expr, (n) => {
      if ((n.kind === 'test' && GUARD_TESTS.has(n.name)) || (n.kind === 'filter' && GUARD_FILTERS.has(n.name))) {
        const name = rootName(n.input);
        if (name !== undefined) guarded.add(name);
      }
    });
  }
}

/** Names read in the expressions, with the first attribute read on each; guarded names left out. */
function referencesOf(exprs: Expr[], bound: Set<string>, guards: ReadonlySet<string>): Reference[] {
  const guarded = new Set(guards);
  addGuards(exprs, guarded);
  const attribute = new Map<Expr, string>();
  for (const expr of exprs) {
    walkExpr(expr, (n) => {
      if (n.kind === 'attr' && n.object.kind === 'name') attribute.set(n.object, n.name);
      if (n.kind === 'index' && n.object.kind === 'name') {
        const key = literalKey(n.index);
        if (key !== undefined) attribute.set(n.object, key);
      }
    });
  }
  const refs: Reference[] = [];
  for (const expr of exprs) {
    walkExpr(expr, (n) => {
      if (n.kind !== 'name' || bound.has(n.name) || guarded.has(n.name)) return;
      const attr = attribute.get(n);
      refs.push({ name: n.name, offset: n.offset, ...(attr !== undefined ? { attribute: attr } : {}) });
    });
  }
  return refs;
}

function targetNames(t: Target, into: Set<string>): void {
  if (t.kind === 'name' || t.kind === 'ns') into.add(t.name);
  else for (const item of t.items) targetNames(item, into);
}

/** Every name a template binds anywhere (a conservative scope: bound names are never reported). */
function boundNames(nodes: TemplateNode[], into = new Set<string>()): Set<string> {
  for (const n of nodes) {
    switch (n.kind) {
      case 'for':
        targetNames(n.target, into);
        into.add('loop');
        boundNames(n.body, into);
        if (n.otherwise) boundNames(n.otherwise, into);
        break;
      case 'set':
        targetNames(n.target, into);
        break;
      case 'set-block':
        targetNames(n.target, into);
        boundNames(n.body, into);
        break;
      case 'with':
        for (const a of n.assigns) targetNames(a.target, into);
        boundNames(n.body, into);
        break;
      case 'if':
        for (const b of n.branches) boundNames(b.body, into);
        if (n.otherwise) boundNames(n.otherwise, into);
        break;
      case 'filter-block':
        boundNames(n.body, into);
        break;
      default:
        break;
    }
  }
  return into;
}

function parsedTemplate(text: string): TemplateNode[] {
  if (!text.includes('{{') && !text.includes('{%')) return [];
  try {
    return parseTemplate(text);
  } catch {
    return [];
  }
}

function isTemplateCondition(text: string): boolean {
  return /^\s*\{[{%]/.test(text);
}

function parsedExpression(text: string): Expr[] {
  try {
    return [parseExpression(text)];
  } catch {
    return [];
  }
}

/** The variables a template reads (none for text without a template, or one that does not parse). */
export function templateReferences(text: string, guards: ReadonlySet<string> = new Set()): Reference[] {
  const nodes = parsedTemplate(text);
  return referencesOf(templateExpressions(nodes), boundNames(nodes), guards);
}

/** The variables a bare expression (a condition) reads; a condition written as one template is read as that template. */
export function expressionReferences(text: string, guards: ReadonlySet<string> = new Set()): Reference[] {
  if (isTemplateCondition(text)) return templateReferences(text, guards);
  return referencesOf(parsedExpression(text), new Set(), guards);
}

/** What a list of conditions guards, for all of them (`[x is defined, x > 1]`). */
export function conditionGuards(texts: string[]): Set<string> {
  const guarded = new Set<string>();
  for (const t of texts) addGuards(isTemplateCondition(t) ? templateExpressions(parsedTemplate(t)) : parsedExpression(t), guarded);
  return guarded;
}
