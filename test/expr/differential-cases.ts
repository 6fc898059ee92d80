/**
 * Templates and conditions compared with ansible-core's Templar (differential.test.ts): printing,
 * types of results, operators, statements, whitespace control, errors, `when`.
 */

export interface Case {
  kind: 'template' | 'condition';
  text: string;
}

/** The variables every case is rendered with (plain JSON: both sides read the same values). */
export const VARS = {
  port: 22,
  ports: [443, 80],
  name: 'sshd',
  empty: '',
  n: null,
  t: true,
  f: false,
  half: 2.5,
  big: 4040,
  words: ['b', 'a', 'C', 'a'],
  nums: [3, 1, 2],
  users: [
    { name: 'root', uid: 0, shell: '/bin/bash', active: true, groups: ['wheel'] },
    { name: 'daemon', uid: 1, active: false, groups: [] },
    { name: 'alice', uid: 1000, shell: '/bin/zsh', active: true, groups: ['wheel', 'dev'] },
  ],
  d: { b: 2, a: 1 },
  nested: { inner: { value: 42, list: ['x', 'y'] } },
  res: { changed: true, failed: false, rc: 0, stdout: 'line1\nline2', stdout_lines: ['line1', 'line2'] },
  str_true: 'True',
  str_false: 'false',
  str_list: '[1, 2]',
  str_num: '42',
  str_yes: 'yes',
  csv: 'a,b,,c',
  path: '/usr/lib64/libssl.so.3',
  kernel: '5.14.0-427.13.1.el9_4.x86_64',
  text: 'Hello World',
  quoted: "it's here",
  unicode: 'héllo',
  mixed: [1, 'a', null, true, 2.5, { k: [1] }],
};

const t = (text: string): Case => ({ kind: 'template', text });
const c = (text: string): Case => ({ kind: 'condition', text });

