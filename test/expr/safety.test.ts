import assert from 'node:assert/strict';
import { evaluate } from '../../src/expr/index.js';
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
