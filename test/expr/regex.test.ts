import assert from 'node:assert/strict';
import { ExpressionError } from '../../src/model/errors.js';
import { evaluate, MAX_PATTERN_LENGTH, MAX_SUBJECT_LENGTH } from '../../src/expr/index.js';
import { compileRegex, translateReplacement } from '../../src/expr/regex.js';

describe('expr: regular expressions from playbooks', () => {
  const refused = ['(a+)+$', '(a*)*b', '(\\w+\\s?)*$', '(x+y)+', '((ab)+c)*', '(a{2,})+', '(?:a+)+'];
  for (const pattern of refused) {
    it(`refuses nested unbounded quantifiers: ${pattern}`, () => {
      assert.throws(() => compileRegex(pattern), /nested unbounded quantifiers/);
    });
  }

  const accepted = ['(\\d+\\.){3}\\d+', '(ab)+', '^\\s*(\\w+)\\s*=\\s*(.*)$', '[(a+)+]+', '\\(a+\\)+', '(a+)?', '(a|b)*c'];
  for (const pattern of accepted) {
    it(`accepts ${pattern}`, () => assert.ok(compileRegex(pattern) instanceof RegExp));
  }

  it('the refused classic pattern would indeed be slow, and is refused at once', () => {
    const started = process.hrtime.bigint();
    assert.throws(() => evaluate(`('a' * 40 ~ '!') is match('(a+)+$')`, {}), ExpressionError);
    assert.ok(process.hrtime.bigint() - started < 1_000_000_000n);
  });

  it('translates Python syntax: (?P<name>), (?P=name), \\A, \\Z, leading (?i)', () => {
    assert.equal(evaluate(`'abab' is match('(?P<x>ab)(?P=x)\\Z')`, {}), true);
    assert.equal(evaluate(`'abab\\n' is search('ab\\Z')`, {}), false);
    assert.equal(evaluate(`'xab' is search('\\Aab')`, {}), false);
    assert.equal(evaluate(`'ABC' is match('(?i)abc')`, {}), true);
  });

  it('translates Python replacements', () => {
    assert.equal(translateReplacement('\\1-\\g<2>-\\g<name>-$5-\\\\'), '$1-$2-$<name>-$$5-\\');
  });

  it(`refuses a pattern longer than ${MAX_PATTERN_LENGTH} characters`, () => {
    assert.throws(() => evaluate(`'a' is search(p)`, { p: 'a'.repeat(MAX_PATTERN_LENGTH + 1) }),
      (err: unknown) => err instanceof ExpressionError && /longer than 500 characters/.test(err.message));
  });

  it(`refuses a subject longer than ${MAX_SUBJECT_LENGTH} characters`, () => {
    const big = 'x'.repeat(MAX_SUBJECT_LENGTH + 1);
    assert.throws(() => evaluate(`big is search('y')`, { big }), /too long for a regular expression/);
    assert.throws(() => evaluate(`big | regex_replace('y', 'z')`, { big }), /too long for a regular expression/);
    assert.equal(evaluate(`big is search('y')`, { big: big.slice(1) }), false);
  });

  it('match is anchored at the start only, search anywhere', () => {
    assert.equal(evaluate(`'foobar' is match('foo')`, {}), true);
    assert.equal(evaluate(`'foobar' is match('bar')`, {}), false);
    assert.equal(evaluate(`'foobar' is search('bar')`, {}), true);
  });
});
