/**
 * Runs a template's statement tree. Output is a list of nodes, as Jinja2's native environment
 * yields them (text, and the value of each `{{ }}` with none printed as ''); template.ts joins
 * them the way ansible-core does. Scoping follows Jinja2: `{% set %}` at the top or inside `if`
 * is visible afterwards; inside a `for` body it is local to that iteration; `namespace()`
 * objects carry values out of loops. Work is bounded: at most MAX_LOOP_ITERATIONS loop
 * iterations and MAX_TEXT_LENGTH characters of output per template.
 */
import { ExpressionError } from '../model/errors.js';
import type { Expr } from './ast.js';
import { Evaluator, Scope } from './evaluate.js';
import { literalEval } from './literal-eval.js';
import { MAX_TEXT_LENGTH } from './operators.js';
import { pyStr } from './py-text.js';
import { isFloat, isNamespace, isTuple, markLoop } from './py-values.js';
import { BODY_NAME, type Target, type TemplateNode } from './template-parse.js';
import { isMapping, isTruthy, iterableItems, lookupVariable, typeName, Undefined } from './values.js';

/** Most loop iterations one template may run (nested loops count every inner iteration). */
export const MAX_LOOP_ITERATIONS = 1_000_000;
const MAX_LITERAL_NESTING = 200;

/** Whether repr() then literal_eval() gives the same value back (so the value can be returned as is). */
function roundTrips(v: unknown, depth: number): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (isFloat(v)) return true;
  if (depth > MAX_LITERAL_NESTING || isNamespace(v)) return false;
  if (Array.isArray(v)) return v.every((x) => roundTrips(x, depth + 1));
  if (isMapping(v)) return Object.keys(v).every((k) => roundTrips(v[k], depth + 1));
  return false;
}

/** What a template (or a block) rendered: its output nodes, and whether a single one is native text. */
export class Output {
  readonly nodes: unknown[] = [];
  /** The first node is the text of a string-type filter (to_json…), which is never read back as a literal. */
  firstNative = false;
}

/**
 * ansible-core's concat (jinja2_native off): the nodes as text; text that starts with `[` or `{`
 * or is `True`/`False` is read back with literal_eval, so `{{ [1, 2] }}` is a list and
 * `{{ x | bool }}` a boolean, while `{{ 1 + 1 }}` is the string '2' and `{{ x | to_json }}` text.
 */
export function concatNodes(output: Output): unknown {
  const { nodes } = output;
  if (nodes.length === 0) return '';
  if (nodes.length === 1 && output.firstNative) return nodes[0];
  const only = nodes.length === 1 ? nodes[0] : undefined;
  if (((Array.isArray(only) && !isTuple(only)) || isMapping(only)) && roundTrips(only, 1)) return only;
  const text = nodes.length === 1 ? pyStr(nodes[0]) : nodes.map(pyStr).join('');
  if (text.startsWith('[') || text.startsWith('{') || text === 'True' || text === 'False') {
    const lit = literalEval(text);
    if (lit) return lit.value;
  }
  return text;
}

class Renderer {
  private iterations = 0;
  private size = 0;

  constructor(private readonly source: string, private readonly vars: object) {}

  fail(message: string, offset: number): never {
    throw new ExpressionError(message, this.source, offset);
  }

  private ev(scope: Scope): Evaluator {
    return new Evaluator(this.source, this.vars, scope);
  }

  /** Appends a node; containers are kept as values only while they are the only node. */
  private emit(output: Output, v: unknown, offset: number, nativeText = false): void {
    const out = output.nodes;
    if (out.length === 1 && typeof out[0] !== 'string') {
      out[0] = pyStr(out[0]);
      this.count(out[0] as string, offset);
    }
    if (out.length === 0) output.firstNative = nativeText && typeof v === 'string';
    const node = out.length > 0 && typeof v !== 'string' ? pyStr(v) : v;
    if (typeof node === 'string') this.count(node, offset);
    out.push(node);
  }

  private count(text: string, offset: number): void {
    this.size += text.length;
    if (this.size > MAX_TEXT_LENGTH) this.fail(`template output would be longer than ${MAX_TEXT_LENGTH}`, offset);
  }

