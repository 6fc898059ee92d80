import assert from 'node:assert/strict';
import { evaluate } from '../../src/expr/index.js';
import { expectError, vars } from './helpers.js';

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
    ["'7'.zfill(3) ~ 'ab'.rjust(4, '.') ~ 'ab'.ljust(3) ~ '|'", '007..abab |'],
    ["'a=b=c'.partition('=')", ['a', '=', 'b=c']],
    ["'a=b=c'.rpartition('=')", ['a=b', '=', 'c']],
    ["[1, 2, 1].count(1)", 2],
    ["['a', 'b'].index('b')", 1],
    ["'hello world'.title()", 'Hello World'],
  ];
  for (const [source, expected] of table) {
    it(`${source}  =  ${JSON.stringify(expected)}`, () => assert.deepEqual(evaluate(source, vars), expected));
  }
  it('rejects methods that are not listed, at parse time', () => expectError('list.nope()', "unknown method 'nope' at offset 5", 5));
  it('refuses methods that change a value in place, at parse time', () =>
    expectError('list.append(1)', "'append()' changes a value in place, which remedy does not allow (build a new value with filters, or use namespace()) at offset 5", 5));
  it('refuses str.format()', () => expectError("'{}'.format(1)", "str.format() is not supported: use the format filter or '%s' % value at offset 5", 5));
  it('rejects a listed method on the wrong type', () => expectError("list.startswith('x')", "unknown method 'startswith' of a list", 5));
});
