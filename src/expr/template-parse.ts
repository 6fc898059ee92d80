/**
 * Builds the statement tree of a template from its segments. Statements: `if`/`elif`/`else`,
 * `for … in … [if …]` with `else`, `set` (a value, a tuple to unpack, `ns.attr`, or a block with
 * optional filters), `with` and `filter` blocks. Macros, calls, includes, imports, inheritance
 * and anything else that reaches other templates or Python are refused by name.
 */
import type { Expr } from './ast.js';
import { ExprParser, guardDepth } from './parse.js';
import { parseFilter, parseFilterExpr } from './parse-postfix.js';
import type { TokenStream } from './token-stream.js';
import { syntaxError } from './tokenize.js';
import type { Segment } from './template-lex.js';

export type Target =
  | { kind: 'name'; name: string; offset: number }
  | { kind: 'tuple'; items: Target[]; offset: number }
  | { kind: 'ns'; name: string; attr: string; offset: number };

export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'output'; expr: Expr; offset: number }
  | { kind: 'if'; branches: Array<{ test: Expr; body: TemplateNode[] }>; otherwise?: TemplateNode[] }
  | { kind: 'for'; target: Target; iter: Expr; filter?: Expr; body: TemplateNode[]; otherwise?: TemplateNode[]; offset: number }
  | { kind: 'set'; target: Target; value: Expr; offset: number }
  | { kind: 'set-block'; target: Target; filter?: Expr; body: TemplateNode[]; offset: number }
  | { kind: 'with'; assigns: Array<{ target: Target; value: Expr }>; body: TemplateNode[]; offset: number }
  | { kind: 'filter-block'; filter: Expr; body: TemplateNode[]; offset: number };

/** The name a filter block's or block set's body is bound to (no variable can be called this). */
export const BODY_NAME = ' body';

const REFUSED_TAGS = new Set(['macro', 'call', 'include', 'import', 'from', 'extends', 'block', 'autoescape', 'do', 'break', 'continue']);
const END_TAGS = new Set(['elif', 'else', 'endif', 'endfor', 'endset', 'endwith', 'endfilter', 'endmacro', 'endcall', 'endblock', 'endraw']);
const NOT_ASSIGNABLE = new Set(['true', 'false', 'none', 'True', 'False', 'None', 'and', 'or', 'not', 'in', 'is', 'if', 'else']);

type TagSegment = Extract<Segment, { kind: 'tag' }>;

class TemplateParser {
  private i = 0;
  constructor(private readonly text: string, private readonly segments: Segment[]) {}

  parseAll(): TemplateNode[] {
    const { nodes, end } = this.parseBody([]);
    if (end) throw syntaxError(`unexpected '{% ${end.name} %}'`, this.text, end.offset);
    return nodes;
  }

  /** Nodes up to one of the `until` tags (returned, consumed) or the end of the template. */
  private parseBody(until: string[], opener?: TagSegment): { nodes: TemplateNode[]; end?: TagSegment } {
    const nodes: TemplateNode[] = [];
    while (this.i < this.segments.length) {
      const seg = this.segments[this.i++]!;
      if (seg.kind === 'text') nodes.push({ kind: 'text', text: seg.text });
      else if (seg.kind === 'output') nodes.push({ kind: 'output', expr: seg.expr, offset: seg.offset });
      else if (until.includes(seg.name)) return { nodes, end: seg };
      else if (END_TAGS.has(seg.name)) throw syntaxError(`unexpected '{% ${seg.name} %}'${opener ? ` inside '{% ${opener.name} %}'` : ''}`, this.text, seg.offset);
      else nodes.push(this.statement(seg));
    }
    if (opener) throw syntaxError(`'{% ${opener.name} %}' is not closed: expected '{% ${until[until.length - 1]} %}'`, this.text, opener.offset);
    return { nodes };
  }

  private expr(seg: TagSegment, parse: (p: ExprParser) => Expr): Expr {
    return guardDepth(this.text, seg.offset, () => parse(new ExprParser(seg.stream)));
  }

  private done(seg: TagSegment): void {
    new ExprParser(seg.stream).expectEnd();
  }

  private statement(seg: TagSegment): TemplateNode {
    switch (seg.name) {
      case 'if': return this.parseIf(seg);
      case 'for': return this.parseFor(seg);
      case 'set': return this.parseSet(seg);
      case 'with': return this.parseWith(seg);
      case 'filter': return this.parseFilterBlock(seg);
      default:
        if (REFUSED_TAGS.has(seg.name)) throw syntaxError(`'{% ${seg.name} %}' is not supported by remedy`, this.text, seg.offset);
        throw syntaxError(`unknown tag '${seg.name}'`, this.text, seg.offset);
    }
  }

  private parseIf(seg: TagSegment): TemplateNode {
    const branches: Array<{ test: Expr; body: TemplateNode[] }> = [];
    let tag = seg;
    for (;;) {
      const test = this.expr(tag, (p) => p.parseTuple({ withCond: false }));
      this.done(tag);
      const { nodes, end } = this.parseBody(['elif', 'else', 'endif'], seg);
      branches.push({ test, body: nodes });
      if (end!.name === 'elif') {
        tag = end!;
        continue;
      }
      if (end!.name === 'endif') {
        this.done(end!);
        return { kind: 'if', branches };
      }
      this.done(end!);
      const rest = this.parseBody(['endif'], seg);
      this.done(rest.end!);
      return { kind: 'if', branches, otherwise: rest.nodes };
    }
  }

