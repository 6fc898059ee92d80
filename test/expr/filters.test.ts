import assert from 'node:assert/strict';
import { ExpressionError } from '../../src/model/errors.js';
import { evaluate } from '../../src/expr/index.js';

const vars = {
  s: '  Hello World  ',
  words: ['b', 'a', 'C', 'a'],
  nums: [3, 1, 2],
  empty: [],
  users: [
    { name: 'root', uid: 0, shell: '/bin/bash', active: true },
    { name: 'daemon', uid: 1, active: false },
    { name: 'alice', uid: 1000, shell: '/bin/zsh', active: true },
  ],
  res: { stdout: 'kernel-5.14.0-362.el9 kernel-5.14.0-427.el9', rc: 0 },
  m: { b: 2, a: 1 },
  path: '/usr/lib64/libssl.so.3',
};

describe('expr: filters', () => {
  const table: Array<[string, unknown]> = [
    ["missing | default('x')", 'x'],
    ["'' | default('x')", ''],
    ["'' | default('x', true)", 'x'],
    ["none | default('x')", null],
    ["none | default('x', true)", 'x'],
    ['s | length', 15],
    ['nums | count', 3],
    ['m | length', 2],
    ["'42' | int", 42],
    ["' 42\\n' | int", 42],
    ["'3.9' | int", 3],
    ["'-7' | int", -7],
    ["'abc' | int", 0],
    ["'abc' | int(5)", 5],
    ["'abc' | int(default=9)", 9],
    ["'ff' | int(base=16)", 255],
    ["'0x1F' | int(0, 16)", 31],
    ['3.99 | int', 3],
    ['true | int', 1],
    ["'2.5' | float", 2.5],
    ["'x' | float", 0],
    ['42 | string', '42'],
    ['none | string', 'None'],
    ['[1, 2] | string', '[1, 2]'],
    ["{'a': true} | string", "{'a': True}"],
    ["'yes' | bool", true],
    ["'On' | bool", true],
    ["'1' | bool", true],
    ["'no' | bool", false],
    ["'false' | bool", false],
    ['0 | bool', false],
    ["'ABC' | lower", 'abc'],
    ["'abc' | upper", 'ABC'],
    ["'hELLO' | capitalize", 'Hello'],
    ['s | trim', 'Hello World'],
    ["['a', 1, none] | join('-')", 'a-1-None'],
    ['nums | join', '312'],
    ["users | join(', ', attribute='name')", 'root, daemon, alice'],
    ['nums | first', 3],
    ['nums | last', 2],
    ["'abc' | first", 'a'],
    ["empty | first | default('none')", 'none'],
    ["'ab' | list", ['a', 'b']],
    ['m | list', ['b', 'a']],
    ['words | unique', ['b', 'a', 'C']],
    ['[[1], [1], [2]] | unique', [[1], [2]]],
    ['nums | sort', [1, 2, 3]],
    ['nums | sort(reverse=true)', [3, 2, 1]],
    ['words | sort', ['a', 'a', 'b', 'C']],
    ['words | sort(case_sensitive=true)', ['C', 'a', 'a', 'b']],
    ["users | sort(attribute='uid', reverse=true) | map(attribute='name') | list", ['alice', 'daemon', 'root']],
    ["'a b  c' | split", ['a', 'b', 'c']],
    ["'a,b,,c' | split(',')", ['a', 'b', '', 'c']],
    ["'a,b,c' | split(',', 1)", ['a', 'b,c']],
    ["' a  b c ' | split(none, 1)", ['a', 'b c ']],
    ["'a.b.c' | replace('.', '/')", 'a/b/c'],
    ["'aaa' | replace('a', 'b', 2)", 'bba'],
    ["'a1b22' | regex_replace('\\d+', '#')", 'a#b#'],
    // In a bare expression, strings decode escapes as Python does ('\1' is chr(1)): groups are written '\\1'.
    ["'key = value' | regex_replace('^(\\w+) = (\\w+)$', '\\\\2=\\\\1')", 'value=key'],
    ["'key = value' | regex_replace('^(?P<k>\\w+) = (?P<v>\\w+)$', '\\g<v>:\\g<k>')", 'value:key'],
    ["'ABC' | regex_replace('b', 'x', ignorecase=true)", 'AxC'],
    ["'cost 5' | regex_replace('\\d', '$&')", 'cost $&'],
    ["'a+b' | regex_replace('[+]', '<\\g<0>>')", 'a<+>b'],
    ["res.stdout | regex_search('5\\.14\\.0-(\\d+)')", '5.14.0-362'],
    ["res.stdout | regex_search('5\\.14\\.0-(\\d+)', '\\\\1')", ['362']],
    ["res.stdout | regex_search('(?P<maj>\\d+)\\.(?P<min>\\d+)', '\\g<min>', '\\g<maj>')", ['14', '5']],
    ["res.stdout | regex_search('nomatch')", null],
    ["res.stdout | regex_findall('-(\\d+)\\.el9')", ['362', '427']],
    ["'a=1 b=2' | regex_findall('(\\w)=(\\d)')", [['a', '1'], ['b', '2']]],
    ['path | basename', 'libssl.so.3'],
    ['path | dirname', '/usr/lib64'],
    ["'/' | dirname", '/'],
    ["'file' | dirname", ''],
    ["'/a/b/' | basename", ''],
    ["{'a': [1, none]} | to_json", '{"a": [1, null]}'],
    ["{'b': 1.0, 'a': 'é'} | to_json(sort_keys=true)", '{"a": "\\u00e9", "b": 1.0}'],
    ["{'a': 1} | to_nice_json(indent=2)", '{\n  "a": 1\n}'],
    ["'{\"a\": [1, 2]}' | from_json", { a: [1, 2] }],
    ["'simple' | quote", 'simple'],
    ["\"it's here\" | quote", `'it'"'"'s here'`],
    ["'$(rm -rf /)' | quote", "'$(rm -rf /)'"],
    ["'' | quote", "''"],
    ['nums | min', 1],
    ['nums | max', 3],
    ["users | max(attribute='uid') | attr_name_check", 'unused'],
    ['nums | sum', 6],
    ["users | sum(attribute='uid')", 1001],
    ['[[1], [2]] | sum(start=[])', [1, 2]],
    ["[0, 1, '', 'x', none] | select", [1, 'x']],
    ["[0, 1, '', 'x', none] | reject", [0, '', null]],
    ["nums | select('gt', 1)", [3, 2]],
    ["nums | reject('equalto', 3)", [1, 2]],
    ["['a1', 'b', 'c2'] | select('match', '.\\d')", ['a1', 'c2']],
    ["users | selectattr('active') | map(attribute='name') | list", ['root', 'alice']],
    ["users | rejectattr('active') | map(attribute='name') | list", ['daemon']],
    ["users | selectattr('shell', 'defined') | map(attribute='name') | list", ['root', 'alice']],
    ["users | selectattr('uid', 'ge', 1) | map(attribute='name') | list", ['daemon', 'alice']],
    ["users | selectattr('shell', 'defined') | selectattr('shell', 'search', 'zsh') | map(attribute='name')", ['alice']],
    ["users | map(attribute='shell', default='/bin/sh')", ['/bin/bash', '/bin/sh', '/bin/zsh']],
    ["['a', 'b'] | map('upper')", ['A', 'B']],
    ["['a.b', 'c.d'] | map('split', '.') | map('first')", ['a', 'c']],
    ['[1, [2, [3]]] | flatten', [1, 2, 3]],
    ['[1, [2, [3]]] | flatten(1)', [1, 2, [3]]],
    ['[1, 2] | union([2, 3])', [1, 2, 3]],
    ['[1, 2, 3] | intersect([2, 3, 4])', [2, 3]],
    ['[1, 2, 3] | difference([2])', [1, 3]],
    ['m | dict2items', [{ key: 'b', value: 2 }, { key: 'a', value: 1 }]],
    ["[{'key': 'x', 'value': 1}] | items2dict", { x: 1 }],
    ["m | combine({'c': 3}, {'a': 9})", { b: 2, a: 9, c: 3 }],
    ["true | ternary('yes', 'no')", 'yes'],
    ["0 | ternary('yes', 'no')", 'no'],
    ['(-3) | abs', 3],
    ['-3 | abs', 3], // as in Jinja2: a unary minus takes the filters that follow
    ['2.567 | round(2)', 2.57],
    ["2.5 | round(0, 'floor')", 2],
    ["'a\\nb\\n' | splitlines", ['a', 'b']],
    ['ansible_value | ansible.builtin.default(1)', 1],
  ];
  for (const [source, expected] of table) {
    if (source.includes('attr_name_check')) {
      it("users | max(attribute='uid') picks the item", () =>
        assert.deepEqual(evaluate("users | max(attribute='uid')", vars), vars.users[2]));
      continue;
    }
    it(`${source}  =  ${JSON.stringify(expected)}`, () => assert.deepEqual(evaluate(source, vars), expected));
  }
});