export const TEMPLATE_CASES: Case[] = [
  // Plain text and the one-variable shortcut.
  t('no template here'), t('a { b } c'), t('{{ port }}'), t('{{port}}'), t('{{ t }}'), t('{{ n }}'), t('{{ half }}'),
  t('{{ ports }}'), t('{{ d }}'), t('{{ name }}'), t('{{ str_true }}'), t('{{ str_list }}'), t('{{ str_num }}'),
  t('{{ port }}\n'), t(' {{ port }}'), t('{{ port }} '), t('{{ missing }}'),
  // How values print in text.
  t('x {{ t }} {{ f }} {{ n }}'), t('x {{ ports }}'), t('x {{ d }}'), t('x {{ mixed }}'), t('x {{ quoted }} {{ [quoted] }}'),
  t('{{ [unicode, "tab\tx"] }}'), t('{{ half * 2 }}'), t('{{ big / 1 }}'), t('x{{ big / 1 }}'), t('{{ [big / 1] }}'),
  t('{{ 10 / 4 }}'), t('{{ 1e16 }} {{ 1e-5 }} {{ 0.1 + 0.2 }} {{ 123456789.123456789 }}'), t('{{ -0.0 }}'),
  t('{{ 1e300 * 1e10 }}'), t('{{ [1e300 * 1e10] }}'), t('{{ (1, 2) }}'), t('{{ (1,) }}'), t('{{ [(1, 2)] }}'),
  t('{{ 1, 2 }}'), t('{{ {"a": (1, 2)} }}'), t("{{ 'x' ~ none }}"), t('{{ none }}'), t('{{ [none] }}'),
  // Results read back as Python literals, or left as text.
  t('{{ port + 1 }}'), t('{{ port > 1 }}'), t('{{ "True" }}'), t('{{ "true" }}'), t('{{ "[true, null]" }}'),
  t('{{ "{\'a\': 1}" }}'), t('[{{ port }}, 1]'), t('[{{ name }}]'), t('{{ "[1," }}'), t('{{ ports | to_json }}'),
  t('{{ d | to_json }}'), t('{{ [1] }}\n'), t('x{{ port }}\n\n'), t('{{ "a" }}{{ "b" }}'), t('{{ "[" }}{{ "1]" }}'),
  // Operators.
  t('{{ 7 // 2 }} {{ -7 // 2 }} {{ 7.0 // 2 }} {{ -7 % 3 }} {{ 7.5 % 2 }}'), t('{{ 2 ** 10 }} {{ 2 ** -1 }} {{ -2 ** 2 }}'),
  t('{{ 2 ** 3 ** 2 }}'), t('{{ -5 | abs }}'), t('{{ - port | string }}'), t('{{ 1 + 2 ~ 3 }}'), t('{{ "a" ~ 1 + 2 }}'),
  t('{{ true + 1 }} {{ true == 1 }} {{ 1 == 1.0 }} {{ [1] == (1,) }}'), t('{{ "ab" * 3 }} {{ [1] * 2 }} {{ 3 * "x" }}'),
  t('{{ [1] + [2] }}'), t('{{ "a" + 1 }}'), t('{{ 1 / 0 }}'), t('{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }}'),
  t("{{ 'b' in 'abc' }} {{ 3 not in nums }} {{ 'a' in d }}"), t('{{ 0x1F + 0o17 + 0b1 + 1_000 }}'), t("{{ 'a' 'b' }}"),
  t('{{ t and 1 or 2 }} {{ f or empty or "z" }}'), t('{{ "y" if t else "n" }}|{{ "y" if f }}|'), t('{{ (1 if f) | default(5) }}'),
  t('{{ nums[-1] }} {{ nums[1:] }} {{ text[::-1] }} {{ text[0] }}'), t('{{ nested.inner.list.1 }} {{ nested["inner"]["value"] }}'),
  t('{{ users[0].name }}'), t('{{ d.missing }}'), t('{{ d.missing | default("dflt") }}'), t('{{ missing.x is defined }}'),
  // Python %-formatting.
  t("{{ '%s-%d' % ('a', 3.9) }}"), t("{{ '%5.2f|%-4s|%x|%r|%03d|%i' % (3.14159, 'ab', 255, 'q', 7, 2) }}"),
  t("{{ '%s' % ports }}"), t("{{ '%(a)s' % {'a': 1} }}"), t("{{ '%s %s' % (1,) }}"), t("{{ '%d' % 'x' }}"),
  t("{{ '%.3s|%+d|%e|%g|%G|%o|%X|%c|%%' % ('abcdef', 5, 12345.678, 0.00001, 1e20, 8, 255, 65) }}"),
  t("{{ '%.1f %.0f %.2f' % (0.25, 2.5, 2.675) }}"), t("{{ '%s' % none }} {{ '%s' % (none,) }}"),
  // Globals.
  t('{{ range(3) }}'), t('{{ range(1, 10, 3) | list }}'), t('{{ range(5, 0, -2) | list }}'), t('{{ dict(a=1, b=[2]) }}'),
  t("{{ dict([('a', 1)]) }}"),
  // Statements.
  t('{% if t %}yes{% else %}no{% endif %}'), t('{% if f %}1{% elif t %}2{% else %}3{% endif %}'),
  t('{% if missing is defined %}a{% endif %}b'), t('{% if n %}x{% endif %}'),
  t('{% for x in nums %}{{ loop.index }}:{{ x }}{{ "," if not loop.last }}{% endfor %}'),
  t('{% for x in nums %}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.length }} {% endfor %}'),
  t('{% for x in [] %}a{% else %}none{% endfor %}'), t('{% for k, v in d.items() %}{{ k }}={{ v }} {% endfor %}'),
  t('{% for k in d %}{{ k }}{% endfor %}'), t('{% for x in nums if x > 1 %}{{ loop.index }}/{{ loop.length }} {% endfor %}'),
  t('{% for x in nums %}{{ loop.cycle("a", "b") }}{{ loop.previtem | default("-") }}{{ loop.nextitem | default("-") }} {% endfor %}'),
  t('{% for c in "abc" %}{{ c | upper }}{% endfor %}'), t('{% for x in port %}{% endfor %}'),
  t('{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }} {% endfor %}'), t('{% for a, b in [[1, 2, 3]] %}{% endfor %}'),
  t('{% for u in users %}{% for g in u.groups %}{{ u.name }}:{{ g }} {% endfor %}{% endfor %}'),
  t('{% set y = 5 %}{% for x in nums %}{% set y = x %}{% endfor %}{{ y }}'), t('{% if t %}{% set z = 3 %}{% endif %}{{ z }}'),
  t('{% set ns = namespace(total=0) %}{% for x in nums %}{% set ns.total = ns.total + x %}{% endfor %}{{ ns.total }}'),
  t('{% set ns = namespace(found=false) %}{% for u in users if u.uid > 500 %}{% set ns.found = true %}{% endfor %}{{ ns.found }}'),
  t('{% set a, b = 1, 2 %}{{ a + b }}'), t('{% set x %}[1, 2]{% endset %}{{ x | type_debug }}'),
  t('{% set x | upper %}abc{% endset %}{{ x }}'), t('{% set l = [1, 2] %}{{ l }}'), t('{% set x = 1 %}{{ x }}'),
  t('{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}'), t('{% filter upper %}abc {{ name }}{% endfilter %}'),
  t('{% raw %}{{ x }}{% endraw %}'), t('{% raw %}\nx{% endraw %}\ny'), t('{{ ports }}{% if t %}{% endif %}'),
  t('{% for x in nums %}[{{ x }}]{% endfor %}'), t('{% for x in nums %}{{ x }}{% endfor %}'), t('{% if t %}True{% endif %}'),
  t('{% if t %}\n{{ port }}\n{% endif %}\n'), t('{% for x in nums %}\n{{ x }}\n{% endfor %}'), t('{% macro m() %}x{% endmacro %}'),
  t('{% for x in nums %}{% break %}{% endfor %}'), t('{% if t %}x'), t('{% endif %}'), t('{% set ns.x = 1 %}'),
  // Whitespace control and comments.
  t('  {%- if t -%}  a  {%- endif -%}  '), t('a {# c #}\nb'), t('a {#- c -#} b'), t('a\n{# c #}\nb'), t('a {{- " b " -}} c'),
  t('{% if t +%}\nx{% endif %}'), t('x\n  {%- if t %}\ny{% endif %}'), t('{{ port -}}\n  \n x'),
  // Strings and escapes: inside {{ }} backslashes are literal, in {% %} they are escapes.
  t("{{ 'a\\nb' }}"), t('{% set s = "a\\tb" %}{{ s }}'), t("{{ 'a\\\\b' }}"), t("{{ 'it\\'s' }}"), t('{{ "é" | length }}'),
  // Errors.
  t('{{ missing + 1 }}'), t('{{ nested.nope.deeper }}'), t('{{ ports[5] }}'), t('{{ (port }}'), t('{{ }}'), t('{{ port'),
  t('{{ lookup("env", "HOME") }}'), t('{{ nums.append(1) }}'), t('{{ x is defined if t else 3 }}'), t('{{ 5 > "a" }}'),
  t('{% if missing %}x{% endif %}'), t('{% for x in missing %}{% endfor %}'), t('{{ "abc" is divisibleby 3 }}'),
  // Methods, mappings, strings.
  t('{{ d.keys() | list }} {{ d.values() | list }} {{ d.get("a") }} {{ d.get("z", 0) }}'), t('{{ d.items() | list }}'),
  t('{% for x in d.items() %}{{ x }}{% endfor %}'), t("{{ '%s' % d }}"), t('{% set ns = namespace(a=1) %}{{ ns }}'),
  t('{{ {"a": 1}.a }} {{ [1, 2, 3][1:] }} {{ "abc"[1] }} {{ "abc"[-1:] }}'), t('{{ text.startswith("He") }} {{ text.split() }}'),
  t('{{ "  x ".strip() }}|{{ "a,b".split(",") }}|{{ "-".join(["a", "b"]) }}|{{ text.lower() }}|{{ text.replace("o", "0") }}'),
  t('{{ unicode | upper }} {{ unicode[1] }} {{ "😀ab"[1] }} {{ "😀" | length }} {{ "a" < "B" }} {{ "é" > "z" }}'),
  t('{{ "1" + "2" }} {{ 3 * 1.5 }} {{ 1.5 * 2 }} {{ 2 ** 0.5 }} {{ 0.1 * 3 }} {{ 1 / 3 }}'), t('{{ 10 ** 20 }}'),
  t('{{ ports | string }}'), t('{{ (ports | string) ~ "" }}'), t('{{ ports | map("string") | list }}'), t('{{ true and "x" }}'),
  t('{% set j = ports | to_json %}{{ j }}'), t('{{ ports | to_json if t else "" }}'), t('{{ missing | default(ports | to_json) }}'),
  t('{{ users | map(attribute="name") | map("upper") | join(" ") }}'), t('{{ range(3) | map("string") | join(",") }}'),
  t('{% for u in users %}{% for g in u.groups %}{{ loop.index }}{% endfor %}{{ loop.index }}|{% endfor %}'),
  t('{% for x in nums %}{% set outer = loop %}{% for y in [1] %}{{ outer.index }}{% endfor %}{% endfor %}'),
  t('a\r\nb {{ port }}'), t('a\r\n{% if t %}\r\nx{% endif %}\r\n'), t('{{ name }}\n'), t('{{ name }}\n\n'),
  t('{% set x = [1, 2] %}{% set x = x + [3] %}{{ x }}'), t('{% for i in range(3) %}{% for j in range(i) %}{{ i }}{{ j }} {% endfor %}{% endfor %}'),
  t('{% for x in nums %}{{ loop.depth }}{{ loop.depth0 }}{% endfor %}'), t('{% for x in nums %}{% endfor %}{{ x is defined }}'),
  t('{% set x = 1 %}{% for y in nums %}{{ x }}{% set x = y %}{{ x }}{% endfor %}{{ x }}'),
  t('{% if t %}{% set x = 1 %}{% else %}{% set x = 2 %}{% endif %}{{ x }}'), t('{%- for x in nums %}\n  - {{ x }}\n{%- endfor %}'),
  t('a\n\n{% if t %}\nb\n{% endif %}\n\nc'), t('  {% if t %}x{% endif %}  '), t('{%+ if t %}x{% endif %}'), t('{#- comment -#}\n x'),
  t('{% raw -%}  x  {%- endraw %}'), t('{%- raw %}  x  {% endraw -%}   y'), t('{{ "[1, (2, 3), {\'a\': None}]" }}'),
  t('{{ "[\'a\' \'b\', r\'\\d\', \'\'\'x\'\'\', 0x10, 1_0, -1, +1]" }}'), t('{{ "[1, # c\n 2]" }}'), t('{{ "[01]" }}'), t('{{ "[-True]" }}'),
  t('{{ "[True, False, None, true, false, null]" }}'), t('{{ "{\'a\': 1, \'a\': 2}" }}'), t('{{ "True " }} {{ " True" }}'),
  t('{{ missing is defined and missing.x }}'), t('{{ [1, 2] | first is number }}'), t('{{ n.x is defined }}'),
];

