import assert from 'node:assert/strict';
import { ExpressionError } from '../../src/model/errors.js';
import { evaluate } from '../../src/expr/index.js';

const vars = {
  a: 1,
  b: 2,
  zero: 0,
  s: 'Hello World',
  empty: '',
  n: null,
  t: true,
  f: false,
  list: [3, 1, 2],
  nested: { inner: { value: 42, list: ['x', 'y'] }, 'with-dash': 'd', 10: 'ten' },
  res: { status: 'changed', changed: true, failed: false, stdout: 'line1\nline2', rc: 0 },
};

function expectError(source: string, message: string, offset: number, v: Record<string, unknown> = vars): void {
  assert.throws(() => evaluate(source, v), (err: unknown) => {
    assert.ok(err instanceof ExpressionError, `expected ExpressionError, got ${String(err)}`);
    assert.equal(err.message, message);
    assert.equal(err.offset, offset);
    assert.equal(err.expression, source);
    return true;
  });
}

describe('expr: method calls on strings and mappings', () => {
  const table: Array<[string, unknown]> = [
    ["s.startswith('Hello')", true],
    ["s.startswith(['x', 'He'])", true],
    ["s.endswith('x')", false],
    ["'  a b  '.strip()", 'a b'],
    ["'xxaxx'.strip('x')", 'a'],
    ["'xxa'.lstrip('x')", 'a'],
    ["s.lower()", 'hello world'],
    ["s.upper()", 'HELLO WORLD'],
    ["s.split()", ['Hello', 'World']],
    ["'a,b,,c'.split(',')", ['a', 'b', '', 'c']],
    ["res.stdout.splitlines()", ['line1', 'line2']],
    ["s.replace('l', 'L')", 'HeLLo WorLd'],
    ["s.find('World')", 6],
    ["s.find('zzz')", -1],
    ["s.count('l')", 3],
    ["','.join(['a', 'b'])", 'a,b'],
    ["'123'.isdigit()", true],
    ["nested.get('missing', 5)", 5],
    ["nested.get('inner').value", 42],
    ["nested.get('constructor')", null],
    ["res.keys() | sort", ['changed', 'failed', 'rc', 'status', 'stdout']],
    ["nested.inner.items()", [['value', 42], ['list', ['x', 'y']]]],
  ];
  for (const [source, expected] of table) {
    it(`${source}  =  ${JSON.stringify(expected)}`, () => assert.deepEqual(evaluate(source, vars), expected));
  }
  it('rejects methods that are not listed, at parse time', () => expectError('list.pop()', "unknown method 'pop' at offset 5", 5));
  it('rejects a listed method on the wrong type', () => expectError("list.startswith('x')", "unknown method 'startswith' of a list", 5));
});
