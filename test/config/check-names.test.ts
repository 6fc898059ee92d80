import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkPlaybookNames } from '../../src/config/check-names.js';
import { readYamlFile } from '../../src/config/yaml-file.js';
import { conditionGuards, expressionReferences, templateReferences } from '../../src/config/find-references.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'remedy-names-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The warnings and notes for dir/pb.yml as "file:line:column message", the directory cut. */
async function check(files: Record<string, string>, known: string[] = []): Promise<string[]> {
  const dir = tree(files);
  const { warnings, notes } = checkPlaybookNames(await readYamlFile(join(dir, 'pb.yml')), known);
  return [...notes, ...warnings].map((w) => `${w.file.replace(`${dir}/`, '')}:${w.line}:${w.column} ${w.message}`);
}

describe('config/find-references: the names an expression or template reads', () => {
  it('finds names with their first attribute, leaving out guarded and bound ones', () => {
    assert.deepEqual(expressionReferences('a.b == c["d"] and e is defined and e > 1 and f | default(0)'), [
      { name: 'a', attribute: 'b', offset: 0 }, { name: 'c', attribute: 'd', offset: 7 },
    ]);
    assert.deepEqual(templateReferences('{% for x in xs %}{{ x }}{{ loop.index }}{% endfor %}{% set y = 1 %}{{ y }} {{ z }}').map((r) => r.name), ['xs', 'z']);
    assert.deepEqual(expressionReferences('{{ a }}').map((r) => r.name), ['a']);
    assert.deepEqual(templateReferences('no template'), []);
    assert.deepEqual([...conditionGuards(['x is defined', 'y | d(1)'])], ['x', 'y']);
    assert.deepEqual(expressionReferences('x > 1', conditionGuards(['x is defined'])), []);
  });
});

describe('config/check-names: undefined variables in a playbook, statically', () => {
  it('warns about names nothing defines, with "did you mean" and where Ansible differs', async () => {
    assert.deepEqual(await check({
      'pb.yml': [
        '- hosts: all',
        '  vars: { packages: [a], port: 22 }',
        '  tasks:',
        '    - command: echo {{ pakages }} {{ hostvars }}',
        '      register: out',
        '    - debug: { msg: "{{ out.stdotu }} {{ out.stdout }} {{ ansible_distribution }} {{ inventory_hostname }}" }',
        '    - assert: { that: [prot == 22] }',
        '    - debug: { var: remedy_facts }',
      ].join('\n'),
    }), [
      "pb.yml:4:24 warning: 'pakages' is not defined by the playbook (did you mean 'packages'?); it must come from the inventory or -e",
      "pb.yml:4:38 warning: 'hostvars' is not defined by the playbook; Ansible sets it, remedy does not",
      "pb.yml:6:25 warning: 'out.stdotu': a registered result has no field 'stdotu' (did you mean 'stdout'?)",
      "pb.yml:6:59 warning: 'ansible_distribution' is not defined by the playbook; Ansible sets it, remedy does not (remedy gathers no Ansible facts; its own are in remedy_facts)",
      "pb.yml:7:24 warning: 'prot' is not defined by the playbook (did you mean 'port'?); it must come from the inventory or -e",
    ]);
  });

  it('knows loop variables, block and task vars, rescue variables, register and set_fact anywhere', async () => {
    assert.deepEqual(await check({
      'pb.yml': [
        '- hosts: all',
        '  tasks:',
        '    - debug: { msg: "{{ later }} {{ r.rc }}" }',
        '    - debug: { msg: "{{ user }} {{ i }} {{ ansible_loop.index }}" }',
        '      loop: [a]',
        '      loop_control: { loop_var: user, index_var: i, extended: true }',
        '    - vars: { b: 1 }',
        '      block:',
        '        - debug: { msg: "{{ b }} {{ t }}" }',
        '          vars: { t: 2 }',
        '          changed_when: r.rc == 0',
        '          register: r',
        '      rescue:',
        '        - debug: { msg: "{{ ansible_failed_result.msg }} {{ b }}" }',
        '    - set_fact: { later: 1 }',
        '    - debug: { msg: "{{ item }}" }',
        '      when: item is defined',
      ].join('\n'),
    }), ["pb.yml:16:25 warning: 'item' is not defined by the playbook; it must come from the inventory or -e"]);
  });

  it('follows imports and static includes, with their vars; reads vars_files and the group_vars beside the playbook', async () => {
    assert.deepEqual(await check({
      'pb.yml': [
        '- hosts: all',
        '  vars_files: [v.yml]',
        '  tasks:',
        '    - include_tasks: inc.yml',
        '      vars: { n: 1 }',
        '      loop: [1]',
        '    - include_tasks: "{{ fromfile }}.yml"',
        '    - debug: { msg: "{{ from_group_vars }} {{ from_host_vars }} {{ from_inventory }}" }',
        '- import_playbook: sub/other.yml',
        '  vars: { imported: 1 }',
      ].join('\n'),
      'v.yml': 'fromfile: inc\n',
      'inc.yml': '- debug: { msg: "{{ n }} {{ item }} {{ nn }}" }\n',
      'group_vars/all/main.yml': 'from_group_vars: 1\n',
      'host_vars/h1': 'from_host_vars: 1\n',
      'sub/other.yml': '- hosts: all\n  gather_facts: yes\n  tasks:\n    - debug: { msg: "{{ imported }} {{ from_group_vars }}" }\n',
    }, ['from_inventory']), [
      'sub/other.yml:2:3 note: gather_facts is ignored: remedy gathers its own facts (remedy_facts: stale processes, kernels, reboot hints) with the gather_facts step, or when a step first needs them, since that probe scans every process; Ansible\'s facts (ansible_distribution…) are not set',
      "inc.yml:1:40 warning: 'nn' is not defined by the playbook; it must come from the inventory or -e",
      "sub/other.yml:4:40 warning: 'from_group_vars' is not defined by the playbook; it must come from the inventory or -e",
    ]);
  });
});
