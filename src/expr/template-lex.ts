/**
 * Splits a template into text, `{{ expression }}` and `{% tag %}` segments with Jinja2's lexical
 * rules as ansible-core configures them: `{# comments #}` vanish; `{%-`/`{{-`/`{#-` strip the
 * whitespace before and `-%}`/`-}}`/`-#}` the whitespace after; trim_blocks is on (the first
 * newline after `%}` or `#}` is dropped, `+%}` keeps it); `{% raw %}…{% endraw %}` is text;
 * one trailing newline of the template is dropped (ansible-core adds it back to a text result).
 * Newlines in text are normalized to `\n`. Offsets are offsets into the whole template.
 */
import type { Expr } from './ast.js';
import { ExprParser, guardDepth } from './parse.js';
import { TokenStream } from './token-stream.js';
import { syntaxError, tokenize } from './tokenize.js';

export type Segment =
  | { kind: 'text'; text: string; offset: number }
  | { kind: 'output'; expr: Expr; offset: number }
  | { kind: 'tag'; name: string; stream: TokenStream; offset: number };

const RAW_BEGIN = /\{%[-+]?\s*raw\s*(?:-%\}\s*|%\})/y;
const RAW_END = /\{%([-+]?)\s*endraw\s*(\+%\}|-%\}\s*|%\}(?:\r\n|\r|\n)?)/g;

/** The characters after `pos` that trim_blocks drops: one newline. */
function newlineAt(text: string, pos: number): number {
  if (text.startsWith('\r\n', pos)) return 2;
  return text[pos] === '\n' || text[pos] === '\r' ? 1 : 0;
}

function whitespaceAt(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && /\s/.test(text[i]!)) i += 1;
  return i - pos;
}

/** Parses the expression of one `{{ … }}` starting at `open`; returns it and where the tag ends. */
export function lexOutput(text: string, open: number): { expr: Expr; end: number; trimAfter: boolean } {
  const start = open + (text[open + 2] === '-' || text[open + 2] === '+' ? 3 : 2);
  const r = tokenize(text, start, 'variable', open);
  const expr = guardDepth(text, r.tokens[0]?.offset ?? start, () => {
    const p = new ExprParser(new TokenStream(text, r.tokens));
    return p.parseAll();
  });
  return { expr, end: r.end, trimAfter: r.trimAfter };
}

class Lexer {
  readonly segments: Segment[] = [];
  private pos = 0;
  private stripNext = false;
  private readonly limit: number;

  constructor(private readonly text: string, private readonly onError?: (err: unknown) => void) {
    this.limit = text.length - (text.endsWith('\r\n') ? 2 : /[\r\n]$/.test(text) ? 1 : 0);
  }

  private pushText(raw: string, offset: number, stripEnd: boolean): void {
    let t = raw;
    if (this.stripNext) t = t.trimStart();
    if (stripEnd) t = t.trimEnd();
    this.stripNext = false;
    if (t !== '') this.segments.push({ kind: 'text', text: t.replace(/\r\n?/g, '\n'), offset });
  }

  /** Moves past a closing delimiter: `-` strips the whitespace after, a plain one (in tags) one newline. */
  private after(end: number, trim: boolean, trimBlocks: boolean): void {
    this.pos = end + (trim ? whitespaceAt(this.text, end) : trimBlocks ? newlineAt(this.text, end) : 0);
  }

  run(): Segment[] {
    const { text } = this;
    while (this.pos < this.limit) {
      const open = /\{[{%#]/g;
      open.lastIndex = this.pos;
      const m = open.exec(text);
      if (m === null || m.index >= this.limit) {
        this.pushText(text.slice(this.pos, this.limit), this.pos, false);
        break;
      }
      const at = m.index;
      this.pushText(text.slice(this.pos, at), this.pos, text[at + 2] === '-');
      try {
        if (text[at + 1] === '#') this.comment(at);
        else if (text[at + 1] === '{') this.output(at);
        else this.tag(at);
      } catch (err) {
        if (this.onError === undefined) throw err;
        this.onError(err);
        this.pos = at + 2;
      }
    }
    return this.segments;
  }

  private comment(at: number): void {
    const bodyStart = at + (hasMarker(this.text, at + 2) ? 3 : 2);
    const close = this.text.indexOf('#}', bodyStart);
    if (close < 0) throw syntaxError('missing end of comment tag', this.text, at);
    const marker = close > bodyStart ? this.text[close - 1] : '';
    this.after(close + 2, marker === '-', marker !== '+');
  }

  private output(at: number): void {
    const r = lexOutput(this.text, at);
    this.segments.push({ kind: 'output', expr: r.expr, offset: at });
    this.after(r.end, r.trimAfter, false);
  }

  private tag(at: number): void {
    RAW_BEGIN.lastIndex = at;
    const raw = RAW_BEGIN.exec(this.text);
    if (raw !== null) {
      this.raw(at, raw[0].length);
      return;
    }
    const bodyStart = at + (hasMarker(this.text, at + 2) ? 3 : 2);
    const r = tokenize(this.text, bodyStart, 'block', at);
    const first = r.tokens[0]!;
    if (first.kind !== 'name') throw syntaxError('expected a tag name after {%', this.text, first.offset);
    const stream = new TokenStream(this.text, r.tokens);
    stream.next();
    this.segments.push({ kind: 'tag', name: first.value, stream, offset: at });
    this.after(r.end, r.trimAfter, !r.keepNewline);
  }

  private raw(at: number, length: number): void {
    const bodyStart = at + length;
    RAW_END.lastIndex = bodyStart;
    const end = RAW_END.exec(this.text);
    if (end === null) throw syntaxError('missing {% endraw %}', this.text, at);
    this.pushText(this.text.slice(bodyStart, end.index), bodyStart, end[1] === '-');
    this.pos = end.index + end[0].length;
  }
}

/** A whitespace-control marker (`-` or `+`) right after an opening delimiter. */
function hasMarker(text: string, pos: number): boolean {
  return text[pos] === '-' || text[pos] === '+';
}

/**
 * Splits a template into segments; throws ExpressionError at the first lexical or expression
 * syntax error, or, given onError, reports each one and goes on after its opening delimiter.
 */
export function lexTemplate(text: string, onError?: (err: unknown) => void): Segment[] {
  return new Lexer(text, onError).run();
}