export const CONDITION_CASES: Case[] = [
  c('port == 22'), c('t'), c('f'), c('n'), c('empty'), c('name'), c('str_false'), c('str_yes'), c('ports'), c('[]'),
  c('0'), c('0.0'), c("'0'"), c('missing is defined'), c('missing is undefined'), c('missing'), c('nested.nope is defined'),
  c('res is changed and res.rc == 0'), c('res is failed'), c('res is succeeded'), c("'line2' in res.stdout"),
  c('users | selectattr("active") | list | length > 1'), c('kernel is version("5.14", ">=")'), c('not t or f'),
  c('{{ t }}'), c('{{ f }}'), c('{{ port > 1 }}'), c('{{ res.rc }}'), c('{{ ports | length }}'), c('{{ str_false }}'),
  c('{{ empty }}'), c('{{ str_yes }}'), c(''), c('1 if t else 0'), c('port is divisibleby 11'), c("'%s' % port == '22'"),
  c('res.stdout_lines | length == 2'), c('"line1" in res.stdout_lines'), c('ports | select("gt", 100) | list'), c('{{ d }}'),
  c('{{ n }}'), c('{{ missing | default(false) }}'), c('missing | default(false)'), c('port == 22 and missing is not defined'),
  c('{{ "0" }}'), c('{{ half }}'), c('{{ [] }}'), c('nums | max > 2'), c('{{ "False" }}'), c('{{ "none" }}'), c('{{ "-1" }}'),
  c('{{ "()" }}'), c('{{ "x" }}'), c('res.rc == 0 or missing'), c('missing or res.rc == 0'), c('port | int > 1'), c('ports is not none'),
];
