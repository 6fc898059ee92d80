/** A cursor over tokens, shared by the parser's functions. */
import { isForbiddenName } from './ast.js';
import { syntaxError, type Token } from './tokenize.js';

export class TokenStream {
  private pos = 0;
  constructor(readonly source: string, private readonly tokens: Token[]) {}

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos += 1;
    return t;
  }

  isOp(value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'op' && t.value === value;
  }

  isWord(value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'name' && t.value === value;
  }

  /** Throws a syntax error "<message> at offset N" (N: the current token unless given). */
  fail(message: string, offset = this.peek().offset): never {
    throw syntaxError(message, this.source, offset);
  }

  expectOp(value: string): Token {
    if (!this.isOp(value)) this.fail(`expected '${value}'`);
    return this.next();
  }

  /** A name token that is not forbidden (constructor, prototype, __anything). */
  expectName(what: string): Token {
    const t = this.peek();
    if (t.kind !== 'name') this.fail(`expected ${what}`);
    if (isForbiddenName(t.value)) this.fail(`access to '${t.value}' is not allowed`);
    return this.next();
  }
}
