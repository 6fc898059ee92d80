/**
 * Evaluates an AST over plain JS values. A missing variable, attribute or item becomes an
 * Undefined marker that only `is defined`, `is undefined`, `default`, `mandatory` and attribute
 * access pass through; anything that needs its value throws ExpressionError("undefined variable
 * 'x'") at the identifier's offset. `and`/`or`/`if-else` evaluate lazily, so a decided branch
 * never throws. Template-local variables (loop targets, `{% set %}`) live in a Scope that is
 * searched before the vars.
 */
import { ExpressionError } from '../model/errors.js';
import type { Expr, KeywordArg } from './ast.js';
import { isForbiddenName } from './ast.js';
import { runFilter, type FilterEnv } from './filters.js';
import { callGlobal } from './globals.js';
import { callMethod } from './methods.js';
import { applyArithmetic, applyUnary } from './operators.js';
import { isTuple, makeTuple } from './py-values.js';
import { PASS_THROUGH_FILTERS, Scope, STRING_TYPE_FILTERS, UNDEFINED_TESTS } from './scope.js';
import { contains, runTest } from './tests.js';
import {
  characters, compareValues, deepEqual, getMember, isTruthy, lookupVariable, makeMapping, typeName, Undefined, type Mapping,
} from './values.js';

/** 'a.b[0]'-style text of a variable path, for messages; undefined for other expressions. */
function pathOf(node: Expr): string | undefined {
  if (node.kind === 'name') return node.name;
  if (node.kind === 'attr') {
    const base = pathOf(node.object);
    return base === undefined ? undefined : `${base}.${node.name}`;
  }
  if (node.kind === 'index' && node.index.kind === 'literal') {
    const base = pathOf(node.object);
    return base === undefined ? undefined : `${base}[${JSON.stringify(node.index.value)}]`;
  }
  return undefined;
}

export { Scope };

export class Evaluator {
  /** Whether the value raw() returned last is the text of a string-type filter, passed on unchanged. */
  nativeText = false;

  constructor(private readonly source: string, private readonly vars: object, private readonly scope?: Scope) {}

  fail(message: string, offset: number): never {
    throw new ExpressionError(message, this.source, offset);
  }

  /** The value of node, which must be defined. */
  value(node: Expr): unknown {
    const v = this.raw(node);
    if (v instanceof Undefined) this.fail(v.message, v.offset);
    return v === undefined ? null : v;
  }

  /** The value of node, possibly Undefined; sets nativeText. */
  raw(node: Expr): unknown {
    const v = this.kind(node);
    if (node.kind === 'filter' && !PASS_THROUGH_FILTERS.has(node.name)) this.nativeText = STRING_TYPE_FILTERS.has(node.name);
    else if (node.kind === 'name') this.nativeText = this.scope?.lookup(node.name).nativeText ?? false;
    else if (node.kind !== 'cond' && node.kind !== 'filter' && !(node.kind === 'binary' && (node.op === 'and' || node.op === 'or'))) this.nativeText = false;
    return v;
  }

