import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadPlaybook } from '../../src/config/load-playbook.js';
import { type Block, type IncludeTasks, type Task, flattenTasks } from '../../src/model/playbook.js';
import { problems, tree } from './file-tree.js';

const play = (...tasks: string[]) => `- hosts: all\n  tasks:\n${tasks.map((t) => `    ${t}\n`).join('')}`;

describe('config: import_tasks, include_tasks, import_playbook and vars_files', () => {
  it('import_tasks puts the file\'s tasks in its place, with its when, vars and tags handed down', async () => {
    const dir = tree({
      'pb.yml': play('- import_tasks: tasks/common.yml', '  when: go', '  vars: { a: 1 }', '  tags: [t1]', '- debug: { msg: last }'),
      'tasks/common.yml': '- debug: { msg: one }\n  vars: { b: 2 }\n- import_tasks: more.yml\n',
      'tasks/more.yml': '- name: deeper\n  debug: { msg: two }\n  when: also\n',
    });
    const pb = await loadPlaybook(join(dir, 'pb.yml'));
    const tasks = pb.plays[0]!.tasks as Task[];
    assert.deepEqual(tasks.map((t) => [t.name, t.when, t.vars, t.tags]), [
      ['debug: one', ['go'], { a: 1, b: 2 }, ['t1']],
      ['deeper', ['go', 'also'], { a: 1 }, ['t1']],
      ['debug: last', [], {}, []],
    ]);
    assert.equal(tasks[1]!.source.file, join(dir, 'tasks/more.yml'));
    assert.deepEqual([tasks[1]!.source.line, tasks[1]!.source.column], [1, 3]);
  });

  it('a block hands its when, vars, tags and ignore_errors to its tasks, rescue and always included', async () => {
    const dir = tree({
      'pb.yml': play('- name: b', '  when: [x]', '  vars: { v: 1 }', '  tags: b', '  ignore_errors: true', '  block:', '    - debug: { msg: one }',
        '      ignore_errors: false', '  rescue:', '    - debug: { msg: two }', '      when: y', '  always:', '    - debug: { msg: three }'),
    });
    const [block] = (await loadPlaybook(join(dir, 'pb.yml'))).plays[0]!.tasks as [Block];
    assert.equal(block.kind, 'block');
    const all = flattenTasks([block]);
    assert.deepEqual(all.map((t) => [t.name, t.when, t.vars, t.tags, t.ignoreErrors]), [
      ['debug: one', ['x'], { v: 1 }, ['b'], false],
      ['debug: two', ['x', 'y'], { v: 1 }, ['b'], true],
      ['debug: three', ['x'], { v: 1 }, ['b'], true],
    ]);
  });

  it('include_tasks stays a node: its when and vars with the block\'s, what its tasks inherit without its own', async () => {
    const dir = tree({
      'pb.yml': play('- when: outer', '  tags: [o]', '  block:', '    - include_tasks: "{{ name }}.yml"', '      when: inner', '      tags: [i]', '      vars: { n: 1 }', '      loop: [1, 2]'),
    });
    const [block] = (await loadPlaybook(join(dir, 'pb.yml'))).plays[0]!.tasks as [Block];
    const inc = block.block[0] as IncludeTasks;
    assert.equal(inc.kind, 'include');
    assert.deepEqual([inc.file, inc.when, inc.tags, inc.vars, inc.inherited, inc.loop?.kind], ['{{ name }}.yml', ['outer', 'inner'], ['o', 'i'], { n: 1 }, { when: ['outer'], tags: ['o'] }, 'loop']);
    assert.deepEqual([inc.dir, inc.playbookDir, inc.chain], [dir, dir, [join(dir, 'pb.yml')]]);
  });

  it('a missing file is a problem at the include, naming the file and where it was looked for', async () => {
    const dir = tree({ 'pb.yml': play('- import_tasks: nope.yml', '- include_tasks: sub/none.yml') });
    assert.deepEqual(await problems(dir), [
      'pb.yml:3:21 import_tasks: nope.yml: cannot read file: no such file',
      'pb.yml:4:22 include_tasks: sub/none.yml: cannot read file: no such file',
    ]);
  });

  it('a problem in an included file is located in it and names the include that led there', async () => {
    const dir = tree({
      'pb.yml': play('- debug: { msg: ok }', '- import_tasks: a.yml'),
      'a.yml': '- include_tasks: b.yml\n',
      'b.yml': '- comand: ls\n- debug: { msg: "{{ x | nofilter }}" }\n',
    });
    const found = await problems(dir);
    assert.equal(found.length, 2);
    assert.match(found[0]!, /^b\.yml:1:3 unknown step type or task keyword 'comand' \(did you mean 'command'\?\) \(included from a\.yml:1:18\) \(imported from pb\.yml:4:21\)$/);
    assert.match(found[1]!, /^b\.yml:2:25 invalid template: unknown filter 'nofilter'.* \(included from a\.yml:1:18\) \(imported from pb\.yml:4:21\)$/);
  });

  it('include loops are refused, naming the chain', async () => {
    const dir = tree({ 'pb.yml': play('- import_tasks: a.yml'), 'a.yml': '- include_tasks: b.yml\n', 'b.yml': '- import_tasks: a.yml\n' });
    const [p] = await problems(dir);
    assert.match(p ?? '', /^b\.yml:1:17 import_tasks: include loop: .*a\.yml → .*b\.yml → .*a\.yml \(a file cannot include itself, directly or through others\) \(included from a\.yml:1:18\) \(imported from pb\.yml:3:21\)$/);
  });

  it('refuses keywords that do not go with a block or an include, and templated imports', async () => {
    const dir = tree({
      'pb.yml': play(
        '- block: [{ debug: { msg: x } }]', '  loop: [1]',
        '- rescue: [{ debug: { msg: x } }]',
        '- import_tasks: a.yml', '  loop: [1]',
        '- include_tasks: a.yml', '  register: r',
        '- import_tasks: "{{ f }}.yml"',
        '- debug: { msg: x }', '  loop: [1]', '  with_items: [2]',
        '- debug: { msg: x }', '  loop_control: { label: x }',
        '- include: a.yml',
      ),
      'a.yml': '- debug: { msg: a }\n',
    });
    assert.deepEqual(await problems(dir), [
      "pb.yml:4:7 'loop' is not allowed with 'block': a block takes name, when, vars, tags, ignore_errors, block, rescue and always (loops and the rest go on its tasks, or loop over include_tasks)",
      "pb.yml:5:7 'rescue' belongs to a block: add 'block:' with the tasks it follows",
      "pb.yml:7:7 'loop' is not allowed with 'import_tasks': import_tasks takes name, when, vars and tags; its file is read when the playbook is loaded (use include_tasks to loop or for a templated file name)",
      "pb.yml:9:7 'register' is not allowed with 'include_tasks': include_tasks takes name, when, vars, tags, ignore_errors, a loop and loop_control",
      'pb.yml:10:21 import_tasks must be a task file name, not a {{ template }} (use include_tasks)',
      "pb.yml:13:7 a task has one loop: 'loop' and 'with_items'",
      "pb.yml:15:7 'loop_control' needs 'loop' or a with_* keyword",
      "pb.yml:16:7 'include' is not supported: use include_tasks or import_tasks (import_playbook for a playbook)",
    ]);
  });

  it('handlers are steps, not blocks or includes', async () => {
    const dir = tree({ 'pb.yml': '- hosts: all\n  handlers:\n    - name: h\n      block: [{ debug: { msg: x } }]\n' });
    assert.deepEqual(await problems(dir), ['pb.yml:4:7 handlers cannot be blocks: a handler is one step']);
  });

  it('import_playbook adds the plays of another file, its vars winning, its tags and when added', async () => {
    const dir = tree({
      'pb.yml': '- hosts: a\n  tasks: [{ debug: { msg: 1 } }]\n- import_playbook: sub/other.yml\n  vars: { v: import }\n  tags: [i]\n  when: ok\n',
      'sub/other.yml': '- hosts: b\n  vars: { v: own, w: own }\n  tags: [o]\n  tasks: [{ import_tasks: t.yml }]\n',
      'sub/t.yml': '- debug: { msg: 2 }\n',
    });
    const pb = await loadPlaybook(join(dir, 'pb.yml'));
    assert.deepEqual(pb.plays.map((p) => [p.hosts, p.vars, p.tags, flattenTasks(p.tasks).map((t) => t.when), p.source.file]), [
      ['a', {}, [], [[]], join(dir, 'pb.yml')],
      ['b', { v: 'import', w: 'own' }, ['o', 'i'], [['ok']], join(dir, 'sub/other.yml')],
    ]);
  });

  it('import_playbook problems and loops name both files', async () => {
    const dir = tree({ 'pb.yml': '- import_playbook: other.yml\n', 'other.yml': '- hosts: x\n  tasks: [{ debug: { msg: 1 } }]\n- import_playbook: pb.yml\n- hots: y\n' });
    const found = await problems(dir);
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found[0]!, /^other\.yml:4:3 missing required key 'hosts' \(imported from pb\.yml:1:20\)$/);
    assert.match(found[1]!, /^other\.yml:4:3 unknown key 'hots' \(did you mean 'hosts'\? .*\) \(imported from pb\.yml:1:20\)$/);
    const loop = tree({ 'pb.yml': '- import_playbook: other.yml\n', 'other.yml': '- import_playbook: pb.yml\n' });
    assert.deepEqual(await problems(loop), ['other.yml:1:20 import_playbook: include loop: pb.yml → other.yml → pb.yml (imported from pb.yml:1:20)'].map((p) => p.replace(/pb\.yml → other\.yml → pb\.yml/, `${loop}/pb.yml → ${loop}/other.yml → ${loop}/pb.yml`).replaceAll(`${loop}/`, '')));
  });

  it('vars_files: read relative to the playbook, in order, above play vars; a bad file is located', async () => {
    const dir = tree({
      'pb.yml': '- hosts: all\n  vars: { a: play, b: play }\n  vars_files: [vars/one.yml, vars/two.yml]\n',
      'vars/one.yml': 'a: one\nb: one\n',
      'vars/two.yml': 'b: two\n',
    });
    assert.deepEqual((await loadPlaybook(join(dir, 'pb.yml'))).plays[0]!.vars, { a: 'one', b: 'two' });
    const bad = tree({ 'pb.yml': '- hosts: all\n  vars_files: [none.yml, list.yml, "{{ x }}.yml"]\n', 'list.yml': '- 1\n' });
    assert.deepEqual(await problems(bad), [
      'pb.yml:2:36 a vars file must be a file name, not a {{ template }}',
    ]);
    const bad2 = tree({ 'pb.yml': '- hosts: all\n  vars_files: [none.yml, list.yml]\n', 'list.yml': '- 1\n' });
    assert.deepEqual(await problems(bad2), [
      'pb.yml:2:16 vars_files: none.yml: cannot read file: no such file',
      'list.yml:1:1 a vars file holds a mapping of variable names to values, got a list (a vars file read from pb.yml:2:26)',
    ]);
  });
});
