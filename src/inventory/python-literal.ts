import { LiteralError, NotLiteral, type Token, tokenize } from './python-tokens.js';

export { LiteralError } from './python-tokens.js';

/**
 * Python's ast.literal_eval as Ansible's INI inventory applies it to every value: numbers
 * (1, -2, 0x1f, 0o17, 0b101, 1_000, 1.5, 1e3), strings ('a', "b", r'c', u'd', b'e', adjacent
 * ones joined), True, False, None, lists, tuples (as lists), dicts and set(). A value that is
 * not such a literal stays the text it was (e.g. yes, true, 010, a b), as in Ansible.
 * Values Python has but remedy cannot keep (complex numbers, sets, integers beyond 2^53, \N{…}
 * escapes) are a LiteralError: the caller turns it into a located ConfigError.
 */

/** A recursive-descent reader of one Python expression, keeping only what literal_eval accepts. */
class Reader {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.at] as Token;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === v;
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) throw new NotLiteral();
    this.at++;
  }

  /** The whole text: one expression, or a bare tuple "1, 2". */
  top(): unknown {
    const first = this.expression();
    let value: unknown = first;
    if (this.isOp(',')) value = this.sequenceAfter(first, 'end');
    if (this.peek().kind !== 'end') throw new NotLiteral();
    return value;
  }

  /** Items after the first one of a tuple or list, up to `close` ('end' for a bare tuple). */
  private sequenceAfter(first: unknown, close: string): unknown[] {
    const items = [first];
    while (this.isOp(',')) {
      this.at++;
      if (close === 'end' ? this.peek().kind === 'end' : this.isOp(close)) break;
      items.push(this.expression());
    }
    return items;
  }

  private expression(): unknown {
    const left = this.unary();
    if (this.isOp('+') || this.isOp('-')) {
      // literal_eval allows only a real number plus or minus an imaginary one: a complex number.
      this.at++;
      const right = this.peek();
      if (typeof left === 'number' && right.kind === 'num' && right.imaginary) throw new LiteralError('complex numbers are not supported');
      throw new NotLiteral();
    }
    return left;
  }

  private unary(): unknown {
    if (this.isOp('-') || this.isOp('+')) {
      const minus = this.isOp('-');
      this.at++;
      let parens = 0; // -(1) is -1: parentheses make no node of their own
      while (this.isOp('(')) (this.at++, parens++);
      const t = this.peek();
      if (t.kind !== 'num') throw new NotLiteral(); // -x, --1, -True, -'a' are no literals
      this.at++;
      for (; parens > 0; parens--) this.expectOp(')');
      if (t.imaginary) throw new LiteralError('complex numbers are not supported');
      return minus ? -t.value || 0 : t.value;
    }
    return this.atom();
  }

  private atom(): unknown {
    const t = this.peek();
    this.at++;
    if (t.kind === 'num') {
      if (t.imaginary) throw new LiteralError('complex numbers are not supported');
      return t.value;
    }
    if (t.kind === 'str') {
      let value = t.value;
      for (let n = this.peek(); n.kind === 'str'; n = this.peek()) {
        if (n.bytes !== t.bytes) throw new NotLiteral(); // b'a' 'b' is a SyntaxError
        value += n.value;
        this.at++;
      }
      return value;
    }
    if (t.kind === 'name') {
      if (t.value === 'True') return true;
      if (t.value === 'False') return false;
      if (t.value === 'None') return null;
      if (t.value === 'set' && this.isOp('(')) throw new LiteralError('sets are not supported');
      throw new NotLiteral();
    }
    if (t.kind !== 'op') throw new NotLiteral();
    if (t.value === '(') {
      if (this.isOp(')')) return (this.at++, []);
      const first = this.expression();
      if (this.isOp(')')) return (this.at++, first);
      const items = this.sequenceAfter(first, ')');
      this.expectOp(')');
      return items;
    }
    if (t.value === '[') {
      if (this.isOp(']')) return (this.at++, []);
      const items = this.sequenceAfter(this.expression(), ']');
      this.expectOp(']');
      return items;
    }
    if (t.value === '{') return this.braces();
    if (t.value === '...') throw new LiteralError('Ellipsis (...) is not supported');
    throw new NotLiteral();
  }

  private braces(): unknown {
    if (this.isOp('}')) return (this.at++, {});
    const firstKey = this.expression();
    if (!this.isOp(':')) {
      this.sequenceAfter(firstKey, '}');
      this.expectOp('}');
      throw new LiteralError('sets are not supported');
    }
    const out: Record<string, unknown> = {};
    let key = firstKey;
    for (;;) {
      this.expectOp(':');
      if (Array.isArray(key) || (key !== null && typeof key === 'object')) throw new LiteralError('a list or dict cannot be a dict key');
      out[key === null ? 'null' : String(key)] = this.expression();
      if (!this.isOp(',')) break;
      this.at++;
      if (this.isOp('}')) break;
      key = this.expression();
    }
    this.expectOp('}');
    return out;
  }
}

/**
 * The value Ansible's INI parser gives `text`: ast.literal_eval(text) when it is a literal
 * (bytes decoded to text), otherwise `text` itself. LiteralError for literals remedy cannot keep.
 */
export function parseIniValue(text: string): unknown {
  let tokens: Token[];
  try {
    tokens = tokenize(text.replace(/^[ \t]+/, ''));
    return new Reader(tokens).top();
  } catch (err) {
    if (err instanceof NotLiteral) return text;
    throw err;
  }
}
