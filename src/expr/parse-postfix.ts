/**
 * Postfix parts of the grammar, as Jinja2 splits them: subscripts and calls (`.attr`, `.0`,
 * `[index]`, `[start:stop:step]`, `(args)`) bind to the operand; then filters and tests
 * (`| name(args)`, `is [not] name(args)` or `is name arg`) apply to the result, and a call may
 * follow either. A call is a method call (`x.startswith('a')`) or one of the global functions
 * (`range(3)`, `dict(a=1)`, `namespace(n=0)`); nothing else can be called.
 */
import type { Expr, KeywordArg } from './ast.js';
import type { ExprParser } from './parse.js';
import type { Token } from './tokenize.js';

/** Prefixes of Ansible's fully qualified names that are read as the short name. */
const BUILTIN_PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];

function parseArgs(p: ExprParser): { args: Expr[]; kwargs: KeywordArg[] } {
  const ts = p.ts;
  ts.expectOp('(');
  const args: Expr[] = [];
  const kwargs: KeywordArg[] = [];
  while (!ts.isOp(')')) {
    if (args.length + kwargs.length > 0 && !ts.isOp(',')) break;
    if (args.length + kwargs.length > 0) ts.next();
    if (ts.isOp(')')) break;
    if (ts.isOp('*') || ts.isOp('**')) ts.fail('*args and **kwargs are not supported');
    if (ts.peek().kind === 'name' && ts.isOp('=', 1)) {
      const name = ts.expectName('an argument name');
      ts.next();
      kwargs.push({ name: name.value, value: p.parseCond(), offset: name.offset });
    } else {
      const start = ts.peek().offset;
      const value = p.parseCond();
      if (kwargs.length > 0) ts.fail('positional argument after keyword argument', start);
      args.push(value);
    }
  }
  ts.expectOp(')');
  return { args, kwargs };
}

/** A filter or test name, dotted names included; `ansible.builtin.x` is `x`. */
function parseDottedName(p: ExprParser, what: string): Token {
  const first = p.ts.expectName(what);
  let name = first.value;
  while (p.ts.isOp('.')) {
    p.ts.next();
    name += `.${p.ts.expectName(what).value}`;
  }
  const prefix = BUILTIN_PREFIXES.find((x) => name.startsWith(x) && name.length > x.length);
  return { ...first, value: prefix ? name.slice(prefix.length) : name };
}

function parseCall(p: ExprParser, node: Expr): Expr {
  const offset = p.ts.peek().offset;
  if (node.kind === 'attr') {
    const { args, kwargs } = parseArgs(p);
    return { kind: 'call', object: node.object, method: node.name, args, kwargs, offset: node.offset };
  }
  if (node.kind === 'name') {
    const { args, kwargs } = parseArgs(p);
    return { kind: 'global', name: node.name, args, kwargs, offset: node.offset };
  }
  return p.ts.fail('only methods and the functions range, dict and namespace can be called', offset);
}

function parseSubscript(p: ExprParser, object: Expr): Expr {
  const ts = p.ts;
  const offset = ts.expectOp('[').offset;
  const items: Expr[] = [];
  while (!ts.isOp(']')) {
    if (items.length > 0 && !ts.isOp(',')) break;
    if (items.length > 0) ts.next();
    items.push(parseSubscribed(p));
  }
  ts.expectOp(']');
  if (items.length === 0) ts.fail('expected an index', offset + 1);
  if (items.length === 1) {
    const only = items[0]!;
    if (only.kind === 'slice') return { ...only, object, offset };
    return { kind: 'index', object, index: only, offset };
  }
  return { kind: 'index', object, index: { kind: 'list', items, tuple: true, offset: offset + 1 }, offset };
}

/** One subscript: an expression, or a slice `a:b:c` (returned as a slice node on a placeholder). */
function parseSubscribed(p: ExprParser): Expr {
  const ts = p.ts;
  const offset = ts.peek().offset;
  const parts: Array<Expr | undefined> = [];
  let current: Expr | undefined;
  let colons = 0;
  const atEnd = (): boolean => ts.isOp(']') || ts.isOp(',');
  if (!ts.isOp(':')) {
    current = p.parseCond();
    if (!ts.isOp(':')) return current;
  }
  while (ts.isOp(':') && colons < 2) {
    ts.next();
    parts.push(current);
    current = undefined;
    colons += 1;
    if (!atEnd() && !ts.isOp(':')) current = p.parseCond();
  }
  parts.push(current);
  const placeholder: Expr = { kind: 'literal', value: null, offset };
  return { kind: 'slice', object: placeholder, start: parts[0], stop: parts[1], step: parts[2], offset };
}

/** `.attr`, `.0`, `[…]` and calls after an operand. */
export function parsePostfix(p: ExprParser, node: Expr): Expr {
  const ts = p.ts;
  for (;;) {
    if (ts.isOp('.')) {
      ts.next();
      const t = ts.peek();
      if (t.kind === 'num' && /^\d+$/.test(t.value)) {
        ts.next();
        node = { kind: 'index', object: node, index: { kind: 'literal', value: t.num!, offset: t.offset }, offset: t.offset };
        continue;
      }
      const name = ts.expectName('an attribute name after \'.\'');
      node = { kind: 'attr', object: node, name: name.value, offset: name.offset };
    } else if (ts.isOp('[')) {
      node = parseSubscript(p, node);
    } else if (ts.isOp('(')) {
      node = parseCall(p, node);
    } else {
      return node;
    }
  }
}

/** Whether the token after a test name starts its single argument (`x is divisibleby 3`). */
function startsTestArgument(p: ExprParser): boolean {
  const t = p.ts.peek();
  if (t.kind === 'name') return !['else', 'or', 'and'].includes(t.value);
  return t.kind === 'str' || t.kind === 'num' || p.ts.isOp('(') || p.ts.isOp('[') || p.ts.isOp('{');
}

function parseTest(p: ExprParser, input: Expr): Expr {
  const ts = p.ts;
  ts.next();
  const negated = ts.isWord('not');
  if (negated) ts.next();
  const name = parseDottedName(p, 'a test name after \'is\'');
  let args: Expr[] = [];
  let kwargs: KeywordArg[] = [];
  if (ts.isOp('(')) {
    ({ args, kwargs } = parseArgs(p));
  } else if (startsTestArgument(p)) {
    if (ts.isWord('is')) ts.fail('tests cannot be chained with is');
    args = [parsePostfix(p, p.parsePrimary())];
  }
  return { kind: 'test', input, name: name.value, negated, args, kwargs, offset: name.offset };
}

/** One filter, `name` or `name(args)` (after its `|`), applied to input. */
export function parseFilter(p: ExprParser, input: Expr): Expr {
  const name = parseDottedName(p, 'a filter name after \'|\'');
  const { args, kwargs } = p.ts.isOp('(') ? parseArgs(p) : { args: [], kwargs: [] };
  return { kind: 'filter', input, name: name.value, args, kwargs, offset: name.offset };
}

/** Filters, tests and calls after an operand and its postfix parts. */
export function parseFilterExpr(p: ExprParser, node: Expr): Expr {
  const ts = p.ts;
  for (;;) {
    if (ts.isOp('|')) {
      ts.next();
      node = parseFilter(p, node);
    } else if (ts.isWord('is')) {
      node = parseTest(p, node);
    } else if (ts.isOp('(')) {
      node = parseCall(p, node);
    } else {
      return node;
    }
  }
}
