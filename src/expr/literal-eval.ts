/**
 * Python's ast.literal_eval, as ansible-core 2.14 applies it to the text a template renders when
 * that text starts with `[` or `{` or is `True`/`False` (with `true`, `false` and `null` read as
 * JSON names). Strings (r/u prefixes, triple quotes, adjacent strings joined), ints (0x 0o 0b,
 * underscores), floats, signed numbers, True/False/None, lists, tuples and dicts; comments and
 * newlines inside brackets. Anything else, and more than 200 nested brackets (Python's parser
 * limit), is not a literal: `undefined` is returned and the text stays text. Mapping keys become
 * strings (remedy's mappings have string keys). Bytes, sets and complex numbers are not literals here.
 */
import { ExpressionError } from '../model/errors.js';
import { pyStr } from './py-text.js';
import { makeFloat, makeTuple } from './py-values.js';
import { readEscape } from './tokenize.js';
import { makeMapping } from './values.js';

const MAX_NESTING = 200;
const NAMES: Record<string, boolean | null> = { True: true, False: false, None: null, true: true, false: false, null: null };
const INT = /^(?:0[xX](?:_?[\da-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?\d)*|0(?:_?0)*)(?![\w.])/;
const FLOAT = /^(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*[eE][+-]?\d(?:_?\d)*)(?![\w.])/;

class NotLiteral extends Error {}

class LiteralParser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  fail(): never {
    throw new NotLiteral();
  }

  /** Skips blanks, comments and (inside brackets) newlines and line continuations. */
  private skip(): void {
    for (;;) {
      const c = this.s[this.pos];
      if (c === ' ' || c === '\t' || c === '\f') this.pos += 1;
      else if (c === '#') while (this.pos < this.s.length && this.s[this.pos] !== '\n') this.pos += 1;
      else if (c === '\\' && this.s[this.pos + 1] === '\n') this.pos += 2;
      else if ((c === '\n' || c === '\r') && this.depth > 0) this.pos += 1;
      else return;
    }
  }

  parseAll(): unknown {
    // ast.parse(text, mode='eval') refuses leading blanks ("unexpected indent").
    if (/^[ \t\f]/.test(this.s)) this.fail();
    const v = this.value();
    this.skip();
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos]!)) this.pos += 1;
    if (this.pos < this.s.length) this.fail();
    return v;
  }

  private value(): unknown {
    this.skip();
    const c = this.s[this.pos];
    if (c === '[' || c === '(' || c === '{') return this.container(c);
    if (c === '-' || c === '+') {
      this.pos += 1;
      this.skip();
      const n = this.number();
      if (n === undefined) this.fail();
      return c === '-' ? (typeof n === 'number' ? -n : makeFloat(-n.value)) : n;
    }
    const n = this.number();
    if (n !== undefined) return n;
    const str = this.strings();
    if (str !== undefined) return str;
    const name = /^[A-Za-z_]\w*/.exec(this.s.slice(this.pos, this.pos + 64));
    if (name && Object.hasOwn(NAMES, name[0])) {
      this.pos += name[0].length;
      return NAMES[name[0]];
    }
    return this.fail();
  }

  private number(): ReturnType<typeof makeFloat> | undefined {
    const rest = this.s.slice(this.pos, this.pos + 400);
    const f = FLOAT.exec(rest);
    if (f) {
      this.pos += f[0].length;
      if (/^[jJ]/.test(this.s.slice(this.pos))) this.fail();
      return makeFloat(Number(f[0].replace(/_/g, '')));
    }
    const i = INT.exec(rest);
    if (!i) {
      if (/^\d/.test(rest)) this.fail();
      return undefined;
    }
    this.pos += i[0].length;
    const t = i[0].replace(/_/g, '').toLowerCase();
    const base = t.startsWith('0x') ? 16 : t.startsWith('0o') ? 8 : t.startsWith('0b') ? 2 : 10;
    return base === 10 ? Number(t) : parseInt(t.slice(2), base);
  }

  /** One or more adjacent string literals, joined. */
  private strings(): string | undefined {
    let out: string | undefined;
    for (;;) {
      const m = /^([rRuU]?)('''|"""|'|")/.exec(this.s.slice(this.pos, this.pos + 4));
      if (!m) return out;
      this.pos += m[0].length;
      out = (out ?? '') + this.stringBody(m[2]!, m[1]!.toLowerCase() === 'r');
      this.skip();
    }
  }

  private stringBody(quote: string, raw: boolean): string {
    let out = '';
    while (this.pos < this.s.length) {
      if (this.s.startsWith(quote, this.pos)) {
        this.pos += quote.length;
        return out;
      }
      const c = this.s[this.pos]!;
      if ((c === '\n' || c === '\r') && quote.length === 1) this.fail();
      if (c === '\\' && this.pos + 1 < this.s.length) {
        if (raw) {
          out += this.s.slice(this.pos, this.pos + 2);
          this.pos += 2;
          continue;
        }
        let esc: { text: string; length: number };
        try {
          esc = readEscape(this.s, this.pos);
        } catch (err) {
          if (err instanceof ExpressionError) this.fail();
          throw err;
        }
        out += esc.text;
        this.pos += esc.length;
        continue;
      }
      out += c;
      this.pos += 1;
    }
    return this.fail();
  }

  private container(open: string): unknown {
    const close = open === '[' ? ']' : open === '(' ? ')' : '}';
    this.depth += 1;
    if (this.depth > MAX_NESTING) this.fail();
    this.pos += 1;
    const items: unknown[] = [];
    const entries: Array<[string, unknown]> = [];
    let comma = false;
    for (;;) {
      this.skip();
      if (this.s[this.pos] === close) break;
      if (items.length + entries.length > 0 && !comma) this.fail();
      const v = this.value();
      this.skip();
      if (open === '{') {
        if (this.s[this.pos] !== ':') this.fail();
        this.pos += 1;
        entries.push([pyStr(v), this.value()]);
        this.skip();
      } else {
        items.push(v);
      }
      comma = this.s[this.pos] === ',';
      if (comma) this.pos += 1;
    }
    this.pos += 1;
    this.depth -= 1;
    if (open === '{') return makeMapping(entries);
    if (open === '[') return items;
    return items.length === 1 && !comma ? items[0] : makeTuple(items);
  }
}

/** The literal value of text, or undefined when Python's literal_eval would refuse it. */
export function literalEval(text: string): { value: unknown } | undefined {
  try {
    return { value: new LiteralParser(text).parseAll() };
  } catch (err) {
    if (err instanceof NotLiteral || err instanceof RangeError) return undefined;
    throw err;
  }
}
