import assert from 'node:assert/strict';
import { ExpressionError } from '../../src/model/errors.js';
import { evaluate, evaluateCondition, parseExpression } from '../../src/expr/index.js';
import { expectError, vars } from './helpers.js';

describe('expr: operators', () => {
  const table: Array<[string, unknown]> = [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['7 / 2', 3.5],
    ['7 // 2', 3],
    ['-7 // 2', -4],
    ['7 % 3', 1],
    ['-7 % 3', 2],
    ['2 ** 10', 1024],
    ['-a', -1],
    ['+a', 1],
    ["'ab' + 'cd'", 'abcd'],
    ['[1] + [2, 3]', [1, 2, 3]],
    ["'ab' * 3", 'ababab'],
    ['2 * [0]', [0, 0]],
    // ~ joins Python's str() of each side.
    ["'n=' ~ a ~ ' ' ~ none ~ t", 'n=1 NoneTrue'],
    ["'x' ~ [1, 'a'] ~ (2,) ~ {'k': 2.5}", "x[1, 'a'](2,){'k': 2.5}"],
    ['1 ~ 4 / 2', '12.0'],
    ['true == 1 and 1.0 == 1 and not ([1] == (1,))', true],
    ['true + 1', 2],
    ['-true', -1],
    ["'%s=%05.1f' % ('x', 2.25)", 'x=002.2'],
    ["'%d%%' % 99.9", '99%'],
    ["'%(a)s-%(b)r' % {'a': 1, 'b': 'q'}", "1-'q'"],
    ["'%x %X %o %e' % (255, 255, 8, 12345.678)", 'ff FF 10 1.234568e+04'],
    ['a == 1', true],
    ['a == 1.0', true],
    ["a == '1'", false],
    ['a != b', true],
    ['[1, [2]] == [1, [2]]', true],
    ["{'k': 1} == {'k': 1}", true],
    ["{'k': 1} == {'k': 2}", false],
    ['n == none', true],
    ['a < b', true],
    ['a <= 1', true],
    ['b > a', true],
    ['b >= 3', false],
    ["'abc' < 'abd'", true],
    ['[1, 2] < [1, 3]', true],
    ['1 < 2 < 3', true],
    ['1 < 3 < 2', false],
    ["'World' in s", true],
    ["'world' in s", false],
    ['3 in list', true],
    ['4 not in list', true],
    ["'inner' in nested", true],
    ["'value' in nested", false],
    ['[1] in [[1], [2]]', true],
    ['a and b', 2],
    ['zero and b', 0],
    ['zero or b', 2],
    ["empty or 'fallback'", 'fallback'],
    ['a or b', 1],
    ['not a', false],
    ['not empty', true],
    ["'yes' if a == 1 else 'no'", 'yes'],
    ["'yes' if zero else 'no'", 'no'],
    ['nested.inner.value', 42],
    ["nested['inner']['list'][1]", 'y'],
    ['nested.inner.list.0', 'x'],
    ["nested['with-dash']", 'd'],
    ['nested[10]', 'ten'],
    ['list[-1]', 2],
    ['list[1:]', [1, 2]],
    ['list[:2]', [3, 1]],
    ['list[::-1]', [2, 1, 3]],
    ['s[0:5]', 'Hello'],
    ['s[-5:]', 'World'],
    ['s.length', 11],
    ['list.length', 3],
    ['res.rc == 0 and res.changed', true],
    ["{'a': a, 'b': [b]}", { a: 1, b: [2] }],
    ["(1, 'x')", [1, 'x']],
    ['true and True and not false and not False', true],
    ['none is none and None is none', true],
    ['range(3)', [0, 1, 2]],
    ['range(10, 0, -3)', [10, 7, 4, 1]],
    ["dict(a=1, b=[2])", { a: 1, b: [2] }],
    ["dict([('a', 1)])", { a: 1 }],
  ];
  for (const [source, expected] of table) {
    it(`${source}  =  ${JSON.stringify(expected)}`, () => assert.deepEqual(evaluate(source, vars), expected));
  }

  it('evaluates a parsed expression again with other vars', () => {
    const e = parseExpression('x * 2');
    assert.equal(evaluate(e, { x: 2 }), 4);
    assert.equal(evaluate(e, { x: 5 }), 10);
  });

  it('finds variables inherited through a prototype chain of layered vars', () => {
    const layered = Object.assign(Object.create({ base: 'b' }) as object, { top: 't' }) as Record<string, unknown>;
    assert.equal(evaluate("top ~ base", layered), 'tb');
  });
});

