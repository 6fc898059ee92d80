import assert from 'node:assert/strict';
import { ConfigError } from '../../src/model/errors.js';
import { parseYamlText } from '../../src/config/yaml-file.js';

function syntaxProblems(text: string) {
  try {
    parseYamlText('pb.yml', text);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('config/yaml-file', () => {
  it('reports YAML syntax errors with line and column', () => {
    const problems = syntaxProblems('- hosts: all\n  tasks:\n    - command: [ls, -l\n');
    assert.ok(problems.length >= 1);
    assert.equal(problems[0]?.file, 'pb.yml');
    assert.match(problems[0]?.message ?? '', /^YAML syntax error: /);
    assert.equal(problems[0]?.line, 4);
  });

  it('reports a bad indentation at its line', () => {
    const problems = syntaxProblems('- hosts: all\n  tasks:\n    - name: x\n   command: ls\n');
    assert.equal(problems[0]?.line, 4);
  });

  it('reports duplicate keys at the second one', () => {
    const problems = syntaxProblems('- hosts: all\n  tasks:\n    - command: ls\n      command: pwd\n');
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.message ?? '', /Map keys must be unique/);
    assert.deepEqual([problems[0]?.line, problems[0]?.column], [4, 7]);
  });

  it('resolves anchors and merge keys (<<) as Ansible playbooks use them', () => {
    const y = parseYamlText('f.yml', 'defaults: &d {retries: 2, delay: 1}\ntask:\n  <<: *d\n  delay: 5\n');
    assert.deepEqual((y.value as Record<string, unknown>).task, { retries: 2, delay: 5 });
    assert.deepEqual(y.positionOf('/task/delay'), { line: 4, column: 10 });
  });

  it('after release() (the syntax tree dropped) finds every position again from the text', () => {
    const text = 'all:\n  vars:\n    user: "ops"\n  hosts:\n    web1: {ansible_host: 10.0.0.1}\n    1234:\n';
    const y = parseYamlText('inv.yml', text);
    const pointers = ['/all/vars/user', '/all/hosts/web1/ansible_host', '/all/hosts/1234', '/all/missing'];
    const before = pointers.map((p) => [y.positionOf(p), y.keyPositionOf(p), y.keyAt(p), y.positionInString(p, 1)]);
    y.release();
    assert.deepEqual(pointers.map((p) => [y.positionOf(p), y.keyPositionOf(p), y.keyAt(p), y.positionInString(p, 1)]), before);
    assert.deepEqual(y.problemAt('/all/hosts/web1/ansible_host', 'm'), { file: 'inv.yml', line: 5, column: 26, pointer: '/all/hosts/web1/ansible_host', message: 'm' });
    assert.equal(y.keyAt('/all/hosts/1234'), 1234, 'the key as YAML typed it');
  });

  it('locates a character inside a plain, quoted or block string', () => {
    const text = [
      'plain: a b {{ c',           // 1
      'single: \'it\'\'s {{ x\'',  // 2
      'double: "tab\\t{{ y"',      // 3
      'literal: |',                // 4
      '  first line',              // 5
      '    second {{ z',           // 6
      'folded: >',                 // 7
      '  one two',                 // 8
      '  three {{ w',              // 9
      'multi: a',                  // 10
      '  b {{ v',                  // 11
    ].join('\n');
    const y = parseYamlText('f.yml', text);
    const v = y.value as Record<string, string>;
    const at = (key: string, needle: string) => y.positionInString(`/${key}`, (v[key] ?? '').indexOf(needle));
    assert.deepEqual(at('plain', '{{'), { line: 1, column: 12 });
    assert.deepEqual(at('single', '{{'), { line: 2, column: 16 });
    assert.deepEqual(at('double', '{{'), { line: 3, column: 15 });
    assert.deepEqual(at('literal', 'second'), { line: 6, column: 5 });
    assert.deepEqual(at('literal', 'first'), { line: 5, column: 3 });
    assert.deepEqual(at('folded', 'three'), { line: 9, column: 3 });
    assert.deepEqual(at('multi', '{{'), { line: 10, column: 8 }, 'multi-line plain: the scalar start');
  });
});
