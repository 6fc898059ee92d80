/**
 * Postfix parts of the grammar, which bind tightest: `.attr`, `.method(args)`, `[index]`,
 * `[start:stop:step]`, `| filter(args, key=value)` and `is [not] test(args)`.
 */
import type { Expr, KeywordArg } from './ast.js';
import type { TokenStream } from './token-stream.js';
import type { Token } from './tokenize.js';

class PostfixParser {
  constructor(private readonly ts: TokenStream, private readonly parseOperand: () => Expr) {}

  parse(node: Expr): Expr {
    for (;;) {
      if (this.ts.isOp('.')) {
        this.ts.next();
        const t = this.ts.peek();
        if (t.kind === 'num' && /^\d+$/.test(t.value)) {
          this.ts.next();
          node = { kind: 'index', object: node, index: { kind: 'literal', value: t.num!, offset: t.offset }, offset: t.offset };
          continue;
        }
        const name = this.ts.expectName('an attribute name after \'.\'');
        if (this.ts.isOp('(')) {
          const { args, kwargs } = this.parseArgs();
          node = { kind: 'call', object: node, method: name.value, args, kwargs, offset: name.offset };
        } else {
          node = { kind: 'attr', object: node, name: name.value, offset: name.offset };
        }
      } else if (this.ts.isOp('[')) {
        node = this.parseSubscript(node);
      } else if (this.ts.isOp('|')) {
        this.ts.next();
        const name = this.parseFilterName();
        const { args, kwargs } = this.ts.isOp('(') ? this.parseArgs() : { args: [], kwargs: [] };
        node = { kind: 'filter', input: node, name: name.value, args, kwargs, offset: name.offset };
      } else if (this.ts.isWord('is')) {
        this.ts.next();
        const negated = this.ts.isWord('not') && this.ts.peek(1).kind === 'name';
        if (negated) this.ts.next();
        const name = this.ts.expectName('a test name after \'is\'');
        const { args, kwargs } = this.ts.isOp('(') ? this.parseArgs() : { args: [], kwargs: [] };
        node = { kind: 'test', input: node, name: name.value, negated, args, kwargs, offset: name.offset };
      } else if (this.ts.isOp('(')) {
        return this.ts.fail('calling a function is not supported');
      } else {
        return node;
      }
    }
  }

  /** A filter name; Ansible's fully qualified `ansible.builtin.x` is accepted as `x`. */
  private parseFilterName(): Token {
    let name = this.ts.expectName('a filter name after \'|\'');
    while (this.ts.isOp('.') && this.ts.peek(1).kind === 'name') {
      this.ts.next();
      name = { ...this.ts.expectName('a filter name'), offset: name.offset };
    }
    return name;
  }

  private parseSubscript(object: Expr): Expr {
    const offset = this.ts.expectOp('[').offset;
    const parts: Array<Expr | undefined> = [];
    let colons = 0;
    let current: Expr | undefined;
    while (!this.ts.isOp(']')) {
      if (this.ts.isOp(':')) {
        if (colons === 2) this.ts.fail(`expected ']'`);
        this.ts.next();
        parts.push(current);
        current = undefined;
        colons += 1;
        continue;
      }
      if (current !== undefined) this.ts.fail(colons > 0 ? `expected ']'` : `expected ']' or ':'`);
      current = this.parseOperand();
    }
    this.ts.next();
    parts.push(current);
    if (colons === 0) {
      if (current === undefined) this.ts.fail('expected an index', offset + 1);
      return { kind: 'index', object, index: current, offset };
    }
    return { kind: 'slice', object, start: parts[0], stop: parts[1], step: parts[2], offset };
  }

  private parseArgs(): { args: Expr[]; kwargs: KeywordArg[] } {
    this.ts.expectOp('(');
    const args: Expr[] = [];
    const kwargs: KeywordArg[] = [];
    while (!this.ts.isOp(')')) {
      if (this.ts.peek().kind === 'name' && this.ts.isOp('=', 1)) {
        const name = this.ts.expectName('an argument name');
        this.ts.next();
        kwargs.push({ name: name.value, value: this.parseOperand(), offset: name.offset });
      } else {
        const start = this.ts.peek().offset;
        const value = this.parseOperand();
        if (kwargs.length > 0) this.ts.fail('positional argument after keyword argument', start);
        args.push(value);
      }
      if (!this.ts.isOp(',')) break;
      this.ts.next();
    }
    this.ts.expectOp(')');
    return { args, kwargs };
  }
}

/** Parses the postfix operations that follow `node`; parseOperand parses a full expression (for arguments). */
export function parsePostfix(ts: TokenStream, node: Expr, parseOperand: () => Expr): Expr {
  return new PostfixParser(ts, parseOperand).parse(node);
}
