import assert from 'node:assert/strict';
import { ExpressionError } from '../../src/model/errors.js';
import { evaluate, renderTemplate } from '../../src/expr/index.js';

const vars = {
  d: { b: 2, a: 1 },
  users: [
    { name: 'root', uid: 0, groups: ['wheel'], active: true },
    { name: 'alice', uid: 1000, groups: ['wheel', 'dev'], active: true },
    { name: 'bin', uid: 1, groups: [], active: false },
  ],
  nums: [3, 1, 2],
};

/** Expressions and their values (as remedy returns them: tuples are arrays, whole floats numbers). */
describe('expr: filters as Jinja2 3.1 and ansible-core 2.14 define them', () => {
  const table: Array<[string, unknown]> = [
    ["'%s-%05.1f' | format('a', 2.25)", 'a-002.2'],
    ["'%(x)s!' | format(x=1)", '1!'],
    ["'hello big-world (x)' | title", 'Hello Big-World (X)'],
    ["'abc' | reverse", 'cba'],
    ['nums | reverse', [2, 1, 3]],
    ["[1, 2, 3, 4, 5] | batch(2)", [[1, 2], [3, 4], [5]]],
    ["[1, 2, 3] | batch(2, 'x')", [[1, 2], [3, 'x']]],
    ['[1, 2, 3, 4, 5, 6, 7] | slice(3)', [[1, 2, 3], [4, 5], [6, 7]]],
    ["[1, 2] | zip(['a', 'b', 'c'])", [[1, 'a'], [2, 'b']]],
    ["[1, 2] | zip_longest(['a'], fillvalue='-')", [[1, 'a'], [2, '-']]],
    ["'sshd' | b64encode", 'c3NoZA=='],
    ["'c3NoZA==' | b64decode", 'sshd'],
    ["'héllo' | b64encode | b64decode", 'héllo'],
    ["'sshd' | b64encode('utf-16-le')", 'cwBzAGgAZAA='],
    ["{'b': [1, 2], 'a': 'yes'} | to_yaml", "a: 'yes'\nb: [1, 2]\n"],
    ["{'b': {'c': 1}, 'a': 'x'} | to_nice_yaml", 'a: x\nb:\n    c: 1\n'],
    ["'a: 1\\nb: [x, yes, y]\\nc: 1.5\\nd: 2001-01-02' | from_yaml", { a: 1, b: ['x', true, 'y'], c: 1.5, d: '2001-01-02' }],
    ["'- 1\\n- two' | from_yaml", [1, 'two']],
    ['range(2, 8, 2) | list', [2, 4, 6]],
    ["'ab' | center(6) ~ '|'", '  ab  |'],
    ["'abc' | center(6) ~ '|'", ' abc  |'],
    ["'a b-c, d_e' | wordcount", 4],
    ["'one two three four' | truncate(9)", 'one...'],
    ["'one two three four' | truncate(9, true)", 'one tw...'],
    ["'one two three' | truncate(11, false, '', 0)", 'one two'],
    ["'short' | truncate(3, leeway=5)", 'short'],
    ["'a b&c/d' | urlencode", 'a%20b%26c/d'],
    ["{'a': 'x y', 'b': 1} | urlencode", 'a=x+y&b=1'],
    ["'a%20b+c' | urldecode", 'a b c'],
    ["d | dict2items(key_name='k', value_name='v')", [{ k: 'b', v: 2 }, { k: 'a', v: 1 }]],
    ["[{'n': 'x', 'v': 1}] | items2dict(key_name='n', value_name='v')", { x: 1 }],
    ["[1, 2] | product(['a', 'b'])", [[1, 'a'], [1, 'b'], [2, 'a'], [2, 'b']]],
    ['[1, 2] | product(repeat=2) | length', 4],
    ['nums | permutations(2) | length', 6],
    ['nums | combinations(2)', [[3, 1], [3, 2], [1, 2]]],
    ["users | subelements('groups') | map('last') | list", ['wheel', 'wheel', 'dev']],
    ["users | subelements('groups') | map('first') | map(attribute='name') | list", ['root', 'alice', 'alice']],
    ["'sshd' | hash('md5') == 'sshd' | md5 and 'x' | hash == 'x' | sha1", true],
    ["'abc' | md5", '900150983cd24fb0d6963f7d28e17f72'],
    ["'abc' | sha1", 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ["'abc' | checksum", 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ["'abc' | hash('sha256')", 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ["'a.b*c?' | regex_escape", 'a\\.b\\*c\\?'],
    ["'a.b' | regex_escape('posix_basic')", 'a\\.b'],
    ["'a/b.tar.gz' | splitext", ['a/b.tar', '.gz']],
    ["'.bashrc' | splitext", ['.bashrc', '']],
    ["['/etc', 'ssh', 'sshd_config'] | path_join", '/etc/ssh/sshd_config'],
    ["['a', '/b', 'c'] | path_join", '/b/c'],
    ["\"it's\" | quote", `'it'"'"'s'`],
    ["'a-b_c/d.e' | quote", 'a-b_c/d.e'],
    ["{'a': {'x': 1, 'l': [1]}} | combine({'a': {'y': 2, 'l': [2]}})", { a: { y: 2, l: [2] } }],
    ["{'a': {'x': 1, 'l': [1]}} | combine({'a': {'y': 2, 'l': [2]}}, recursive=true)", { a: { x: 1, l: [2], y: 2 } }],
    ["{'l': [1, 2]} | combine({'l': [2, 3]}, list_merge='append')", { l: [1, 2, 2, 3] }],
    ["{'l': [1, 2]} | combine({'l': [2, 3]}, list_merge='prepend')", { l: [2, 3, 1, 2] }],
    ["{'l': [1, 2]} | combine({'l': [2, 3]}, list_merge='append_rp')", { l: [1, 2, 3] }],
    ["{'l': [1, 2]} | combine({'l': [2, 3]}, list_merge='prepend_rp')", { l: [2, 3, 1] }],
    ["{'l': [1, 2]} | combine({'l': [2, 3]}, list_merge='keep')", { l: [1, 2] }],
    ["[{'a': 1}, {'b': 2}] | combine", { a: 1, b: 2 }],
    ["none | ternary('yes', 'no', 'unset')", 'unset'],
    ["none | ternary('yes', 'no')", 'no'],
    ["'x' | to_uuid", '66b2f013-1baa-5313-9c8c-e6f1182e0e90'],
    ["'a\\nb' | indent(2)", 'a\n  b'],
    ["'a\\n\\nb\\n' | indent(2, true)", '  a\n\n  b\n'],
    ["'a\\n\\nb' | indent(2, true, true)", '  a\n  \n  b'],
    ['d | dictsort', [['a', 1], ['b', 2]]],
    ["d | dictsort(by='value', reverse=true)", [['b', 2], ['a', 1]]],
    ["users | groupby('active') | map('first') | list", [false, true]],
    ['d | items', [['b', 2], ['a', 1]]],
    ["'a' | extract({'a': {'b': 2}}, 'b')", 2],
    ["1 | extract(['x', 'y'])", 'y'],
    ['1.5 | type_debug ~ (1, 2) | type_debug ~ none | type_debug', 'floattupleNoneType'],
    ['100 | log(10)', 2],
    ['2 | pow(3)', 8],
    ['27 | root(3)', 3],
    ["[1, 2] | symmetric_difference([2, 3])", [1, 3]],
    ["'<a>&' | e", '&lt;a&gt;&amp;'],
    ["'y' | bool", false],
    ['2 | bool', false],
    ["'Yes' | bool", true],
    ['2.5 | round', 2],
    ['3.5 | round', 4],
    ['2.675 | round(2)', 2.67],
    ['17 | round(-1)', 20],
    ["['a', 'A', 'b'] | unique", ['a', 'b']],
    ["['a', 'A', 'b'] | unique(case_sensitive=true)", ['a', 'A', 'b']],
    ["[1, none, [2, 'None', 'null']] | flatten", [1, 2]],
    ["{'b': 1.0, 'a': 'é'} | to_json(sort_keys=true)", '{"a": "\\u00e9", "b": 1.0}'],
    ["{'b': 1, 'a': [1]} | to_nice_json", '{\n    "a": [\n        1\n    ],\n    "b": 1\n}'],
    ["'<&>' | tojson", '"\\u003c\\u0026\\u003e"'],
    ["'[1, 2.0, NaN]' | from_json | string", '[1, 2.0, nan]'],
  ];
  for (const [source, expected] of table) {
    it(`${source}  =  ${JSON.stringify(expected)}`, () => assert.deepEqual(evaluate(source, vars), expected));
  }

  const errors: Array<[string, RegExp]> = [
    ['missing | mandatory', /^mandatory variable not defined: undefined variable 'missing'$/],
    ["missing | mandatory('set it')", /^set it$/],
    ["'x' | hash('nope')", /unsupported hash type 'nope'/],
    ["'2.5' | round", /round needs a number/],
    ["'c3NoZA' | b64decode", /incorrect padding/],
    ["{'a': 1} | combine({'a': 2}, list_merge='nope')", /list_merge must be one of/],
    ["1 | ternary('only')", /ternary needs true_val and false_val/],
    ["'abc' | replace('b')", /replace needs old and new/],
    ["[1, 2, 3] | product([1, 2, 3], [1, 2, 3], [1] * 1000, [1] * 1000)", /result of product would be longer than 1000000/],
    ["users | subelements('nope')", /could not find 'nope' key/],
    ["'x' | random", /the random filter is not supported/],
    ["'~' | expanduser", /expanduser is not supported/],
    ["'x: [' | from_yaml", /^from_yaml: /],
    ["'1.2' is version('1.3', '<', version_type='pep440')", /pep440' is not supported/],
  ];
  for (const [source, message] of errors) {
    it(`error: ${source}`, () => assert.throws(() => evaluate(source, vars), (err: unknown) => err instanceof ExpressionError && message.test(err.message)));
  }

  it('to_json and to_yaml text stays text as the whole output of a template (ansible-core: STRING_TYPE_FILTERS)', () => {
    assert.equal(renderTemplate('{{ nums | to_json }}', vars), '[3, 1, 2]');
    assert.equal(renderTemplate('{{ nums | string }}', vars), '[3, 1, 2]');
    assert.deepEqual(renderTemplate('{{ nums | to_json | trim }}', vars), [3, 1, 2]);
    assert.deepEqual(renderTemplate('{{ (nums | string) ~ "" }}', vars), [3, 1, 2]);
  });
});
