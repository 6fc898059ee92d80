import assert from 'node:assert/strict';
import { parsePlaybookText } from '../../src/config/load-playbook.js';
import { checkExpression, checkTemplate } from '../../src/expr/index.js';
import { ConfigError } from '../../src/model/errors.js';

function problems(text: string): string[] {
  try {
    parsePlaybookText('pb.yml', text);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  }
  return [];
}

/**
 * What the loader must report for `source` written on line `line` of `lines`: the expression
 * module's own problems (message and offset), at the column where `source` starts plus the offset.
 * The expected text depends only on checkExpression/checkTemplate, not on their wording.
 */
function expected(lines: string[], line: number, source: string, kind: 'expression' | 'template', prefix: string): string[] {
  const start = (lines[line - 1] ?? '').indexOf(source);
  assert.ok(start >= 0, `${source} is not on line ${line}`);
  const found = kind === 'expression' ? checkExpression(source) : checkTemplate(source);
  assert.ok(found.length > 0, `${source} should have a problem`);
  return found.map((f) => `${line}:${start + 1 + f.offset} ${prefix}: ${f.message}`);
}

describe('config/check-expressions: expression and template syntax at file:line:column', () => {
  it('points into a plain when expression', () => {
    const l = ['- hosts: all', '  tasks:', '    - command: ls', '      when: x and'];
    const found = problems(l.join('\n'));
    assert.deepEqual(found, expected(l, 4, 'x and', 'expression', 'invalid expression in when'));
    assert.match(found[0] ?? '', /^4:1[3-8] /);
  });

  it('points into each item of a list, into quoted strings, and at unknown filters and tests', () => {
    const l = [
      '- hosts: all',
      '  tasks:',
      '    - command: ls',
      '      register: r',
      '      changed_when: [true, "r.stdout | nofilter"]',
      '      failed_when: \'(r.rc\'',
      '      until:',
      '        - r is frobbed',
    ];
    assert.deepEqual(problems(l.join('\n')), [
      ...expected(l, 5, 'r.stdout | nofilter', 'expression', 'invalid expression in changed_when'),
      ...expected(l, 6, '(r.rc', 'expression', 'invalid expression in failed_when'),
      ...expected(l, 8, 'r is frobbed', 'expression', 'invalid expression in until'),
    ]);
    assert.deepEqual(problems(l.join('\n'))[0], "5:40 invalid expression in changed_when: unknown filter 'nofilter'");
  });

  it('accepts a condition written as a whole template, and checks it as one', () => {
    assert.deepEqual(problems(['- hosts: all', '  tasks:', '    - command: ls', '      when: "{{ x is defined }}"'].join('\n')), []);
    const l = ['- hosts: all', '  tasks:', '    - command: ls', '      when: "{{ x | nope }}"'];
    assert.deepEqual(problems(l.join('\n')), expected(l, 4, '{{ x | nope }}', 'template', 'invalid expression in when'));
  });

  it('accepts an empty condition (true, as in Ansible), false and a list', () => {
    for (const when of ['""', 'false', '[true, "x == 1"]', '[]']) {
      assert.deepEqual(problems(['- hosts: all', '  tasks:', '    - command: ls', `      when: ${when}`].join('\n')), [], when);
    }
  });

  it('checks statements in templates: an unclosed block is reported at its tag', () => {
    const l = ['- hosts: all', '  tasks:', '    - command: "ls {% for x in y %}{{ x | nope }}"'];
    assert.deepEqual(problems(l.join('\n')), ["3:20 invalid template: '{% for %}' is not closed: expected '{% endfor %}'"]);
  });

  it('checks assert.that as expressions and the other step arguments as templates', () => {
    const l = [
      '- hosts: all',
      '  tasks:',
      '    - assert:',
      '        that: [ok, "a =="]',
      '        fail_msg: "bad {{ x"',
      '    - command: [echo, "{{ y | nofilter }}"]',
    ];
    assert.deepEqual(problems(l.join('\n')), [
      ...expected(l, 4, 'a ==', 'expression', 'invalid expression in assert.that'),
      ...expected(l, 5, 'bad {{ x', 'template', 'invalid template'),
      ...expected(l, 6, '{{ y | nofilter }}', 'template', 'invalid template'),
    ]);
  });

  it('maps an offset inside a block scalar to its line', () => {
    const l = ['- hosts: all', '  tasks:', '    - shell: |', '        echo fine', '        echo {{ y | nofilter }}'];
    const script = 'echo fine\necho {{ y | nofilter }}\n';
    const [p] = checkTemplate(script);
    assert.ok(p);
    const column = 9 + (p.offset - script.indexOf('\n') - 1);
    assert.deepEqual(problems(l.join('\n')), [`5:${column} invalid template: ${p.message}`]);
  });

  it('checks templates in play vars, task vars and set_fact values, at any depth', () => {
    const l = [
      '- hosts: all',
      '  vars:',
      '    a: "{{ b"',
      '    nested: {list: [ok, "{{ c | zz }}"]}',
      '  tasks:',
      '    - set_fact: {d: "{{ ( }}"}',
      '      vars: {e: "x {{ }}"}',
    ];
    assert.deepEqual(problems(l.join('\n')), [
      ...expected(l, 3, '{{ b', 'template', 'invalid template'),
      ...expected(l, 4, '{{ c | zz }}', 'template', 'invalid template'),
      ...expected(l, 6, '{{ ( }}', 'template', 'invalid template'),
      ...expected(l, 7, 'x {{ }}', 'template', 'invalid template'),
    ]);
  });

  it('leaves strings without templates alone', () => {
    assert.deepEqual(problems(['- hosts: all', '  vars: {a: "50% } {"}', '  tasks:', '    - debug: {var: a}', '    - command: "echo }}"'].join('\n')), []);
  });
});