  private kind(node: Expr): unknown {
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'list': {
        const items = node.items.map((i) => this.value(i));
        return node.tuple ? makeTuple(items) : items;
      }
      case 'dict':
        return makeMapping(node.entries.map((e): [string, unknown] => [this.key(e.key), this.value(e.value)]));
      case 'name': {
        const local = this.scope?.lookup(node.name);
        const v = local?.found ? local : lookupVariable(this.vars, node.name);
        return v.found ? v.value : new Undefined(`undefined variable '${node.name}'`, node.offset);
      }
      case 'attr':
        return this.member(node.object, node.name, node.offset, `has no attribute '${node.name}'`);
      case 'index': {
        const key = this.value(node.index);
        if (typeof key === 'string' && isForbiddenName(key)) this.fail(`access to '${key}' is not allowed`, node.index.offset);
        return this.member(node.object, key, node.offset, `has no item ${JSON.stringify(key)}`);
      }
      case 'slice':
        return this.slice(node);
      case 'unary': {
        const v = this.value(node.operand);
        return node.op === 'not' ? !isTruthy(v) : applyUnary(node.op, v, (m) => this.fail(m, node.offset));
      }
      case 'binary':
        return this.binary(node);
      case 'compare':
        return this.compare(node);
      case 'cond':
        if (isTruthy(this.value(node.test))) return this.raw(node.then);
        if (node.otherwise) return this.raw(node.otherwise);
        return new Undefined('the inline if-expression evaluated to false and has no else', node.offset, true);
      case 'filter':
        return this.filter(node);
      case 'test': {
        const input = UNDEFINED_TESTS.has(node.name) ? this.raw(node.input) : this.value(node.input);
        const ok = runTest(node.name, input, this.values(node.args), this.kwargs(node.kwargs), this.env(node.offset));
        return node.negated ? !ok : ok;
      }
      case 'call':
        return callMethod(this.value(node.object), node.method, this.values(node.args), this.kwargs(node.kwargs), this.env(node.offset));
      case 'global':
        return callGlobal(node.name, this.values(node.args), this.kwargs(node.kwargs), (m) => this.fail(m, node.offset));
    }
  }

  private key(node: Expr): string {
    const k = this.value(node);
    if (typeof k !== 'string' && typeof k !== 'number' && typeof k !== 'boolean') {
      this.fail(`a mapping key must be a string or number, not ${typeName(k)}`, node.offset);
    }
    const s = String(k);
    if (isForbiddenName(s)) this.fail(`key '${s}' is not allowed`, node.offset);
    return s;
  }

  private member(objectNode: Expr, key: unknown, offset: number, missing: string): unknown {
    const obj = this.raw(objectNode);
    if (obj instanceof Undefined) return obj;
    const m = getMember(obj, key);
    if (m.found) return m.value;
    const path = pathOf(objectNode);
    const what = path === undefined ? typeName(obj) : obj === null ? `'${path}' is none and` : `'${path}'`;
    return new Undefined(`${what} ${missing}`, offset);
  }

  private values(nodes: Expr[]): unknown[] {
    return nodes.map((n) => this.value(n));
  }

  private kwargs(args: KeywordArg[]): Mapping {
    return makeMapping(args.map((a): [string, unknown] => [a.name, this.value(a.value)]));
  }

  private env(offset: number): FilterEnv {
    const env: FilterEnv = {
      fail: (message) => this.fail(message, offset),
      undefined: (message) => new Undefined(message, offset),
      filter: (name, value, args, kwargs) => runFilter(name, value, args, kwargs, env),
      test: (name, value, args, kwargs) => runTest(name, value, args, kwargs, env),
    };
    return env;
  }

  private filter(node: Extract<Expr, { kind: 'filter' }>): unknown {
    if (node.name === 'mandatory') {
      const input = this.raw(node.input);
      if (!(input instanceof Undefined)) return input;
      const msg = node.args[0] ?? node.kwargs.find((k) => k.name === 'msg')?.value;
      return this.fail(msg === undefined ? `mandatory variable not defined: ${input.message}` : String(this.value(msg)), node.offset);
    }
    if (node.name === 'default' || node.name === 'd') {
      const input = this.raw(node.input);
      const inputNative = this.nativeText;
      this.nativeText = false;
      if (input instanceof Undefined) return node.args[0] === undefined ? '' : this.value(node.args[0]);
      const boolean = node.args[1] ?? node.kwargs.find((k) => k.name === 'boolean')?.value;
      if (boolean === undefined || !isTruthy(this.value(boolean)) || isTruthy(input)) {
        this.nativeText = inputNative;
        return input;
      }
      this.nativeText = false;
      return node.args[0] === undefined ? '' : this.value(node.args[0]);
    }
    const input = node.name === 'items' ? this.raw(node.input) : this.value(node.input);
    if (input instanceof Undefined) return [];
    return runFilter(node.name, input, this.values(node.args), this.kwargs(node.kwargs), this.env(node.offset));
  }

  private slice(node: Extract<Expr, { kind: 'slice' }>): unknown {
    const value = this.value(node.object);
    if (typeof value !== 'string' && !Array.isArray(value)) this.fail(`cannot slice ${typeName(value)}`, node.offset);
    const obj = typeof value === 'string' ? characters(value) : value;
    const int = (e: Expr | undefined): number | undefined => {
      if (e === undefined) return undefined;
      const v = this.value(e);
      if (v === null) return undefined;
      if (typeof v !== 'number' || !Number.isInteger(v)) this.fail('slice indices must be integers', e.offset);
      return v;
    };
    const step = int(node.step) ?? 1;
    if (step === 0) this.fail('slice step cannot be zero', node.offset);
    const len = obj.length;
    const clamp = (i: number | undefined, dflt: number): number => {
      if (i === undefined) return dflt;
      const j = i < 0 ? i + len : i;
      return step > 0 ? Math.min(Math.max(j, 0), len) : Math.min(Math.max(j, -1), len - 1);
    };
    const start = clamp(int(node.start), step > 0 ? 0 : len - 1);
    const stop = clamp(int(node.stop), step > 0 ? len : -1);
    const picked: unknown[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) picked.push(obj[i]);
    if (typeof value === 'string') return picked.join('');
    return isTuple(value) ? makeTuple(picked) : picked;
  }

  private binary(node: Extract<Expr, { kind: 'binary' }>): unknown {
    const left = this.value(node.left);
    if (node.op === 'and') return isTruthy(left) ? this.value(node.right) : left;
    if (node.op === 'or') return isTruthy(left) ? left : this.value(node.right);
    return applyArithmetic(node.op, left, this.value(node.right), (m) => this.fail(m, node.offset));
  }

  private compare(node: Extract<Expr, { kind: 'compare' }>): boolean {
    let left = this.value(node.first);
    for (const { op, right: rightNode, offset } of node.rest) {
      const right = this.value(rightNode);
      let ok: boolean;
      if (op === '==' || op === '!=') {
        ok = deepEqual(left, right) === (op === '==');
      } else if (op === 'in' || op === 'not in') {
        ok = contains(right, left, this.env(offset)) === (op === 'in');
      } else {
        const c = compareValues(left, right);
        if (c === undefined) this.fail(`cannot compare ${typeName(left)} with ${typeName(right)} using '${op}'`, offset);
        ok = op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      }
      if (!ok) return false;
      left = right;
    }
    return true;
  }
}

/** Runs an evaluation, turning a stack overflow or an oversized string into an ExpressionError. */
export function guardEvaluation<T>(source: string, offset: number, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof RangeError) throw new ExpressionError(`expression could not be evaluated: ${err.message}`, source, offset);
    throw err;
  }
}

/**
 * Evaluates a parsed expression. `source` is the text the node offsets refer to (used in
 * errors). The result is always defined; an Undefined result throws.
 */
export function evaluateNode(node: Expr, vars: object, source: string, scope?: Scope): unknown {
  return guardEvaluation(source, node.offset, () => new Evaluator(source, vars, scope).value(node));
}
