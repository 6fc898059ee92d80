import assert from 'node:assert/strict';
import { ExpressionError } from '../../src/model/errors.js';
import type { Expr } from '../../src/expr/index.js';
import { checkExpression, parseExpression } from '../../src/expr/index.js';

/** Prints an AST fully parenthesized, so the table below shows how the parser grouped things. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'literal': return typeof e.value === 'object' && e.value !== null ? `${e.value.value}.0` : JSON.stringify(e.value);
    case 'list': return e.tuple ? `(${e.items.map(show).join(', ')}${e.items.length === 1 ? ',' : ''})` : `[${e.items.map(show).join(', ')}]`;
    case 'dict': return `{${e.entries.map((x) => `${show(x.key)}: ${show(x.value)}`).join(', ')}}`;
    case 'name': return e.name;
    case 'attr': return `${show(e.object)}.${e.name}`;
    case 'index': return `${show(e.object)}[${show(e.index)}]`;
    case 'slice': return `${show(e.object)}[${[e.start, e.stop, e.step].map((x) => (x ? show(x) : '')).join(':')}]`;
    case 'unary': return `(${e.op} ${show(e.operand)})`;
    case 'binary': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'compare': return `(${show(e.first)}${e.rest.map((r) => ` ${r.op} ${show(r.right)}`).join('')})`;
    case 'cond': return `(${show(e.then)} if ${show(e.test)}${e.otherwise ? ` else ${show(e.otherwise)}` : ''})`;
    case 'filter': return `(${show(e.input)} | ${e.name}(${[...e.args.map(show), ...e.kwargs.map((k) => `${k.name}=${show(k.value)}`)].join(', ')}))`;
    case 'test': return `(${show(e.input)} is ${e.negated ? 'not ' : ''}${e.name}(${e.args.map(show).join(', ')}))`;
    case 'call': return `${show(e.object)}.${e.method}(${e.args.map(show).join(', ')})`;
    case 'global': return `${e.name}(${[...e.args.map(show), ...e.kwargs.map((k) => `${k.name}=${show(k.value)}`)].join(', ')})`;
  }
}

describe('expr: parser precedence', () => {
  const table: Array<[string, string]> = [
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['a or b and c', '(a or (b and c))'],
    ['not a and b', '((not a) and b)'],
    ['not a == b', '(not (a == b))'],
    ['a == b or c', '((a == b) or c)'],
    ['a < b < c', '(a < b < c)'],
    ['a not in b', '(a not in b)'],
    ['not a in b', '(not (a in b))'],
    // Jinja2's grammar: ~ binds tighter than + and -; ** is left-associative and looser than a
    // unary minus, which also takes the filters after it.
    ["'x' ~ a + 1", '(("x" ~ a) + 1)'],
    ['a + b ~ c * d', '(a + (b ~ (c * d)))'],
    ['a ~ b == c', '((a ~ b) == c)'],
    ['-2 ** 2', '((- 2) ** 2)'],
    ['2 ** 3 ** 2', '((2 ** 3) ** 2)'],
    ['-x | abs', '((- x) | abs())'],
    ['-x.y', '(- x.y)'],
    ['x is divisibleby 3', '(x is divisibleby(3))'],
    ['x is sameas true and y', '((x is sameas(true)) and y)'],
    ["x is version '2', '>='", '((x is version("2")), ">=")'],
    ['a if b', '(a if b)'],
    ['1, 2', '(1, 2)'],
    ['range(3) | list', '(range(3) | list())'],
    ["dict(a=1)", 'dict(a=1)'],
    ["'a' 'b'", '"ab"'],
    ['0x1F + 0o17 + 0b1', '((31 + 15) + 1)'],
    ['a.0.1', 'a[0][1]'],
    ['1 + x is number', '(1 + (x is number()))'],
    ['not x is defined', '(not (x is defined()))'],
    ['x is not none', '(x is not none())'],
    ['x | default(1) | int', '((x | default(1)) | int())'],
    ["x | default(1, true)", '(x | default(1, true))'],
    ["x | default(1, boolean=true)", '(x | default(1, boolean=true))'],
    ['a if b else c if d else e', '(a if b else (c if d else e))'],
    ['a or b if c else d', '((a or b) if c else d)'],
    ['a.b[0].c', 'a.b[0].c'],
    ["a['k'].b", 'a["k"].b'],
    ['a.0', 'a[0]'],
    ['a[1:2]', 'a[1:2:]'],
    ['a[::-1]', 'a[::(- 1)]'],
    ["s.startswith('x')", 's.startswith("x")'],
    ['x | ansible.builtin.default(2)', '(x | default(2))'],
    ["r is match('a', ignorecase=true)", '(r is match("a"))'],
    ['[1, 2,]', '[1, 2]'],
    ['(1, 2)', '(1, 2)'],
    ['(1,)', '(1,)'],
    ['()', '()'],
    ['x[1, 2]', 'x[(1, 2)]'],
    ["{'a': 1, 'b': [2]}", '{"a": 1, "b": [2]}'],
    ['True and none or False', '((true and null) or false)'],
    ['1_000 + 1.5e2 + 2.5', '((1000 + 150.0) + 2.5)'],
    ['a // b % c * d / e', '((((a // b) % c) * d) / e)'],
  ];
  for (const [source, expected] of table) {
    it(`${source}  →  ${expected}`, () => assert.equal(show(parseExpression(source)), expected));
  }
});

describe('expr: string literals', () => {
  const table: Array<[string, string]> = [
    [String.raw`'a\'b'`, "a'b"],
    [String.raw`"a\"b"`, 'a"b'],
    [String.raw`'tab\there'`, 'tab\there'],
    [String.raw`'nl\n'`, 'nl\n'],
    [String.raw`'\x41\u00e9\U0001F600'`, 'Aé😀'],
    [String.raw`'\101\0'`, 'A\0'],
    [String.raw`'\d+\.\w'`, String.raw`\d+\.\w`],
    [String.raw`'back\\slash'`, 'back\\slash'],
    [`"it's"`, "it's"],
  ];
  for (const [source, expected] of table) {
    it(source, () => assert.deepEqual(parseExpression(source), { kind: 'literal', value: expected, offset: 0 }));
  }
});

describe('expr: syntax errors carry the offset and what was expected', () => {
  const table: Array<[string, string, number]> = [
    ['(a + b', "expected ')' at offset 6", 6],
    ['foo(a', "expected ')' at offset 5", 5],
    ['foo(1)', "unknown function 'foo' at offset 0", 0],
    ["lookup('env', 'HOME')", 'lookup() is not supported: remedy runs no lookup plugins (they read files and run commands on the controller) at offset 0', 0],
    ['x[0](1)', 'only methods and the functions range, dict and namespace can be called at offset 4', 4],
    ['a ]', "unexpected ']' at offset 2", 2],
    ['(a]', "unexpected ']', expected ')' at offset 2", 2],
    ['007', "unexpected '7' at offset 2", 2],
    ["'\\x4'", 'truncated \\x escape at offset 1', 1],
    ['a +', 'expected an expression at offset 3', 3],
    ['', 'expected an expression at offset 0', 0],
    ['a b', "unexpected 'b' at offset 2", 2],
    ["'abc", 'unterminated string at offset 0', 0],
    ['a $ b', "unexpected character '$' at offset 2", 2],
    ['[1, 2', "expected ']' at offset 5", 5],
    ["{'a' 1}", "expected ':' at offset 5", 5],
    ['a if b else', 'expected an expression at offset 11', 11],
    ['x is defined if y else z', "expected an expression at offset 13", 13],
    ['a |', "expected a filter name after '|' at offset 3", 3],
    ['a is', "expected a test name after 'is' at offset 4", 4],
    ['a.', "expected an attribute name after '.' at offset 2", 2],
    ['a[]', 'expected an index at offset 2', 2],
    ['f | x(a=1, 2)', 'positional argument after keyword argument at offset 11', 11],
    ['x | nosuchfilter', "unknown filter 'nosuchfilter' at offset 4", 4],
    ['x is nosuchtest', "unknown test 'nosuchtest' at offset 5", 5],
    ["x.nosuchmethod()", "unknown method 'nosuchmethod' at offset 2", 2],
    ['x | random', 'the random filter is not supported: a playbook run must not depend on chance at offset 4', 4],
    ['x | first.y', "unknown filter 'first.y' at offset 4", 4],
    ['a.__proto__', "access to '__proto__' is not allowed at offset 2", 2],
    ['constructor', "access to 'constructor' is not allowed at offset 0", 0],
    ['a.prototype', "access to 'prototype' is not allowed at offset 2", 2],
    ['x | __class__', "access to '__class__' is not allowed at offset 4", 4],
  ];
  for (const [source, message, offset] of table) {
    it(`${JSON.stringify(source)}: ${message}`, () => {
      assert.throws(() => parseExpression(source), (err: unknown) => {
        assert.ok(err instanceof ExpressionError);
        assert.equal(err.message, message);
        assert.equal(err.offset, offset);
        assert.equal(err.expression, source);
        assert.equal(err.code, 'CONFIG');
        return true;
      });
    });
  }

  it('a deeply nested expression is an ExpressionError, not a stack overflow', () => {
    assert.throws(() => parseExpression('('.repeat(20000) + '1' + ')'.repeat(20000)), ExpressionError);
  });
});

describe('expr: checkExpression', () => {
  it('returns no problem for a valid expression', () => {
    assert.deepEqual(checkExpression("result is succeeded and 'x' in result.stdout"), []);
  });
  it('returns the syntax error without the "at offset" suffix', () => {
    assert.deepEqual(checkExpression('a and (b or'), [{ message: 'expected an expression', offset: 11 }]);
  });
  it('lists every unknown filter and test', () => {
    assert.deepEqual(checkExpression('a | foo and b is bar'), [
      { message: "unknown filter 'foo'", offset: 4 },
      { message: "unknown test 'bar'", offset: 17 },
    ]);
  });
  it('does not evaluate (undefined variables are fine)', () => {
    assert.deepEqual(checkExpression('nowhere.to.be.found > 3'), []);
  });
});
