import assert from 'node:assert/strict';
import { literalEval } from '../../src/expr/literal-eval.js';
import { formatPercent } from '../../src/expr/percent-format.js';
import { pyJsonDumps, pyJsonLoads } from '../../src/expr/py-json.js';
import { floatRepr, pyRepr, strRepr, toFixedPy } from '../../src/expr/py-text.js';
import { isTuple, makeTuple, PyFloat, toPlain } from '../../src/expr/py-values.js';

const fail = (m: string): never => {
  throw new Error(m);
};

describe('expr: Python values', () => {
  const floats: Array<[number, string]> = [
    [4040, '4040.0'], [0.1 + 0.2, '0.30000000000000004'], [1e16, '1e+16'], [1234567890123456, '1234567890123456.0'],
    [1e-5, '1e-05'], [0.0001, '0.0001'], [-0, '-0.0'], [Infinity, 'inf'], [NaN, 'nan'], [1.5e300, '1.5e+300'], [123456789.123456789, '123456789.12345679'],
  ];
  for (const [n, text] of floats) it(`float repr of ${n} is ${text}`, () => assert.equal(floatRepr(n), text));

  const strings: Array<[string, string]> = [
    ['a', "'a'"], ["it's", `"it's"`], [`it's "x"`, `'it\\'s "x"'`], ['a\nb\t\\', "'a\\nb\\t\\\\'"], ['\u0001\u007f', "'\\x01\\x7f'"],
    ['héllo', "'héllo'"], ['\u00a0\u2028', "'\\xa0\\u2028'"], ['😀', "'😀'"],
  ];
  for (const [s, text] of strings) it(`str repr of ${JSON.stringify(s)} is ${text}`, () => assert.equal(strRepr(s), text));

  it('prints lists, tuples, mappings, None and booleans as Python does', () => {
    assert.equal(pyRepr([1, 'a', null, true, new PyFloat(2), makeTuple([1]), makeTuple([]), { k: [false] }]), "[1, 'a', None, True, 2.0, (1,), (), {'k': [False]}]");
  });

  it('rounds ties to even on the exact binary value', () => {
    assert.deepEqual([toFixedPy(2.5, 0), toFixedPy(3.5, 0), toFixedPy(0.125, 2), toFixedPy(2.675, 2), toFixedPy(-0.5, 0), toFixedPy(1.25, 1)], ['2', '4', '0.12', '2.67', '-0', '1.2']);
  });

  const formats: Array<[string, unknown, string]> = [
    ['%s|%r', makeTuple(['a', 'a']), "a|'a'"], ['%5.1f|%-5d|%05d', makeTuple([2.25, 3, -4]), '  2.2|3    |-0004'], ['%x %X %o %#x %#o', makeTuple([255, 255, 8, 255, 8]), 'ff FF 10 0xff 0o10'],
    ['%e %E %g %g %G', makeTuple([12345.678, 0.5, 0.00001234, 123456789, 1e-10]), '1.234568e+04 5.000000E-01 1.234e-05 1.23457e+08 1E-10'],
    ['%+d % d %c %%', makeTuple([5, 5, 65]), '+5  5 A %'], ['%(a)s-%(b)05.1f', { a: 'x', b: 1.25 }, 'x-001.2'], ['%*d|%.*f', makeTuple([4, 7, 1, 2.25]), '   7|2.2'],
    ['%s', [1, 2], '[1, 2]'], ['%s', { a: 1 }, "{'a': 1}"], ['%d', 3.99, '3'], ['%.3s', 'abcdef', 'abc'], ['%s', null, 'None'],
  ];
  for (const [format, args, text] of formats) it(`${format} % ${pyRepr(args)} = ${text}`, () => assert.equal(formatPercent(format, args, fail), text));

  const formatErrors: Array<[string, unknown, RegExp]> = [
    ['%s %s', makeTuple([1]), /not enough arguments/], ['%s', makeTuple([1, 2]), /not all arguments converted/], ['x', 5, /not all arguments converted/],
    ['%d', 'x', /a real number is required, not str/], ['%x', 1.5, /an integer is required, not float/], ['%(a)s', makeTuple([1]), /format requires a mapping/],
    ['%5000s', 'x', /above 4096/], ['%', 1, /incomplete format/], ['%y', 1, /unsupported format character 'y'/],
  ];
  for (const [format, args, message] of formatErrors) it(`${format} % ${pyRepr(args)} fails`, () => assert.throws(() => formatPercent(format, args, fail), message));

  const literals: Array<[string, unknown]> = [
    ['[1, 2]', [1, 2]], ["{'a': (1, 2), 'b': None}", { a: [1, 2], b: null }], ['[True, false, null]', [true, false, null]],
    ["['a' 'b', r'\\d', '''x''', \"\\x41\\u00e9\"]", ['ab', '\\d', 'x', 'Aé']], ['[0x10, 0o7, 0b1, 1_000, -1, +2.5, 1e3]', [16, 7, 1, 1000, -1, 2.5, 1000]],
    ['[1, # comment\n 2,\n]', [1, 2]], ['[(1)]', [1]], ['True', true], ['[]\n', []], ['{}', {}],
  ];
  for (const [text, value] of literals) it(`literal_eval ${JSON.stringify(text)}`, () => assert.deepEqual(toPlain(literalEval(text)?.value), value));

  it('reads tuples as tuples and keeps whole floats as floats', () => {
    const v = literalEval('[(1,), 2.0]')!.value as unknown[];
    assert.ok(isTuple(v[0]));
    assert.ok(v[1] instanceof PyFloat);
  });

  const notLiterals = ['[1', '[1] x', '[01]', '[x]', "[b'x']", '[1j]', '{1, 2}', '[--1]', '[-True]', ' [1]', '[1]\n[2]', `${'['.repeat(201)}${']'.repeat(201)}`];
  for (const text of notLiterals) it(`is not a literal: ${JSON.stringify(text.slice(0, 20))}`, () => assert.equal(literalEval(text), undefined));
  it('200 nested lists are still a literal (Python\'s parser limit)', () => assert.ok(literalEval(`${'['.repeat(200)}${']'.repeat(200)}`)));

  it('writes and reads JSON as Python\'s json module', () => {
    assert.equal(pyJsonDumps({ b: [1, new PyFloat(2), 'é'], a: null }, {}, fail), '{"b": [1, 2.0, "\\u00e9"], "a": null}');
    assert.equal(pyJsonDumps({ b: 1, a: [] }, { indent: 2, sortKeys: true }, fail), '{\n  "a": [],\n  "b": 1\n}');
    assert.equal(pyJsonDumps([NaN, -Infinity], {}, fail), '[NaN, -Infinity]');
    const read = pyJsonLoads('{"a": [1, 2.0, 1e2, NaN], "a": "last", "__proto__": 1}') as Record<string, unknown>;
    assert.deepEqual(Object.keys(read), ['a', '__proto__']);
    assert.equal(read.a, 'last');
    assert.equal(Object.getPrototypeOf(read), Object.prototype);
    assert.ok((pyJsonLoads('[2.0]') as unknown[])[0] instanceof PyFloat);
    assert.throws(() => pyJsonLoads('[1,]'), /expecting value/);
  });

  it('toPlain turns whole floats back into numbers and copies only what changes', () => {
    const inner = { k: [1] };
    const v = { a: new PyFloat(2), inner, t: makeTuple([new PyFloat(1)]) };
    const plain = toPlain(v) as Record<string, unknown>;
    assert.deepEqual(plain, { a: 2, inner: { k: [1] }, t: [1] });
    assert.equal(plain.inner, inner);
    assert.ok(isTuple(plain.t));
    assert.equal(toPlain(inner), inner);
  });
});
