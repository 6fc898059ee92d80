import assert from 'node:assert/strict';
import { ExpressionError } from '../../src/model/errors.js';
import { evaluate, renderTemplate } from '../../src/expr/index.js';
import { expectError, vars } from './helpers.js';

describe('expr: nothing outside plain data is reachable', () => {
  const table: Array<[string, string, number]> = [
    ["a['__proto__']", "access to '__proto__' is not allowed", 2],
    ["s['constructor']", "access to 'constructor' is not allowed", 2],
    ["nested['prototype']", "access to 'prototype' is not allowed", 7],
    ["nested['__defineGetter__']", "access to '__defineGetter__' is not allowed", 7],
    ["{'__proto__': 1}", "key '__proto__' is not allowed", 1],
  ];
  for (const [source, message, offset] of table) {
    it(`${source}: ${message}`, () => expectError(source, message, offset));
  }
  const unreachable = ['toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];
  for (const name of unreachable) {
    it(`Object.prototype.${name} is neither a variable nor an attribute`, () => {
      assert.equal(evaluate(`${name} is defined`, vars), false);
      assert.equal(evaluate(`nested.${name} is defined`, vars), false);
      assert.equal(evaluate(`s.${name} is defined`, vars), false);
      assert.equal(evaluate(`list.${name} is defined`, vars), false);
    });
  }
  it('does not read attributes of class instances or functions', () => {
    const v = { d: new Date(0), fn: () => 1, m: new Map([['k', 1]]) };
    assert.equal(evaluate('d.getTime is defined', v), false);
    assert.equal(evaluate('fn.call is defined', v), false);
    assert.equal(evaluate('fn.name is defined', v), false);
    assert.equal(evaluate("m['k'] is defined", v), false);
  });
  it('keeps a "__proto__" key from JSON as plain data without changing any prototype', () => {
    const parsed = evaluate(`'{"__proto__": {"polluted": 1}, "ok": 2}' | from_json`, {}) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(evaluate('x.ok', { x: parsed }), 2);
  });
  it('never modifies the vars it reads', () => {
    const v = { list: [3, 1, 2], m: { a: 1 } };
    evaluate("list | sort", v);
    evaluate("m | combine({'b': 2})", v);
    assert.deepEqual(v, { list: [3, 1, 2], m: { a: 1 } });
  });
});

describe('expr: work and output are bounded', () => {
  const limits: Array<[string, RegExp]> = [
    ["{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}", /result of '~' would be longer than 16777216/],
    ["{% for i in range(100000) %}{{ 'x' * 200 }}{% endfor %}", /template output would be longer than 16777216/],
    ['{% for i in range(1000) %}{% for j in range(1001) %}{% endfor %}{% endfor %}', /template loops ran more than 1000000 times/],
    ['{{ range(2000000) }}', /result of range\(\) would be longer than 1000000/],
    ["{{ range(1000) | product(range(1000), range(10)) | list }}", /result of product would be longer than 1000000/],
    ["{{ range(100) | permutations(5) | list }}", /result of permutations would be longer than 1000000/],
    ["{{ 'x' | center(100000000) }}", /result of center would be longer than 16777216/],
    ["{{ '%99999s' % 'x' }}", /format width or precision above 4096/],
    ["{{ ('x' * 1000000) | replace('x', 'yyyyyyyyyyyyyyyyyyyy') }}", /result of replace would be longer than 16777216/],
    ["{{ [1] | batch(100000000, 'x') }}", /result of batch would be longer than 1000000/],
    ['{{ 2 ** 64 }}', /integer result is too large/],
  ];
  for (const [text, message] of limits) {
    it(`stops with an error: ${text.slice(0, 70)}`, () => assert.throws(() => renderTemplate(text, {}), (err: unknown) => err instanceof ExpressionError && message.test(err.message)));
  }

  it('namespace(), dict() and set targets never reach a prototype', () => {
    assert.throws(() => renderTemplate('{% set ns = namespace() %}{% set ns.__proto__ = 1 %}', {}), /access to '__proto__' is not allowed/);
    assert.throws(() => renderTemplate('{{ namespace(__proto__=1) }}', {}), /access to '__proto__' is not allowed/);
    const d = renderTemplate("{{ dict([('__proto__', {'polluted': 1})]) }}", {}) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(d), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const y = renderTemplate("{{ '__proto__: {polluted: 1}' | from_yaml }}", {}) as Record<string, unknown>;
    assert.deepEqual(Object.keys(y), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('loop variables and set values do not leak into the vars given', () => {
    const v = { xs: [1, 2] };
    renderTemplate('{% set a = 1 %}{% for x in xs %}{% set b = x %}{% endfor %}', v);
    assert.deepEqual(v, { xs: [1, 2] });
  });
});