  render(nodes: TemplateNode[], scope: Scope, out: Output): void {
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          this.emit(out, node.text, 0);
          break;
        case 'output': {
          const ev = this.ev(scope);
          const v = ev.raw(node.expr);
          if (v instanceof Undefined && !v.lenient) this.fail(v.message, v.offset);
          this.emit(out, v === null || v === undefined || v instanceof Undefined ? '' : v, node.offset, ev.nativeText);
          break;
        }
        case 'if': {
          const branch = node.branches.find((b) => isTruthy(this.ev(scope).value(b.test)));
          const body = branch ? branch.body : node.otherwise;
          if (body) this.render(body, scope, out);
          break;
        }
        case 'for':
          this.loop(node, scope, out);
          break;
        case 'set': {
          const ev = this.ev(scope);
          this.assign(node.target, ev.value(node.value), scope, node.offset, ev.nativeText);
          break;
        }
        case 'set-block': {
          const inner = new Output();
          this.render(node.body, new Scope(scope), inner);
          const value = concatNodes(inner);
          this.assign(node.target, node.filter ? this.applyBody(node.filter, value, scope) : value, scope, node.offset);
          break;
        }
        case 'with': {
          const inner = new Scope(scope);
          for (const a of node.assigns) this.assign(a.target, this.ev(scope).value(a.value), inner, node.offset);
          this.render(node.body, inner, out);
          break;
        }
        case 'filter-block': {
          const inner = new Output();
          this.render(node.body, new Scope(scope), inner);
          this.emit(out, this.applyBody(node.filter, inner.nodes.map(pyStr).join(''), scope), node.offset);
          break;
        }
      }
    }
  }

  private applyBody(filter: Expr, body: unknown, scope: Scope): unknown {
    const s = new Scope(scope);
    s.set(BODY_NAME, body);
    return this.ev(s).value(filter);
  }

  private loop(node: Extract<TemplateNode, { kind: 'for' }>, scope: Scope, out: Output): void {
    const iterable = this.ev(scope).value(node.iter);
    let items = iterableItems(iterable);
    if (items === undefined) return this.fail(`'${typeName(iterable)}' is not iterable`, node.offset);
    if (node.filter) {
      const filter = node.filter;
      items = items.filter((item) => {
        const s = new Scope(scope);
        this.assign(node.target, item, s, node.offset);
        return isTruthy(this.ev(s).value(filter));
      });
    }
    const length = items.length;
    for (const [i, item] of items.entries()) {
      this.iterations += 1;
      if (this.iterations > MAX_LOOP_ITERATIONS) this.fail(`template loops ran more than ${MAX_LOOP_ITERATIONS} times`, node.offset);
      const s = new Scope(scope);
      this.assign(node.target, item, s, node.offset);
      const loop: Record<string, unknown> = {
        index: i + 1, index0: i, revindex: length - i, revindex0: length - i - 1,
        first: i === 0, last: i === length - 1, length, depth: 1, depth0: 0,
      };
      if (i > 0) loop.previtem = items[i - 1];
      if (i < length - 1) loop.nextitem = items[i + 1];
      s.set('loop', markLoop(loop));
      this.render(node.body, s, out);
    }
    if (length === 0 && node.otherwise) this.render(node.otherwise, new Scope(scope), out);
  }

  private assign(target: Target, value: unknown, scope: Scope, offset: number, nativeText = false): void {
    if (target.kind === 'name') {
      scope.set(target.name, value, nativeText);
      return;
    }
    if (target.kind === 'ns') {
      const local = scope.lookup(target.name);
      const ns = local.found ? local.value : lookupVariable(this.vars, target.name).value;
      if (!isNamespace(ns)) this.fail(`cannot assign attribute '${target.attr}' on '${target.name}': not a namespace()`, target.offset);
      Object.defineProperty(ns, target.attr, { value, enumerable: true, writable: true, configurable: true });
      return;
    }
    const items = typeof value === 'string' || Array.isArray(value) ? iterableItems(value)! : undefined;
    if (items === undefined) this.fail(`cannot unpack ${typeName(value)} into ${target.items.length} names`, target.offset || offset);
    if (items.length !== target.items.length) {
      this.fail(`${items.length > target.items.length ? 'too many' : 'not enough'} values to unpack (expected ${target.items.length}, got ${items.length})`, target.offset);
    }
    target.items.forEach((t, i) => this.assign(t, items[i], scope, offset));
  }
}

/** Renders a statement tree to output nodes (see concatNodes). */
export function renderNodes(tree: TemplateNode[], source: string, vars: object): Output {
  const out = new Output();
  new Renderer(source, vars).render(tree, new Scope(), out);
  return out;
}
