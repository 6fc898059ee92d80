import assert from 'node:assert/strict';
import { ExpressionError } from '../../src/model/errors.js';
import { compareVersions, evaluate } from '../../src/expr/index.js';

const vars = {
  n: null,
  num: 3,
  flt: 1.5,
  str: 'sshd.service',
  list: [1, 2],
  map: { k: 1 },
  ok: { status: 'ok', changed: false, failed: false },
  changed: { status: 'changed', changed: true },
  failed: { status: 'failed', changed: false, failed: true, rc: 1 },
  skipped: { status: 'skipped', changed: false },
  unreachable: { status: 'unreachable', changed: false },
  ansibleStyle: { changed: false, failed: true, skipped: false },
  kernel: '5.14.0-427.13.1.el9_4.x86_64',
};

describe('expr: tests (x is name)', () => {
  const table: Array<[string, boolean]> = [
    ['num is defined', true],
    ['nope is defined', false],
    ['nope is undefined', true],
    ['n is none', true],
    ['num is none', false],
    ['num is not none', true],
    ['num is number', true],
    ["'3' is number", false],
    ['num is integer', true],
    ['flt is float', true],
    ['str is string', true],
    ['num is string', false],
    ['true is boolean', true],
    ['map is mapping', true],
    ['list is mapping', false],
    ['list is iterable', true],
    ['str is iterable', true],
    ['map is iterable', true],
    ['num is iterable', false],
    ['list is sequence', true],
    ['map is sequence', false],
    ['list is truthy', true],
    ['[] is truthy', false],
    ["'' is falsy", true],
    ['num is falsy', false],
    ['ok is succeeded', true],
    ['ok is success', true],
    ['changed is succeeded', true],
    ['failed is succeeded', false],
    ['failed is failed', true],
    ['ok is failed', false],
    ['ansibleStyle is failed', true],
    ['changed is changed', true],
    ['ok is changed', false],
    ['ok is not changed', true],
    ['skipped is skipped', true],
    ['ok is skipped', false],
    ['unreachable is unreachable', true],
    ['ok is reachable', true],
    ["str is match('sshd')", true],
    ["str is match('service')", false],
    ["str is search('service')", true],
    ["str is search('^service')", false],
    ["str is match('SSHD', ignorecase=true)", true],
    ["'a\\nb' is search('^b$', multiline=true)", true],
    ["'a\\nb' is search('^b$')", false],
    ["str is regex('\\.service$')", true],
    ["str is not match('x')", true],
    ['num is eq(3)', true],
    ['num is equalto(4)', false],
    ['num is ne(4)', true],
    ['num is lt(4)', true],
    ['num is le(3)', true],
    ['num is gt(3)', false],
    ['num is ge(3)', true],
    ['num is in(list)', false],
    ['1 is in(list)', true],
    ['list is contains(2)', true],
    ['num is odd', true],
    ['4 is even', true],
    ['9 is divisibleby(3)', true],
    ["'abc' is lower", true],
    ["'ABC' is upper", true],
    ['n is sameas(none)', true],
    ["kernel is version('5.14.0-362', '>')", true],
    ["kernel is version('5.14.0-427.13.1.el9_4.x86_64', 'eq')", true],
    ["kernel is version('6.1', 'lt')", true],
    ["'1.10' is version('1.9', '>=')", true],
  ];
  for (const [source, expected] of table) {
    it(`${source}  →  ${expected}`, () => assert.equal(evaluate(source, vars), expected));
  }

  it('a registered-result test needs a mapping', () => {
    assert.throws(() => evaluate('num is failed', vars), (err: unknown) =>
      err instanceof ExpressionError && err.message === "the 'failed' test needs a registered result (a mapping)" && err.offset === 7);
  });
  it('match needs a string', () => {
    assert.throws(() => evaluate("num is match('3')", vars), (err: unknown) =>
      err instanceof ExpressionError && err.message === "'match' needs a string, not number");
  });
  it('an unknown version operator is an error', () => {
    assert.throws(() => evaluate("'1' is version('2', '~')", vars), /unknown version operator '~'/);
  });
});

describe('expr: compareVersions', () => {
  const table: Array<[string, string, number]> = [
    ['1.2', '1.10', -1],
    ['1.10', '1.2', 1],
    ['2.0', '2.0', 0],
    ['2.0', '2.0.1', -1],
    ['5.14.0-362.el9', '5.14.0-427.el9', -1],
    ['1.0a', '1.0b', -1],
    ['1.0.1', '1.0a', 1],
  ];
  for (const [a, b, expected] of table) {
    it(`${a} vs ${b} = ${expected}`, () => assert.equal(compareVersions(a, b), expected));
  }
});