describe('expr: undefined variables', () => {
  it('throws with the name and the offset of the identifier', () => {
    expectError('a + missing', "undefined variable 'missing'", 4);
  });
  it('reports the first missing part of a path', () => {
    expectError('1 + ghost.x.y', "undefined variable 'ghost'", 4);
    expectError('res.nope.deeper == 1', "'res' has no attribute 'nope'", 4);
    expectError('list[7] + 1', "'list' has no item 7", 4);
    expectError('n.x', "'n' is none and has no attribute 'x'", 2);
    expectError('[1][3]', 'list has no item 3', 3);
  });
  const guarded: Array<[string, unknown]> = [
    ['missing is defined', false],
    ['missing is undefined', true],
    ['missing is not defined', true],
    ['ghost.x.y is defined', false],
    ['res.stdout is defined', true],
    ['res.nope is defined', false],
    ["missing | default('d')", 'd'],
    ["missing | d('d')", 'd'],
    ['missing | default', ''],
    ['ghost.x | default(7)', 7],
    ["list[9] | default('none')", 'none'],
    ["empty | default('d')", ''],
    ["empty | default('d', true)", 'd'],
    ["empty | default('d', boolean=true)", 'd'],
    ['missing is defined and missing > 1', false],
    // As in Jinja2, tests of type and identity look at an undefined value without using it.
    ['missing is none', false],
    ['missing is string', false],
    ['missing is undefined or missing > 1', true],
    ['zero and missing', 0],
    ['a or missing', 1],
    ["1 if t else missing", 1],
    ["missing if f else 2", 2],
  ];
  for (const [source, expected] of guarded) {
    it(`guarded: ${source}  =  ${JSON.stringify(expected)}`, () => assert.deepEqual(evaluate(source, vars), expected));
  }
  it('is not guarded when the short-circuit did not decide', () => {
    expectError('a and missing', "undefined variable 'missing'", 6);
    expectError('missing or a', "undefined variable 'missing'", 0);
    expectError('[1, missing]', "undefined variable 'missing'", 4);
    expectError('missing | lower', "undefined variable 'missing'", 0);
    expectError('missing is even', "undefined variable 'missing'", 0);
    expectError('missing', "undefined variable 'missing'", 0);
  });
});

describe('expr: type errors are ExpressionErrors at the operator', () => {
  const table: Array<[string, string, number]> = [
    ["a + 'x'", "unsupported operand types for '+': number and string", 2],
    ['s - 1', "unsupported operand types for '-': string and number", 2],
    ['a / 0', 'division by zero', 2],
    ['a // zero', 'division by zero', 2],
    ['a % 0', 'division by zero', 2],
    ["a < 'x'", "cannot compare number with string using '<'", 2],
    ['1 in a', "'in' needs a string, list or mapping on the right", 2],
    ['1 in s', "'in <string>' needs a string on the left", 2],
    ["-'x'", "unary '-' needs a number, not string", 0],
    ["'x' * 100000000", "result of '*' would be longer than 16777216", 4],
    ['[0] * 2000000', "result of '*' would be longer than 1000000", 4],
    ['2 ** 100', 'integer result is too large (remedy computes integers exactly only up to 2**53)', 2],
    ["'%s %s' % (1,)", 'not enough arguments for format string', 8],
    ["'%s' % (1, 2)", 'not all arguments converted during string formatting', 5],
    ["'%d' % 'x'", '%d format: a real number is required, not str', 5],
    ['range(1.5)', 'range() needs integers, not number', 0],
    ['range(10000000)', 'result of range() would be longer than 1000000', 0],
    ['null', "undefined variable 'null'", 0],
    ['a[1:2]', 'cannot slice number', 1],
    ['list[::0]', 'slice step cannot be zero', 4],
    ["{[1]: 2}", 'a mapping key must be a string or number, not list', 1],
  ];
  for (const [source, message, offset] of table) {
    it(`${source}: ${message}`, () => expectError(source, message, offset));
  }
});

describe('expr: evaluateCondition', () => {
  const table: Array<[string, boolean]> = [
    ['a == 1', true],
    ['empty', false],
    ["''", false],
    ['0', false],
    ['0.0', false],
    ['[]', false],
    ['{}', false],
    ['none', false],
    ['false', false],
    ["'0'", true],
    ["' '", true],
    ['[0]', true],
    ["{'k': none}", true],
    ['res is changed and res.rc == 0', true],
    ['{{ a == 1 }}', true],
    ['  {{ zero }}  ', false],
    ['{{ list }}', true],
  ];
  for (const [source, expected] of table) {
    it(`${source}  →  ${expected}`, () => assert.equal(evaluateCondition(source, vars), expected));
  }
  it('reports an undefined variable inside a whole-template condition at its offset', () => {
    assert.throws(() => evaluateCondition('{{ nope }}', vars), (err: unknown) =>
      err instanceof ExpressionError && err.message === "undefined variable 'nope'" && err.offset === 3);
  });
});

describe('expr: conditions written with {{ }}', () => {
  it('refuses more than one template, or text beside it, at the extra part', () => {
    const cases: Array<[string, number]> = [['{{ a }} and {{ b }}', 8], ['{{ a }}{{ b }}', 7], ['{{ a }} and b', 8]];
    for (const [source, offset] of cases) {
      assert.throws(() => evaluateCondition(source, vars), (err: unknown) =>
        err instanceof ExpressionError && err.offset === offset && /exactly one \{\{ \}\} template/.test(err.message));
    }
  });
});

describe('expr: JS undefined in vars counts as not defined', () => {
  const v = { u: undefined, r: { cause: undefined, rc: 0 }, l: [undefined] };
  const table: Array<[string, unknown]> = [
    ['u is defined', false],
    ['r.cause is defined', false],
    ["r.cause | default('none')", 'none'],
    ['l[0] is defined', false],
    ['r.rc is defined', true],
    ["'cause' in r", false],
    ["[1] | ternary('yes', 'no')", 'yes'],
    ["u | default(none) | ternary('yes', 'no', 'unset')", 'unset'],
  ];
  for (const [source, expected] of table) {
    it(`${source}  =  ${JSON.stringify(expected)}`, () => assert.deepEqual(evaluate(source, v), expected));
  }
});
