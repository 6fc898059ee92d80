import assert from 'node:assert/strict';
import { ExpressionError } from '../../src/model/errors.js';
import { renderTemplate } from '../../src/expr/index.js';

const vars = {
  xs: [1, 2, 3],
  d: { b: 2, a: 1 },
  users: [{ name: 'root', groups: ['wheel'] }, { name: 'alice', groups: ['wheel', 'dev'] }],
  on: true,
  off: false,
};

describe('expr: template statements', () => {
  const table: Array<[string, unknown]> = [
    ['{% if on %}yes{% endif %}', 'yes'],
    ['{% if off %}1{% elif on %}2{% else %}3{% endif %}', '2'],
    ['{% if off %}1{% elif off %}2{% else %}3{% endif %}', '3'],
    ['{% if missing is defined %}a{% endif %}b', 'b'],
    ['{% for x in xs %}{{ x }}{% endfor %}', '123'],
    ['{% for x in xs %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }} {% endfor %}',
      '1032TrueFalse3 2121FalseFalse3 3210FalseTrue3 '],
    ['{% for x in xs %}{{ loop.previtem | default("-") }}{{ loop.nextitem | default("-") }}{{ loop.cycle("a", "b") }} {% endfor %}', '-2a 13b 2-a '],
    ['{% for x in [] %}a{% else %}empty{% endfor %}', 'empty'],
    ['{% for x in xs if x is odd %}{{ x }}/{{ loop.length }} {% endfor %}', '1/2 3/2 '],
    ['{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}', 'b=2;a=1;'],
    ['{% for k in d %}{{ k }}{% endfor %}', 'ba'],
    ['{% for c in "héllo" %}{{ c }}.{% endfor %}', 'h.é.l.l.o.'],
    ['{% for u in users %}{% for g in u.groups %}{{ u.name }}:{{ g }} {% endfor %}{% endfor %}', 'root:wheel alice:wheel alice:dev '],
    ['{% for x in xs %}{% set outer = loop %}{% for y in [1] %}{{ outer.index }}{% endfor %}{% endfor %}', '123'],
    // Scoping as in Jinja2: a set inside a loop stays there, a set inside an if does not.
    ['{% set y = 5 %}{% for x in xs %}{% set y = x %}{% endfor %}{{ y }}', '5'],
    ['{% if on %}{% set z = 3 %}{% endif %}{{ z }}', '3'],
    ['{% for x in xs %}{% endfor %}{{ x is defined }}', false],
    ['{% set ns = namespace(total=0) %}{% for x in xs %}{% set ns.total = ns.total + x %}{% endfor %}{{ ns.total }}', '6'],
    ['{% set a, b = 1, 2 %}{{ a }}{{ b }}', '12'],
    ['{% set (a, b), c = [1, 2], 3 %}{{ a + b + c }}', '6'],
    ['{% set l = [1, 2] %}{{ l }}', [1, 2]],
    ['{% set x %}[1, 2]{% endset %}{{ x | type_debug }}', 'list'],
    ['{% set x | upper %}ab{{ 1 }}{% endset %}{{ x }}', 'AB1'],
    ['{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}{{ a is defined }}', '3False'],
    ['{% filter upper %}ab {{ "c" }}{% endfilter %}', 'AB C'],
    ['{% filter replace("a", "b") | upper %}aa{% endfilter %}', 'BB'],
    ['{% raw %}{{ x }} {% if %}{% endraw %}', '{{ x }} {% if %}'],
    ['{% raw -%}  x  {%- endraw %}', 'x'],
    // Whitespace: trim_blocks is on (the newline after a tag goes), `-` strips, `+%}` keeps.
    ['{% for x in xs %}\n{{ x }}\n{% endfor %}', '1\n2\n3\n'],
    ['a\n{% if on %}\nb\n{% endif %}\nc', 'a\nb\nc'],
    ['  {%- if on -%}  a  {%- endif -%}  ', 'a'],
    ['{% if on +%}\nx{% endif %}', '\nx'],
    ['a {# note #}\nb', 'a b'],
    ['a\n{# note #}\nb', 'a\nb'],
    ['a {#- note -#} b', 'ab'],
    ['line\r\n{{ 1 }}\r\n', 'line\n1\n'],
    // The output is read back as a literal when it looks like one.
    ['{% if on %}True{% endif %}', true],
    ['{% for x in xs %}[{{ x }}]{% endfor %}', '[1][2][3]'],
    ['[{% for x in xs %}{{ x }},{% endfor %}]', [1, 2, 3]],
  ];
  for (const [text, expected] of table) {
    it(`${JSON.stringify(text)}  →  ${JSON.stringify(expected)}`, () => assert.deepEqual(renderTemplate(text, vars), expected));
  }

  const errors: Array<[string, string, number]> = [
    ['{% if on %}x', "'{% if %}' is not closed: expected '{% endif %}' at offset 0", 0],
    ['{% for x in xs %}{% endif %}', "unexpected '{% endif %}' inside '{% for %}' at offset 17", 17],
    ['{% else %}', "unexpected '{% else %}' at offset 0", 0],
    ['{% include "x" %}', "'{% include %}' is not supported by remedy at offset 0", 0],
    ['{% for x in xs %}{% break %}{% endfor %}', "'{% break %}' is not supported by remedy at offset 17", 17],
    ['{% frobnicate %}', "unknown tag 'frobnicate' at offset 0", 0],
    ['{% for x in xs recursive %}{% endfor %}', 'recursive loops are not supported by remedy at offset 15', 15],
    ['{% set true = 1 %}', "cannot assign to 'true' at offset 7", 7],
    ['{% set __proto__ = 1 %}', "access to '__proto__' is not allowed at offset 7", 7],
    ['{% set d.x = 1 %}', "cannot assign attribute 'x' on 'd': not a namespace()", 7],
    ['{% for a, b in xs %}{% endfor %}', 'cannot unpack number into 2 names', 7],
    ['{% for x in 5 %}{% endfor %}', "'number' is not iterable", 0],
    ['{% for x in missing %}{% endfor %}', "undefined variable 'missing'", 12],
    ['{% if missing %}{% endif %}', "undefined variable 'missing'", 6],
    ['{% if on', "expected '%}' to close '{%' at offset 0", 0],
    ['a {# b', 'missing end of comment tag at offset 2', 2],
    ['{% raw %}x', 'missing {% endraw %} at offset 0', 0],
  ];
  for (const [text, message, offset] of errors) {
    it(`error: ${JSON.stringify(text)}: ${message}`, () => {
      assert.throws(() => renderTemplate(text, vars), (err: unknown) => {
        assert.ok(err instanceof ExpressionError, String(err));
        assert.equal(err.message, message);
        assert.equal(err.offset, offset);
        assert.equal(err.expression, text);
        return true;
      });
    });
  }
});
