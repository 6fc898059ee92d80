/**
 * Recursive-descent parser with Jinja2's grammar, one method per precedence level (lowest first):
 *   cond (x if c else y; the else is optional) < or < and < not < comparisons (== != < <= > >=
 *   in, not in; chainable) < + - < ~ < * / // % < ** (left-associative) < unary - + < postfix
 *   (.attr [i] [a:b] calls) < filters and tests.
 * As in Jinja2, a unary minus takes the filters that follow: `-5 | abs` is `(-5) | abs`, and
 * `-2 ** 2` is `(-2) ** 2`; `not x is defined` is `not (x is defined)`.
 */
import { ExpressionError } from '../model/errors.js';
import type { BinaryOp, CompareOp, Expr } from './ast.js';
import { parseFilterExpr, parsePostfix } from './parse-postfix.js';
import { TokenStream } from './token-stream.js';
import { tokenize, type Token } from './tokenize.js';

const KEYWORD_LITERALS: Record<string, boolean | null> = {
  true: true, True: true, false: false, False: false, none: null, None: null,
};
const RESERVED = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else']);

/** Where a tuple without parentheses stops besides `)` and the end of the tag (e.g. `if` in a for loop). */
export interface TupleOptions {
  withCond?: boolean;
  explicitParens?: boolean;
  endWords?: string[];
}

export class ExprParser {
  constructor(readonly ts: TokenStream) {}

  /** The whole token stream as one expression (a bare `a, b` is a tuple, as in `{{ a, b }}`). */
  parseAll(): Expr {
    const e = this.parseTuple();
    this.expectEnd();
    return e;
  }

  expectEnd(): void {
    const t = this.ts.peek();
    if (t.kind !== 'end') this.ts.fail(`unexpected '${t.kind === 'str' ? 'string' : t.value}'`);
  }

  /** `a, b, c` as a tuple, or a single expression when there is no comma (Jinja's parse_tuple). */
  parseTuple(opts: TupleOptions = {}): Expr {
    const offset = this.ts.peek().offset;
    const items: Expr[] = [];
    let isTuple = false;
    for (;;) {
      if (items.length > 0) this.ts.expectOp(',');
      if (this.isTupleEnd(opts.endWords)) break;
      items.push(opts.withCond === false ? this.parseOr() : this.parseCond());
      if (!this.ts.isOp(',')) break;
      isTuple = true;
    }
    if (!isTuple) {
      if (items.length > 0) return items[0]!;
      if (!opts.explicitParens) this.ts.fail('expected an expression');
    }
    return { kind: 'list', items, tuple: true, offset };
  }

  private isTupleEnd(endWords: string[] = []): boolean {
    const t = this.ts.peek();
    return t.kind === 'end' || this.ts.isOp(')') || (t.kind === 'name' && endWords.includes(t.value));
  }

  parseCond(): Expr {
    let expr = this.parseOr();
    while (this.ts.isWord('if')) {
      const offset = this.ts.next().offset;
      const test = this.parseOr();
      if (this.ts.isWord('else')) {
        this.ts.next();
        expr = { kind: 'cond', test, then: expr, otherwise: this.parseCond(), offset };
      } else {
        expr = { kind: 'cond', test, then: expr, offset };
      }
    }
    return expr;
  }

  parseOr(): Expr {
    let left = this.parseAnd();
    while (this.ts.isWord('or')) {
      const offset = this.ts.next().offset;
      left = { kind: 'binary', op: 'or', left, right: this.parseAnd(), offset };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.ts.isWord('and')) {
      const offset = this.ts.next().offset;
      left = { kind: 'binary', op: 'and', left, right: this.parseNot(), offset };
    }
    return left;
  }

  private parseNot(): Expr {
    if (!this.ts.isWord('not')) return this.parseCompare();
    const offset = this.ts.next().offset;
    return { kind: 'unary', op: 'not', operand: this.parseNot(), offset };
  }

