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
    ['map is sequence', true],
    ['num is sequence', false],
    ['true is number', true],
    ['true is integer', false],
    ['1.0 is float', true],
    ['1.0 is integer', false],
    ['true is true', true],
    ['1 is true', false],
    ['false is false', true],
    ['num is divisibleby 3', true],
    ['num is not divisibleby 2', true],
    ['4.5 is divisibleby 1.5', true],
    ['true is sameas true', true],
    ['1 is sameas true', false],
    ["'abc' is lower", true],
    ["'123' is lower", false],
    ["'ABC1' is upper", true],
    ['[1, 0] is any', true],
    ['[1, 0] is all', false],
    ['[1] is subset([1, 2])', true],
    ['[1, 2] is superset([2])', true],
    ["'5.14.0' is version('5.14', '>=')", true],
    ["'1.2.3' is version('1.10.0', '<', version_type='semver')", true],
    ["'1.0.0-alpha' is version('1.0.0', '<', version_type='semver')", true],
    ["'1.0.0-alpha.1' is version('1.0.0-alpha.beta', '<', version_type='semver')", true],
    ["'1.2a1' is version('1.2', '<', version_type='strict')", true],
    ["'1.2' is version('1.2.0', '==', strict=true)", true],
    ["num is match('3')", true],
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
      err instanceof ExpressionError && err.message === "the 'failed' test expects a dictionary (a registered result)" && err.offset === 7);
  });
  it('an unknown version operator is an error', () => {
    assert.throws(() => evaluate("'1' is version('2', '~')", vars), /Invalid operator type \(~\)/);
  });
  const versionErrors: Array<[string, RegExp]> = [
    ["'1.0.1' is version('1.0a', '>')", /'<' not supported between instances of 'int' and 'str'/],
    ["'1.2.3.4' is version('1.2', '>', version_type='strict')", /invalid version number '1.2.3.4'/],
    ["'1.2' is version('1.2.0', '>', version_type='semver')", /invalid semantic version '1.2'/],
    ["'1.2' is version('1.3', '<', version_type='pep440')", /pep440' is not supported/],
    ["'1.2' is version('1.3', '<', version_type='nope')", /Invalid version type \(nope\)/],
    ["'1.2' is version('1.3', '<', strict=true, version_type='loose')", /Cannot specify both 'strict' and 'version_type'/],
    ["'' is version('1.3', '<')", /Input version value cannot be empty/],
  ];
  for (const [source, message] of versionErrors) {
    it(`version error: ${source}`, () => assert.throws(() => evaluate(source, vars), message));
  }
});

describe('expr: compareVersions', () => {
  const table: Array<[string, string, number]> = [
    ['1.2', '1.10', -1],
    ['1.10', '1.2', 1],
    ['2.0', '2.0', 0],
    ['2.0', '2.0.1', -1],
    ['5.14.0-362.el9', '5.14.0-427.el9', -1],
    ['1.0a', '1.0b', -1],
    ['1.0-rc1', '1.0-rc2', -1],
  ];
  for (const [a, b, expected] of table) {
    it(`${a} vs ${b} = ${expected}`, () => assert.equal(compareVersions(a, b), expected));
  }
});