describe('expr: filter errors', () => {
  it('from_json reports invalid JSON at the filter name', () => {
    assert.throws(() => evaluate("'{bad' | from_json", vars), (err: unknown) =>
      err instanceof ExpressionError && err.message.startsWith('from_json: ') && err.offset === 9);
  });
  const table: Array<[string, string, number]> = [
    ['5 | length', 'length needs a string, list or mapping, not number', 4],
    ['[1, "a"] | sort', 'cannot compare string with number', 11],
    ['empty | max', "undefined: max of an empty list", 0],
    ["5 | split(',')", 'split input must be a string', 4],
    ["'a' | split('')", 'split separator must not be empty', 6],
    ["users | map(attribute='nope') | list", "undefined attribute 'nope'", 8],
    ["'x' | regex_search('(a+)+$')", 'nested unbounded quantifiers (such as (a+)+) are not allowed: they can take exponential time', 6],
    ["'x' | regex_replace('(', '')", 'invalid regular expression: Invalid regular expression: /(/: Unterminated group', 6],
    ["nums | select('nosuchtest')", "unknown test 'nosuchtest'", 7],
    ["nums | map('nosuchfilter')", "unknown filter 'nosuchfilter'", 7],
  ];
  for (const [source, message, offset] of table) {
    it(`${source}: ${message}`, () => {
      if (message.startsWith('undefined: ')) {
        // An empty max is undefined: default() replaces it, anything else reports it.
        assert.equal(evaluate(`${source} | default(0)`, vars), 0);
        assert.throws(() => evaluate(source, vars), (err: unknown) =>
          err instanceof ExpressionError && err.message === message.slice('undefined: '.length));
        return;
      }
      assert.throws(() => evaluate(source, vars), (err: unknown) => {
        assert.ok(err instanceof ExpressionError, String(err));
        assert.equal(err.message, message);
        assert.equal(err.offset, offset);
        return true;
      });
    });
  }
});