  private parseFor(seg: TagSegment): TemplateNode {
    const ts = seg.stream;
    const target = parseTarget(ts, this.text, ['in']);
    if (!ts.isWord('in')) ts.fail(`expected 'in'`);
    ts.next();
    const iter = this.expr(seg, (p) => p.parseTuple({ withCond: false, endWords: ['recursive', 'if'] }));
    let filter: Expr | undefined;
    if (ts.isWord('if')) {
      ts.next();
      filter = this.expr(seg, (p) => p.parseCond());
    }
    if (ts.isWord('recursive')) ts.fail('recursive loops are not supported by remedy');
    this.done(seg);
    const { nodes, end } = this.parseBody(['else', 'endfor'], seg);
    this.done(end!);
    if (end!.name === 'endfor') return { kind: 'for', target, iter, filter, body: nodes, offset: seg.offset };
    const rest = this.parseBody(['endfor'], seg);
    this.done(rest.end!);
    return { kind: 'for', target, iter, filter, body: nodes, otherwise: rest.nodes, offset: seg.offset };
  }

  private parseSet(seg: TagSegment): TemplateNode {
    const ts = seg.stream;
    let target: Target;
    if (ts.peek().kind === 'name' && ts.isOp('.', 1)) {
      const name = ts.expectName('a namespace name');
      ts.next();
      const attr = ts.expectName('an attribute name');
      target = { kind: 'ns', name: name.value, attr: attr.value, offset: name.offset };
    } else {
      target = parseTarget(ts, this.text, []);
    }
    if (ts.isOp('=')) {
      ts.next();
      const value = this.expr(seg, (p) => p.parseTuple());
      this.done(seg);
      return { kind: 'set', target, value, offset: seg.offset };
    }
    if (target.kind !== 'name') ts.fail(`expected '='`);
    const filter = ts.isOp('|') ? this.expr(seg, (p) => parseFilterExpr(p, bodyName(seg.offset))) : undefined;
    this.done(seg);
    const { nodes, end } = this.parseBody(['endset'], seg);
    this.done(end!);
    return { kind: 'set-block', target, filter, body: nodes, offset: seg.offset };
  }

  private parseWith(seg: TagSegment): TemplateNode {
    const ts = seg.stream;
    const assigns: Array<{ target: Target; value: Expr }> = [];
    while (ts.peek().kind !== 'end') {
      if (assigns.length > 0) ts.expectOp(',');
      const target = parseTarget(ts, this.text, ['=']);
      ts.expectOp('=');
      assigns.push({ target, value: this.expr(seg, (p) => p.parseCond()) });
    }
    const { nodes, end } = this.parseBody(['endwith'], seg);
    this.done(end!);
    return { kind: 'with', assigns, body: nodes, offset: seg.offset };
  }

  private parseFilterBlock(seg: TagSegment): TemplateNode {
    const filter = this.expr(seg, (p) => parseFilterExpr(p, parseFilter(p, bodyName(seg.offset))));
    this.done(seg);
    const { nodes, end } = this.parseBody(['endfilter'], seg);
    this.done(end!);
    return { kind: 'filter-block', filter, body: nodes, offset: seg.offset };
  }
}

function bodyName(offset: number): Expr {
  return { kind: 'name', name: BODY_NAME, offset };
}

/** Assignment targets: `x`, `a, b`, `(a, b), c`; stops before a word in `endWords`. */
function parseTarget(ts: TokenStream, text: string, endWords: string[]): Target {
  const offset = ts.peek().offset;
  const items: Target[] = [];
  let tuple = false;
  for (;;) {
    if (ts.isOp('(')) {
      ts.next();
      items.push(parseTarget(ts, text, []));
      ts.expectOp(')');
    } else {
      const name = ts.expectName('a variable name');
      if (NOT_ASSIGNABLE.has(name.value)) throw syntaxError(`cannot assign to '${name.value}'`, text, name.offset);
      items.push({ kind: 'name', name: name.value, offset: name.offset });
    }
    if (!ts.isOp(',')) break;
    ts.next();
    tuple = true;
    const t = ts.peek();
    if (t.kind === 'end' || ts.isOp(')') || ts.isOp('=') || (t.kind === 'name' && endWords.includes(t.value))) break;
  }
  return tuple ? { kind: 'tuple', items, offset } : items[0]!;
}

/** Parses the statement tree of a template's segments; throws ExpressionError on a syntax error. */
export function parseStatements(text: string, segments: Segment[]): TemplateNode[] {
  return new TemplateParser(text, segments).parseAll();
}

/** Every expression in a statement tree (for checks that look at names without evaluating). */
export function templateExpressions(nodes: TemplateNode[]): Expr[] {
  const out: Expr[] = [];
  const visit = (list: TemplateNode[]): void => {
    for (const n of list) {
      switch (n.kind) {
        case 'text': break;
        case 'output': out.push(n.expr); break;
        case 'if':
          for (const b of n.branches) { out.push(b.test); visit(b.body); }
          if (n.otherwise) visit(n.otherwise);
          break;
        case 'for':
          out.push(n.iter);
          if (n.filter) out.push(n.filter);
          visit(n.body);
          if (n.otherwise) visit(n.otherwise);
          break;
        case 'set': out.push(n.value); break;
        case 'set-block': if (n.filter) out.push(n.filter); visit(n.body); break;
        case 'with': out.push(...n.assigns.map((a) => a.value)); visit(n.body); break;
        case 'filter-block': out.push(n.filter); visit(n.body); break;
      }
    }
  };
  visit(nodes);
  return out;
}