  private compareOp(): CompareOp | undefined {
    const t = this.ts.peek();
    if (t.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.value)) return t.value as CompareOp;
    if (this.ts.isWord('in')) return 'in';
    if (this.ts.isWord('not') && this.ts.isWord('in', 1)) return 'not in';
    return undefined;
  }

  private parseCompare(): Expr {
    const first = this.parseAdd();
    const rest: Array<{ op: CompareOp; right: Expr; offset: number }> = [];
    for (let op = this.compareOp(); op !== undefined; op = this.compareOp()) {
      const offset = this.ts.next().offset;
      if (op === 'not in') this.ts.next();
      rest.push({ op, right: this.parseAdd(), offset });
    }
    return rest.length === 0 ? first : { kind: 'compare', first, rest, offset: first.offset };
  }

  private parseBinary(ops: string[], operand: () => Expr): Expr {
    let left = operand();
    while (this.ts.peek().kind === 'op' && ops.includes(this.ts.peek().value)) {
      const t = this.ts.next();
      left = { kind: 'binary', op: t.value as BinaryOp, left, right: operand(), offset: t.offset };
    }
    return left;
  }

  private parseAdd(): Expr {
    return this.parseBinary(['+', '-'], () => this.parseConcat());
  }

  private parseConcat(): Expr {
    return this.parseBinary(['~'], () => this.parseMul());
  }

  private parseMul(): Expr {
    return this.parseBinary(['*', '/', '//', '%'], () => this.parsePow());
  }

  private parsePow(): Expr {
    return this.parseBinary(['**'], () => this.parseUnary());
  }

  parseUnary(withFilter = true): Expr {
    let node: Expr;
    if (this.ts.isOp('-') || this.ts.isOp('+')) {
      const t = this.ts.next();
      node = { kind: 'unary', op: t.value as '-' | '+', operand: this.parseUnary(false), offset: t.offset };
    } else {
      node = this.parsePrimary();
    }
    node = parsePostfix(this, node);
    return withFilter ? parseFilterExpr(this, node) : node;
  }

  parsePrimary(): Expr {
    const t = this.ts.peek();
    if (t.kind === 'num') return { kind: 'literal', value: this.ts.next().num!, offset: t.offset };
    if (t.kind === 'str') {
      let value = '';
      while (this.ts.peek().kind === 'str') value += this.ts.next().value;
      return { kind: 'literal', value, offset: t.offset };
    }
    if (t.kind === 'name' && Object.hasOwn(KEYWORD_LITERALS, t.value)) {
      this.ts.next();
      return { kind: 'literal', value: KEYWORD_LITERALS[t.value]!, offset: t.offset };
    }
    if (t.kind === 'name' && !RESERVED.has(t.value)) {
      const name = this.ts.expectName('a name');
      return { kind: 'name', name: name.value, offset: name.offset };
    }
    if (this.ts.isOp('(')) {
      this.ts.next();
      const e = this.parseTuple({ explicitParens: true });
      this.ts.expectOp(')');
      return e;
    }
    if (this.ts.isOp('[')) {
      this.ts.next();
      return { kind: 'list', items: this.parseItems(']'), offset: t.offset };
    }
    if (this.ts.isOp('{')) return this.parseDict();
    return this.ts.fail('expected an expression');
  }

  /** Items separated by commas up to `close` (a trailing comma is allowed); consumes `close`. */
  private parseItems(close: string): Expr[] {
    const items: Expr[] = [];
    while (!this.ts.isOp(close)) {
      if (items.length > 0 && !this.ts.isOp(',')) break;
      if (items.length > 0) this.ts.next();
      if (this.ts.isOp(close)) break;
      items.push(this.parseCond());
    }
    this.ts.expectOp(close);
    return items;
  }

  private parseDict(): Expr {
    const offset = this.ts.expectOp('{').offset;
    const entries: Array<{ key: Expr; value: Expr }> = [];
    while (!this.ts.isOp('}')) {
      if (entries.length > 0 && !this.ts.isOp(',')) break;
      if (entries.length > 0) this.ts.next();
      if (this.ts.isOp('}')) break;
      const key = this.parseCond();
      this.ts.expectOp(':');
      entries.push({ key, value: this.parseCond() });
    }
    this.ts.expectOp('}');
    return { kind: 'dict', entries, offset };
  }
}

/** Runs a parse, turning a stack overflow on absurdly nested input into an ExpressionError. */
export function guardDepth<T>(source: string, offset: number, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof RangeError) throw new ExpressionError('expression is nested too deeply', source, offset);
    throw err;
  }
}

/** Parses tokens (from tokenize) into an AST; throws ExpressionError on a syntax error. */
export function parseTokens(source: string, tokens: Token[]): Expr {
  return guardDepth(source, tokens[0]?.offset ?? 0, () => new ExprParser(new TokenStream(source, tokens)).parseAll());
}

/** Parses a whole string as one expression. */
export function parseSource(source: string): Expr {
  return parseTokens(source, tokenize(source).tokens);
}
