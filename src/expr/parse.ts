/**
 * Recursive-descent parser, one function per precedence level (lowest first):
 *   cond (x if c else y) < or < and < not < comparisons (== != < <= > >= in, not in; chainable)
 *   < ~ < + - < * / // % < unary - + < ** < postfix (.attr [i] [a:b] |filter is test)
 * As in Jinja, filters and tests bind tightest: `-x|abs` is `-(x|abs)`, `1 + x is number` is
 * `1 + (x is number)`, and `not x is defined` is `not (x is defined)`.
 */
import { ExpressionError } from '../model/errors.js';
import type { BinaryOp, CompareOp, Expr } from './ast.js';
import { parsePostfix } from './parse-postfix.js';
import { TokenStream } from './token-stream.js';
import { tokenize, type Token } from './tokenize.js';

const KEYWORD_LITERALS: Record<string, boolean | null> = {
  true: true, True: true, false: false, False: false, none: null, None: null, null: null,
};
const RESERVED = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else']);

class Parser {
  constructor(private readonly ts: TokenStream) {}

  parseAll(): Expr {
    const e = this.parseCond();
    const t = this.ts.peek();
    if (t.kind !== 'end') this.ts.fail(`unexpected '${t.kind === 'str' ? 'string' : t.value}'`);
    return e;
  }

  private parseCond(): Expr {
    const then = this.parseOr();
    if (!this.ts.isWord('if')) return then;
    const offset = this.ts.next().offset;
    const test = this.parseOr();
    if (!this.ts.isWord('else')) this.ts.fail(`expected 'else'`);
    this.ts.next();
    return { kind: 'cond', test, then, otherwise: this.parseCond(), offset };
  }

  private parseOr(): Expr {
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
    const first = this.parseConcat();
    const rest: Array<{ op: CompareOp; right: Expr; offset: number }> = [];
    for (let op = this.compareOp(); op !== undefined; op = this.compareOp()) {
      const offset = this.ts.next().offset;
      if (op === 'not in') this.ts.next();
      rest.push({ op, right: this.parseConcat(), offset });
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

  private parseConcat(): Expr {
    return this.parseBinary(['~'], () => this.parseAdd());
  }

  private parseAdd(): Expr {
    return this.parseBinary(['+', '-'], () => this.parseMul());
  }

  private parseMul(): Expr {
    return this.parseBinary(['*', '/', '//', '%'], () => this.parseUnary());
  }

  private parseUnary(): Expr {
    if (this.ts.isOp('-') || this.ts.isOp('+')) {
      const t = this.ts.next();
      return { kind: 'unary', op: t.value as '-' | '+', operand: this.parseUnary(), offset: t.offset };
    }
    return this.parsePow();
  }

  private parsePow(): Expr {
    const base = parsePostfix(this.ts, this.parsePrimary(), () => this.parseCond());
    if (!this.ts.isOp('**')) return base;
    const offset = this.ts.next().offset;
    return { kind: 'binary', op: '**', left: base, right: this.parseUnary(), offset };
  }

  private parsePrimary(): Expr {
    const t = this.ts.peek();
    if (t.kind === 'num') return { kind: 'literal', value: this.ts.next().num!, offset: t.offset };
    if (t.kind === 'str') return { kind: 'literal', value: this.ts.next().value, offset: t.offset };
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
      const e = this.parseCond();
      if (!this.ts.isOp(',')) {
        this.ts.expectOp(')');
        return e;
      }
      const items = [e, ...this.parseItems(')')];
      return { kind: 'list', items, offset: t.offset };
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
    if (this.ts.isOp(',') && close === ')') this.ts.next();
    while (!this.ts.isOp(close)) {
      items.push(this.parseCond());
      if (!this.ts.isOp(',')) break;
      this.ts.next();
    }
    this.ts.expectOp(close);
    return items;
  }

  private parseDict(): Expr {
    const offset = this.ts.expectOp('{').offset;
    const entries: Array<{ key: Expr; value: Expr }> = [];
    while (!this.ts.isOp('}')) {
      const key = this.parseCond();
      this.ts.expectOp(':');
      entries.push({ key, value: this.parseCond() });
      if (!this.ts.isOp(',')) break;
      this.ts.next();
    }
    this.ts.expectOp('}');
    return { kind: 'dict', entries, offset };
  }
}

/** Parses tokens (from tokenize) into an AST; throws ExpressionError on a syntax error. */
export function parseTokens(source: string, tokens: Token[]): Expr {
  try {
    return new Parser(new TokenStream(source, tokens)).parseAll();
  } catch (err) {
    if (err instanceof RangeError) throw new ExpressionError('expression is nested too deeply', source, tokens[0]?.offset ?? 0);
    throw err;
  }
}

/** Parses a whole string as one expression. */
export function parseSource(source: string): Expr {
  return parseTokens(source, tokenize(source).tokens);
}
