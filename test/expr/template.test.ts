import assert from 'node:assert/strict';
import { ExpressionError } from '../../src/model/errors.js';
import { checkTemplate, renderDeep, renderTemplate } from '../../src/expr/index.js';

const vars = {
  name: 'sshd',
  port: 22,
  on: true,
  n: null,
  list: ['a', 'b'],
  map: { k: 'v' },
  res: { stdout: 'out' },
};

describe('expr: renderTemplate', () => {
  const table: Array<[string, unknown]> = [
    ['no braces at all', 'no braces at all'],
    ['', ''],
    ['{{ port }}', 22],
    ['{{port}}', 22],
    ['{{ list }}', ['a', 'b']],
    ['{{ map }}', { k: 'v' }],
    ['{{ on }}', true],
    ['{{ n }}', null],
    // ansible-core: the output of a template is text, read back as a Python literal when it looks
    // like a list, a mapping or a boolean; `{{ var }}` alone keeps a boolean, number or none.
    ['{{ port + 1 }}', '23'],
    ['{{ port > 1 }}', true],
    ['{{ [port, 80] }}', [22, 80]],
    ['{{ "[1, 2]" }}', [1, 2]],
    ['{{ "True" }}', true],
    ['{{ (1, 2) }}', '(1, 2)'],
    ['{{ 4040 / 1 }}', '4040.0'],
    ['{{ none }}', ''],
    ['{{ port }}\n', 22],
    ['x{{ port }}\n\n', 'x22\n\n'],
    ['[{{ port }}, 1]', [22, 1]],
    ['port={{ port }}', 'port=22'],
    [' {{ port }}', ' 22'],
    ['systemctl restart {{ name }}.service', 'systemctl restart sshd.service'],
    ['{{ name }}:{{ port }}', 'sshd:22'],
    ['list={{ list }} map={{ map }}', "list=['a', 'b'] map={'k': 'v'}"],
    ['[{{ n }}] {{ on }}', '[] True'],
    ['{{ name | quote }} {{ "it\'s" | quote }}', `sshd 'it'"'"'s'`],
    ['a {{- " b " -}} c', 'a b c'],
    ['a   {{- port }}', 'a22'],
    ['{{ port -}}   \n x', '22x'],
    ['{{ "}}" }}', '}}'],
    ["{{ {'a': {'b': 1}} }}", { a: { b: 1 } }],
    ["{{ {'a': {'b': 1}}}}", { a: { b: 1 } }],
    ['{% if on %}yes{% else %}no{% endif %} {# comment #}', 'yes '],
    ['{% for x in list %}{{ loop.index }}={{ x }} {% endfor %}', '1=a 2=b '],
    ['{% raw %}{{ x }}{% endraw %}', '{{ x }}'],
    ['a single { brace } is text', 'a single { brace } is text'],
    ["{{ missing | default('d') }}", 'd'],
    ['{{ res.stdout }}-{{ res.nope | default(0) }}', 'out-0'],
  ];
  for (const [text, expected] of table) {
    it(`${JSON.stringify(text)}  →  ${JSON.stringify(expected)}`, () => assert.deepEqual(renderTemplate(text, vars), expected));
  }

  it('reports an undefined variable with its offset in the whole string', () => {
    const text = 'echo {{ name }} {{ nope }}';
    assert.throws(() => renderTemplate(text, vars), (err: unknown) => {
      assert.ok(err instanceof ExpressionError);
      assert.equal(err.message, "undefined variable 'nope'");
      assert.equal(err.offset, 19);
      assert.equal(err.expression, text);
      return true;
    });
  });

  const syntax: Array<[string, string, number]> = [
    ['echo {{ name', "expected '}}' to close '{{' at offset 5", 5],
    ['{{ }}', 'expected an expression at offset 3', 3],
    ['x {{ (a }}', "unexpected '}', expected ')' at offset 8", 8],
    ['{% if on %}x', "'{% if %}' is not closed: expected '{% endif %}' at offset 0", 0],
    ['{% endif %}', "unexpected '{% endif %}' at offset 0", 0],
    ['{% macro m() %}{% endmacro %}', "'{% macro %}' is not supported by remedy at offset 0", 0],
    ['a {# open', 'missing end of comment tag at offset 2', 2],
    ['{{ a b }}', "unexpected 'b' at offset 5", 5],
    ["{{ 'abc }}", 'unterminated string at offset 3', 3],
  ];
  for (const [text, message, offset] of syntax) {
    it(`syntax error in ${JSON.stringify(text)}: ${message}`, () => {
      assert.throws(() => renderTemplate(text, vars), (err: unknown) =>
        err instanceof ExpressionError && err.message === message && err.offset === offset);
    });
  }
});

describe('expr: checkTemplate', () => {
  const table: Array<[string, Array<{ message: string; offset: number }>]> = [
    ['plain', []],
    ['{{ a }} and {{ b | upper }}', []],
    ['{{ undefined_is_fine_here }}', []],
    ['x {{ a + }}', [{ message: 'expected an expression', offset: 9 }]],
    ['{{ a | nope }} {{ b is nope2 }}', [
      { message: "unknown filter 'nope'", offset: 7 },
      { message: "unknown test 'nope2'", offset: 23 },
    ]],
    ['{{ ( }} then {{ ok }} then {{ ] }}', [
      { message: "unexpected '}', expected ')'", offset: 5 },
      { message: "unexpected ']'", offset: 30 },
    ]],
    ['{% if a | nope %}{{ b | nope2 }}{% endif %}', [
      { message: "unknown filter 'nope'", offset: 10 },
      { message: "unknown filter 'nope2'", offset: 24 },
    ]],
    ['{% for x in y %}', [{ message: "'{% for %}' is not closed: expected '{% endfor %}'", offset: 0 }]],
    ['{{ lookup("file", "/etc/passwd") }}', [{ message: 'lookup() is not supported: remedy runs no lookup plugins (they read files and run commands on the controller)', offset: 3 }]],
    ['tail {{ open', [{ message: "expected '}}' to close '{{'", offset: 5 }]],
    ['{{ a.__proto__ }}', [{ message: "access to '__proto__' is not allowed", offset: 5 }]],
  ];
  for (const [text, expected] of table) {
    it(JSON.stringify(text), () => assert.deepEqual(checkTemplate(text), expected));
  }
});

describe('expr: renderDeep', () => {
  it('renders strings at any depth and keeps other values', () => {
    const input = {
      cmd: 'restart {{ name }}',
      port: '{{ port }}',
      nested: { list: ['{{ list }}', 'x-{{ port }}', 5, null, true], deeper: { v: '{{ map.k }}' } },
    };
    assert.deepEqual(renderDeep(input, vars), {
      cmd: 'restart sshd',
      port: 22,
      nested: { list: [['a', 'b'], 'x-22', 5, null, true], deeper: { v: 'v' } },
    });
    assert.equal(input.cmd, 'restart {{ name }}', 'the input is not modified');
  });

  it('leaves top-level skipKeys as written, but not the same key deeper down', () => {
    const input = { that: ['{{ nope }} == 1'], msg: '{{ name }}', inner: { that: '{{ port }}' } };
    assert.deepEqual(renderDeep(input, vars, ['that']), {
      that: ['{{ nope }} == 1'],
      msg: 'sshd',
      inner: { that: 22 },
    });
  });

  it('renders a top-level string and list', () => {
    assert.equal(renderDeep('{{ port }}', vars), 22);
    assert.deepEqual(renderDeep(['{{ name }}', 1], vars), ['sshd', 1]);
  });

  it('does not template keys, and keeps a __proto__ key as plain data', () => {
    const input = JSON.parse('{"{{ name }}": "{{ name }}", "__proto__": {"x": "{{ port }}"}}') as unknown;
    const out = renderDeep(input, vars) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['{{ name }}', '__proto__']);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(out, '__proto__')?.value, { x: 22 });
  });

  it('throws the ExpressionError of the first bad string', () => {
    assert.throws(() => renderDeep({ a: ['ok', '{{ missing }}'] }, vars), /undefined variable 'missing'/);
  });
});

describe('expr: limits', () => {
  it('a deeply nested template is an ExpressionError', () => {
    const text = `x {{ ${'['.repeat(20000)}1${']'.repeat(20000)} }}`;
    assert.throws(() => renderTemplate(text, {}), (err: unknown) =>
      err instanceof ExpressionError && err.message === 'expression is nested too deeply');
    assert.deepEqual(checkTemplate(text), [{ message: 'expression is nested too deeply', offset: 5 }]);
  });
  it('deeply nested data renders (to_json) without blowing up', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 1000; i += 1) deep = [deep];
    assert.equal((renderTemplate('{{ d | to_json }}', { d: deep }) as string).length, 2001);
  });
});
